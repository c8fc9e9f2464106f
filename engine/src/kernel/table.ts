// A tabular answer as the engine hands it out: the statement whose rows are the answer (run once, by the caller, as
// JSON rows or as an Arrow IPC stream) and the figures that go beside the rows (totals, the page).
import type { Sql } from '../db/sql.ts';

export interface TableQuery<Extra extends object = Record<string, unknown>> {
  statement: Sql;
  extra: Extra;
}
