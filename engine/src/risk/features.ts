// Point-in-time risk features (features.sql) for a population of entities, and the data's reference date.
import { readFileSync } from 'node:fs';
import type { Queryable } from '../db/duckdb.ts';

const FEATURES_SQL = readFileSync(new URL('./features.sql', import.meta.url), 'utf8');

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

/** The feature query for a population; bind `as_of` ('YYYY-MM-DD') when running it. */
export function featuresQuery(population: Population): string {
  return FEATURES_SQL.replaceAll('{{population}}', populationPredicate(population));
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
