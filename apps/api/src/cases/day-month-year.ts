/** YYYY-MM-DD to dd/MM/yyyy (the format of docs/imports.md). */
export function toDayMonthYear(day: string | null): string {
  if (!day) return '';
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}
