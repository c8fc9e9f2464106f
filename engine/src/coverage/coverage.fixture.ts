// Test helper for the coverage and outcomes tests: the reference data plus the small year of data/fixtures/coverage/year.sql,
// whose answers are worked out by hand in coverage.test.ts and outcomes.test.ts.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sql } from '../db/sql.ts';
import { DATA_DIR } from '../kernel/config.ts';
import { tempDb } from '../testing/db.ts';

export const COVERAGE_YEAR_SQL = resolve(DATA_DIR, 'fixtures/coverage/year.sql');
/** The fixture's "today" (Asia/Shanghai): D2026-0001's window has closed, D2026-0005's results are still open. */
export const TODAY = '2026-07-15';
export const YEAR = 2026;

export async function coverageDb(): Promise<Awaited<ReturnType<typeof tempDb>>> {
  const t = await tempDb({ reference: true });
  await t.db.exec(sql.verbatim(readFileSync(COVERAGE_YEAR_SQL, 'utf8')));
  return t;
}
