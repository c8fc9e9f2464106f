// Rows bound to the audit chain (fd2 §7): the audit entry of each change to a draw, its selection or a result carries
// the row's content hash, and a check recomputes every current row's hash against the last one audited, so a row
// changed directly in the database (an UPDATE that wrote no audit entry) is reported with its table and key.
import type { Queryable } from '../db/duckdb.ts';
import { sql, type Sql } from '../db/sql.ts';

/** The bound tables and the key that names a row of each (as it appears in the audit payload). */
export const BOUND_TABLES = {
  draws: sql`id`,
  draw_selection: sql`draw_id || '|' || object_id`,
  draw_results: sql`id`,
} as const;
export type BoundTable = keyof typeof BOUND_TABLES;

/** `payload.rowHashes` of an audit entry: table -> row key -> content hash, after the change the entry records. */
export type RowHashes = Partial<Record<BoundTable, Record<string, string>>>;

/**
 * The content hash of a row as SQL: SHA-256 of the canonical JSON of its columns (keys sorted, no whitespace, NULL
 * columns left out so that a nullable column added later does not change the hash of rows written before it;
 * timestamps as epoch microseconds, which do not depend on the session's time zone). The one definition both the
 * writers and the check use.
 */
async function rowHashSql(q: Queryable, table: BoundTable): Promise<Sql> {
  const columns = await q.query<{ name: string; type: string }>(
    sql`SELECT column_name AS name, data_type AS type FROM duckdb_columns() WHERE table_name = ${table} AND schema_name = 'main' AND database_name = current_database()`,
  );
  if (columns.length === 0) throw new Error(`rowHashSql: no table ${table}`);
  const members = columns
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, type }) => {
      const value = type.startsWith('TIMESTAMP') ? sql`to_json(epoch_us(${sql.id(name)}))` : sql`to_json(${sql.id(name)})`;
      return sql`CASE WHEN ${sql.id(name)} IS NULL THEN NULL ELSE ${sql.literal(`${JSON.stringify(name)}:`)} || ${value}::VARCHAR END`;
    });
  return sql`sha256('{' || concat_ws(',', ${sql.join(members)}) || '}')`;
}

/** The content hashes of `table`'s rows that `where` selects (all rows without it), by key. */
export async function rowHashes(q: Queryable, table: BoundTable, where: Sql = sql`TRUE`): Promise<Record<string, string>> {
  const rows = await q.query<{ key: string; hash: string }>(sql`SELECT ${BOUND_TABLES[table]} AS key, ${await rowHashSql(q, table)} AS hash FROM ${sql.id(table)} WHERE ${where}`);
  return Object.fromEntries(rows.map((r) => [r.key, r.hash]));
}

/** A row whose current content is not what the chain last recorded for it. */
export interface RowProblem {
  table: BoundTable;
  key: string;
  kind: 'changed' | 'deleted';
}

export interface RowsVerdict {
  /** Rows whose hash matches the last audited one, by table. */
  bound: Record<BoundTable, number>;
  /** Rows written before the binding existed (no audited hash): reported, not a failure. */
  unbound: Record<BoundTable, number>;
  problems: RowProblem[];
}

/** The last audited hash of every bound row: one pass over the entries that carry row hashes, in chain order. */
async function auditedHashes(q: Queryable): Promise<Record<BoundTable, Map<string, string>>> {
  const audited = { draws: new Map(), draw_selection: new Map(), draw_results: new Map() } as Record<BoundTable, Map<string, string>>;
  const entries = await q.query<{ hashes: string }>(
    sql`SELECT json_extract(payload, '$.rowHashes')::VARCHAR AS hashes FROM audit_log WHERE json_extract(payload, '$.rowHashes') IS NOT NULL ORDER BY seq`,
  );
  for (const entry of entries) {
    const hashes = JSON.parse(entry.hashes) as RowHashes;
    for (const table of Object.keys(BOUND_TABLES) as BoundTable[]) for (const [key, hash] of Object.entries(hashes[table] ?? {})) audited[table].set(key, hash);
  }
  return audited;
}

/** Recomputes every current row of the bound tables (one pass a table) against the last hash the chain recorded. */
export async function verifyRows(q: Queryable): Promise<RowsVerdict> {
  const audited = await auditedHashes(q);
  const verdict: RowsVerdict = { bound: { draws: 0, draw_selection: 0, draw_results: 0 }, unbound: { draws: 0, draw_selection: 0, draw_results: 0 }, problems: [] };
  for (const table of Object.keys(BOUND_TABLES) as BoundTable[]) {
    const current = await rowHashes(q, table);
    for (const [key, hash] of Object.entries(current)) {
      const last = audited[table].get(key);
      if (last === undefined) verdict.unbound[table]++;
      else if (last === hash) verdict.bound[table]++;
      else verdict.problems.push({ table, key, kind: 'changed' });
    }
    for (const key of audited[table].keys()) if (!(key in current)) verdict.problems.push({ table, key, kind: 'deleted' });
  }
  return verdict;
}

/** How a row problem reads in both languages. */
export function describeRowProblem(p: RowProblem): string {
  return p.kind === 'changed'
    ? `${p.table} ${p.key}：内容与审计链最后记录的哈希不符（未经记录的直接修改） / ${p.table} ${p.key}: content differs from its last audited hash (changed outside the application)`
    : `${p.table} ${p.key}：审计链记录过的行已不存在 / ${p.table} ${p.key}: a row the chain recorded has been deleted`;
}
