// What a database holds: its tables (main schema, not temporary) with their row counts, for the health check.
import type { Queryable } from './duckdb.ts';
import { sql } from './sql.ts';

/** Rows per table, tables in name order. */
export async function tableCounts(q: Queryable): Promise<Record<string, number>> {
  const tables = await q.query<{ name: string }>(sql`SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary ORDER BY table_name`);
  const counts: Record<string, number> = {};
  for (const { name } of tables) counts[name] = (await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.id(name)}`))?.n ?? 0;
  return counts;
}
