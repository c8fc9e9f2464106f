// Validated, idempotent import of one file: stream its rows through the row rules into a DuckDB staging table,
// check what needs the whole file (duplicate ids) or the database (unknown entities), then in one transaction
// insert new rows, update changed ones and leave identical ones untouched. Any rejected row: nothing is written
// (unless skipInvalid). The CLI, the API and the demo all call importFile.
import { basename } from 'node:path';
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql, type Sql } from '../db/sql.ts';
import { appendAudit } from '../audit/chain.ts';
import { ImportFileError } from './errors.ts';
import { FORMATS, KINDS, bestKindFor, fieldLabel, isKind, matchHeader, refTablesOf, type KindDef, type RefTable } from './formats.ts';
import { openSource, type Encoding, type RowSource } from './source.ts';
import { rowValidator, type RefMaps, type RowProblem, type RowValidator } from './validate.ts';
import { MAX_LISTED_ROWS, recordSourceWrite } from '../kernel/derived.ts';
import { shanghaiDate } from '../kernel/time.ts';
import { CREATE_WARNINGS_SQL, WARNINGS, recordChecks } from './record-checks.ts';
import { REJECTED_LIST_CAP, type ImportReport } from './schemas.ts';
import {
  COUNT_CHANGES_SQL,
  CREATE_PROBLEMS_SQL,
  DROP_SQL,
  problemCount,
  problemList,
  PROBLEMS,
  STAGING,
  ENTITY_RECORDS,
  changedEntitiesSql,
  createStagingSql,
  duplicatesSql,
  enteredResultsSql,
  readySql,
  unknownEntitySql,
  writeSql,
} from './sql.ts';

export { ImportFileError } from './errors.ts';
export type { RowProblem } from './validate.ts';

/** The report lists at most this many problems; rejectedTotal counts them all. */
export { REJECTED_LIST_CAP };

export interface ImportOptions {
  kind: string;
  file: string;
  /** Import the valid rows even when some are rejected (the report still lists the rejected ones). */
  skipInvalid?: boolean;
  /** CSV only: the file's encoding; detected when absent. */
  encoding?: Encoding;
  /** Called as rows are read, with the count so far; then once with phase 'write' when the checks and writes begin. */
  onProgress?: (rowsRead: number, phase: 'read' | 'write') => void;
  /** Who imports, for the audit log. */
  actor?: string;
  /** The import's day (YYYY-MM-DD) for the checks against the calendar; default today in Asia/Shanghai. */
  today?: string;
}

export type { ImportReport };

/** Reference rows as the accepted spellings: the code, its upper case, and (where there is one) the Chinese name. */
const REFERENCE_SQL: Record<RefTable, Sql> = {
  regions: sql`SELECT code, NULL AS name_zh FROM regions`,
  departments: sql`SELECT code, name_zh FROM departments`,
  industries: sql`SELECT code, name_zh FROM industries`,
  items: sql`SELECT DISTINCT code, NULL AS name_zh FROM items`,
  outcome_codes: sql`SELECT code, name_zh FROM outcome_codes`,
  specialties: sql`SELECT code, name_zh FROM specialties`,
};

export async function loadRefMaps(q: Queryable, tables: readonly RefTable[]): Promise<RefMaps> {
  const refs: RefMaps = {};
  for (const table of tables) {
    const rows = await q.query<{ code: string; name_zh: string | null }>(REFERENCE_SQL[table]);
    if (rows.length === 0)
      throw new Error(`参考表 ${table} 为空，请先加载参考数据 / reference table ${table} is empty: load the reference data (data/reference) before importing`);
    const map = new Map<string, string>();
    for (const { code, name_zh } of rows) {
      map.set(code, code);
      map.set(code.toUpperCase(), code);
      if (name_zh) map.set(name_zh, code);
    }
    refs[table] = map;
  }
  return refs;
}

