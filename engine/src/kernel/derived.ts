// Tables derived from the imported records and refreshed entity by entity (risk_entity_facts for the scores,
// alert_entity_days for the alerts): a refresh recomputes only the entities whose records Fairdraw wrote since the
// last one (imports and results entry list them: recordSourceWrite) or, for a table as of a date, whose records
// crossed a window edge when the date moved. It rebuilds in full on first use, when a source table's row count
// does not add up (rows loaded or deleted some other way), after a very large import, or when its SQL changed.
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql, type Sql } from '../db/sql.ts';

/** The record tables derived tables read. */
export type SourceTable = 'objects' | 'credit_records' | 'complaints' | 'inspection_results';

export type DerivedName = 'features' | 'alert_days';

export interface DerivedTableDef {
  name: DerivedName;
  /** The stored table: one or more rows per entity, with an object_id column. */
  table: string;
  sources: readonly SourceTable[];
  /**
   * SELECT of the table's rows for the entities passing `entityFilter` (a boolean over a column object_id), as of
   * `asOf` for a table as of a date (one with `shifted`).
   */
  rows: (entityFilter: Sql, asOf: string | undefined) => Sql;
  /** Reference rows the SQL reads (e.g. which outcome codes are findings): when they change, the table is rebuilt. */
  referenceSql?: Sql;
  /**
   * For a table as of a date: object ids (repeats allowed) whose rows differ between the as-of dates `fromAsOf` <
   * `asOf` with the same records: records dated in between, or leaving a window.
   */
  shifted?: (fromAsOf: string, asOf: string) => Sql;
}

export type RefreshMode = 'full' | 'incremental' | 'unchanged';

export interface RefreshResult {
  name: DerivedName;
  /** The refresh's number: the rows it wrote carry it in refresh_no. */
  refreshNo: number;
  mode: RefreshMode;
  /** Why the table was rebuilt in full. */
  reason?: string;
  /** Entities recomputed ('all' for a full build). */
  entities: number | 'all';
  /** Rows in the table afterwards. */
  rows: number;
  asOf: string | null;
  elapsedMs: number;
}

/** Row count of each source table. */
type SourceCounts = Record<string, number>;

interface StateRow {
  refresh_no: number;
  as_of: string | null;
  sources: string;
  definition: string;
  rows: number;
}

/** Above this share of the table's entities recomputed at once, a full build is cheaper than deleting and re-inserting. */
const MAX_INCREMENTAL_SHARE = 0.25;

const ALL = sql`true`;
const DIRTY_FILTER = sql`object_id IN (SELECT object_id FROM derived_dirty)`;

async function sourceCounts(q: Queryable, sources: readonly SourceTable[]): Promise<SourceCounts> {
  const counts = sources.map((t) => sql`(SELECT count(*) FROM ${sql.id(t)}) AS ${sql.id(t)}`);
  const row = (await q.one<Record<string, number>>(sql`SELECT ${sql.join(counts)}`))!;
  return Object.fromEntries(sources.map((t) => [t, Number(row[t])]));
}

interface PendingWrites {
  /** Rows added per source table by the writes not yet picked up. */
  added: Record<string, number>;
  /** A write that did not list its entities. */
  unlisted: string | null;
  writes: number;
}

async function pendingWrites(q: Queryable, name: DerivedName): Promise<PendingWrites> {
  const rows = await q.query<{ source: string; added: number; unlisted: boolean; writes: number }>(
    sql`SELECT source, sum(rows_added) AS added, bool_or(NOT entities_listed) AS unlisted, count(*) AS writes
        FROM risk_entity_changes WHERE consumer = ${name} GROUP BY source`,
  );
  return {
    added: Object.fromEntries(rows.map((r) => [r.source, Number(r.added)])),
    unlisted: rows.find((r) => r.unlisted)?.source ?? null,
    writes: rows.reduce((n, r) => n + Number(r.writes), 0),
  };
}

/** The SQL's text (its parameters are the as-of dates and the filter's, which do not change what it computes). */
const definitionText = (def: DerivedTableDef) => {
  const day = '2000-01-01';
  return [def.rows(ALL, def.shifted ? day : undefined), ...(def.shifted ? [def.shifted(day, day)] : [])].map((s) => s.toQuery().text).join('\0');
};

async function definitionHash(q: Queryable, def: DerivedTableDef): Promise<string> {
  const hash = createHash('sha256').update(definitionText(def));
  if (def.referenceSql) hash.update('\0').update(JSON.stringify(await q.query(def.referenceSql)));
  return hash.digest('hex');
}

interface DerivedState {
  refreshNo: number;
  asOf: string | null;
  sources: SourceCounts;
  definition: string;
  rows: number;
}

