// Notebook parsing: a Markdown file becomes an ordered list of cells — prose, ```sql cells (optionally named with
// `name=...` on the fence) and ```vega-lite cells that chart named results — each with the line it starts on.
// Parsing never throws: a cell that cannot be used carries its problem (file, line, rule) and the rest still runs.

export type CellKind = 'markdown' | 'sql' | 'chart';

/** A problem a notebook author can fix: where it is and which rule it broke. */
export interface CellProblem {
  line: number;
  message: string;
}

interface CellBase {
  /** 1-based index among the notebook's cells. */
  index: number;
  /** Line of the cell's first line in the file (the opening fence for code cells), 1-based. */
  line: number;
  problem: CellProblem | null;
}

export interface MarkdownCell extends CellBase {
  kind: 'markdown';
  text: string;
}

export interface SqlCell extends CellBase {
  kind: 'sql';
  /** The name charts and later cells use for this result (`name=...` on the fence), or null. */
  name: string | null;
  /** `hidden` on the fence: the result is kept for later cells to query, its rows not shown. */
  hidden: boolean;
  sql: string;
  /** Line of the SQL's first line (the line after the fence). */
  bodyLine: number;
}

export interface ChartCell extends CellBase {
  kind: 'chart';
  /** The Vega-Lite spec as written (null when its JSON does not parse). */
  spec: Record<string, unknown> | null;
  /** Every `"data": {"name": ...}` the spec refers to, in order of first use. */
  dataNames: string[];
  source: string;
  bodyLine: number;
}

export type Cell = MarkdownCell | SqlCell | ChartCell;

export interface Notebook {
  /** The file name without .md (the name the CLI and the API use). */
  name: string;
  /** Path shown in messages, e.g. notebooks/model-backtest.md. */
  file: string;
  /** The first level-1 heading, else the name. */
  title: string;
  /** The first paragraph after the title (plain text), or ''. */
  summary: string;
  cells: Cell[];
}

/** A result name: a letter or underscore, then letters, digits or underscores (it is also a Vega dataset name). */
export const RESULT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const SQL_LANGS = new Set(['sql']);
const CHART_LANGS = new Set(['vega-lite', 'vegalite', 'vl']);

interface Fence {
  char: string;
  length: number;
}

function isFenceClose(line: string, fence: Fence): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  return m !== null && m[1][0] === fence.char && m[1].length >= fence.length;
}

/** Parses the fence's info string: the language, then `key=value` attributes. */
function parseInfo(info: string): { lang: string; attrs: Map<string, string>; bad: string[] } {
  const words = info.trim().split(/\s+/).filter(Boolean);
  const lang = (words.shift() ?? '').toLowerCase();
  const attrs = new Map<string, string>();
  const bad: string[] = [];
  for (const word of words) {
    const m = /^([A-Za-z][\w-]*)=(.*)$/.exec(word);
    if (m) attrs.set(m[1], m[2].replace(/^["']|["']$/g, ''));
    else bad.push(word);
  }
  return { lang, attrs, bad };
}

/** Every `data.name` a Vega-Lite spec refers to, at any depth (layers, concatenations, lookups). */
export function dataNamesOf(spec: unknown): string[] {
  const names: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'data' && value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string') {
        const name = (value as { name: string }).name;
        if (!names.includes(name)) names.push(name);
      }
      if (key !== 'datasets') visit(value);
    }
  };
  visit(spec);
  return names;
}

/**
 * The offset where `text` stops being valid JSON (Node's JSON.parse messages do not always carry a position).
 * Only called after JSON.parse failed; a small recursive-descent check of the grammar.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => (text.startsWith(word, i) ? void (i += word.length) : fail());
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail();
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (offset) {
    return typeof offset === 'number' ? offset : text.length;
  }
}

function plainText(markdown: string): string {
  return markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function titleAndSummary(cells: Cell[], fallback: string): { title: string; summary: string } {
  const text = cells
    .filter((c): c is MarkdownCell => c.kind === 'markdown')
    .map((c) => c.text)
    .join('\n\n');
  const lines = text.split('\n');
  const h1 = lines.findIndex((l) => /^#\s+\S/.test(l));
  const title = h1 >= 0 ? lines[h1].replace(/^#\s+/, '').replace(/\s+#*\s*$/, '').trim() : fallback;
  const paragraph: string[] = [];
  for (const line of lines.slice(h1 + 1)) {
    if (/^\s*$/.test(line)) {
      if (paragraph.length) break;
      continue;
    }
    if (/^(#|>|\||[-*+] |\d+\. |```|~~~)/.test(line)) {
      if (paragraph.length) break;
      continue;
    }
    paragraph.push(line.trim());
  }
  return { title: plainText(title), summary: plainText(paragraph.join(' ')) };
}

/** A chart may only name results of sql cells above it: the notebook reads top to bottom. */
function checkChartNames(cells: Cell[], names: Map<string, number>): void {
  const defined = new Set<string>();
  const hiddenAt = new Map<string, number>();
  for (const cell of cells) {
    if (cell.kind === 'sql' && cell.name !== null && !cell.problem) (cell.hidden ? hiddenAt.set(cell.name, cell.line) : defined.add(cell.name));
    if (cell.kind !== 'chart' || cell.problem) continue;
    for (const dataName of cell.dataNames) {
      if (defined.has(dataName)) continue;
      if (hiddenAt.has(dataName)) {
        cell.problem = {
          line: cell.line,
          message: `图表不能使用 hidden 代码块 the chart uses result '${dataName}', a hidden cell (line ${hiddenAt.get(dataName)}) whose rows are not sent: chart a sql cell without the hidden flag`,
        };
        break;
      }
      const where = names.get(dataName);
      const known = [...defined].map((n) => `'${n}'`).join(', ') || 'none';
      cell.problem = {
        line: cell.line,
        message:
          where !== undefined && where > cell.line
            ? `图表引用了后面的结果 the chart uses result '${dataName}', which is defined below it (line ${where}): charts may only use results above them`
            : where !== undefined
              ? `图表引用的结果无效 the chart uses result '${dataName}', whose sql cell (line ${where}) cannot run`
              : `图表引用了不存在的结果 the chart uses result '${dataName}', but no sql cell above it is named so (name=${dataName} on its fence; results above: ${known})`,
      };
      break;
    }
  }
}

