// Runs a parsed notebook against the engine's database, read-only: every statement's type is checked with DuckDB's
// own parser before anything runs (SELECT, WITH, DESCRIBE, SUMMARIZE, SHOW, read-only PRAGMAs), results are capped,
// a named result is kept as a temporary table on the run's own connection so later cells query it without running it
// again, and each chart gets the named results it uses inlined.
import { StatementType, type DuckDBConnection, type DuckDBValue, type DuckDBPreparedStatement, type DuckDBResult, type DuckDBType, DuckDBTypeId } from '@duckdb/node-api';
import { compile, type TopLevelSpec } from 'vega-lite';
import { Queryable, type Db } from '../db/duckdb.ts';
import { sql, type Sql } from '../db/sql.ts';
import { toJs, type Value } from '../db/values.ts';
import { markdownToHtml } from './markdown.ts';
import type { Cell, ChartCell, Notebook, SqlCell } from './parse.ts';
import type { CellError, CellRun, ChartCellRun, JsonValue, MarkdownCellRun, NotebookRun, ResultColumn, ResultRow, SqlCellRun } from './schemas.ts';

export const DEFAULT_ROW_LIMIT = 10_000;
export const DEFAULT_TIMEOUT_MS = 60_000;
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * Statement types a notebook may run. DuckDB prepares DESCRIBE, SUMMARIZE, SHOW and the read-only PRAGMAs
 * (show_tables, table_info, ...) as SELECTs; a PRAGMA that sets something is a SET and is refused, and so is
 * EXPLAIN (EXPLAIN ANALYZE would execute the statement it explains).
 */
const READ_ONLY_TYPES = new Set<number>([StatementType.SELECT]);

export type { CellError, CellRun, ChartCellRun, JsonValue, MarkdownCellRun, NotebookRun, ResultColumn, ResultRow, SqlCellRun } from './schemas.ts';

export interface RunOptions {
  rowLimit?: number;
  /** A statement running longer is interrupted and reported as an error. */
  timeoutMs?: number;
}

/** The wrapper keeps DuckDB's connection to itself; the runner needs its statement API (extractStatements, types). */
class StatementAccess extends Queryable {
  static connectionOf(q: Queryable): DuckDBConnection {
    return (q as StatementAccess).conn;
  }
}

const NUMERIC_TYPES = new Set<number>([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.DECIMAL,
]);

/** Values as JSON: instants become ISO strings; dates already are 'YYYY-MM-DD'. */
function toJson(value: Value): JsonValue {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

/**
 * Where each statement of `sql` starts and ends (the offset of its `;`, or the end), skipping quotes, comments and
 * dollar-quoted strings: DuckDB's extractStatements gives the statements but not where they are in the text.
 */
export function statementSpans(sql: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let start = -1;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (start < 0) start = i;
    if (c === "'" || c === '"') {
      i++;
      while (i < n && sql[i] !== c) i++;
      i++;
      continue;
    }
    if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end < 0 ? n : end + tag[0].length;
        continue;
      }
    }
    if (c === ';') {
      spans.push({ start, end: i });
      start = -1;
    }
    i++;
  }
  if (start >= 0) spans.push({ start, end: n });
  return spans;
}

const lineAt = (text: string, offset: number) => text.slice(0, offset).split('\n').length - 1;

function excerpt(sql: string, offset: number): string {
  const rest = sql.slice(offset).replace(/\s+/g, ' ').trim();
  const statement = rest.split(';')[0];
  return statement.length > 60 ? `${statement.slice(0, 57)}...` : statement;
}

function typeName(type: number): string {
  return (StatementType as unknown as Record<number, string>)[type] ?? `type ${type}`;
}

class CellFailure extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** DuckDB's message without its internal stack or the long hint lines. */
function duckdbMessage(err: unknown): string {
  return String((err as Error)?.message ?? err)
    .replace(/^Failed to extract statements: /, '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, 3)
    .join(' ');
}

/**
 * Functions a notebook may not call, refused by name before anything runs. The sandbox (Db.open's `sandbox`) already
 * stops file, network and extension access and any change of setting; these would still reach what it allows (the
 * database file itself through read_blob or read_text), change the running instance (logging, checkpoints), or read
 * files, which the sandbox refuses with a less helpful message.
 */
const DENIED_FUNCTIONS = new Set([
  'read_blob', 'read_text', 'glob', 'read_csv', 'read_csv_auto', 'sniff_csv', 'read_json', 'read_json_auto', 'read_json_objects',
  'read_ndjson', 'read_ndjson_auto', 'read_ndjson_objects', 'read_parquet', 'parquet_scan', 'parquet_metadata', 'parquet_schema',
  'parquet_file_metadata', 'parquet_kv_metadata', 'enable_logging', 'disable_logging', 'truncate_duckdb_logs', 'force_checkpoint',
  'checkpoint', 'duckdb_secrets', 'which_secret', 'load_extension', 'install_extension',
]);

/** Every function a statement names (DuckDB's own parse, as JSON); PRAGMA and CALL, which it cannot serialise, by their name. */
async function calledFunctions(conn: DuckDBConnection, statement: string): Promise<string[]> {
  const query = sql`SELECT json_serialize_sql(${statement}::VARCHAR) AS ast`.toQuery();
  const reader = await conn.runAndReadAll(query.text, query.params as DuckDBValue[]);
  const ast = JSON.parse(String(reader.getRows()[0][0])) as { error: boolean };
  if (ast.error) {
    const head = /^\s*(?:PRAGMA|CALL)\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(statement);
    return head ? [head[1].toLowerCase()] : [];
  }
  const names: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'function_name' && typeof value === 'string') names.push(value.toLowerCase());
      else visit(value);
    }
  };
  visit(ast);
  return names;
}

