import { html, raw, type SafeHtml } from "./escape";

/**
 * No scripts, no fetches: the policy forbids both, so even a finding that slipped past escaping
 * could not run or phone home, and the file opens the same offline and with JavaScript off.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const CSS = `
:root { color-scheme: light; --fg: #111827; --muted: #4b5563; --line: #d1d5db; --bg-soft: #f3f4f6; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
header.page { background: #0f172a; color: #f8fafc; padding: 20px 28px; }
header.page h1 { margin: 0 0 8px; font-size: 22px; }
header.page dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }
header.page dt { color: #cbd5e1; }
header.page dd { margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
main { padding: 8px 28px 40px; max-width: 1400px; }
h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.tiles { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 150px; }
.tile .n { font-size: 26px; font-weight: 700; display: block; }
.tile .l { color: var(--muted); }
.warning { border-left: 5px solid #b91c1c; background: #fef2f2; padding: 8px 12px; margin: 12px 0; }
.muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg-soft); font-weight: 600; }
td.time { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
code.evidence { display: block; white-space: pre-wrap; word-break: break-all; background: var(--bg-soft); padding: 4px 6px; border-radius: 4px; margin-top: 4px; }
.arn { color: var(--muted); word-break: break-all; font-size: 12px; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; font-weight: 700; color: #fff; white-space: nowrap; }
.outcome-PASS { background: #15803d; } .outcome-FAIL { background: #b91c1c; } .outcome-NA { background: #6b7280; }
.sev-CRITICAL { background: #7f1d1d; } .sev-HIGH { background: #c62828; } .sev-MEDIUM { background: #b45309; }
.sev-LOW { background: #1d4ed8; } .sev-INFORMATIONAL { background: #4b5563; }
.chart text { font-size: 13px; fill: #111827; } .chart .bar-label { font-weight: 600; }
.stacked { display: inline-flex; flex-direction: column; gap: 3px; }
.legend { display: flex; flex-wrap: wrap; gap: 10px; font-size: 12px; }
.legend-item { display: inline-flex; align-items: center; gap: 4px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; }
.framework-head { display: flex; align-items: center; gap: 18px; flex-wrap: wrap; }
article.check { border: 1px solid var(--line); border-radius: 8px; padding: 4px 14px 8px; margin: 14px 0; }
article.check h3 { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 0 8px; margin: 0; }
dl.kv dt { color: var(--muted); } dl.kv dd { margin: 0; word-break: break-word; }
details > summary { cursor: pointer; font-weight: 600; margin: 6px 0; }
@media print { header.page { background: none; color: #000; } }
`;

export function page(title: string, body: SafeHtml): string {
  return html`<!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${title}</title>
        <style>
          ${raw(CSS)}
        </style>
      </head>
      <body>
        ${body}
      </body>
    </html> `.value;
}
