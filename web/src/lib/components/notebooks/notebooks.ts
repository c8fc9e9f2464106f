// What GET /api/notebooks and GET /api/notebooks/:name answer (the engine's types: the API sends them as they are), and
// small helpers.
import type { ChartCellRun } from '../../../../../engine/src/notebooks/run.ts';

export type { NotebookEntry } from '../../../../../engine/src/notebooks/library.ts';
export type { CellError, CellRun, ChartCellRun, MarkdownCellRun, NotebookRun, ResultColumn, ResultRow, SqlCellRun } from '../../../../../engine/src/notebooks/run.ts';

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
