// Published outcomes for leaders and analysts (公示结果, SPEC 8): findings rate by item, department, city, industry, tier and
// month, the problems found most often, and a drill-down to the published results. Internal: tiers show here, never on the portal.
import type { Queryable } from '../db/duckdb.ts';
import { sql, sqlFolder, type Sql } from '../db/sql.ts';
import type { OutcomeGroup, OutcomesReport } from './schemas.ts';

const query = sqlFolder(import.meta.url);

// Results drawn in an untiered stratum get the entity's current tier. Grain: updates outcomes_results rows.
const FILL_UNTIERED_SQL = sql`UPDATE outcomes_results SET tier = rs.tier FROM risk_scores rs
  WHERE outcomes_results.tier IS NULL AND rs.object_id = outcomes_results.object_id`;

export const OUTCOME_DIMENSIONS = ['item', 'department', 'city', 'industry', 'tier', 'month'] as const;
export type OutcomeDimension = (typeof OUTCOME_DIMENSIONS)[number];

export interface OutcomeFilters {
  /** The plan year of the results' tasks; null: every year. */
  year?: number | null;
  city?: string | null;
  department?: string | null;
  industry?: string | null;
  tier?: string | null;
}

export interface OutcomeResultsQuery extends OutcomeFilters {
  itemCode?: string | null;
  outcomeCode?: string | null;
  /** true: findings only; false: no finding only. */
  finding?: boolean | null;
  /** Inspection month YYYY-MM. */
  month?: string | null;
  limit: number;
  offset: number;
}

export type { ItemProblem, OutcomeGroup, OutcomeProblem, OutcomesReport } from './schemas.ts';

export const PROBLEMS_BY_ITEM_LIMIT = 20;

/**
 * Builds outcomes_results (published results with year, city, industry and tier) on this connection, and the
 * outcomes_scope macro. One join with the objects: run once per data version.
 */
export async function buildOutcomes(q: Queryable): Promise<void> {
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE outcomes_results AS ${query('outcomes-base')}`);
  const untiered = await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM outcomes_results WHERE tier IS NULL`);
  if (untiered!.n > 0) await q.exec(FILL_UNTIERED_SQL);
  await q.exec(query('outcomes-scope'));
}

export function filterParams(f: OutcomeFilters) {
  return { year: f.year ?? null, city: f.city ?? null, department: f.department ?? null, industry: f.industry ?? null, tier: f.tier ?? null };
}

/** The drill-down's filters as the outcomes-results files take them. */
function drillDownParams(drill: Omit<OutcomeResultsQuery, 'limit' | 'offset'>) {
  return {
    ...filterParams(drill),
    item: drill.itemCode ?? null,
    outcome: drill.outcomeCode ?? null,
    finding: drill.finding ?? null,
    month: drill.month ?? null,
  };
}

/** One page of the drill-down: one row per published result, newest publication first. */
export function outcomeResultsPage(drill: OutcomeResultsQuery): Sql {
  return query('outcomes-results', { ...drillDownParams(drill), limit: drill.limit, offset: drill.offset });
}

export async function countOutcomeResults(q: Queryable, drill: Omit<OutcomeResultsQuery, 'limit' | 'offset'>): Promise<number> {
  return (await q.one<{ total: number }>(query('outcomes-results-count', drillDownParams(drill))))!.total;
}

type Row = Record<string, unknown>;

/** The outcomes of one scope from the table buildOutcomes left on this connection. */
export async function outcomesReport(q: Queryable, filters: OutcomeFilters): Promise<OutcomesReport> {
  const params = filterParams(filters);
  const totals = (await q.one<Row>(query('outcomes-totals', params)))!;
  const groups = await q.query<Row>(query('outcomes-breakdown', params));
  const problems = await q.query<Row>(query('outcomes-problems', params));
  const by = (dimension: OutcomeDimension): OutcomeGroup[] =>
    groups
      .filter((g) => g.dimension === dimension)
      .map((g) => ({
        key: g.key as string | null,
        nameZh: g.name_zh as string | null,
        nameEn: g.name_en as string | null,
        ...(dimension === 'item' ? { departmentCode: g.department_code as string } : {}),
        results: g.results as number,
        findings: g.findings as number,
        entities: g.entities as number,
        findingsRate: g.findings_rate as number,
      }));
  const findings = totals.findings as number;
  return {
    filters: params,
    totals: {
      results: totals.results as number,
      findings,
      entities: totals.entities as number,
      findingsRate: totals.findings_rate as number | null,
      firstInspectedOn: totals.first_inspected_on as string | null,
      lastInspectedOn: totals.last_inspected_on as string | null,
    },
    byItem: by('item').sort((a, b) => b.results - a.results || String(a.key).localeCompare(String(b.key))),
    byDepartment: by('department').sort((a, b) => b.results - a.results || String(a.key).localeCompare(String(b.key))),
    byCity: by('city'),
    byIndustry: by('industry'),
    byTier: by('tier'),
    byMonth: by('month'),
    problems: problems
      .filter((p) => p.item_code === null)
      .map((p) => ({
        outcomeCode: p.outcome_code as string,
        outcomeNameZh: p.outcome_name_zh as string,
        outcomeNameEn: p.outcome_name_en as string,
        results: p.results as number,
        entities: p.entities as number,
        share: (p.results as number) / findings,
      })),
    problemsByItem: problems
      .filter((p) => p.item_code !== null)
      .slice(0, PROBLEMS_BY_ITEM_LIMIT)
      .map((p) => ({
        outcomeCode: p.outcome_code as string,
        outcomeNameZh: p.outcome_name_zh as string,
        outcomeNameEn: p.outcome_name_en as string,
        itemCode: p.item_code as string,
        itemNameZh: p.item_name_zh as string,
        itemNameEn: p.item_name_en as string,
        results: p.results as number,
        entities: p.entities as number,
      })),
  };
}

/** Builds and answers one scope without caching (tests, one-off reports). Leaves its temp table on `q`. */
export async function computeOutcomes(q: Queryable, filters: OutcomeFilters): Promise<OutcomesReport> {
  await buildOutcomes(q);
  return outcomesReport(q, filters);
}
