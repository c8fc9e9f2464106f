// The notebook pages' rules: who may open them, how many result rows a page shows, and a chart's label.
import type { ChartCellRun, SqlCellRun, ResultRow } from '$engine/api/types';
import type { Column } from '$lib/export';
import type { Role } from '$lib/session.svelte';

/** Who may open and run notebooks (the server refuses the others). */
export const NOTEBOOK_READERS: Role[] = ['admin', 'analyst', 'leader'];

/** Rows a result table shows in the page (the export holds the same rows; charts get every row the query kept). */
export const TABLE_ROWS_SHOWN = 1000;

/** A chart's label: its title when it has a plain one, else the results it draws. */
export function chartLabel(cell: ChartCellRun): string {
  const title = cell.spec?.title;
  if (typeof title === 'string') return title;
  if (title && typeof title === 'object' && typeof (title as { text?: unknown }).text === 'string') return (title as { text: string }).text;
  return cell.dataNames.join(', ');
}

/** A result cell as the table shows it: numbers in the browser's grouping, objects as JSON, nothing as a dash. */
export function formatValue(value: unknown, numeric: boolean): string {
  if (value === null || value === undefined) return '—';
  if (numeric && typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString() : value.toLocaleString(undefined, { maximumFractionDigits: 4 });
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A query cell's result columns as a DataTable shows them. */
export const columnsOf = (cell: SqlCellRun): Column<ResultRow>[] =>
  cell.columns.map((c) => ({ key: c.name, label: c.name, numeric: c.numeric, format: (v: unknown) => formatValue(v, c.numeric) }));

/** A cell's name, or its place in the notebook when unnamed (export file names and test ids). */
export const cellId = (cell: { name?: string | null; index: number }) => cell.name ?? `cell-${cell.index}`;
