/**
 * Server-rendered HTML for the CA service's pages. Everything interpolated into `html` is escaped
 * unless it is itself an `Html` value (built by `html`), so user input (enterprise names, reasons)
 * can never become markup.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new Html(out);
}

/** A heading or label in zh-CN with its English subtitle. */
export const bilingual = (zh: string, en: string) => html`${zh}<small class="en">${en}</small>`;

export const CSS = `
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;background:#f5f6f8;color:#222}
header{background:#8b1a1a;color:#fff;padding:12px 24px;display:flex;justify-content:space-between;align-items:center}
header a{color:#fff}header button{background:transparent;border:1px solid #fff;color:#fff;border-radius:4px}
main{max-width:1100px;margin:24px auto;padding:0 16px}
.card{background:#fff;border-radius:6px;padding:16px 20px;margin-bottom:16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
small.en{display:block;color:#777;font-size:.75em;font-weight:normal}
header small.en{color:#f3d6d6}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:8px;border-bottom:1px solid #eee;vertical-align:top}
.status{display:inline-block;padding:2px 8px;border-radius:10px;background:#eee}
.status-pending_payment{background:#fff3cd}.status-paid{background:#d1ecf1}.status-auditing{background:#e2d9f3}
.status-issued{background:#d4edda}.status-rejected{background:#f8d7da}.status-cancelled{background:#e2e3e5}
.flash{padding:10px 14px;border-radius:4px;margin-bottom:16px;background:#d4edda}.flash.error{background:#f8d7da}
form.inline{display:inline-block;margin-right:8px}button{padding:6px 14px;cursor:pointer}
input[type=text],input[type=password],select{padding:6px}dl{display:grid;grid-template-columns:160px 1fr;gap:6px 12px}dt{color:#555}
pre{white-space:pre-wrap;word-break:break-all;font-size:12px;background:#fafafa;padding:8px}
`;

export function page(title: { zh: string; en: string }, body: Html, header: Html = html``): Html {
  return html`<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title.zh} · ${title.en} — CA 证书服务</title><link rel="stylesheet" href="/assets/ca.css"></head>
<body><header><div><strong>CA 证书服务</strong><small class="en">Certificate Authority order service</small></div>${header}</header>
<main><h1>${bilingual(title.zh, title.en)}</h1>${body}</main></body></html>`;
}
