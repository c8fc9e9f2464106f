// A notebook's listing and its run, declared once: the engine's types (Static<>) and the API's schemas. On the wire a
// cell is one object whose `kind` says which fields it has (markdown, sql or chart).
import { Nullable, OpenObject, StringEnum, Type, type Static, type TSchema } from '../kernel/schema.ts';

export const NotebookEntry = Type.Object({
  name: Type.String(),
  file: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  queries: Type.Integer({ description: 'sql 代码块数 sql cells' }),
  charts: Type.Integer({ description: '图表数 vega-lite cells' }),
});
export type NotebookEntry = Static<typeof NotebookEntry>;

export const CellError = Type.Object({
  /** The line in the notebook file the problem is on. */
  line: Type.Integer(),
  /** `notebooks/x.md:LINE: what is wrong` */
  message: Type.String({ description: '“notebooks/NAME.md:LINE: 问题” the file, line and what is wrong' }),
});
export type CellError = Static<typeof CellError>;

export const ResultColumn = Type.Object({
  name: Type.String(),
  /** DuckDB's type, e.g. BIGINT, VARCHAR, DATE. */
  type: Type.String(),
  numeric: Type.Boolean(),
});
export type ResultColumn = Static<typeof ResultColumn>;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type ResultRow = Record<string, JsonValue>;

const cellBase = { index: Type.Integer(), line: Type.Integer({ description: '单元在文件中的起始行 the line the cell starts on' }) };
const cellError = Nullable(CellError);

export const MarkdownCellRun = Type.Object({
  kind: Type.Literal('markdown'),
  ...cellBase,
  html: Type.String({ description: 'markdown: 渲染后的 HTML（原始 HTML 已转义） rendered prose, raw HTML escaped' }),
});
export type MarkdownCellRun = Static<typeof MarkdownCellRun>;

export const SqlCellRun = Type.Object({
  kind: Type.Literal('sql'),
  ...cellBase,
  name: Nullable(Type.String()),
  /** A hidden cell: run and kept for later cells, its rows not shown or sent (rows empty, rowCount counts them). */
  hidden: Type.Boolean({ description: 'sql: hidden 单元只留给后面的查询，不返回行 kept for later cells, rows not sent' }),
  sql: Type.String(),
  columns: Type.Array(ResultColumn),
  rows: Type.Array(OpenObject<ResultRow>()),
  /** Rows returned (at most rowLimit); for a hidden cell, the rows it kept. */
  rowCount: Type.Integer(),
  /** True when the query had more rows than rowLimit: only the first rowLimit are here. */
  capped: Type.Boolean({ description: '结果超过行数上限，只返回前 rowLimit 行 more rows than rowLimit: only the first are here' }),
  rowLimit: Type.Integer(),
  elapsedMs: Type.Number(),
  error: cellError,
});
export type SqlCellRun = Static<typeof SqlCellRun>;

export const ChartCellRun = Type.Object({
  kind: Type.Literal('chart'),
  ...cellBase,
  dataNames: Type.Array(Type.String()),
  /** The Vega-Lite spec with every named result it uses inlined under `datasets` (null on error). */
  spec: Type.Unsafe<Record<string, unknown> | null>({
    type: ['object', 'null'],
    additionalProperties: true,
    description: 'chart: Vega-Lite 规格，所用结果内嵌于 datasets the spec with its results inlined as datasets',
  }),
  source: Type.String(),
  /** Vega-Lite's warnings while compiling the spec (the chart still draws). */
  warnings: Type.Array(Type.String()),
  elapsedMs: Type.Number(),
  error: cellError,
});
export type ChartCellRun = Static<typeof ChartCellRun>;

export type CellRun = MarkdownCellRun | SqlCellRun | ChartCellRun;
const merged = (...variants: Array<{ properties: Record<string, TSchema> }>) => Object.assign({}, ...variants.map((v) => v.properties)) as Record<string, TSchema>;
/** One cell of a run: the three kinds' fields in one object, `kind` saying which it has. */
export const CellRun = Type.Unsafe<CellRun>({
  description: '一个单元：markdown（html）、sql（列、行、计时、错误）或 chart（数据已内嵌的 Vega-Lite 规格） One cell: prose, a query result or a chart',
  type: 'object',
  required: ['kind', 'index', 'line'],
  properties: { ...merged(MarkdownCellRun, SqlCellRun, ChartCellRun), kind: StringEnum(['markdown', 'sql', 'chart']) },
});

export const NotebookRun = Type.Object({
  name: Type.String(),
  file: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  /** When the run started (ISO). */
  ranAt: Type.String({ format: 'date-time' }),
  elapsedMs: Type.Number(),
  rowLimit: Type.Integer(),
  cells: Type.Array(CellRun),
  /** rows: rows sent (hidden results not counted). */
  counts: Type.Object({ queries: Type.Integer(), charts: Type.Integer(), rows: Type.Integer(), errors: Type.Integer() }),
});
export type NotebookRun = Static<typeof NotebookRun>;
