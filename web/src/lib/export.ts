// Table downloads: CSV (UTF-8 with BOM so Excel opens Chinese text correctly) and .xlsx (exceljs, loaded on demand).
export interface ExportColumn {
  key: string;
  label: string;
  numeric?: boolean;
}

/**
 * A DataTable column: the row field, its heading, and how to show it (`wrap`: long text breaks over lines). A column
 * sorts by its raw value (numbers and ISO dates as they are, other values by their shown text) unless `sortValue`
 * says otherwise; `sortable: false` for columns of buttons.
 */
export interface Column<Row> extends ExportColumn {
  format?: (value: any, row: Row) => string;
  wrap?: boolean;
  sortable?: boolean;
  sortValue?: (row: Row) => string | number | null;
}

type Row = Record<string, unknown>;

/** The text a table shows for a cell: the column's format, else the value, else a dash. */
export function formatCell<R extends object>(row: R, column: Column<R>): string {
  const value = (row as Row)[column.key];
  if (column.format) return column.format(value, row);
  return value === null || value === undefined || value === '' ? '—' : cellText(value);
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** RFC 4180 quoting; a leading = + - @ tab or CR is prefixed with ' so a spreadsheet never runs a cell as a formula. */
function csvCell(value: unknown): string {
  let text = cellText(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value !== 'number') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: ExportColumn[], rows: Row[]): string {
  const lines = [columns.map((c) => csvCell(c.label)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c.key])).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadCsv(filename: string, columns: ExportColumn[], rows: Row[]): void {
  download(new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' }), `${filename}.csv`);
}

export async function downloadXlsx(filename: string, columns: ExportColumn[], rows: Row[]): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(filename.slice(0, 31));
  sheet.columns = columns.map((c) => ({ header: c.label, key: c.key, width: Math.max(10, Math.min(40, c.label.length * 2 + 4)) }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    const values: Row = {};
    for (const c of columns) values[c.key] = c.numeric && typeof row[c.key] === 'number' ? row[c.key] : cellText(row[c.key]);
    sheet.addRow(values);
  }
  const buffer = await workbook.xlsx.writeBuffer();
  download(new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), `${filename}.xlsx`);
}
