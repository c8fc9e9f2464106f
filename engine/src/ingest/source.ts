// Streaming row sources for import files: CSV (UTF-8, GBK/GB18030 detected or given), the first worksheet of
// an .xlsx, or Parquet read by DuckDB. Rows come in batches of cell strings with their line numbers; a file
// never sits in memory whole.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import type { Db } from '../db/duckdb.ts';
import { sql, type Sql } from '../db/sql.ts';
import { ImportFileError } from './errors.ts';
import { checkXlsxParts } from './limits.ts';
import { LOST_DIGITS_MARK } from './validate.ts';
import { csvBatches, detectEncoding, isBlank, type Encoding, type RowBatch } from './csv.ts';

export type SourceFormat = 'csv' | 'xlsx' | 'parquet';
export { ENCODINGS, detectEncoding, type Encoding, type RowBatch } from './csv.ts';

export interface RowSource {
  file: string;
  format: SourceFormat;
  /** CSV: the encoding used, given or detected. */
  encoding?: Encoding;
  header: string[];
  headerLine: number;
  /** The data rows after the header, blank rows skipped. Iterate once. */
  rows(): AsyncGenerator<RowBatch>;
  /** SHA-256 of the file's bytes (hex). */
  sha256(): Promise<string>;
  /** Stops reading (when rows() is not iterated to the end). */
  close(): Promise<void>;
}

export interface SourceOptions {
  /** CSV only: skip detection and decode with this encoding. */
  encoding?: Encoding;
  /** Parquet files are read through DuckDB. */
  db?: Db;
  batchRows?: number;
}

const BATCH_ROWS = 2048;

export function formatOf(file: string): SourceFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.parquet') return 'parquet';
  if (ext === '.xls')
    throw new ImportFileError(file, 'the old Excel format .xls is not supported; save the workbook as .xlsx or CSV', '不支持旧版 Excel 格式 .xls，请另存为 .xlsx 或 CSV');
  throw new ImportFileError(file, `unsupported file type '${ext || '(none)'}'; expected .csv, .xlsx or .parquet`, `不支持的文件类型“${ext || '（无）'}”，应为 .csv、.xlsx 或 .parquet`);
}

async function checkReadable(file: string): Promise<number> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new ImportFileError(file, 'is a directory, not a file', '是目录而不是文件');
    const fh = await open(file, 'r');
    await fh.close();
    return info.size;
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ImportFileError(file, 'cannot read the file: it does not exist', '无法读取文件：文件不存在');
    if (code === 'EACCES') throw new ImportFileError(file, 'cannot read the file: permission denied', '无法读取文件：没有读取权限');
    throw new ImportFileError(file, `cannot read the file: ${(err as Error).message}`, `无法读取文件：${(err as Error).message}`);
  }
}

const emptyFile = (file: string) => new ImportFileError(file, 'the file is empty (no header row)', '文件为空（没有表头行）');

/** Opens a file for reading rows: checks it is readable and not empty, and reads its header row. */
export async function openSource(file: string, options: SourceOptions = {}): Promise<RowSource> {
  const format = formatOf(file);
  const size = await checkReadable(file);
  if (size === 0) throw emptyFile(file);
  const batchRows = options.batchRows ?? BATCH_ROWS;
  if (format === 'csv') {
    const encoding = options.encoding ?? (await detectEncoding(file));
    const hash = createHash('sha256');
    let hashed = false;
    let digest: Promise<string> | undefined;
    const source = await withHeader(file, csvBatches(file, encoding, batchRows, { update: (data) => hash.update(data), done: () => (hashed = true) }));
    return {
      ...source,
      format,
      encoding,
      sha256() {
        // The hash follows the read; a caller that stopped early gets a hash of the whole file anyway.
        digest ??= hashed ? Promise.resolve(hash.digest('hex')) : sha256File(file);
        return digest;
      },
    };
  }
  let digest: Promise<string> | undefined;
  const sha256 = () => (digest ??= sha256File(file));
  if (format === 'xlsx') {
    await checkXlsxParts(file);
    return { ...(await withHeader(file, xlsxBatches(file, batchRows))), format, sha256 };
  }
  if (!options.db) throw new Error('reading Parquet needs the database (options.db)');
  return { ...(await withHeader(file, parquetBatches(file, options.db, batchRows))), format, sha256 };
}

