import type { PublicUnit } from '@frontline/contracts';
import { REPORT_CATEGORIES } from '@frontline/contracts';
import { escapeHtml, type PageLang } from '../public-duty/duty-page';

/** Where the form lives; `/report` redirects here. */
export const REPORT_PAGE_PATH = '/bao-tin';
/** The districts' outlines the form's map is drawn from, loaded only when a citizen asks for it. */
export const MAP_PATH = '/bao-tin/ban-do.svg';

type Category = (typeof REPORT_CATEGORIES)[number];
/** The order citizens see (most frequent first). */
const CATEGORY_ORDER: readonly Category[] = ['illegal-entry', 'suspected-case', 'quarantine-violation', 'gathering', 'other'];

const TEXT = {
  vi: {
    title: 'Báo tin phòng, chống dịch Covid-19 – Quảng Ninh',
    heading: 'Báo tin cho Trung tâm Chỉ huy',
    intro: 'Tin của bạn được chuyển ngay tới cán bộ trực ban địa phương. Không cần đăng nhập.',
    other: 'English',
    category: 'Bạn muốn báo tin gì?',
    categories: {
      'illegal-entry': 'Người nhập cảnh trái phép',
      'suspected-case': 'Người nghi nhiễm Covid-19',
      'quarantine-violation': 'Vi phạm cách ly',
      gathering: 'Tụ tập đông người',
      other: 'Việc khác',
    } satisfies Record<Category, string>,
    description: 'Mô tả',
    descriptionHint: 'Chuyện gì, ở đâu (thôn, đường, số nhà), khi nào, bao nhiêu người.',
    phone: 'Số điện thoại (không bắt buộc)',
    phoneHint: 'Để cán bộ gọi lại khi cần. Không công khai.',
    place: 'Địa điểm',
    unit: 'Huyện, thị xã, thành phố / xã, phường',
    unitNone: '— Chọn địa phương —',
    unitWhole: 'Toàn {name}',
    locate: 'Dùng vị trí của tôi',
    locating: 'Đang lấy vị trí…',
    located: 'Đã lấy vị trí: {lat}, {lon}',
    locateFailed: 'Không lấy được vị trí. Hãy chọn địa phương trong danh sách.',
    clearLocation: 'Bỏ vị trí',
    pickOnMap: 'Chọn trên bản đồ',
    mapHint: 'Chạm vào nơi xảy ra sự việc trên bản đồ.',
    picked: 'Đã chọn trên bản đồ: {lat}, {lon}',
    mapFailed: 'Không tải được bản đồ. Hãy chọn địa phương trong danh sách.',
    submit: 'Gửi tin',
    sending: 'Đang gửi…',
    noscript: 'Trang này cần JavaScript để gửi tin. Bạn cũng có thể gọi đường dây nóng của Trung tâm Chỉ huy.',
    duty: 'Xem số điện thoại trực ban',
    errors: {
      category: 'Hãy chọn loại tin.',
      description: 'Hãy mô tả ít nhất 5 ký tự (tối đa 2000).',
      phone: 'Số điện thoại không hợp lệ: 6 đến 20 chữ số.',
      place: 'Hãy chọn địa phương hoặc dùng vị trí của bạn (trong tỉnh Quảng Ninh).',
      tooMany: 'Bạn gửi quá nhiều, vui lòng thử lại sau {n} phút.',
      tooLarge: 'Nội dung quá dài, hãy rút gọn.',
      network: 'Không gửi được: kiểm tra kết nối mạng rồi bấm gửi lại.',
      server: 'Hệ thống đang bận, vui lòng thử lại sau ít phút.',
      check: 'Vui lòng kiểm tra các ô được đánh dấu.',
    },
    done: 'Đã nhận tin của bạn',
    reference: 'Mã tiếp nhận',
    doneNote: 'Hãy ghi lại mã này nếu cần hỏi lại qua đường dây nóng. Cảm ơn bạn!',
    again: 'Báo tin khác',
  },
  en: {
    title: 'Report to the Covid-19 command center – Quảng Ninh',
    heading: 'Report to the command center',
    intro: 'Your report goes straight to the local duty officers. No sign-in needed.',
    other: 'Tiếng Việt',
    category: 'What do you want to report?',
    categories: {
      'illegal-entry': 'Illegal entry',
      'suspected-case': 'Suspected Covid-19 case',
      'quarantine-violation': 'Quarantine violation',
      gathering: 'Crowd gathering',
      other: 'Something else',
    } satisfies Record<Category, string>,
    description: 'Description',
    descriptionHint: 'What, where (hamlet, street, house number), when, how many people.',
    phone: 'Phone number (optional)',
    phoneHint: 'So an officer can call you back. Never published.',
    place: 'Place',
    unit: 'District / commune',
    unitNone: '— Choose a place —',
    unitWhole: 'All of {name}',
    locate: 'Use my location',
    locating: 'Finding your location…',
    located: 'Location: {lat}, {lon}',
    locateFailed: 'Could not get your location. Choose the place in the list.',
    clearLocation: 'Remove location',
    pickOnMap: 'Pick on the map',
    mapHint: 'Tap where it happened on the map.',
    picked: 'Picked on the map: {lat}, {lon}',
    mapFailed: 'Could not load the map. Choose the place in the list.',
    submit: 'Send report',
    sending: 'Sending…',
    noscript: 'This page needs JavaScript to send a report. You can also call the command center hotline.',
    duty: 'See the duty phone numbers',
    errors: {
      category: 'Choose what you report.',
      description: 'Describe it in at least 5 characters (at most 2000).',
      phone: 'Invalid phone number: 6 to 20 digits.',
      place: 'Choose a place or use your location (inside Quảng Ninh province).',
      tooMany: 'Too many reports, please try again in {n} minutes.',
      tooLarge: 'The report is too long; please shorten it.',
      network: 'Not sent: check your connection and tap send again.',
      server: 'The system is busy, please try again in a few minutes.',
      check: 'Please check the marked fields.',
    },
    done: 'Your report was received',
    reference: 'Reference number',
    doneNote: 'Keep this number if you call the hotline about it. Thank you!',
    again: 'Send another report',
  },
} as const;

const CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f4f6f8}
header{background:#b3261e;color:#fff;padding:12px 16px}header h1{margin:0;font-size:1.25rem}header p{margin:4px 0 0;font-size:.9rem}
.lang{float:right;color:#fff;font-size:.95rem;padding:4px 0 8px 8px}main{padding:12px;max-width:560px;margin:0 auto}
fieldset,.box{border:0;background:#fff;border-radius:8px;padding:12px;margin:0 0 12px;box-shadow:0 1px 2px #0002}legend,label.t{font-weight:600;display:block;margin-bottom:6px}
legend{float:left;width:100%}.cat{display:flex;align-items:center;gap:10px;min-height:48px;padding:4px 8px;border:1px solid #c5ccd4;border-radius:6px;margin-top:6px}.cat input{width:22px;height:22px;margin:0}
textarea,input[type=tel],select{width:100%;font:inherit;padding:10px;border:1px solid #7a8593;border-radius:6px;background:#fff;min-height:48px}textarea{min-height:110px;resize:vertical}
.hint{color:#4a5260;font-size:.85rem;margin:4px 0 0}.err{color:#a4141b;font-weight:600;font-size:.92rem;margin:6px 0 0}.err:empty{display:none}[aria-invalid=true]{border:2px solid #a4141b}
button{font:inherit;min-height:48px;border:0;border-radius:6px;padding:10px 16px}.go{width:100%;background:#1d4ed8;color:#fff;font-weight:700;font-size:1.1rem}.go:disabled{opacity:.7}
.sec{background:#e8edf3;color:#1b1f24;margin-top:10px;width:100%}.alert{background:#fde8e8;color:#7a0f14;border-radius:6px;padding:10px;margin:0 0 12px;font-weight:600}.alert:empty{display:none}
.ref{font-size:1.6rem;font-weight:700;letter-spacing:.06em}.small{font-size:.8rem;color:#4a5260;word-break:break-all}a{color:#1d4ed8}a.button{display:block;text-align:center;padding:12px;background:#e8edf3;border-radius:6px;text-decoration:none}
#map svg{display:block;width:100%;height:auto;margin-top:8px;background:#dfe9f3;border-radius:6px;touch-action:manipulation}#map path{fill:#fff;stroke:#7a8593;stroke-width:.004;cursor:crosshair}#map path:hover{fill:#fff4d6}#pin{fill:#b3261e;stroke:#fff;stroke-width:.004}`;

/** `<option>`s of the tree below the root: a group per unit with children (the unit itself first). */
function unitOptions(units: readonly PublicUnit[], lang: PageLang): string {
  const t = TEXT[lang];
  const children = new Map<string | null, PublicUnit[]>();
  for (const u of units) children.set(u.parentCode, [...(children.get(u.parentCode) ?? []), u]);
  const option = (u: PublicUnit, label: string) => `<option value="${escapeHtml(u.code)}">${escapeHtml(label)}</option>`;
  const below = (code: string, depth: number): string =>
    (children.get(code) ?? []).map((c) => option(c, `${'\u00a0\u00a0'.repeat(depth)}${c.name}`) + below(c.code, depth + 1)).join('');
  return (children.get(null) ?? [])
    .flatMap((root) => children.get(root.code) ?? [])
    .map((u) =>
      children.has(u.code)
        ? `<optgroup label="${escapeHtml(u.name)}">${option(u, t.unitWhole.replace('{name}', u.name))}${below(u.code, 0)}</optgroup>`
        : option(u, u.name),
    )
    .join('');
}

/**
 * The form's script (inline, ~2 KB): posts JSON to the public API, puts the API's field errors
 * next to their fields (in the page's language), reads a 429's Retry-After, shows the reference.
 */
function script(lang: PageLang): string {
  const t = TEXT[lang];
  const strings = JSON.stringify({
    e: t.errors,
    locating: t.locating,
    located: t.located,
    failed: t.locateFailed,
    picked: t.picked,
    mapFailed: t.mapFailed,
    sending: t.sending,
    submit: t.submit,
  }).replace(/</g, '\\u003c');
  return `<script>(function(){var T=${strings},f=document.getElementById('f'),g=document.getElementById('g'),b=f.querySelector('button[type=submit]'),w=document.getElementById('where'),pt=null;
function el(i){return document.getElementById(i)}
function mark(n,m){var e=el('e-'+n),i=f.querySelector('[data-field='+n+']');e.textContent=m||'';if(i)i.setAttribute('aria-invalid',m?'true':'false')}
function clear(){['category','description','phone','place'].forEach(function(n){mark(n,'')});el('alert').textContent=''}
function field(p){p=String(p||'');if(p.indexOf('body.place')===0||p==='body.unit')return'place';var m=/^body\\.(category|description|phone)/.exec(p);return m?m[1]:null}
if(navigator.geolocation&&window.isSecureContext){g.hidden=false;g.addEventListener('click',function(){w.textContent=T.locating;navigator.geolocation.getCurrentPosition(function(p){pt={lat:Math.round(p.coords.latitude*1e5)/1e5,lon:Math.round(p.coords.longitude*1e5)/1e5};w.textContent=T.located.replace('{lat}',pt.lat).replace('{lon}',pt.lon);el('nl').hidden=false;mark('place','')},function(){pt=null;w.textContent=T.failed},{enableHighAccuracy:true,timeout:15000,maximumAge:60000})})}
el('nl').addEventListener('click',function(){pt=null;w.textContent='';el('nl').hidden=true;var q=el('pin');if(q)q.remove()});
el('m').addEventListener('click',function(){var box=el('map');el('m').disabled=true;fetch('${MAP_PATH}').then(function(r){if(!r.ok)throw 0;return r.text()}).then(function(svg){box.insertAdjacentHTML('beforeend',svg);box.hidden=false;el('m').hidden=true;var s=box.querySelector('svg'),gr=s.querySelector('g');
s.addEventListener('click',function(ev){var m=gr.getScreenCTM();if(!m)return;var q=new DOMPoint(ev.clientX,ev.clientY).matrixTransform(m.inverse()),code=ev.target.getAttribute('data-code');
pt={lat:Math.round(-q.y*1e5)/1e5,lon:Math.round(q.x*1e5)/1e5};if(code)f.unit.value=code;var c=el('pin');if(!c){c=document.createElementNS('http://www.w3.org/2000/svg','circle');c.id='pin';c.setAttribute('r','0.012');gr.appendChild(c)}c.setAttribute('cx',q.x);c.setAttribute('cy',q.y);
w.textContent=T.picked.replace('{lat}',pt.lat).replace('{lon}',pt.lon);el('nl').hidden=false;mark('place','')})},function(){el('m').disabled=false;w.textContent=T.mapFailed})});
f.addEventListener('submit',function(ev){ev.preventDefault();clear();var c=f.querySelector('input[name=category]:checked'),body={description:f.description.value};
if(c)body.category=c.value;if(f.phone.value.trim())body.phone=f.phone.value.trim();if(f.unit.value)body.unit=f.unit.value;if(pt)body.place=pt;
b.disabled=true;b.textContent=T.sending;
fetch('/api/v1/public/reports',{method:'POST',headers:{'Content-Type':'application/json',Accept:'application/json'},body:JSON.stringify(body)}).then(function(r){return r.json().catch(function(){return{}}).then(function(j){
if(r.status===202){el('ref').textContent=String(j.id).slice(0,8).toUpperCase();el('ref').setAttribute('data-id',j.id);el('full').textContent=j.id;f.hidden=true;el('done').hidden=false;window.scrollTo(0,0);el('done').focus();return}
if(r.status===429){var s=Number(r.headers.get('Retry-After'))||60;el('alert').textContent=T.e.tooMany.replace('{n}',Math.max(1,Math.ceil(s/60)));return}
if(r.status===413){mark('description',T.e.tooLarge);return}
if(r.status===400){var any=false;(j.details||[]).forEach(function(d){var n=field(d.path);if(n){any=true;mark(n,T.e[n])}});el('alert').textContent=T.e.check;if(!any)el('alert').textContent=T.e.server;var first=f.querySelector('[aria-invalid=true]');if(first)first.focus();return}
el('alert').textContent=T.e.server})},function(){el('alert').textContent=T.e.network}).then(function(){b.disabled=false;b.textContent=T.submit})})})()</script>`;
}

/** The whole page: server-rendered, inline CSS and script, nothing from another host. */
export function renderReportPage(units: readonly PublicUnit[], lang: PageLang): string {
  const t = TEXT[lang];
  const other: PageLang = lang === 'vi' ? 'en' : 'vi';
  const categories = CATEGORY_ORDER.map(
    (c) => `<label class="cat"><input type="radio" name="category" value="${c}" data-testid="report-category-${c}">${t.categories[c]}</label>`,
  ).join('');
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${t.title}</title><meta name="description" content="${t.intro}"><link rel="icon" href="data:,"><style>${CSS}</style></head><body>
<header><a class="lang" data-testid="language-switch" data-lang="${lang}" href="${REPORT_PAGE_PATH}${other === 'en' ? '?lang=en' : ''}" hreflang="${other}">${t.other}</a><h1>${t.heading}</h1><p>${t.intro}</p></header>
<main><noscript><p class="alert">${t.noscript} <a href="/duty${lang === 'en' ? '?lang=en' : ''}">${t.duty}</a></p></noscript>
<form id="f" novalidate data-testid="report-form">
<div id="alert" class="alert" role="alert" data-testid="report-alert"></div>
<fieldset data-field="category" aria-describedby="e-category"><legend>${t.category}</legend>${categories}<p class="err" id="e-category" data-testid="report-error-category"></p></fieldset>
<div class="box"><label class="t" for="description">${t.description}</label><textarea id="description" name="description" maxlength="2000" data-field="description" data-testid="report-description" aria-describedby="h-description e-description"></textarea><p class="hint" id="h-description">${t.descriptionHint}</p><p class="err" id="e-description" data-testid="report-error-description"></p></div>
<div class="box"><label class="t" for="phone">${t.phone}</label><input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" maxlength="24" data-field="phone" data-testid="report-phone" aria-describedby="h-phone e-phone"><p class="hint" id="h-phone">${t.phoneHint}</p><p class="err" id="e-phone" data-testid="report-error-phone"></p></div>
<fieldset data-field="place" aria-describedby="e-place"><legend>${t.place}</legend><label class="t" for="unit">${t.unit}</label><select id="unit" name="unit" data-testid="report-unit"><option value="">${t.unitNone}</option>${unitOptions(units, lang)}</select>
<button type="button" id="g" class="sec" hidden data-testid="report-locate">${t.locate}</button><button type="button" id="m" class="sec" data-testid="report-map-open">${t.pickOnMap}</button><div id="map" hidden data-testid="report-map"><p class="hint">${t.mapHint}</p></div><p class="hint" id="where" aria-live="polite" data-testid="report-location"></p><button type="button" id="nl" class="sec" hidden>${t.clearLocation}</button><p class="err" id="e-place" data-testid="report-error-place"></p></fieldset>
<button type="submit" class="go" data-testid="report-submit">${t.submit}</button></form>
<section id="done" class="box" hidden tabindex="-1" data-testid="report-done"><h2>${t.done}</h2><p>${t.reference}:</p><p class="ref" id="ref" data-testid="report-reference"></p><p class="small" id="full"></p><p>${t.doneNote}</p><a class="button" href="${REPORT_PAGE_PATH}${lang === 'en' ? '?lang=en' : ''}">${t.again}</a></section>
</main>${script(lang)}</body></html>`;
}