/** Prepares every statement of a sql cell and refuses any that is not read-only, before anything runs. */
async function prepareReadOnly(conn: DuckDBConnection, cell: SqlCell): Promise<DuckDBPreparedStatement> {
  const starts = statementSpans(cell.sql).map((span) => span.start);
  const lineOf = (index: number) => (starts.length > index ? cell.bodyLine + lineAt(cell.sql, starts[index]) : cell.bodyLine);
  let extracted;
  try {
    extracted = await conn.extractStatements(cell.sql);
  } catch (err) {
    throw new CellFailure(cell.bodyLine, `SQL 无法解析 the SQL does not parse: ${duckdbMessage(err)}`);
  }
  if (extracted.count === 0) throw new CellFailure(cell.line, 'sql 代码块没有语句 the sql cell holds no statement');
  const prepared: DuckDBPreparedStatement[] = [];
  try {
    for (let i = 0; i < extracted.count; i++) {
      const what = `statement ${i + 1} of ${extracted.count} (${excerpt(cell.sql, starts[i] ?? 0)})`;
      const denied = (await calledFunctions(conn, cell.sql.slice(starts[i] ?? 0))).find((name) => DENIED_FUNCTIONS.has(name));
      if (denied)
        throw new CellFailure(
          lineOf(i),
          `笔记本不得调用 ${denied} notebooks may not call ${denied}: ${what} reaches files or changes the engine, which notebooks never do; query the tables instead`,
        );
      let statement: DuckDBPreparedStatement;
      try {
        statement = await extracted.prepare(i);
      } catch (err) {
        throw new CellFailure(lineOf(i), `SQL 错误 ${what}: ${duckdbMessage(err)}`);
      }
      prepared.push(statement);
      if (!READ_ONLY_TYPES.has(statement.statementType))
        throw new CellFailure(
          lineOf(i),
          `笔记本只读，拒绝执行 notebooks are read-only: ${what} is not read-only (DuckDB statement type ${typeName(statement.statementType)}); ` +
            `only SELECT, WITH, DESCRIBE, SUMMARIZE, SHOW and read-only PRAGMA statements may run`,
        );
    }
    if (prepared.length > 1)
      throw new CellFailure(lineOf(1), `一个 sql 代码块只能有一条语句 a sql cell runs one statement; ${extracted.count} found: put statement 2 (${excerpt(cell.sql, starts[1] ?? 0)}) in its own cell`);
    return prepared[0];
  } catch (err) {
    for (const p of prepared) p.destroySync();
    throw err;
  }
}

/** Reads up to `rowLimit` rows of a streamed result; `capped` says whether more were there. */
async function readCapped(result: DuckDBResult, rowLimit: number): Promise<{ columns: ResultColumn[]; rows: ResultRow[]; capped: boolean }> {
  const names = result.columnNames();
  const types: DuckDBType[] = result.columnTypes();
  const columns = names.map((name, i) => ({ name, type: types[i].toString(), numeric: NUMERIC_TYPES.has(types[i].typeId) }));
  const rows: ResultRow[] = [];
  let capped = false;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    if (rows.length >= rowLimit) {
      capped = true;
      break;
    }
    for (const row of chunk.getRows()) {
      if (rows.length >= rowLimit) {
        capped = true;
        break;
      }
      const out: ResultRow = {};
      for (let i = 0; i < names.length; i++) out[names[i]] = toJson(toJs(row[i], types[i]));
      rows.push(out);
    }
    if (capped) break;
  }
  return { columns, rows, capped };
}

