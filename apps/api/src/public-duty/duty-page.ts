import { localDateTimeOf, localToInstant } from '@frontline/roster';
import { timeZone } from '@frontline/time';
import type { PublicBoard, PublicBoardCenter } from './public-duty.service';

export type PageLang = 'vi' | 'en';

const TEXT = {
  vi: {
    title: 'Lịch trực ban 24/7 – Trung tâm Chỉ huy phòng, chống dịch Covid-19',
    heading: 'Ai đang trực ban?',
    intro: 'Danh sách cán bộ đang trực tại các Trung tâm Chỉ huy. Bấm số để gọi.',
    search: 'Tìm theo địa phương',
    placeholder: 'VD: Móng Cái, mong cai',
    submit: 'Tìm',
    clear: 'Tất cả',
    hotline: 'Đường dây nóng',
    address: 'Địa chỉ',
    nextShift: 'Đổi ca tiếp theo',
    noOne: 'Chưa có người trực được công bố: gọi đường dây nóng.',
    none: 'Không tìm thấy địa phương nào.',
    updated: 'Cập nhật lúc',
    other: 'English',
    noPhone: 'chưa công bố số',
    pastLabel: 'Xem ai trực vào lúc',
    pastSubmit: 'Xem',
    pastHeading: 'Ai trực lúc',
    backToNow: 'Về hiện tại',
  },
  en: {
    title: '24/7 duty list – Covid-19 command centers',
    heading: 'Who is on duty?',
    intro: 'The officers on duty now at each command center. Tap a number to call.',
    search: 'Search by place',
    placeholder: 'e.g. Móng Cái, mong cai',
    submit: 'Search',
    clear: 'All',
    hotline: 'Hotline',
    address: 'Address',
    nextShift: 'Next shift change',
    noOne: 'No published duty officer: call the hotline.',
    none: 'No place found.',
    updated: 'Updated at',
    other: 'Tiếng Việt',
    noPhone: 'number not published',
    pastLabel: 'See who was on duty at',
    pastSubmit: 'Show',
    pastHeading: 'On duty at',
    backToNow: 'Back to now',
  },
} as const;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** "14:00 23/11/2026" in the deployment's time zone (dd/MM/yyyy, as Vietnamese readers expect). */
export function localTime(iso: string | Date, withSeconds = false): string {
  const ms = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  const [date, time] = localDateTimeOf(ms).split('T');
  const [y, m, d] = date.split('-');
  const seconds = withSeconds ? `:${new Date(ms).toISOString().slice(17, 19)}` : '';
  return `${time}${seconds} ${d}/${m}/${y}`;
}

function tel(phone: string, label = phone): string {
  const digits = phone.replace(/[^\d+]/g, '');
  return `<a href="tel:${escapeHtml(digits)}">${escapeHtml(label)}</a>`;
}

/** `at` of the page: local wall-clock time from the picker ("2021-09-02T08:00"), or an ISO instant; null if unreadable. */
export function parsePageInstant(value: unknown): Date | null {
  if (typeof value !== 'string' || !value || value.length > 40) return null;
  try {
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value))
      return new Date(localToInstant(value));
  } catch {
    return null;
  }
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

function href(q: string, lang: PageLang, at?: Date): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (lang === 'en') params.set('lang', 'en');
  if (at) params.set('at', localDateTimeOf(at.getTime()));
  const qs = params.toString();
  return `/duty${qs ? `?${qs}` : ''}`;
}

const CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f4f6f8}
header{background:#b3261e;color:#fff;padding:12px 16px}header h1{margin:0;font-size:1.25rem}header p{margin:4px 0 0;font-size:.9rem}
.lang{float:right;color:#fff;font-size:.9rem}main{padding:12px;max-width:720px;margin:0 auto}
form{display:flex;gap:8px;margin-bottom:12px}form.at{flex-wrap:wrap;align-items:center;font-size:.9rem}form.at label{position:static}.past{background:#fff4d6;border-radius:6px;padding:8px}form label{position:absolute;left:-9999px}input{flex:1;min-width:0;padding:10px;font-size:1rem;border:1px solid #99a;border-radius:6px}
button{padding:10px 14px;font-size:1rem;border:0;border-radius:6px;background:#1d4ed8;color:#fff}
section{background:#fff;border-radius:8px;padding:12px;margin-bottom:12px;box-shadow:0 1px 2px #0002}h2{font-size:1.05rem;margin:0 0 6px}
.hot a{font-size:1.2rem;font-weight:700}a{color:#1d4ed8}ul{list-style:none;padding:0;margin:8px 0}li{padding:6px 0;border-top:1px solid #eee}
.pos{display:block;font-size:.8rem;color:#555}.muted{color:#555;font-size:.85rem}footer{padding:0 16px 16px;color:#555;font-size:.85rem;text-align:center}`;

function centerHtml(c: PublicBoardCenter, lang: PageLang): string {
  const t = TEXT[lang];
  const x = c.center;
  const people = x.onDuty.length
    ? `<ul>${x.onDuty
        .map((p) => {
          const label = c.labels.get(p.position);
          const pos = (lang === 'en' ? label?.en : label?.vi) ?? label?.vi ?? p.position;
          const phone = p.phone ? tel(p.phone) : `<span class="muted">${t.noPhone}</span>`;
          return `<li data-testid="on-duty" data-position="${escapeHtml(p.position)}"><span class="pos">${escapeHtml(pos)}</span>${escapeHtml(p.name)} – ${phone}</li>`;
        })
        .join('')}</ul>`
    : `<p class="muted">${t.noOne}</p>`;
  return `<section data-testid="center" data-unit="${escapeHtml(x.unit)}" data-search="${escapeHtml(c.searchText)}"><h2>${escapeHtml(x.name)}</h2>
${x.hotline ? `<div class="hot">${t.hotline}: ${tel(x.hotline)}</div>` : ''}${x.address ? `<div class="muted">${t.address}: ${escapeHtml(x.address)}</div>` : ''}
${people}${x.nextShiftAt ? `<div class="muted" data-testid="next-shift">${t.nextShift}: ${localTime(x.nextShiftAt)}</div>` : ''}</section>`;
}

/**
 * Optional live filtering as one types (the GET form works without it): folds accents like
 * the server does and hides the centers that do not match.
 */
const LIVE_SEARCH = `<script>(function(){var i=document.getElementById('q'),s=document.querySelectorAll('section[data-search]');
function f(t){return t.normalize('NFD').replace(/[\\u0300-\\u036f]/g,'').replace(/[đĐ]/g,'d').toLowerCase().replace(/\\s+/g,' ').trim()}
i.addEventListener('input',function(){var q=f(i.value);for(var k=0;k<s.length;k++)s[k].hidden=q!==''&&s[k].getAttribute('data-search').indexOf(q)<0})})()</script>`;

/** The whole page: server-rendered, inline CSS, a tiny optional script; a few KB per center. */
export function renderDutyPage(
  board: PublicBoard,
  centers: PublicBoardCenter[],
  q: string,
  lang: PageLang,
): string {
  const t = TEXT[lang];
  const other: PageLang = lang === 'vi' ? 'en' : 'vi';
  const at = board.at;
  const keep = `${lang === 'en' ? '<input type="hidden" name="lang" value="en">' : ''}`;
  const atForm = `<form class="at" method="get" action="/duty"><label for="at">${t.pastLabel}</label><input id="at" name="at" type="datetime-local" data-testid="at-input" value="${at ? localDateTimeOf(at.getTime()) : ''}">${q ? `<input type="hidden" name="q" value="${escapeHtml(q)}">` : ''}${keep}<button type="submit" data-testid="at-submit">${t.pastSubmit}</button></form>`;
  const pastNote = at
    ? `<p class="past" data-testid="at-heading">${t.pastHeading} ${localTime(at)} (${timeZone().gmtLabel(at.getTime())}) – <a href="${escapeHtml(href(q, lang))}">${t.backToNow}</a></p>`
    : '';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${t.title}</title><meta name="description" content="${t.intro}"><style>${CSS}</style></head><body>
<header><a class="lang" data-testid="language-switch" data-lang="${lang}" href="${escapeHtml(href(q, other, at))}" hreflang="${other}">${t.other}</a><h1>${t.heading}</h1><p>${t.intro}</p></header>
<main><form method="get" action="/duty" role="search"><label for="q">${t.search}</label><input id="q" name="q" type="search" value="${escapeHtml(q)}" placeholder="${t.placeholder}" autocomplete="off">${keep}${at ? `<input type="hidden" name="at" value="${localDateTimeOf(at.getTime())}">` : ''}<button type="submit" data-testid="search-submit">${t.submit}</button></form>
${atForm}${pastNote}
${q ? `<p><a href="${escapeHtml(href('', lang, at))}">${t.clear}</a></p>` : ''}
${centers.length ? centers.map((c) => centerHtml(c, lang)).join('\n') : `<p data-testid="no-result">${t.none}</p>`}
</main><footer data-testid="updated-at">${t.updated} ${localTime(board.updatedAt, true)} (${timeZone().gmtLabel(new Date(board.updatedAt).getTime())})</footer>${LIVE_SEARCH}</body></html>`;
}
