// A notebook run as one self-contained HTML file: prose, result tables, and charts drawn by vega, vega-lite and
// vega-embed, whose own built bundles are inlined from node_modules with the data, so the file works offline. In one
// language (the reader's: prose blocks, chart titles and the file's own words) or, without one, in both.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { shanghaiTime, shanghaiTimeZh } from '../kernel/time.ts';
import { escapeHtml } from './markdown.ts';
import { halfIn, proseIn, type NotebookLang } from './languages.ts';
import type { CellRun, ChartCellRun, JsonValue, NotebookRun, SqlCellRun } from './run.ts';

/** Rows of a result shown in the HTML table (charts always get every row the query returned). */
export const HTML_TABLE_ROWS = 200;

const require = createRequire(import.meta.url);

/** The three browser bundles, in load order; read once. */
const VENDOR_BUNDLES = [
  { pkg: 'vega', file: 'vega.min.js' },
  { pkg: 'vega-lite', file: 'vega-lite.min.js' },
  { pkg: 'vega-embed', file: 'vega-embed.min.js' },
] as const;

let vendorScripts: string[] | undefined;

/** A script's text made safe inside an inline <script> element. */
const inlineScript = (code: string) => code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

function vendor(): string[] {
  vendorScripts ??= VENDOR_BUNDLES.map(({ pkg, file }) => inlineScript(readFileSync(join(dirname(require.resolve(pkg)), file), 'utf8')));
  return vendorScripts;
}

/** JSON inside <script type="application/json">: '<' escaped so no text can close the element. */
const jsonForScript = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** The file's own words in the language asked for, or both ("中文 English") when none was. */
const say = (lang: NotebookLang | undefined, zh: string, en: string) => (lang === 'zh' ? zh : lang === 'en' ? en : `${zh} ${en}`);
const count = (n: number) => n.toLocaleString('en-US');

const ms = (elapsedMs: number) => `${Math.round(elapsedMs).toLocaleString('en-US')} ms`;

function formatValue(value: JsonValue, numeric: boolean): string {
  if (value === null) return '<span class="null">NULL</span>';
  if (typeof value === 'number' && numeric) {
    const text = Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 4 });
    return escapeHtml(text);
  }
  if (typeof value === 'object') return escapeHtml(JSON.stringify(value));
  return escapeHtml(String(value));
}

function errorBox(error: { message: string }): string {
  return `<div class="error" role="alert">${escapeHtml(error.message)}</div>`;
}

function sqlHtml(cell: SqlCellRun, lang: NotebookLang | undefined): string {
  const label = cell.name ? `<code class="name">${escapeHtml(cell.name)}</code> · ` : '';
  const capped = cell.capped ? `（${say(lang, '上限', 'capped at')} ${count(cell.rowLimit)}）` : '';
  const meta = cell.error || cell.hidden ? `${label}${ms(cell.elapsedMs)}` : `${label}${count(cell.rowCount)} ${say(lang, '行', 'rows')}${capped} · ${ms(cell.elapsedMs)}`;
  const parts = [
    `<section class="cell sql" id="cell-${cell.index}" data-line="${cell.line}">`,
    `<details><summary>SQL · ${meta}</summary><pre><code>${escapeHtml(cell.sql)}</code></pre></details>`,
  ];
  if (cell.error) parts.push(errorBox(cell.error));
  else if (cell.hidden)
    parts.push(
      `<p class="note">${say(lang, `隐藏结果，${count(cell.rowCount)} 行，供后面的查询按名字使用`, `a hidden result of ${count(cell.rowCount)} rows kept for later cells to query by name`)} · ${cell.columns.map((c) => `<code>${escapeHtml(c.name)}</code> ${escapeHtml(c.type)}`).join(', ')}</p>`,
    );
  else {
    const shown = cell.rows.slice(0, HTML_TABLE_ROWS);
    const head = cell.columns.map((c) => `<th class="${c.numeric ? 'num' : ''}" title="${escapeHtml(c.type)}">${escapeHtml(c.name)}</th>`).join('');
    const body = shown.map((row) => `<tr>${cell.columns.map((c) => `<td class="${c.numeric ? 'num' : ''}">${formatValue(row[c.name] ?? null, c.numeric)}</td>`).join('')}</tr>`).join('\n');
    parts.push(`<div class="table-wrap"><table data-rows="${cell.rowCount}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`);
    if (cell.rowCount > shown.length)
      parts.push(`<p class="note">${say(lang, `显示前 ${shown.length} 行，共 ${count(cell.rowCount)} 行`, `showing the first ${shown.length} of ${count(cell.rowCount)} rows`)}</p>`);
    if (cell.capped)
      parts.push(
        `<p class="note">${say(lang, `结果超过 ${count(cell.rowLimit)} 行，只取前 ${count(cell.rowLimit)} 行`, `the query returned more than ${count(cell.rowLimit)} rows; only the first ${count(cell.rowLimit)} are kept`)}</p>`,
      );
  }
  parts.push('</section>');
  return parts.join('\n');
}

function chartHtml(cell: ChartCellRun, lang: NotebookLang | undefined): string {
  if (cell.error) return `<section class="cell chart" id="cell-${cell.index}" data-line="${cell.line}">${errorBox(cell.error)}</section>`;
  const title = typeof cell.spec?.title === 'string' ? (lang ? halfIn(cell.spec.title, lang) : cell.spec.title) : cell.dataNames.join(', ');
  return [
    `<section class="cell chart" id="cell-${cell.index}" data-line="${cell.line}">`,
    `<figure><div class="vega" data-testid="chart" data-chart="${cell.index}" aria-label="${escapeHtml(title)}"></div>`,
    `<figcaption>${escapeHtml(cell.dataNames.join(', '))} · ${ms(cell.elapsedMs)}</figcaption></figure>`,
    '</section>',
  ].join('\n');
}