/** Pulls rows until the first non-blank one, which is the header; the rest stay queued for `rows()`. */
async function withHeader(file: string, batches: AsyncGenerator<RowBatch>): Promise<Pick<RowSource, 'file' | 'header' | 'headerLine' | 'rows' | 'close'>> {
  let first = await batches.next();
  while (!first.done && first.value.rows.length === 0) first = await batches.next();
  if (first.done) throw emptyFile(file);
  const header = first.value.rows[0].map((c) => c.trim());
  const headerLine = first.value.lines[0];
  const rest: RowBatch = { lines: first.value.lines.slice(1), rows: first.value.rows.slice(1) };
  let started = false;
  return {
    file,
    header,
    headerLine,
    async *rows() {
      if (started) throw new Error('rows() can be iterated once');
      started = true;
      if (rest.rows.length) yield rest;
      yield* batches;
    },
    async close() {
      await batches.return(undefined);
    },
  };
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

// ---- XLSX -----------------------------------------------------------------------------------------------

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Excel keeps dates as wall-clock serials, which exceljs hands back as UTC instants: read them in UTC. */
function excelDateText(value: Date): string {
  const d = new Date(Math.round(value.getTime() / 1000) * 1000);
  const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0) return date;
  return `${date} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

function excelNumberText(value: number): string {
  if (Number.isInteger(value)) return Math.abs(value) >= 1e15 ? `${LOST_DIGITS_MARK}${value}` : String(value);
  return String(Number(value.toPrecision(15)));
}

export function excelCellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return excelNumberText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return excelDateText(value);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return (v.richText as Array<{ text: string }>).map((r) => r.text).join('');
    if ('result' in v) return excelCellText(v.result);
    if ('formula' in v || 'sharedFormula' in v) return '';
    if ('text' in v) return excelCellText(v.text);
    if ('error' in v) return String(v.error);
  }
  return String(value);
}

async function* xlsxBatches(file: string, batchRows: number): AsyncGenerator<RowBatch> {
  let batch: RowBatch = { lines: [], rows: [] };
  try {
    // exceljs takes a noticeable moment to load: only when a workbook is read.
    const { default: ExcelJS } = await import('exceljs');
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache', // needed to tell date cells from numbers
      hyperlinks: 'ignore',
      entries: 'ignore',
    });
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let c = 1; c < values.length; c++) cells.push(excelCellText(values[c]));
        if (isBlank(cells)) continue;
        batch.lines.push(row.number);
        batch.rows.push(cells);
        if (batch.rows.length >= batchRows) {
          yield batch;
          batch = { lines: [], rows: [] };
        }
      }
      break; // the first worksheet only
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError(file, `cannot read the file as an Excel workbook (.xlsx): ${(err as Error).message}`, `无法按 Excel 工作簿（.xlsx）读取：${(err as Error).message}`);
  }
  if (batch.rows.length) yield batch;
}

// ---- Parquet --------------------------------------------------------------------------------------------

/** Every column as text the way a CSV would hold it: lists ';'-joined, timestamps with their offset. */
function parquetColumnText(name: string, type: string): Sql {
  const col = sql.id(name);
  if (type.endsWith('[]')) return sql`array_to_string(${col}, ';')`;
  return sql`CAST(${col} AS VARCHAR)`;
}

/** Joins a row's cells in SQL: one string per row crosses into JavaScript instead of one value per cell. */
const CELL_SEPARATOR = '\u0001';

async function* parquetBatches(file: string, db: Db, batchRows: number): AsyncGenerator<RowBatch> {
  // Its own connection: the import's connection appends to staging while this result streams.
  const conn = await db.connection();
  let fallback: Awaited<ReturnType<Db['connection']>> | undefined;
  try {
    let columns: Array<{ column_name: string; column_type: string }>;
    try {
      columns = await conn.query(sql`DESCRIBE SELECT * FROM read_parquet(${file})`);
    } catch (err) {
      throw new ImportFileError(file, `cannot read the file as Parquet: ${(err as Error).message}`, `无法按 Parquet 读取：${(err as Error).message}`);
    }
    yield { lines: [0], rows: [columns.map((c) => c.column_name)] };
    const texts = columns.map((c) => sql`coalesce(${parquetColumnText(c.column_name, c.column_type)}, '')`);
    const from = sql`FROM read_parquet(${file})`;
    // A cell holding the separator itself (a control character, rejected anyway) splits wrongly: that rare
    // row is read again cell by cell, on a connection of its own.
    const cellsOf = async (rowNumber: number): Promise<string[]> => {
      fallback ??= await db.connection();
      const cells = sql.join(texts.map((t, i) => sql`${t} AS ${sql.id(`c${i}`)}`));
      const row = await fallback.one<Record<string, string>>(sql`SELECT ${cells} ${from} LIMIT 1 OFFSET ${rowNumber - 1}`);
      return columns.map((_, i) => row?.[`c${i}`] ?? '');
    };
    let rowNumber = 0;
    let batch: RowBatch = { lines: [], rows: [] };
    for await (const chunk of conn.stream<{ r: string }>(sql`SELECT concat_ws(chr(1), ${sql.join(texts)}) AS r ${from}`)) {
      for (const { r } of chunk) {
        rowNumber++;
        let cells = r.split(CELL_SEPARATOR);
        if (cells.length !== columns.length) cells = await cellsOf(rowNumber);
        if (isBlank(cells)) continue;
        batch.lines.push(rowNumber);
        batch.rows.push(cells);
        if (batch.rows.length >= batchRows) {
          yield batch;
          batch = { lines: [], rows: [] };
        }
      }
    }
    if (batch.rows.length) yield batch;
  } finally {
    conn.close();
    fallback?.close();
  }
}
