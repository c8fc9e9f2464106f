// What GET /api/notebooks and GET /api/notebooks/:name answer (engine/src/notebooks/run.ts), and small helpers.
export interface NotebookEntry {
  name: string;
  file: string;
  title: string;
  summary: string;
  queries: number;
  charts: number;
}

export interface CellError {
  line: number;
  message: string;
}

export interface ResultColumn {
  name: string;
  type: string;
  numeric: boolean;
}

export type ResultRow = Record<string, unknown>;

export interface MarkdownCellRun {
  kind: 'markdown';
  index: number;
  line: number;
  html: string;
}

export interface SqlCellRun {
  kind: 'sql';
  index: number;
  line: number;
  name: string | null;
  hidden: boolean;
  sql: string;
  columns: ResultColumn[];
  rows: ResultRow[];
  rowCount: number;
  capped: boolean;
  rowLimit: number;
  elapsedMs: number;
  error: CellError | null;
}

export interface ChartCellRun {
  kind: 'chart';
  index: number;
  line: number;
  dataNames: string[];
  spec: Record<string, unknown> | null;
  source: string;
  warnings: string[];
  elapsedMs: number;
  error: CellError | null;
}

export type CellRun = MarkdownCellRun | SqlCellRun | ChartCellRun;

export interface NotebookRun {
  name: string;
  file: string;
  title: string;
  summary: string;
  ranAt: string;
  elapsedMs: number;
  rowLimit: number;
  cells: CellRun[];
  counts: { queries: number; charts: number; rows: number; errors: number };
}

/** Rows a result table shows in the page (the export holds the same rows; charts get every row the query kept). */
export const TABLE_ROWS_SHOWN = 1000;

export const htmlHref = (name: string) => `/api/notebooks/${encodeURIComponent(name)}/html`;

/** A chart's label: its title when it has a plain one, else the results it draws. */
export function chartLabel(cell: ChartCellRun): string {
  const title = cell.spec?.title;
  if (typeof title === 'string') return title;
  if (title && typeof title === 'object' && typeof (title as { text?: unknown }).text === 'string') return (title as { text: string }).text;
  return cell.dataNames.join(', ');
}