function cellHtml(cell: CellRun, lang: NotebookLang | undefined): string {
  if (cell.kind === 'markdown') return `<section class="cell prose" id="cell-${cell.index}" data-line="${cell.line}">${lang ? proseIn(cell.html, lang) : cell.html}</section>`;
  return cell.kind === 'sql' ? sqlHtml(cell, lang) : chartHtml(cell, lang);
}

const STYLE = `
:root { color-scheme: light; }
body { margin: 0; font-family: system-ui, 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif; color: #1f2937; background: #f8fafc; line-height: 1.55; }
header.page { background: #7f1d1d; color: #fff; padding: 0.9rem 1.5rem; }
header.page h1 { margin: 0; font-size: 1.35rem; }
header.page p { margin: 0.25rem 0 0; opacity: 0.85; font-size: 0.85rem; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
.cell { margin: 1rem 0; }
main > section.prose:first-child > h1:first-child { display: none; }
.prose table, .table-wrap table { border-collapse: collapse; background: #fff; font-size: 0.85rem; }
.prose th, .prose td, .table-wrap th, .table-wrap td { border-bottom: 1px solid #e5e7eb; padding: 0.25rem 0.6rem; text-align: left; }
.table-wrap { overflow-x: auto; max-height: 28rem; overflow-y: auto; border: 1px solid #e5e7eb; }
.table-wrap thead th { position: sticky; top: 0; background: #f1f5f9; }
.num { text-align: right !important; font-variant-numeric: tabular-nums; }
.null { color: #9ca3af; }
details summary { cursor: pointer; color: #475569; font-size: 0.85rem; }
pre { background: #0f172a; color: #e2e8f0; padding: 0.75rem; overflow-x: auto; border-radius: 4px; font-size: 0.8rem; }
code.name { background: #fee2e2; color: #7f1d1d; padding: 0 0.3rem; border-radius: 3px; }
.note { color: #64748b; font-size: 0.8rem; margin: 0.25rem 0; }
.error { background: #fef2f2; border: 1px solid #fecaca; color: #991b1b; padding: 0.5rem 0.75rem; border-radius: 4px; white-space: pre-wrap; font-size: 0.85rem; }
figure { margin: 0; background: #fff; border: 1px solid #e5e7eb; padding: 0.75rem; overflow-x: auto; }
figcaption { color: #64748b; font-size: 0.75rem; }
footer { color: #64748b; font-size: 0.75rem; border-top: 1px solid #e5e7eb; padding-top: 0.5rem; }
@media print { header.page { background: none; color: #000; } .table-wrap { max-height: none; overflow: visible; } details { display: none; } }
`;

// Draws every chart from the inlined specs; marks each drawn element data-rendered="true" (tests and printing wait on it).
const EMBED_SCRIPT = `
(function () {
  var specs = JSON.parse(document.getElementById('notebook-specs').textContent);
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var spec = specs[el.getAttribute('data-chart')];
    vegaEmbed(el, spec, { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } })
      .then(function () { el.setAttribute('data-rendered', 'true'); })
      .catch(function (err) { el.innerHTML = '<div class="error">' + String(err && err.message || err).replace(/[<&]/g, function (c) { return c === '<' ? '&lt;' : '&amp;'; }) + '</div>'; });
  });
})();
`;

/** The whole notebook as one HTML document with no external reference; in `lang` only when given. */
export function renderNotebookHtml(run: NotebookRun, options: { database?: string; lang?: NotebookLang } = {}): string {
  const { lang } = options;
  const specs: Record<string, unknown> = {};
  for (const cell of run.cells) {
    if (cell.kind === 'chart' && cell.spec) specs[cell.index] = lang && typeof cell.spec.title === 'string' ? { ...cell.spec, title: halfIn(cell.spec.title, lang) } : cell.spec;
  }
  const title = lang ? halfIn(run.title, lang) : run.title;
  const { queries, charts, rows, errors } = run.counts;
  const ranAt = escapeHtml((lang === 'en' ? shanghaiTime : shanghaiTimeZh)(new Date(run.ranAt)));
  const meta = [
    escapeHtml(run.file),
    say(lang, `运行于 ${ranAt}（北京时间）`, `ran ${ranAt} (Beijing time)`),
    `${queries} ${say(lang, '个查询', 'queries')} · ${charts} ${say(lang, '个图表', 'charts')} · ${count(rows)} ${say(lang, '行', 'rows')} · ${ms(run.elapsedMs)}`,
  ];
  if (errors) meta.push(`<strong>${errors} ${say(lang, '个错误', 'errors')}</strong>`);
  return `<!doctype html>
<html lang="${lang === 'en' ? 'en' : 'zh-CN'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="fairdraw notebook render">
<title>${escapeHtml(title)} · Fairdraw</title>
<style>${STYLE}</style>
${vendor()
  .map((code) => `<script>${code}</script>`)
  .join('\n')}
</head>
<body>
<header class="page"><h1>${escapeHtml(title)}</h1><p>${meta.join(' · ')}</p></header>
<main data-notebook="${escapeHtml(run.name)}">
${run.cells.map((cell) => cellHtml(cell, lang)).join('\n')}
<footer>Fairdraw ${say(lang, '笔记本', 'notebook')} · ${escapeHtml(run.file)}${options.database ? ` · ${escapeHtml(options.database)}` : ''} · ${say(lang, '只读运行', 'run read-only')}</footer>
</main>
<script type="application/json" id="notebook-specs">${jsonForScript(specs)}</script>
<script>${EMBED_SCRIPT}</script>
</body>
</html>
`;
}