/** Checks the header names every required column of the kind; says which kind it fits when it fits another. */
export function checkHeader(def: KindDef, source: Pick<RowSource, 'file' | 'header'>): ReturnType<typeof matchHeader> {
  const match = matchHeader(def.kind, source.header);
  if (match.duplicates.length) {
    const { field, first, second } = match.duplicates[0];
    throw new ImportFileError(
      source.file,
      `columns ${first + 1} (${source.header[first]}) and ${second + 1} (${source.header[second]}) both give ${fieldLabel(field)}`,
      `第${first + 1}列（${source.header[first]}）和第${second + 1}列（${source.header[second]}）都对应 ${field.zh[0]}（${field.name}）`,
    );
  }
  if (match.missing.length) {
    const other = bestKindFor(source.header);
    if (other && other.kind !== def.kind) {
      const o = FORMATS[other.kind];
      throw new ImportFileError(
        source.file,
        `the columns fit ${other.kind} (${o.labelEn}), not ${def.kind} (${def.labelEn}); to import it run: fairdraw import ${other.kind} ${source.file}`,
        `表头与“${o.labelZh}”（${other.kind}）相符，而不是“${def.labelZh}”（${def.kind}）`,
      );
    }
    const s = match.missing.length > 1 ? 's' : '';
    throw new ImportFileError(
      source.file,
      `missing required column${s} for ${def.kind} (${def.labelEn}): ${match.missing.map(fieldLabel).join(', ')}`,
      `缺少“${def.labelZh}”的必需列：${match.missing.map((f) => `${f.zh[0]}（${f.name}）`).join('、')}`,
    );
  }
  return match;
}

export const unknownKind = (kind: string, file: string) =>
  new ImportFileError(file, `unknown import kind '${kind}': expected one of ${KINDS.join(', ')}`, `未知的导入类型“${kind}”`);

export async function importFile(db: Db, options: ImportOptions): Promise<ImportReport> {
  const started = Date.now();
  const { kind, file } = options;
  if (!isKind(kind)) throw unknownKind(kind, file);
  const def = FORMATS[kind];
  const source = await openSource(file, { encoding: options.encoding, db });
  let conn: (Queryable & { close(): void }) | undefined;
  try {
    const match = checkHeader(def, source);
    conn = await db.connection();
    const refs = await loadRefMaps(conn, refTablesOf(def));
    const validate = rowValidator(def, {
      columnOf: match.columnOf,
      refs,
      headerWidth: source.format === 'csv' ? source.header.length : undefined,
    });
    await conn.exec(createStagingSql(def));
    await conn.exec(CREATE_PROBLEMS_SQL);
    await conn.exec(CREATE_WARNINGS_SQL);
    const rows = await stageRows(conn, def, source, validate, options.onProgress);
    const sha256 = await source.sha256();
    const readDone = Date.now();
    let checkDone = readDone;
    if (rows === 0) throw new ImportFileError(file, 'the file has a header but no data rows', '文件只有表头，没有数据行');
    options.onProgress?.(rows, 'write');
    const report = (counts: { accepted: number; updated: number; unchanged: number }, written: boolean, problems: ProblemSummary, warnings: ProblemSummary): ImportReport => ({
      kind,
      file,
      format: source.format,
      ...(source.encoding ? { encoding: source.encoding } : {}),
      sha256,
      rows,
      ...counts,
      rejected: problems.list,
      rejectedTotal: problems.total,
      rejectedRows: problems.lines,
      warnings: warnings.list,
      warningsTotal: warnings.total,
      written,
      ignoredColumns: match.ignored,
      elapsedMs: Date.now() - started,
      phaseMs: { read: readDone - started, check: checkDone - readDone, write: written ? Date.now() - checkDone : 0 },
    });

    const writer = conn; // conn is reassignable; the write turn's closure takes it as it is now
    return await db.inWriteTurn(async () => {
      await writer.exec(sql`BEGIN TRANSACTION`);
      try {
        // The checks run inside the write's transaction, so the entities they look up cannot change under it.
        const records = recordChecks(def, options.today ?? shanghaiDate());
        for (const check of [duplicatesSql(def), unknownEntitySql(def), enteredResultsSql(def), ...records.reject]) if (check) await writer.exec(check);
        for (const check of records.warn) await writer.exec(check);
        const problems = await summariseProblems(writer, PROBLEMS);
        const warnings = await summariseProblems(writer, WARNINGS);
        checkDone = Date.now();
        if (problems.total > 0 && !options.skipInvalid) {
          await writer.exec(sql`ROLLBACK`);
          return report({ accepted: 0, updated: 0, unchanged: 0 }, false, problems, warnings);
        }
        await writer.exec(readySql(def));
        const counts = (await writer.one<{ accepted: number; updated: number; unchanged: number }>(COUNT_CHANGES_SQL))!;
        // the risk engine's per-entity tables recompute the entities this import touches (all of them after a large one)
        const touched = changedEntitiesSql(def);
        if (touched && counts.accepted + counts.updated > 0) {
          const listed = counts.accepted + counts.updated <= MAX_LISTED_ROWS;
          await recordSourceWrite(writer, ENTITY_RECORDS[def.kind]!.table, { rowsAdded: counts.accepted, entitiesSql: listed ? touched : undefined });
        }
        for (const write of writeSql(def)) await writer.exec(write);
        await appendAudit(writer, {
          actor: options.actor ?? 'cli',
          action: 'import',
          subject: kind,
          payload: { kind, file: basename(file), sha256, counts: { rows, ...counts, rejected: problems.lines } },
        });
        await writer.exec(sql`COMMIT`);
        await db.checkpoint();
        return report(counts, true, problems, warnings);
      } catch (err) {
        await writer.exec(sql`ROLLBACK`).catch(() => undefined);
        throw err;
      }
    });
  } finally {
    await source.close();
    if (conn) {
      await conn.exec(DROP_SQL).catch(() => undefined);
      await conn.exec(sql`DROP TABLE IF EXISTS ${WARNINGS}`).catch(() => undefined);
      conn.close();
    }
  }
}

