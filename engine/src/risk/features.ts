// Point-in-time risk features (sql/features.sql over sql/facts.sql) for a population of entities, the stored facts they
// are derived from when scoring (risk_entity_facts, refreshed entity by entity), and the data's reference date.
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql, sqlFolder, type Sql } from '../db/sql.ts';
import { refreshDerived, type DerivedTableDef, type RefreshResult } from '../kernel/derived.ts';

const query = sqlFolder(import.meta.url);

/** events.sql: every dated record of the entities passing `entityFilter` (a boolean over a column object_id) as of `asOf`. */
const eventsQuery = (entityFilter: Sql, asOf: string): Sql => query('events', { entity_filter: entityFilter, as_of: asOf });

/** facts.sql: the facts of every entity passing `entityFilter` as of `asOf`. */
export const factsQuery = (entityFilter: Sql, asOf: string): Sql => query('facts', { events: eventsQuery(entityFilter, asOf), entity_filter: entityFilter });

/** risk_entity_facts: each entity's facts as of the last refresh's date (migration 007). */
export const ENTITY_FACTS: DerivedTableDef = {
  name: 'features',
  table: 'risk_entity_facts',
  sources: ['objects', 'credit_records', 'complaints', 'inspection_results'],
  rows: (entityFilter, asOf) => factsQuery(entityFilter, asOf!),
  referenceSql: sql`SELECT code, is_finding FROM outcome_codes ORDER BY code`,
  shifted: (fromAsOf, asOf) => query('facts-shift', { from_as_of: fromAsOf, as_of: asOf }),
};

/** Which entities get a feature row: active ones (scoring), all that existed, or a predicate over objects `o`. */
export type Population = 'active' | 'existing' | { predicate: Sql };

export function populationPredicate(population: Population): Sql {
  if (population === 'active') return sql`o.status = 'active'`;
  if (population === 'existing') return sql`true`;
  return population.predicate;
}

/**
 * For connections the risk engine owns: its temp tables and writes need no insertion order, and keeping it
 * halves the speed of writing millions of rows. SESSION scope leaves every other connection as it was.
 */
export const UNORDERED = sql`SET SESSION preserve_insertion_order = false`;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function checkDate(value: string, what: string): string {
  if (!DATE_RE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new Error(`${what}: '${value}' is not a date (YYYY-MM-DD)`);
  return value;
}

/**
 * The features of a population from a facts relation and its norms (norms.sql over it), as of the same date;
 * `cellColumns`: more columns of the norms relation to pass through (e.g. sql`, r.cell_code`).
 */
function fromFacts(facts: Sql, cellRates: Sql, population: Population, asOf: string, cellColumns: Sql = sql.empty): Sql {
  return query('features', { facts, cell_rates: cellRates, population: populationPredicate(population), cell_columns: cellColumns, as_of: asOf });
}

/** Norms and base rates per industry x district (norms.sql) from the cell sums of a facts relation as of `asOf`. */
export function normsQuery(facts: Sql, asOf: string): Sql {
  return query('norms', { cells: query('cells-from-facts', { facts, as_of: asOf }) });
}

/** Tables of cell-months.sql and cell-ages.sql (createCellTables): the norms of any year end, summed from them. */
export interface CellTables {
  months: Sql;
  ages: Sql;
  /** The last day whose records they hold. */
  upTo: string;
}

/**
 * Creates the TEMP tables risk_cell_months and risk_cell_ages on q's connection, in one pass over the records dated up
 * to `upTo`: they give the norms of any year end up to that day.
 */
export async function createCellTables(q: Queryable, upTo: string): Promise<CellTables> {
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE risk_cell_months AS ${query('cell-months', { up_to: checkDate(upTo, 'cell tables up to') })}`);
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE risk_cell_ages AS ${query('cell-ages')}`);
  return { months: sql`risk_cell_months`, ages: sql`risk_cell_ages`, upTo };
}

/**
 * The feature query for a population as of `asOf` ('YYYY-MM-DD'), from the records: for the training sets and the
 * backtest, at past dates. By default every entity's facts are built, for the norms; for a year end, `entities` (a
 * filter over object_id that holds for every entity of the population) and `cells` (createCellTables) build only the
 * population's, the norms summed from the cell tables.
 */
export function featuresQuery(population: Population, asOf: string, options: { entities?: Sql; cells?: CellTables } = {}): Sql {
  const features = fromFacts(sql`risk_facts`, sql`risk_cell_rates`, population, asOf);
  const { cells } = options;
  if (cells && !asOf.endsWith('-12-31')) throw new Error(`featuresQuery: the cell tables give the norms of a year end, not of ${asOf}`);
  if (cells && asOf > cells.upTo) throw new Error(`featuresQuery: the cell tables hold records up to ${cells.upTo}, not ${asOf}`);
  const norms = cells ? query('norms', { cells: query('cell-sums-at', { months: cells.months, ages: cells.ages, as_of: asOf }) }) : normsQuery(sql`risk_facts`, asOf);
  return sql`WITH risk_facts AS MATERIALIZED (
${factsQuery(cells ? (options.entities ?? sql`true`) : sql`true`, asOf)}
),
risk_cell_rates AS MATERIALIZED (
${norms}
)
SELECT * FROM (${features}) features`;
}

/** The temporary table computeStoredNorms fills and storedFeaturesQuery reads (per connection). */
export const STORED_NORMS_TABLE = 'risk_stored_cell_rates';
const storedNorms = sql.id(STORED_NORMS_TABLE);
const entityFacts = sql.id(ENTITY_FACTS.table);

/** Creates STORED_NORMS_TABLE on q's connection from risk_entity_facts as of `asOf` (the date they were refreshed to). */
export async function computeStoredNorms(q: Queryable, asOf: string): Promise<void> {
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE ${storedNorms} AS ${normsQuery(entityFacts, asOf)}`);
}

/**
 * The feature query over the stored facts (risk_entity_facts) and their norms (computeStoredNorms first, on the same
 * connection), as of the date they were refreshed to. Same rows as featuresQuery, without touching the records.
 * `cellCode`: an expression over the norms' columns, computed once per industry x district and passed on as cell_code.
 */
export function storedFeaturesQuery(population: Population, asOf: string, options: { cellCode?: Sql } = {}): Sql {
  if (!options.cellCode) return fromFacts(entityFacts, storedNorms, population, asOf);
  return fromFacts(entityFacts, sql`(SELECT *, ${options.cellCode} AS cell_code FROM ${storedNorms})`, population, asOf, sql`,
       r.cell_code`);
}

/** Features features.sql takes as they are from the norms of the entity's industry and district (one value per cell). */
export const CELL_FEATURES: ReadonlySet<string> = new Set(['industry_base_rate', 'district_substantiated', 'district_true_share']);

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
  const asOf = checkDate(options.asOf, 'as-of date');
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE ${sql.id(table)} AS ${featuresQuery(options.population ?? 'active', asOf)}`);
  const row = await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.id(table)}`);
  return { table, rows: row?.n ?? 0 };
}

/**
 * The data's reference date: the latest day with a complaint or an inspection result (not the wall clock,
 * so the same data scores the same any day). Complaint times are read in Asia/Shanghai.
 */
export async function referenceDate(q: Queryable): Promise<string | null> {
  const row = await q.one<{ d: string | null }>(
    sql`SELECT greatest(
          (SELECT max(inspected_on) FROM inspection_results),
          (SELECT CAST(timezone('Asia/Shanghai', max(received_at)) AS DATE) FROM complaints)) AS d`,
  );
  return row?.d ?? null;
}
