// A tabular answer as the engine hands it out: the statement whose rows are the answer (run once, by the caller, as
// JSON rows or as an Arrow IPC stream) and the figures that go beside the rows (totals, the page).
import type { Params, Statement } from '../db/duckdb.ts';

export interface TableQuery<Extra extends object = Record<string, unknown>> {
  statement: Statement;
  /** Only for a statement written as plain text with named parameters; a sql piece carries its own. */
  params?: Params;
  extra: Extra;
}