/** Splits `source` (the file's text) into cells. `file` is the path used in messages. */
export function parseNotebook(source: string, name: string, file = `notebooks/${name}.md`): Notebook {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const cells: Cell[] = [];
  const names = new Map<string, number>();
  let prose: string[] = [];
  let proseLine = 1;

  const flushProse = (nextLine: number) => {
    if (prose.some((l) => l.trim() !== '')) {
      // Leading and trailing blank lines carry nothing; keep the first non-blank line's number.
      const first = prose.findIndex((l) => l.trim() !== '');
      let last = prose.length - 1;
      while (prose[last].trim() === '') last--;
      cells.push({ kind: 'markdown', index: cells.length + 1, line: proseLine + first, problem: null, text: prose.slice(first, last + 1).join('\n') });
    }
    prose = [];
    proseLine = nextLine;
  };

  let i = 0;
  while (i < lines.length) {
    const open = FENCE_OPEN.exec(lines[i]);
    if (!open || (open[1][0] === '`' && open[2].includes('`'))) {
      prose.push(lines[i]);
      i++;
      continue;
    }
    const fence: Fence = { char: open[1][0], length: open[1].length };
    const fenceLine = i + 1;
    let close = i + 1;
    while (close < lines.length && !isFenceClose(lines[close], fence)) close++;
    const body = lines.slice(i + 1, close);
    const info = parseInfo(open[2]);
    const isSql = SQL_LANGS.has(info.lang);
    const isChart = CHART_LANGS.has(info.lang);
    if (!isSql && !isChart) {
      // Any other fenced block (bash, json, text) is prose: it renders as a code block.
      prose.push(...lines.slice(i, Math.min(close + 1, lines.length)));
      i = close + 1;
      continue;
    }
    flushProse(close + 2);
    const index = cells.length + 1;
    const unterminated: CellProblem | null =
      close >= lines.length ? { line: fenceLine, message: `代码块未闭合 the ${info.lang} block opened here has no closing ${fence.char.repeat(fence.length)}` } : null;
    if (isSql) {
      let problem: CellProblem | null = unterminated;
      const rawName = info.attrs.get('name') ?? null;
      const hidden = info.bad.includes('hidden');
      const unknown = [...info.bad.filter((w) => w !== 'hidden'), ...[...info.attrs.keys()].filter((k) => k !== 'name')];
      if (!problem && unknown.length)
        problem = { line: fenceLine, message: `无法识别的代码块属性 unknown fence attribute ${unknown.map((w) => `'${w}'`).join(', ')}: a sql cell takes name=NAME and the flag hidden` };
      if (!problem && hidden && rawName === null) problem = { line: fenceLine, message: 'hidden 代码块须有名字 a hidden cell needs name=NAME: later cells query it by that name' };
      if (!problem && rawName !== null && !RESULT_NAME.test(rawName))
        problem = { line: fenceLine, message: `结果名无效 result name '${rawName}': use letters, digits and _ (starting with a letter or _)` };
      if (!problem && rawName !== null && names.has(rawName))
        problem = { line: fenceLine, message: `结果名重复 result name '${rawName}' is already used by the sql cell on line ${names.get(rawName)}` };
      if (!problem && body.join('').trim() === '') problem = { line: fenceLine, message: 'sql 代码块为空 the sql cell is empty' };
      if (rawName !== null && !names.has(rawName)) names.set(rawName, fenceLine);
      cells.push({ kind: 'sql', index, line: fenceLine, bodyLine: fenceLine + 1, problem, name: rawName, hidden, sql: body.join('\n') });
    } else {
      let problem: CellProblem | null = unterminated;
      let spec: Record<string, unknown> | null = null;
      const text = body.join('\n');
      if (!problem && (info.bad.length || info.attrs.size))
        problem = { line: fenceLine, message: `无法识别的代码块属性 unknown fence attribute: a vega-lite cell takes none (name its data inside the spec)` };
      if (!problem) {
        try {
          const parsed: unknown = JSON.parse(text);
          if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the spec must be a JSON object');
          spec = parsed as Record<string, unknown>;
        } catch (err) {
          const offset = err instanceof SyntaxError ? jsonErrorOffset(text) : 0;
          const line = fenceLine + text.slice(0, offset).split('\n').length;
          const near = text.slice(offset, offset + 20).split('\n')[0];
          const detail = err instanceof SyntaxError ? `unexpected ${near ? `'${near}'` : 'end of the spec'}` : (err as Error).message;
          problem = { line, message: `Vega-Lite 规格不是有效的 JSON invalid JSON: ${detail}` };
        }
      }
      const dataNames = spec ? dataNamesOf(spec) : [];
      if (!problem && spec && dataNames.length === 0)
        problem = { line: fenceLine, message: `图表未指定数据 the chart names no result: add "data": {"name": "RESULT"} naming an earlier sql cell's name=RESULT` };
      cells.push({ kind: 'chart', index, line: fenceLine, bodyLine: fenceLine + 1, problem, spec, dataNames, source: text });
    }
    i = close + 1;
  }
  flushProse(lines.length + 1);
  checkChartNames(cells, names);
  return { name, file, ...titleAndSummary(cells, name), cells };
}
