// Test helper for the notebook tests: the fixture notebooks (data/fixtures/notebooks) and a database holding the small
// fixture_scores table they query (40 rows, tiers A-D).
import { sql } from '../db/sql.ts';
import { tempDb, type TempDb } from '../testing/db.ts';

export const FIXTURES = new URL('../../../data/fixtures/notebooks/', import.meta.url);

export async function scoresFixtureDb(): Promise<TempDb> {
  const t = await tempDb();
  await t.db.exec(sql`CREATE TABLE fixture_scores (object_id VARCHAR, tier VARCHAR, score DOUBLE)`);
  await t.db.exec(sql`INSERT INTO fixture_scores SELECT 'E' || i, ['A', 'B', 'C', 'D'][1 + i % 4], (i % 10) / 10.0 FROM range(40) r(i)`);
  return t;
}
