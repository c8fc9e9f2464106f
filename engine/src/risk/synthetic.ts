// A synthetic province for risk tests and benchmarks, built in SQL (synthetic.sql) at any size without files.
// The hidden propensity stays in a TEMP table (synthetic_entities) and can be written out as a truth.csv.
import { resolve } from 'node:path';
import { listValue } from '@duckdb/node-api';
import type { Db } from '../db/duckdb.ts';
import { sql, sqlFolder } from '../db/sql.ts';
import { DATA_DIR } from '../kernel/config.ts';
import { COOPERATIVE_PRODUCTS, ENTERPRISE_WORDS, SHOP_WORDS, SURNAMES, TRADE_NAME_CHARS, type Word } from '../../../data/generator/names.ts';

const query = sqlFolder(import.meta.url);

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
    sql`INSERT INTO outcome_codes SELECT code, name_zh, name_en, is_finding FROM read_csv(${path}, header = true, all_varchar = true,
          columns = {'code': 'VARCHAR', 'name_zh': 'VARCHAR', 'name_en': 'VARCHAR', 'is_finding': 'BOOLEAN'})
        ON CONFLICT DO NOTHING`,
  );
}

/** A word list in which each word appears about twice its weight (a uniform pick is then a weighted one). */
const weightedList = (words: readonly Word[]) => listValue(words.flatMap((w) => Array<string>(Math.max(1, Math.round(w.weight * 2))).fill(w.text)));

/**
 * The demo generator's vocabulary (data/generator/names.ts) as SQL variables, so that synthetic names read like real ones:
 * the public search by name is only measured fairly on names shaped like those it will search.
 */
async function setNameVocabulary(db: Db): Promise<void> {
  const byIndustry = async (name: 'enterprise_words' | 'shop_words', table: Record<string, readonly Word[]>) => {
    const entries = Object.entries(table);
    await db.exec(sql`SET VARIABLE ${sql.id(name)} = map(${listValue(entries.map(([industry]) => industry))}, ${listValue(entries.map(([, words]) => weightedList(words)))})`);
  };
  await db.exec(sql`SET VARIABLE trade_chars = ${listValue([...TRADE_NAME_CHARS])}`);
  await db.exec(sql`SET VARIABLE surnames = ${weightedList(SURNAMES)}`);
  await byIndustry('enterprise_words', ENTERPRISE_WORDS);
  await byIndustry('shop_words', SHOP_WORDS);
  await db.exec(sql`SET VARIABLE cooperative_products = ${weightedList(COOPERATIVE_PRODUCTS)}`);
}

/** Fills objects, credit_records, complaints and inspection_results; must run on `db`'s own connection. */
export async function synthesizeProvince(db: Db, options: SyntheticOptions): Promise<void> {
  const { entities, seed = 'risk', firstYear = 2019, lastYear = 2025 } = options;
  await ensureOutcomeCodes(db);
  await db.exec(sql`SET VARIABLE n = ${Math.floor(entities)}::BIGINT`);
  await db.exec(sql`SET VARIABLE seed_n = (hash(${seed}::VARCHAR) >> 20)::BIGINT`);
  await db.exec(sql`SET VARIABLE first_year = ${Math.floor(firstYear)}`);
  await db.exec(sql`SET VARIABLE last_year = ${Math.floor(lastYear)}`);
  await setNameVocabulary(db);
  await db.exec(query('synthetic'));
}

/** Writes the hidden propensities of the last synthesised province as a generator-style truth.csv (uscc, propensity). */
export async function writeSyntheticTruth(db: Db, path: string): Promise<void> {
  // COPY takes no parameters: the file path is written as a literal
  await db.exec(sql`COPY (SELECT object_id AS uscc, propensity FROM synthetic_entities ORDER BY i) TO ${sql.literal(path)} (HEADER, DELIMITER ',')`);
}
