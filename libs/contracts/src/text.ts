/** Removes Vietnamese diacritics ("Đông Triều" -> "Dong Trieu"); used for slugs and search. */
export function foldDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/** ASCII, lowercase, hyphen-separated: "Móng Cái" -> "mong-cai". */
export function toSlug(text: string): string {
  return foldDiacritics(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
