// A synthetic province for risk tests and benchmarks, built in SQL (synthetic.sql) at any size without files.
// The hidden propensity stays in a TEMP table (synthetic_entities) and can be written out as a truth.csv.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Db } from '../db/duckdb.ts';
import { DATA_DIR } from '../kernel/config.ts';
import { sqlString } from '../db/values.ts';
import { COOPERATIVE_PRODUCTS, ENTERPRISE_WORDS, SHOP_WORDS, SURNAMES, TRADE_NAME_CHARS, type Word } from '../../../data/generator/names.ts';

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

/** A word list as a SQL list in which each word appears about twice its weight (a uniform pick is then a weighted one). */
const weightedList = (words: readonly Word[]) => `[${words.flatMap((w) => Array(Math.max(1, Math.round(w.weight * 2))).fill(sqlString(w.text))).join(', ')}]`;
const byIndustry = (table: Record<string, readonly Word[]>) =>
  `MAP {${Object.entries(table).map(([industry, words]) => `${sqlString(industry)}: ${weightedList(words)}`).join(', ')}}`;

/**
 * The demo generator's vocabulary (data/generator/names.ts) as SQL variables, so that synthetic names read like real ones:
 * the public search by name is only measured fairly on names shaped like those it will search.
 */
async function setNameVocabulary(db: Db): Promise<void> {
  await db.exec(`SET VARIABLE trade_chars = [${TRADE_NAME_CHARS.map(sqlString).join(', ')}]`);
  await db.exec(`SET VARIABLE surnames = ${weightedList(SURNAMES)}`);
  await db.exec(`SET VARIABLE enterprise_words = ${byIndustry(ENTERPRISE_WORDS)}`);
  await db.exec(`SET VARIABLE shop_words = ${byIndustry(SHOP_WORDS)}`);
  await db.exec(`SET VARIABLE cooperative_products = ${weightedList(COOPERATIVE_PRODUCTS)}`);
}

/** Fills objects, credit_records, complaints and inspection_results; must run on `db`'s own connection. */
export async function synthesizeProvince(db: Db, options: SyntheticOptions): Promise<void> {
  const { entities, seed = 'risk', firstYear = 2019, lastYear = 2025 } = options;
  await ensureOutcomeCodes(db);
  await db.exec(`SET VARIABLE n = ${Math.floor(entities)}`);
  await db.exec('SET VARIABLE seed_n = (hash($seed::VARCHAR) >> 20)::BIGINT', { seed });
  await db.exec(`SET VARIABLE first_year = ${Math.floor(firstYear)}`);
  await db.exec(`SET VARIABLE last_year = ${Math.floor(lastYear)}`);
  await setNameVocabulary(db);
  await db.exec(SYNTHETIC_SQL);
}

/** Writes the hidden propensities of the last synthesised province as a generator-style truth.csv (uscc, propensity). */
export async function writeSyntheticTruth(db: Db, path: string): Promise<void> {
  await db.exec(`COPY (SELECT object_id AS uscc, propensity FROM synthetic_entities ORDER BY i) TO ${sqlString(path)} (HEADER, DELIMITER ',')`);
}