async function withTimeout<T>(conn: DuckDBConnection, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    conn.interrupt();
  }, timeoutMs);
  try {
    return await work();
  } catch (err) {
    if (timedOut) throw new Error(`查询超时 the query ran longer than ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`} and was stopped`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

const located = (notebook: Notebook, line: number, message: string): CellError => ({ line, message: `${notebook.file}:${line}: ${message}` });

/** Channels' `field`s used by a chart without transforms, to catch a misspelt column before the browser draws nothing. */
function encodedFields(spec: unknown): { fields: string[]; transforms: boolean } {
  const fields = new Set<string>();
  let transforms = false;
  const visit = (node: unknown, inEncoding: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, inEncoding));
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'datasets' || key === 'data') continue;
      if (key === 'transform' || key === 'repeat' || key === 'params') transforms = true;
      if (inEncoding && key === 'field' && typeof value === 'string' && !value.includes('.') && !value.includes('\\')) fields.add(value);
      visit(value, inEncoding || key === 'encoding');
    }
  };
  visit(spec, false);
  return { fields: [...fields], transforms };
}

/** Vega-Lite's logger for one compile: errors throw, warnings are kept for the author. */
function collectingLogger(warnings: string[]) {
  const logger = {
    level() {
      return logger;
    },
    error(...args: unknown[]): never {
      throw new Error(args.map(String).join(' '));
    },
    warn(...args: unknown[]) {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger;
}

function chartCell(notebook: Notebook, cell: ChartCell, results: Map<string, SqlCellRun>): ChartCellRun {
  const started = performance.now();
  const base = { kind: 'chart' as const, index: cell.index, line: cell.line, dataNames: cell.dataNames, source: cell.source };
  const fail = (line: number, message: string): ChartCellRun => ({ ...base, spec: null, warnings: [], elapsedMs: performance.now() - started, error: located(notebook, line, message) });
  if (cell.problem || !cell.spec) return fail(cell.problem?.line ?? cell.line, cell.problem?.message ?? 'invalid chart');
  const datasets: Record<string, ResultRow[]> = {};
  const columns = new Set<string>();
  for (const name of cell.dataNames) {
    const result = results.get(name);
    if (!result) return fail(cell.line, `图表引用了不存在的结果 the chart uses result '${name}', which no sql cell above defines`);
    if (result.error) return fail(cell.line, `图表引用的结果出错 the chart uses result '${name}', whose query failed (line ${result.error.line})`);
    datasets[name] = result.rows;
    for (const c of result.columns) columns.add(c.name);
  }
  const { fields, transforms } = encodedFields(cell.spec);
  if (!transforms) {
    const missing = fields.filter((f) => !columns.has(f));
    if (missing.length)
      return fail(cell.line, `图表字段不在结果中 the chart encodes field ${missing.map((f) => `'${f}'`).join(', ')}, not a column of ${cell.dataNames.map((n) => `'${n}'`).join(', ')} (columns: ${[...columns].join(', ')})`);
  }
  const existing = (cell.spec.datasets ?? {}) as Record<string, unknown>;
  const spec: Record<string, unknown> = { $schema: VEGA_LITE_SCHEMA, ...cell.spec, datasets: { ...existing, ...datasets } };
  const warnings: string[] = [];
  try {
    compile(spec as unknown as TopLevelSpec, { logger: collectingLogger(warnings) as never });
  } catch (err) {
    return fail(cell.line, `Vega-Lite 规格无效 invalid Vega-Lite spec: ${(err as Error).message}`);
  }
  return { ...base, spec, warnings: [...new Set(warnings)], elapsedMs: performance.now() - started, error: null };
}

/** `CREATE TEMP TABLE name AS <the cell's one statement>`, checked as exactly one CREATE; null when DuckDB cannot (DESCRIBE, SHOW, PRAGMA). */
async function prepareKeep(conn: DuckDBConnection, name: string, cellSql: string): Promise<DuckDBPreparedStatement | null> {
  const keep = sql`CREATE TEMP TABLE ${sql.id(name)} AS ${sql.verbatim(statementText(cellSql))}\n`;
  const extracted = await conn.extractStatements(keep.text).catch(() => null);
  if (!extracted || extracted.count !== 1) return null;
  const statement = await extracted.prepare(0).catch(() => null);
  if (statement && statement.statementType !== StatementType.CREATE) {
    statement.destroySync();
    return null;
  }
  return statement;
}

async function sqlCell(notebook: Notebook, cell: SqlCell, conn: DuckDBConnection, options: Required<RunOptions>): Promise<SqlCellRun> {
  const started = performance.now();
  const base = { kind: 'sql' as const, index: cell.index, line: cell.line, name: cell.name, hidden: cell.hidden, sql: cell.sql, rowLimit: options.rowLimit };
  const empty = { columns: [], rows: [], rowCount: 0, capped: false };
  if (cell.problem) return { ...base, ...empty, elapsedMs: 0, error: located(notebook, cell.problem.line, cell.problem.message) };
  const statements: DuckDBPreparedStatement[] = [];
  const prepare = async (query: Sql) => {
    const extracted = await conn.extractStatements(query.text);
    const statement = await extracted.prepare(0);
    statements.push(statement);
    return statement;
  };
  try {
    const checked = await prepareReadOnly(conn, cell);
    statements.push(checked);
    // A named result is computed once into a temporary table; the cell shows it and later cells read it.
    const keep = cell.name === null ? null : await prepareKeep(conn, cell.name, cell.sql);
    if (keep) statements.push(keep);
    const { columns, rows, capped, rowCount } = await withTimeout(conn, options.timeoutMs, async () => {
      if (keep) await keep.run();
      if (keep && cell.hidden) {
        const kept = await (await prepare(sql`SELECT count(*) AS n FROM ${sql.id(cell.name!)}`)).runAndReadAll();
        const described = await prepare(sql`SELECT * FROM ${sql.id(cell.name!)} LIMIT 0`);
        const { columns } = await readCapped(await described.stream(), 0);
        return { columns, rows: [], capped: false, rowCount: Number(kept.getRows()[0][0]) };
      }
      const source = keep ? await prepare(sql`SELECT * FROM ${sql.id(cell.name!)}`) : checked;
      const read = await readCapped(await source.stream(), cell.hidden ? 0 : options.rowLimit);
      return { ...read, rowCount: read.rows.length };
    });
    return { ...base, columns, rows, rowCount, capped: cell.hidden ? false : capped, elapsedMs: performance.now() - started, error: null };
  } catch (err) {
    const line = err instanceof CellFailure ? err.line : cell.bodyLine;
    const message = err instanceof CellFailure ? err.message : `SQL 执行出错 the query failed: ${duckdbMessage(err)}`;
    return { ...base, ...empty, elapsedMs: performance.now() - started, error: located(notebook, line, message) };
  } finally {
    for (const statement of statements) statement.destroySync();
  }
}

/** The one statement of a sql cell without its trailing `;` (what its temporary table is made of). */
function statementText(cellSql: string): string {
  const [span] = statementSpans(cellSql);
  return span ? cellSql.slice(span.start, span.end) : cellSql;
}

// Tables and views a result name must not shadow. Grain: one row per table or view name.
const CATALOG_NAMES_SQL = sql`SELECT lower(table_name) AS name FROM duckdb_tables() UNION SELECT lower(view_name) FROM duckdb_views() WHERE NOT internal`;

/**
 * Runs every cell in order on a connection of its own, closed at the end with the temporary tables it made. Writes
 * cannot happen: every statement was checked to be a read before it ran (see prepareReadOnly).
 */
export async function runNotebook(db: Db, notebook: Notebook, options: RunOptions = {}): Promise<NotebookRun> {
  const settings: Required<RunOptions> = { rowLimit: options.rowLimit ?? DEFAULT_ROW_LIMIT, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  const ranAt = new Date();
  const started = performance.now();
  const session = await db.connection();
  const conn = StatementAccess.connectionOf(session);
  const results = new Map<string, SqlCellRun>();
  const cells: CellRun[] = [];
  try {
    const catalog = new Set((await session.query<{ name: string }>(CATALOG_NAMES_SQL)).map((r) => r.name));
    for (const cell of notebook.cells as Cell[]) {
      if (cell.kind === 'markdown') cells.push({ kind: 'markdown', index: cell.index, line: cell.line, html: markdownToHtml(cell.text) });
      else if (cell.kind === 'chart') cells.push(chartCell(notebook, cell, results));
      else {
        const shadows = cell.name !== null && !cell.problem && catalog.has(cell.name.toLowerCase());
        const checked: SqlCell = shadows
          ? { ...cell, problem: { line: cell.line, message: `结果名与数据表重名 result name '${cell.name}' is the name of a table or view in the database: choose another` } }
          : cell;
        const run = await sqlCell(notebook, checked, conn, settings);
        if (cell.name !== null) results.set(cell.name, run);
        cells.push(run);
      }
    }
  } finally {
    session.close();
  }
  const queries = cells.filter((c): c is SqlCellRun => c.kind === 'sql');
  return {
    name: notebook.name,
    file: notebook.file,
    title: notebook.title,
    summary: notebook.summary,
    ranAt: ranAt.toISOString(),
    elapsedMs: performance.now() - started,
    rowLimit: settings.rowLimit,
    cells,
    counts: {
      queries: queries.length,
      charts: cells.filter((c) => c.kind === 'chart').length,
      rows: queries.reduce((sum, c) => sum + c.rows.length, 0),
      errors: cells.filter((c) => c.kind !== 'markdown' && c.error).length,
    },
  };
}
