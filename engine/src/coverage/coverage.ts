// Coverage of a year (全覆盖 and more, SPEC 8): items with at least one task, departments taking part, joint tasks, entities
// drawn and inspected per tier against the policy's target, results published on time; for the province, a city, a department.
import type { Queryable } from '../db/duckdb.ts';
import { sql, sqlFolder } from '../db/sql.ts';
import { bilingual, EngineError, paramValue } from '../kernel/errors.ts';
import type { CityCoverage, CoverageHeadline, CoverageReport, DeadlineCounts, DepartmentCoverage, TierCoverage } from './schemas.ts';
import { WorkCalendar } from '../reference/load.ts';
import { latestDueOn } from '../results/deadline.ts';
import { policyForYear, TIERS, type Tier } from '../policy/policy.ts';

const query = sqlFolder(import.meta.url);

// Objects drawn in an untiered stratum (strata_mode none) get their current tier. Grain: updates coverage_selection rows.
const FILL_UNTIERED_SQL = sql`UPDATE coverage_selection SET tier = rs.tier FROM risk_scores rs
  WHERE coverage_selection.tier IS NULL AND rs.object_id = coverage_selection.object_id`;

// Drawn draws of the year's tasks with their window's last day: results never entered are due 20 working days after it
// at the latest (coverage_draw_due). Grain: one row per draw.
const YEAR_DRAWS_SQL = sql`SELECT d.id AS draw_id, CAST(t.window_end AS VARCHAR) AS window_end
  FROM draws d JOIN coverage_tasks t ON t.task_id = d.task_id WHERE d.status = 'drawn'`;

/** What the cached answers depend on: the directory and scores (population), everything a year's activity touches (activity). */
export interface DataFingerprint {
  population: string;
  activity: string;
}

export async function dataFingerprint(q: Queryable): Promise<DataFingerprint> {
  return (await q.one<DataFingerprint>(query('fingerprint')))!;
}

export interface CoverageScope {
  year: number;
  /** Asia/Shanghai date the deadlines are judged on, YYYY-MM-DD. */
  today: string;
  /** One department's view: its tasks, its items, its results (operators see only their own). */
  department?: string | null;
  /** One prefecture-level city (code ending 00, e.g. 440300). */
  city?: string | null;
}

export type { CityCoverage, CoverageHeadline, CoverageReport, DeadlineCounts, DepartmentCoverage, TierCoverage } from './schemas.ts';

export class CoverageInputError extends EngineError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super('invalid', 'coverage.invalid', bilingual(rule, `${field} = ${JSON.stringify(value)}: `), { field, value: paramValue(value) });
  }
}