async function readState(q: Queryable, name: DerivedName): Promise<DerivedState | null> {
  const row = await q.one<StateRow>(
    sql`SELECT refresh_no, CAST(as_of AS VARCHAR) AS as_of, sources::VARCHAR AS sources, definition, rows FROM risk_derived_state WHERE name = ${name}`,
  );
  return row ? { refreshNo: row.refresh_no, asOf: row.as_of, sources: JSON.parse(row.sources) as SourceCounts, definition: row.definition, rows: Number(row.rows) } : null;
}

/**
 * Whether the table reflects the records as they are now (and `asOf`, for a dated table), read without writing:
 * no write pending, the same row counts, the same SQL and reference rows.
 */
export async function isFresh(q: Queryable, def: DerivedTableDef, asOf?: string): Promise<boolean> {
  // a file opened read-only is not migrated: before migration 007 there is nothing stored
  const migrated = await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'risk_derived_state'`);
  if (!migrated?.n) return false;
  const state = await readState(q, def.name);
  if (!state) return false;
  if (def.shifted && state.asOf !== asOf) return false;
  if ((await pendingWrites(q, def.name)).writes > 0) return false;
  const now = await sourceCounts(q, def.sources);
  if (def.sources.some((t) => state.sources[t] !== now[t])) return false;
  return state.definition === (await definitionHash(q, def));
}

/** Why the table must be rebuilt in full rather than refreshed, or null. */
function fullBuildReason(def: DerivedTableDef, state: DerivedState | null, definition: string, now: SourceCounts, pending: PendingWrites, asOf: string | undefined): string | null {
  if (!state) return 'first build';
  if (state.definition !== definition) return 'its SQL or reference data changed';
  if (def.shifted && (state.asOf === null || asOf === undefined || asOf < state.asOf)) return `the as-of date moved back from ${state.asOf} to ${asOf}`;
  for (const t of def.sources) {
    const expected = (state.sources[t] ?? NaN) + (pending.added[t] ?? 0);
    if (now[t] !== expected) return `${t} holds ${now[t]} rows where imports and results entry account for ${expected}`;
  }
  if (pending.unlisted) return `an import into ${pending.unlisted} too large to list its entities`;
  return null;
}

/** Object ids to recompute: those the writes listed, and those whose records crossed a window edge since the last as-of. */
function dirtySql(def: DerivedTableDef, state: DerivedState, asOf: string | undefined): Sql {
  const sources = sql.join(def.sources.map((t) => sql`${t}`));
  const parts = [sql`SELECT object_id FROM risk_entity_changes WHERE consumer = ${def.name} AND source IN (${sources}) AND object_id IS NOT NULL`];
  if (def.shifted && asOf !== undefined && state.asOf !== null && asOf > state.asOf) parts.push(sql`SELECT object_id FROM (${def.shifted(state.asOf, asOf)}) shifted`);
  return sql`CREATE OR REPLACE TEMP TABLE derived_dirty AS SELECT DISTINCT object_id FROM (${sql.join(parts, '\nUNION ALL\n')}) changed WHERE object_id IS NOT NULL`;
}

/**
 * Brings a derived table up to date with the records (and to `asOf`, for a dated table), on `q`, which must be in a
 * transaction: the marks it reads are deleted and the new state stored in the same one.
 */
export async function refreshDerived(q: Queryable, def: DerivedTableDef, options: { asOf?: string } = {}): Promise<RefreshResult> {
  const started = performance.now();
  const { asOf } = options;
  if (def.shifted && asOf === undefined) throw new Error(`refresh of ${def.name}: an as-of date is required`);
  const definition = await definitionHash(q, def);
  const now = await sourceCounts(q, def.sources);
  const pending = await pendingWrites(q, def.name);
  const state = await readState(q, def.name);
  const refreshNo = (state?.refreshNo ?? 0) + 1;
  const table = sql.id(def.table);
  // the rows of the entities passing `filter`, stamped with this refresh's number
  const insert = (filter: Sql) => q.exec(sql`INSERT INTO ${table} SELECT *, ${refreshNo}::INTEGER FROM (${def.rows(filter, asOf)}) derived`);
  let reason = fullBuildReason(def, state, definition, now, pending, asOf);
  let mode: RefreshMode = 'full';
  let entities: number | 'all' = 0;
  if (reason === null && state) {
    await q.exec(dirtySql(def, state, asOf));
    const dirty = (await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM derived_dirty`))?.n ?? 0;
    entities = dirty;
    if (dirty > MAX_INCREMENTAL_SHARE * Math.max(state.rows, 1) && dirty > 1000) reason = `${dirty} entities changed`;
    else if (dirty === 0) mode = 'unchanged';
    else {
      mode = 'incremental';
      await q.exec(sql`DELETE FROM ${table} WHERE ${DIRTY_FILTER}`);
      await insert(DIRTY_FILTER);
    }
    await q.exec(sql`DROP TABLE IF EXISTS derived_dirty`);
  }
  if (reason !== null) {
    mode = 'full';
    entities = 'all';
    await q.exec(sql`DELETE FROM ${table}`);
    // dictionaries kept: every score run reads the status, industry and region columns of all rows
    await withoutStringCompression(q, () => insert(ALL), 'fsst');
  }
  await q.exec(sql`DELETE FROM risk_entity_changes WHERE consumer = ${def.name}`);
  const rows = (await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM ${table}`))?.n ?? 0;
  const elapsedMs = Math.round(performance.now() - started);
  const result: RefreshResult = { name: def.name, refreshNo, mode, ...(reason !== null ? { reason } : {}), entities, rows, asOf: asOf ?? null, elapsedMs };
  await q.exec(sql`DELETE FROM risk_derived_state WHERE name = ${def.name}`);
  const last = JSON.stringify({ mode, reason: reason ?? undefined, entities, elapsedMs });
  await q.exec(
    sql`INSERT INTO risk_derived_state (name, refresh_no, as_of, sources, definition, rows, refreshed_at, last_refresh)
        VALUES (${def.name}, ${refreshNo}, ${asOf ?? null}::DATE, ${JSON.stringify(now)}::JSON, ${definition}, ${rows}, current_timestamp, ${last}::JSON)`,
  );
  return result;
}

/** refreshDerived in a transaction of its own. */
export function refreshDerivedTable(db: Db, def: DerivedTableDef, options: { asOf?: string } = {}): Promise<RefreshResult> {
  return db.transaction((tx) => refreshDerived(tx, def, options));
}

/** Above this many new and changed rows an import does not list its entities: the next refreshes rebuild in full. */
export const MAX_LISTED_ROWS = 200_000;

const CONSUMERS: readonly DerivedName[] = ['features', 'alert_days'];

/**
 * Records a write to a source table for every derived table, in the transaction that makes it: the entities it
 * touched, selected by `entitiesSql` (a column object_id; NULLs and repeats are fine; run it before the write when it
 * reads the entity a changed row named before), and the rows it added (to check the table's row count against).
 * Without `entitiesSql` the next refresh of each derived table rebuilds it in full.
 */
export async function recordSourceWrite(q: Queryable, source: SourceTable, write: { rowsAdded: number; entitiesSql?: Sql }): Promise<void> {
  const added = Math.trunc(write.rowsAdded);
  const entities = write.entitiesSql;
  const consumers = sql`(VALUES ${sql.join(CONSUMERS.map((c) => sql`(${c})`))}) c(consumer)`;
  await q.exec(
    sql`INSERT INTO risk_entity_changes (consumer, source, object_id, rows_added, entities_listed)
        SELECT c.consumer, ${source}, NULL, ${added}, ${entities !== undefined} FROM ${consumers}
        ${entities === undefined ? sql.empty : sql`UNION ALL
        SELECT c.consumer, ${source}, m.object_id, 0, true
        FROM (SELECT DISTINCT object_id FROM (${entities}) ids WHERE object_id IS NOT NULL) m, ${consumers}`}`,
  );
}

/** recordSourceWrite for one entity and at most one row added, in one short statement (results entry writes these one by one). */
export async function recordEntityWrite(q: Queryable, source: SourceTable, objectId: string, rowsAdded: 0 | 1): Promise<void> {
  const rows = CONSUMERS.map((c) => sql`(${c}, ${source}, ${objectId}, ${rowsAdded}, true)`);
  await q.exec(sql`INSERT INTO risk_entity_changes (consumer, source, object_id, rows_added, entities_listed) VALUES ${sql.join(rows)}`);
}

/**
 * Runs a bulk write of millions of short high-entropy strings (entity ids) with string compression methods off (FSST,
 * and by default dictionary): analysing and compressing the ids costs about as much as everything else in the write
 * (16.5 M risk_scores rows here: 18 CPU seconds with both, 9 without), and FSST-compressed ids cost more to read back.
 * Keep 'dictionary' on (`methods: 'fsst'`) for tables read often by low-cardinality text columns. The setting is
 * database-wide, so it is put back as it was straight after.
 */
export async function withoutStringCompression<T>(q: Queryable, work: () => Promise<T>, methods: 'fsst' | 'fsst,dictionary' = 'fsst,dictionary'): Promise<T> {
  const before = (await q.one<{ v: string | null }>(sql`SELECT current_setting('disabled_compression_methods') AS v`))?.v ?? '';
  // SET takes no parameters: the setting's value is written as a literal
  await q.exec(sql`SET disabled_compression_methods = ${sql.literal(methods)}`);
  try {
    return await work();
  } finally {
    await q.exec(sql`SET disabled_compression_methods = ${sql.literal(before)}`);
  }
}
