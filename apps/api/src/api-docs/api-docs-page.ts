import type { OpenApiDocument } from './openapi-document';

type Json = Record<string, unknown>;

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** `code` spans of the generated descriptions, the rest escaped. */
const prose = (text: string): string =>
  escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>').replace(/\n\n/g, '<br>');

/** A parameter's schema in a few words: `integer, 1..60, default 14`. */
function shortSchema(schema: Json): string {
  const parts: string[] = [];
  if (Array.isArray(schema.enum)) parts.push(schema.enum.map(String).join(' | '));
  else parts.push(String(schema.format ?? schema.type ?? 'any'));
  const min = schema.minimum ?? schema.minLength;
  const max = schema.maximum ?? schema.maxLength;
  if (min !== undefined || max !== undefined) parts.push(`${String(min ?? '')}..${String(max ?? '')}`);
  if (schema.default !== undefined) parts.push(`mặc định ${JSON.stringify(schema.default)}`);
  return parts.join(', ');
}

function parametersTable(parameters: Json[]): string {
  const rows = parameters.map(
    (p) =>
      `<tr><td><code>${escapeHtml(String(p.name))}</code>${p.required ? ' *' : ''}</td><td>${escapeHtml(String(p.in))}</td>` +
      `<td>${escapeHtml(shortSchema(p.schema as Json))}</td></tr>`,
  );
  return `<table><tr><th>tham số</th><th>ở</th><th>kiểu</th></tr>${rows.join('')}</table>`;
}

function operationHtml(method: string, path: string, op: Json): string {
  const parameters = (op.parameters ?? []) as Json[];
  const body = op.requestBody as { required: boolean; content: Record<string, { schema: Json }> } | undefined;
  const statuses = Object.keys(op.responses as Json).join(', ');
  return [
    `<details id="${escapeHtml(String(op.operationId))}"><summary><b class="m ${method}">${method.toUpperCase()}</b> <code>${escapeHtml(path)}</code>`,
    ` <span>${escapeHtml(String(op.summary))}</span></summary>`,
    `<p>${prose(String(op.description))}</p>`,
    parameters.length ? parametersTable(parameters) : '',
    body
      ? `<p>Thân yêu cầu (JSON${body.required ? '' : ', có thể bỏ trống'}):</p><pre>${escapeHtml(JSON.stringify(body.content['application/json'].schema, null, 2))}</pre>`
      : '',
    `<p>Mã trả về: ${escapeHtml(statuses)}</p></details>`,
  ].join('');
}

/**
 * `/api/docs`: the same document as `/api/docs.json`, readable in a browser with nothing fetched
 * from elsewhere (command centers may be offline): one section per controller, one collapsible
 * entry per operation, no script.
 */
export function renderApiDocsPage(doc: OpenApiDocument): string {
  const sections = doc.tags.map(({ name }) => {
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => (op.tags as string[]).includes(name))
        .map(([method, op]) => operationHtml(method, path, op)),
    );
    return `<section id="tag-${escapeHtml(name)}"><h2>${escapeHtml(name)}</h2>${operations.join('')}</section>`;
  });
  const index = doc.tags.map(({ name }) => `<a href="#tag-${escapeHtml(name)}">${escapeHtml(name)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} ${escapeHtml(doc.info.version)}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:64rem;padding:1rem;color:#1b1f24}
code,pre{font:13px ui-monospace,monospace}pre{background:#f4f5f7;padding:.5rem;overflow:auto;max-height:24rem}
details{border-bottom:1px solid #e2e4e8;padding:.35rem 0}summary{cursor:pointer}
.m{display:inline-block;min-width:4.2rem;font-size:12px}.get{color:#0b6e4f}.post{color:#8a4b00}.patch{color:#5b3fa3}.delete{color:#b3261e}
table{border-collapse:collapse}td,th{border:1px solid #e2e4e8;padding:.15rem .5rem;text-align:left}
</style></head><body>
<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p>${prose(doc.info.description)}</p>
<p>Tài liệu OpenAPI ${escapeHtml(doc.openapi)} dạng máy đọc: <a href="/api/docs.json">/api/docs.json</a>. * là tham số bắt buộc.</p>
<nav>${index}</nav>
${sections.join('\n')}
</body></html>`;
}