/** Builds the directory's per-city x tier counts (coverage_population). The costly pass: run once per population fingerprint. */
export async function buildPopulation(q: Queryable): Promise<void> {
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE coverage_population AS ${query('population')}`);
}

// What the year's selection table depends on besides the directory: the counted tasks and their drawn draws (a drawn
// draw's selection never changes). Grain: one row.
const SELECTION_KEY_SQL = sql`SELECT
    coalesce((SELECT string_agg(task_id, ',' ORDER BY task_id) FROM coverage_tasks), '') || '/' ||
    coalesce((SELECT string_agg(d.id, ',' ORDER BY d.id) FROM draws d SEMI JOIN coverage_tasks t ON t.task_id = d.task_id
              WHERE d.status = 'drawn'), '') AS key`;

export interface BuildYearOptions {
  /** The key buildYear returned last time on this connection: the selection table is kept when it still matches. */
  selectionBuiltFor?: string | null;
  /** Appended to the key: the selection must be rebuilt when the directory or the scores change (DataFingerprint.population). */
  populationVersion?: string;
}

/**
 * Builds the year's tables on this connection (coverage_tasks, coverage_selection, coverage_draw_due, coverage_assignments,
 * coverage_policy) and the scope macros. Needs coverage_population (buildPopulation). Returns the selection's key: pass
 * it back as selectionBuiltFor to skip the join with the objects when only results changed.
 */
export async function buildYear(q: Queryable, scope: { year: number; today: string }, options: BuildYearOptions = {}): Promise<string> {
  const policy = await policyForYear(q, scope.year);
  // the year's policy's ratio and yearly target per tier, one row each
  const frequency = policy.frequencyPerYear;
  await q.exec(
    sql`CREATE OR REPLACE TEMP TABLE coverage_policy AS
        SELECT tier, CAST(${policy.version} AS INTEGER) AS policy_version, CAST(ratio_bp AS INTEGER) AS ratio_bp, CAST(${frequency} AS INTEGER) AS frequency_per_year,
               CAST(least(10000, ratio_bp * ${frequency}) AS INTEGER) AS target_bp
        FROM (VALUES ${sql.join(TIERS.map((t) => sql`(${t}, ${policy.tierRatiosBp[t]})`))}) v(tier, ratio_bp)`,
  );
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE coverage_tasks AS ${query('year-tasks', { year: scope.year })}`);
  const selectionKey = `${scope.year}|${options.populationVersion ?? ''}|${(await q.one<{ key: string }>(SELECTION_KEY_SQL))!.key}`;
  if (selectionKey !== options.selectionBuiltFor) {
    await q.exec(sql`CREATE OR REPLACE TEMP TABLE coverage_selection AS ${query('year-selection')}`);
    const untiered = await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM coverage_selection WHERE tier IS NULL`);
    if (untiered!.n > 0) await q.exec(FILL_UNTIERED_SQL);
  }
  const calendar = await WorkCalendar.fromDb(q);
  const draws = await q.query<{ draw_id: string; window_end: string }>(YEAR_DRAWS_SQL);
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE coverage_draw_due (draw_id VARCHAR NOT NULL, latest_due_on DATE NOT NULL)`);
  if (draws.length > 0)
    await q.exec(
      sql`INSERT INTO coverage_draw_due VALUES ${sql.join(draws.map((d) => sql`(${d.draw_id}, CAST(${latestDueOn(calendar, d.window_end)} AS DATE))`))}`,
    );
  await q.exec(query('deadline'));
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE coverage_assignments AS ${query('year-assignments', { today: scope.today })}`);
  await q.exec(query('scope'));
  return selectionKey;
}

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const rate = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function deadlineCounts(r: Row): DeadlineCounts {
  return {
    resultsDue: num(r.results_due),
    resultsEntered: num(r.results_entered),
    resultsPublished: num(r.results_published),
    publishedOnTime: num(r.published_on_time),
    publishedLate: num(r.published_late),
    overdue: num(r.overdue),
    open: num(r.open),
    onTimeRate: rate(r.on_time_rate),
  };
}

/** The same day one month earlier (the month's last day when it has fewer days: 03-31 -> 02-28). */
export function monthBefore(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const daysInPreviousMonth = new Date(Date.UTC(y, m - 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 2, Math.min(d, daysInPreviousMonth))).toISOString().slice(0, 10);
}

function headlineOf(h: Row): CoverageHeadline {
  return {
    itemsInForce: num(h.items_in_force),
    itemsCovered: num(h.items_covered),
    itemCoverageRate: rate(h.item_coverage_rate),
    departmentsWithItems: num(h.departments_with_items),
    departmentsTakingPart: num(h.departments_taking_part),
    departmentShare: rate(h.department_share),
    tasks: num(h.tasks),
    jointTasks: num(h.joint_tasks),
    jointTaskShare: rate(h.joint_task_share),
    tasksByKind: { general: num(h.general_tasks), key: num(h.key_tasks), special: num(h.special_tasks) },
    draws: { drawn: num(h.draws_drawn), voided: num(h.draws_voided), pending: num(h.draws_pending) },
    entities: num(h.entities),
    entitiesDrawn: num(h.entities_drawn),
    entitiesInspected: num(h.entities_inspected),
    entitiesRecognised: num(h.entities_recognised),
    drawnShare: rate(h.drawn_share),
    inspectedShare: rate(h.inspected_share),
    enteredRate: rate(h.entered_rate),
    ...deadlineCounts(h),
  };
}

/** The report of one scope from the tables buildPopulation and buildYear left on this connection. */
export async function coverageReport(q: Queryable, scope: CoverageScope): Promise<CoverageReport> {
  if (scope.city != null && !/^\d{4}00$/.test(scope.city)) throw new CoverageInputError('city', scope.city, '地级市代码（6 位，以 00 结尾） a prefecture-level city code: 6 digits ending in 00, e.g. 440300');
  const department = scope.department ?? null;
  const city = scope.city ?? null;
  let cityName: CoverageReport['city'] = null;
  if (city) {
    const row = await q.one<{ name_zh: string; name_en: string }>(sql`SELECT name_zh, name_en FROM regions WHERE code = ${city} AND level = 'city'`);
    if (!row) throw new CoverageInputError('city', city, '不是广东省的地级市 not a prefecture-level city of the province (see the regions table)');
    cityName = { code: city, nameZh: row.name_zh, nameEn: row.name_en };
  }
  if (department && !(await q.one(sql`SELECT 1 FROM departments WHERE code = ${department}`)))
    throw new CoverageInputError('department', department, '没有这个部门 no such department (see the departments table)');
  const params = { year: scope.year, department, city };
  const h = (await q.one<Row>(query('headline', { ...params, asof: null, day: scope.today })))!;
  // The headline as it stood at the end of the same day last month (Asia/Shanghai), for the change since then.
  const monthAgo = monthBefore(scope.today);
  const before = (await q.one<Row>(query('headline', { ...params, asof: `${monthAgo}T23:59:59.999+08:00`, day: monthAgo })))!;
  const tiers = await q.query<Row>(query('tiers', { department, city }));
  const deadlinesBy = (grouping: string, where: { department: string | null; city: string | null }) => query('deadlines-by', { grouping: sql.id(grouping), ...where });
  const cities = await q.query<Row>(query('cities', { year: scope.year, department, due: deadlinesBy('city_code', { department, city: null }) }));
  const departments = await q.query<Row>(query('departments', { ...params, due: deadlinesBy('department_code', { department: null, city }) }));
  const policy = await q.one<{ frequency_per_year: number; policy_version: number }>(
    sql`SELECT any_value(frequency_per_year) AS frequency_per_year, any_value(policy_version) AS policy_version FROM coverage_policy`,
  );
  return {
    year: scope.year,
    today: scope.today,
    department,
    city: cityName,
    policy: { version: num(policy?.policy_version), frequencyPerYear: num(policy?.frequency_per_year) },
    headline: headlineOf(h),
    monthAgo: { day: monthAgo, headline: headlineOf(before) },
    tiers: tiers.map((r) => ({
      tier: r.tier as Tier,
      ratioBp: num(r.ratio_bp),
      frequencyPerYear: num(r.frequency_per_year),
      targetBp: num(r.target_bp),
      entities: num(r.entities),
      target: num(r.target),
      drawn: num(r.drawn),
      inspected: num(r.inspected),
      drawnShare: rate(r.drawn_share),
      inspectedShare: rate(r.inspected_share),
      attainment: rate(r.attainment),
    })),
    cities: cities.map((r) => ({
      code: r.code as string,
      nameZh: r.name_zh as string,
      nameEn: r.name_en as string,
      entities: num(r.entities),
      target: num(r.target),
      tasks: num(r.tasks),
      itemsCovered: num(r.items_covered),
      entitiesDrawn: num(r.entities_drawn),
      entitiesInspected: num(r.entities_inspected),
      coverageRate: rate(r.coverage_rate),
      attainment: rate(r.attainment),
      inspectedShare: rate(r.inspected_share),
      ...deadlineCounts(r),
    })),
    departments: departments.map((r) => ({
      code: r.code as string,
      nameZh: r.name_zh as string,
      nameEn: r.name_en as string,
      itemsInForce: num(r.items_in_force),
      itemsCovered: num(r.items_covered),
      itemCoverageRate: rate(r.item_coverage_rate),
      tasks: num(r.tasks),
      leadTasks: num(r.lead_tasks),
      jointTasks: num(r.joint_tasks),
      entitiesDrawn: num(r.entities_drawn),
      entitiesInspected: num(r.entities_inspected),
      ...deadlineCounts(r),
    })),
  };
}

/** Builds everything and answers one scope, without caching (tests, one-off reports). Leaves its temp tables on `q`. */
export async function computeCoverage(q: Queryable, scope: CoverageScope): Promise<CoverageReport> {
  await buildPopulation(q);
  await buildYear(q, scope);
  return coverageReport(q, scope);
}
