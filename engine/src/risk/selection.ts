// How inspected objects were selected, for learning and testing honestly: random draws count, each weighted by the
// inverse of its known selection probability; targeted and complaint-driven visits stay out (sql/visits.sql).
import type { Queryable } from '../db/duckdb.ts';
import { sql, sqlFolder, type Sql } from '../db/sql.ts';

const query = sqlFolder(import.meta.url);

/** Inspection visits of the years `fromYear` .. the day `asOf`, with their selection, its probability and the team (sql/visits.sql). */
export const visitsQuery = (fromYear: number, asOf: string): Sql => query('visits', { from_date: `${fromYear}-01-01`, as_of: asOf });

/**
 * Whether the data record how objects were selected up to `asOf`, on an imported result or by a draw run in Fairdraw
 * (then fitting and testing count random draws only, weighted).
 */
export async function selectionRecorded(q: Queryable, asOf: string): Promise<boolean> {
  const row = await q.one<{ recorded: boolean }>(
    sql`SELECT EXISTS (SELECT 1 FROM inspection_results WHERE selection IS NOT NULL AND inspected_on <= ${asOf}::DATE)
            OR EXISTS (SELECT 1 FROM inspection_results r JOIN draws d ON d.id = r.task_ref WHERE d.drawn_at IS NOT NULL AND r.inspected_on <= ${asOf}::DATE) AS recorded`,
  );
  return row?.recorded ?? false;
}

/**
 * The visits that count, as a filter over visits.sql's columns: with selection recorded, random draws with a known
 * probability; otherwise every visit.
 */
export const countedVisits = (weighted: boolean): Sql => (weighted ? sql`selection = 'random' AND probability > 0` : sql`true`);

/** An entity's weight from its counted visits in a group: 1 / the chance the draws selected it at least once. */
export const inverseProbability = (weighted: boolean): Sql => (weighted ? sql`1 / (1 - product(1 - probability))` : sql`1.0::DOUBLE`);
