// A synthetic province for risk tests and benchmarks, built in SQL (synthetic.sql) at any size without files.
// The hidden propensity stays in a TEMP table (synthetic_entities) and can be written out as a truth.csv.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Db } from '../db/duckdb.ts';
import { DATA_DIR } from '../config.ts';

const SYNTHETIC_SQL = readFileSync(new URL('./synthetic.sql', import.meta.url), 'utf8');

export interface SyntheticOptions {
  entities: number;
  seed?: string;
  firstYear?: number;
  lastYear?: number;
}

/** Outcome codes from data/reference, for databases that were not loaded with reference data. */
export async function ensureOutcomeCodes(db: Db): Promise<void> {
  const path = resolve(DATA_DIR, 'reference/outcome_codes.csv');
  await db.exec(
    `INSERT INTO outcome_codes SELECT code, name_zh, name_en, is_finding FROM read_csv($path, header = true, all_varchar = true,
       columns = {'code': 'VARCHAR', 'name_zh': 'VARCHAR', 'name_en': 'VARCHAR', 'is_finding': 'BOOLEAN'})
     ON CONFLICT DO NOTHING`,
    { path },
  );
}

/** Fills objects, credit_records, complaints and inspection_results; must run on `db`'s own connection. */
export async function synthesizeProvince(db: Db, options: SyntheticOptions): Promise<void> {
  const { entities, seed = 'risk', firstYear = 2019, lastYear = 2025 } = options;
  await ensureOutcomeCodes(db);
  await db.exec(`SET VARIABLE n = ${Math.floor(entities)}`);
  await db.exec('SET VARIABLE seed_n = (hash($seed::VARCHAR) >> 20)::BIGINT', { seed });
  await db.exec(`SET VARIABLE first_year = ${Math.floor(firstYear)}`);
  await db.exec(`SET VARIABLE last_year = ${Math.floor(lastYear)}`);
  await db.exec(SYNTHETIC_SQL);
}

/** Writes the hidden propensities of the last synthesised province as a generator-style truth.csv (uscc, propensity). */
export async function writeSyntheticTruth(db: Db, path: string): Promise<void> {
  await db.exec(`COPY (SELECT object_id AS uscc, propensity FROM synthetic_entities ORDER BY i) TO '${path.replaceAll("'", "''")}' (HEADER, DELIMITER ',')`);
}
