// Point-in-time risk features (features.sql over facts.sql) for a population of entities, the stored facts they
// are derived from when scoring (risk_entity_facts, refreshed entity by entity), and the data's reference date.
import { readFileSync } from 'node:fs';
import type { Db, Queryable } from '../db/duckdb.ts';
import { filledSql, refreshDerived, type DerivedTableDef, type RefreshResult } from '../kernel/derived.ts';

const FACTS_SQL = readFileSync(new URL('./facts.sql', import.meta.url), 'utf8');
const FACTS_SHIFT_SQL = readFileSync(new URL('./facts-shift.sql', import.meta.url), 'utf8');
const FEATURES_SQL = readFileSync(new URL('./features.sql', import.meta.url), 'utf8');
const NORMS_SQL = readFileSync(new URL('./norms.sql', import.meta.url), 'utf8');

/** risk_entity_facts: each entity's facts as of the last refresh's date (migration 007). */
export const ENTITY_FACTS: DerivedTableDef = {
  name: 'features',
  table: 'risk_entity_facts',
  sources: ['objects', 'credit_records', 'complaints', 'inspection_results'],
  sql: FACTS_SQL,
  referenceSql: 'SELECT code, is_finding FROM outcome_codes ORDER BY code',
  shiftSql: FACTS_SHIFT_SQL,
};

/** Which entities get a feature row: active ones (scoring), all that existed, or a SQL predicate over objects `o`. */
export type Population = 'active' | 'existing' | { predicate: string };

export function populationPredicate(population: Population): string {
  if (population === 'active') return "o.status = 'active'";
  if (population === 'existing') return 'true';
  return population.predicate;
}

/**
 * For connections the risk engine owns: its temp tables and writes need no insertion order, and keeping it
 * halves the speed of writing millions of rows. SESSION scope leaves every other connection as it was.
 */
export const UNORDERED = 'SET SESSION preserve_insertion_order = false';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function checkDate(value: string, what: string): string {
  if (!DATE_RE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new Error(`${what}: '${value}' is not a date (YYYY-MM-DD)`);
  return value;
}

/**
 * The features of a population from a facts relation and its norms (norms.sql over it), as of the same date;
 * `cellColumns`: more columns of the norms relation to pass through (e.g. ', r.cell_code').
 */
function fromFacts(facts: string, cellRates: string, population: Population, cellColumns = ''): string {
  return FEATURES_SQL.replaceAll('{{facts}}', facts)
    .replaceAll('{{cell_rates}}', cellRates)
    .replaceAll('{{population}}', populationPredicate(population))
    .replaceAll('{{cell_columns}}', cellColumns);
}

/** Norms and base rates per industry x district (norms.sql) over a facts relation; bind `as_of`. */
export function normsQuery(facts: string): string {
  return NORMS_SQL.replaceAll('{{facts}}', facts);
}

/**
 * The feature query for a population, computing the facts from the records (every entity's: the norms need them);
 * bind `as_of` ('YYYY-MM-DD') when running it. For the training sets and the backtest, at past dates.
 */
export function featuresQuery(population: Population): string {
  const features = fromFacts('risk_facts', 'risk_cell_rates', population);
  const facts = filledSql(FACTS_SQL, 'true');
  return features.replace(
    /^WITH$/m,
    () => `WITH\nrisk_facts AS MATERIALIZED (\n${facts}\n),\nrisk_cell_rates AS MATERIALIZED (\n${normsQuery('risk_facts')}\n),`,
  );
}

/** The temporary table computeStoredNorms fills and storedFeaturesQuery reads (per connection). */
export const STORED_NORMS_TABLE = 'risk_stored_cell_rates';

/** Creates STORED_NORMS_TABLE on q's connection from risk_entity_facts as of `asOf` (the date they were refreshed to). */
export async function computeStoredNorms(q: Queryable, asOf: string): Promise<void> {
  await q.exec(`CREATE OR REPLACE TEMP TABLE ${STORED_NORMS_TABLE} AS ${normsQuery(ENTITY_FACTS.table)}`, { as_of: asOf });
}

/**
 * The feature query over the stored facts (risk_entity_facts) and their norms (computeStoredNorms first, on the same
 * connection): bind `as_of` to the date they were refreshed to. Same rows as featuresQuery, without touching the records.
 * `cellCodeSql`: an expression over the norms' columns, computed once per industry x district and passed on as cell_code.
 */
export function storedFeaturesQuery(population: Population, options: { cellCodeSql?: string } = {}): string {
  if (!options.cellCodeSql) return fromFacts(ENTITY_FACTS.table, STORED_NORMS_TABLE, population);
  return fromFacts(ENTITY_FACTS.table, `(SELECT *, ${options.cellCodeSql} AS cell_code FROM ${STORED_NORMS_TABLE})`, population, ',\n       r.cell_code');
}

/** Features features.sql takes as they are from the norms of the entity's industry and district (one value per cell). */
export const CELL_FEATURES: ReadonlySet<string> = new Set(['industry_base_rate', 'district_base_rate']);

/** Brings risk_entity_facts to `asOf`, recomputing only the entities whose records changed; `q` must be in a transaction. */
export function refreshFacts(q: Queryable, asOf: string): Promise<RefreshResult> {
  return refreshDerived(q, ENTITY_FACTS, { asOf: checkDate(asOf, 'as-of date') });
}

/** refreshFacts in a transaction of its own. */
export async function refreshFactsTable(db: Db, asOf: string): Promise<RefreshResult> {
  return db.transaction(async (tx) => {
    await tx.exec(UNORDERED);
    return refreshFacts(tx, asOf);
  });
}

/** Creates (or replaces) a temporary table of features as of `asOf`: one row per entity of the population. */
export async function computeFeatures(q: Queryable, options: { asOf: string; population?: Population; into?: string }): Promise<{ table: string; rows: number }> {
  const table = options.into ?? 'risk_features';
  if (!/^[a-z_][a-z_0-9]*$/.test(table)) throw new Error(`computeFeatures: bad table name ${table}`);
  await q.exec(`CREATE OR REPLACE TEMP TABLE ${table} AS ${featuresQuery(options.population ?? 'active')}`, { as_of: checkDate(options.asOf, 'as-of date') });
  const row = await q.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  return { table, rows: row?.n ?? 0 };
}

/**
 * The data's reference date: the latest day with a complaint or an inspection result (not the wall clock,
 * so the same data scores the same any day). Complaint times are read in Asia/Shanghai.
 */
export async function referenceDate(q: Queryable): Promise<string | null> {
  const row = await q.one<{ d: string | null }>(
    `SELECT greatest(
       (SELECT max(inspected_on) FROM inspection_results),
       (SELECT max(CAST(timezone('Asia/Shanghai', received_at) AS DATE)) FROM complaints)) AS d`,
  );
  return row?.d ?? null;
}