interface ProblemSummary {
  list: RowProblem[];
  total: number;
  lines: number;
}

async function summariseProblems(q: Queryable, table: Sql): Promise<ProblemSummary> {
  const count = (await q.one<{ total: number; lines: number }>(problemCount(table)))!;
  const rows = await q.query<{ line: number; field: string; value: string | null; reason: string; reason_zh: string }>(problemList(table, REJECTED_LIST_CAP));
  return {
    total: count.total,
    lines: count.lines,
    list: rows.map((r) => ({ line: r.line, field: r.field, value: r.value ?? '', reason: r.reason, reasonZh: r.reason_zh })),
  };
}

/** Validates every row and appends it to staging (its problems to the problems table); returns the row count. */
async function stageRows(
  conn: Queryable,
  def: KindDef,
  source: RowSource,
  validate: RowValidator,
  onProgress?: ImportOptions['onProgress'],
): Promise<number> {
  const staging = await conn.appender(STAGING.text);
  const problemsOut = await conn.appender(PROBLEMS.text);
  const fieldPos = new Map(def.fields.map((f, i) => [f.name, i]));
  const values: (string | null)[] = new Array(def.fields.length).fill(null);
  const problems: RowProblem[] = [];
  let rows = 0;
  try {
    for await (const batch of source.rows()) {
      for (let r = 0; r < batch.rows.length; r++) {
        problems.length = 0;
        const ok = validate(batch.rows[r], batch.lines[r], values, problems);
        staging.appendInteger(batch.lines[r]);
        staging.appendBoolean(ok);
        for (const value of values) {
          if (value === null) staging.appendNull();
          else staging.appendVarchar(value);
        }
        staging.endRow();
        for (const p of problems) {
          problemsOut.appendInteger(p.line);
          problemsOut.appendInteger(fieldPos.get(p.field) ?? -1);
          problemsOut.appendVarchar(p.field);
          problemsOut.appendVarchar(p.value);
          problemsOut.appendVarchar(p.reason);
          problemsOut.appendVarchar(p.reasonZh);
          problemsOut.endRow();
        }
      }
      rows += batch.rows.length;
      onProgress?.(rows, 'read');
    }
    staging.flushSync();
    problemsOut.flushSync();
  } finally {
    // After a failure mid-row the appenders cannot flush; the staging tables are dropped anyway.
    for (const appender of [staging, problemsOut])
      try {
        appender.closeSync();
      } catch {
        // already reported by the failure that brought us here
      }
  }
  return rows;
}
