// How inspected objects were selected, for learning and testing honestly: random draws count, each weighted by the
// inverse of its known selection probability; targeted and complaint-driven visits stay out (sql/visits.sql).
import type { Queryable } from '../db/duckdb.ts';
import { sql, sqlFolder, type Sql } from '../db/sql.ts';

const query = sqlFolder(import.meta.url);

/** Inspection visits up to a day with their selection, its probability and the team (sql/visits.sql). */
export const visitsQuery = (asOf: string): Sql => query('visits', { as_of: asOf });

/** Whether the data record how objects were selected (then fitting and testing count random draws only, weighted). */
export async function selectionRecorded(q: Queryable, asOf: string): Promise<boolean> {
  const row = await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM (${visitsQuery(asOf)}) v WHERE v.selection IS NOT NULL`);
  return (row?.n ?? 0) > 0;
}

/**
 * The visits that count, as a filter over visits.sql's columns: with selection recorded, random draws with a known
 * probability; otherwise every visit.
 */
export const countedVisits = (weighted: boolean): Sql => (weighted ? sql`selection = 'random' AND probability > 0` : sql`true`);

/** An entity's weight from its counted visits in a group: 1 / the chance the draws selected it at least once. */
export const inverseProbability = (weighted: boolean): Sql => (weighted ? sql`1 / (1 - product(1 - probability))` : sql`1.0::DOUBLE`);
