// Backtest: fit on the years before T with data up to the end of T-1, score every entity as of that day, and
// test on year T's inspections: ROC AUC, hit rate per tier, lift at 5/10/20% inspected, how many days earlier
// the findings would have come had T's inspections run in risk order (Chicago's measure), and on synthetic
// data the rank correlation with the hidden true propensity.
import { existsSync } from 'node:fs';
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { fitOn, type FitOptions, type TrainingSummary } from './model.ts';
import { UNORDERED } from './features.ts';
import { scoreHistogram, scorePopulation } from './score.ts';
import { cutoffsFromHistogram, tierSql, DEFAULT_TIER_SHARES, TIERS, type Cutoffs, type Tier, type TierRule } from './tiers.ts';
import { liftAt, liftCurve, rocAuc, type LiftPoint, type ScoreGroup } from './metrics.ts';
import type { ScorecardParams } from './scorecard.ts';
import { RiskDataError } from './errors.ts';

export const LIFT_SHARES = ['0.05', '0.1', '0.2'] as const;
/** Shares inspected at which the lift curve is kept with the model (0, 1%, ..., 100%). */
export const LIFT_CURVE_SHARES: readonly number[] = Array.from({ length: 101 }, (_, i) => i / 100);

export interface BacktestOptions extends Omit<FitOptions, 'asOf' | 'beforeYear'> {
  /** The test year T (default: the latest year with results that has a training year before it). */
  testYear?: number;
  rule?: TierRule;
  /** The generator's truth.csv (uscc, propensity): read for truthSpearman only, never stored. */
  truthPath?: string;
  /** Spearman runs on at most this many entities (a fixed hash sample above it). */
  truthSampleMax?: number;
}

export interface TierOutcome {
  /** Entities in the tier as of T's start, of them inspected in T, of those with a finding. */
  population: number;
  inspected: number;
  found: number;
  hitRate: number | null;
}

export interface BacktestResult {
  testYear: number;
  /** Features and the fit used only records dated on or before this day (the end of T-1). */
  asOf: string;
  training: TrainingSummary;
  /** Years present in the rows the model was trained on (always < testYear). */
  trainingRowYears: number[];
  test: {
    /** Entities inspected in T that existed at T's start (entities registered during T have no features). */
    entities: number;
    withFinding: number;
    hitRate: number;
    visits: number;
    excludedNewEntities: number;
  };
  auc: number | null;
  hitRateByTier: Record<Tier, number | null>;
  tiers: Record<Tier, TierOutcome>;
  liftAt: Record<(typeof LIFT_SHARES)[number], number | null>;
  /** Share of T's findings found when inspecting the top share by score (random: the diagonal). */
  liftCurve: LiftPoint[];
  /** Average days by which T's findings would have come earlier with T's visits re-ordered by predicted risk. */
  daysEarlier: number | null;
  truthSpearman?: number | null;
  truthEntities?: number;
  cutoffs: Cutoffs;
  coefficients: Record<string, number>;
  elapsedMs: number;
}

/** Latest year with inspection results after the first trainable one. */
export async function defaultTestYear(q: Queryable, minHistoryDays = 365): Promise<number | null> {
  const row = await q.one<{ y: number | null }>(
    sql`WITH data_start AS (
          SELECT least((SELECT min(inspected_on) FROM inspection_results),
                       (SELECT min(CAST(timezone('Asia/Shanghai', received_at) AS DATE)) FROM complaints)) AS first_day
        ),
        years AS (SELECT DISTINCT year(inspected_on)::INTEGER AS y FROM inspection_results),
        trainable AS (SELECT min(y) AS first_y FROM years, data_start WHERE make_date(y, 1, 1) - first_day >= ${minHistoryDays})
        SELECT max(y) AS y FROM years, trainable WHERE y > first_y`,
  );
  return row?.y ?? null;
}

export async function backtest(db: Db, options: BacktestOptions = {}): Promise<BacktestResult> {
  const conn = await db.connection();
  try {
    await conn.exec(UNORDERED);
    return await backtestOn(conn, options);
  } finally {
    conn.close();
  }
}

export async function backtestOn(q: Queryable, options: BacktestOptions = {}): Promise<BacktestResult> {
  const started = Date.now();
  const testYear = options.testYear ?? (await defaultTestYear(q, options.minHistoryDays));
  if (testYear === null || !Number.isInteger(testYear))
    throw new RiskDataError('model.no_test_year', {
      zh: '回测：没有测试年（须至少两年的检查结果，且第一年之前有一年数据）',
      en: 'backtest: no test year (needs inspection results in at least two years, the first with a year of data before it)',
    });
  if (options.truthPath !== undefined && !existsSync(options.truthPath)) throw new Error(`backtest: truth file ${options.truthPath} does not exist`);
  const asOf = `${testYear - 1}-12-31`;
  const model = await fitOn(q, { ...options, asOf, beforeYear: testYear });
  const trainingRowYears = (await q.query<{ year: number }>(sql`SELECT DISTINCT year FROM risk_training ORDER BY year`)).map((r) => r.year);

  // everyone who existed at T's start and is active now or was inspected in T
  const population = { predicate: sql`o.status = 'active' OR o.id IN (SELECT object_id FROM inspection_results WHERE year(inspected_on) = ${testYear})` };
  await scorePopulation(q, model.params, asOf, population, 'bt_scored');
  const cutoffs = cutoffsFromHistogram(await scoreHistogram(q, 'bt_scored'), options.rule ?? { mode: 'shares', shares: DEFAULT_TIER_SHARES });

  await q.exec(
    sql`CREATE OR REPLACE TEMP TABLE bt_visits AS
        SELECT r.object_id, r.inspected_on, bool_or(oc.is_finding) AS found
        FROM inspection_results r JOIN outcome_codes oc ON oc.code = r.outcome_code
        WHERE year(r.inspected_on) = ${testYear}
        GROUP BY r.object_id, r.inspected_on`,
  );
  await q.exec(
    sql`CREATE OR REPLACE TEMP TABLE bt_test AS
        SELECT v.object_id, bool_or(v.found) AS found, any_value(s.score) AS score, ${tierSql(cutoffs.thresholds, sql`any_value(s.score)`)} AS tier
        FROM bt_visits v JOIN bt_scored s ON s.object_id = v.object_id
        GROUP BY v.object_id`,
  );
  const counts = await q.one<{ entities: number; found: number; visits: number; inspected: number }>(
    sql`SELECT (SELECT count(*) FROM bt_test) AS entities, (SELECT count(*) FILTER (WHERE found) FROM bt_test) AS found,
               (SELECT count(*) FROM bt_visits v SEMI JOIN bt_scored s ON s.object_id = v.object_id) AS visits,
               (SELECT count(DISTINCT object_id) FROM bt_visits) AS inspected`,
  );
  const groups = await q.query<ScoreGroup>(
    sql`SELECT score, count(*) FILTER (WHERE found)::DOUBLE AS positives, count(*) FILTER (WHERE NOT found)::DOUBLE AS negatives FROM bt_test GROUP BY score`,
  );
  const tierRows = await q.query<{ tier: Tier; population: number; inspected: number; found: number }>(
    sql`WITH pop AS (SELECT ${tierSql(cutoffs.thresholds)} AS tier, count(*) AS population FROM bt_scored GROUP BY 1),
             tested AS (SELECT tier, count(*) AS inspected, count(*) FILTER (WHERE found) AS found FROM bt_test GROUP BY tier)
        SELECT pop.tier, pop.population, coalesce(tested.inspected, 0) AS inspected, coalesce(tested.found, 0) AS found
        FROM pop LEFT JOIN tested ON tested.tier = pop.tier`,
  );
  const tiers = Object.fromEntries(TIERS.map((t) => [t, { population: 0, inspected: 0, found: 0, hitRate: null }])) as Record<Tier, TierOutcome>;
  for (const r of tierRows) tiers[r.tier] = { population: r.population, inspected: r.inspected, found: r.found, hitRate: r.inspected ? r.found / r.inspected : null };

  const result: BacktestResult = {
    testYear,
    asOf,
    training: model.training,
    trainingRowYears,
    test: {
      entities: counts?.entities ?? 0,
      withFinding: counts?.found ?? 0,
      hitRate: counts?.entities ? counts.found / counts.entities : 0,
      visits: counts?.visits ?? 0,
      excludedNewEntities: (counts?.inspected ?? 0) - (counts?.entities ?? 0),
    },
    auc: rocAuc(groups),
    hitRateByTier: Object.fromEntries(TIERS.map((t) => [t, tiers[t].hitRate])) as Record<Tier, number | null>,
    tiers,
    liftAt: Object.fromEntries(LIFT_SHARES.map((s) => [s, liftAt(groups, Number(s))])) as BacktestResult['liftAt'],
    liftCurve: liftCurve(groups, LIFT_CURVE_SHARES),
    daysEarlier: await daysEarlier(q),
    cutoffs,
    coefficients: coefficientsOf(model.params),
    elapsedMs: 0,
  };
  if (options.truthPath !== undefined) Object.assign(result, await truthSpearman(q, options.truthPath, options.truthSampleMax ?? 1_000_000));
  for (const t of ['bt_scored', 'bt_visits', 'bt_test', 'risk_training', 'risk_training_codes', 'risk_labels']) await q.exec(sql`DROP TABLE IF EXISTS ${sql.id(t)}`);
  result.elapsedMs = Date.now() - started;
  return result;
}

function coefficientsOf(params: ScorecardParams): Record<string, number> {
  return Object.fromEntries(params.features.map((f) => [f.column, f.coefficient]));
}

/**
 * Chicago's measure: keep year T's inspection dates, but hand them out in order of predicted risk (highest first,
 * ties in a fixed pseudo-random order) instead of the order they happened; the average of (actual date - new date)
 * over visits with a finding is how many days earlier the findings would have come.
 */
async function daysEarlier(q: Queryable): Promise<number | null> {
  const row = await q.one<{ days: number | null }>(
    sql`WITH v AS (
       SELECT v.object_id, v.inspected_on, v.found, s.score,
              row_number() OVER (ORDER BY v.inspected_on, hash(v.object_id)) AS actual_position,
              row_number() OVER (ORDER BY s.score DESC, hash(v.object_id || ':' || v.inspected_on::VARCHAR)) AS risk_position
       FROM bt_visits v JOIN bt_scored s ON s.object_id = v.object_id
     ),
     dates AS (SELECT actual_position AS position, inspected_on AS day FROM v)
     SELECT avg(v.inspected_on - d.day) FILTER (WHERE v.found) AS days
     FROM v JOIN dates d ON d.position = v.risk_position`,
  );
  return row?.days ?? null;
}

/** Spearman rank correlation (average ranks for ties) of the score with the truth file's propensity. */
async function truthSpearman(q: Queryable, path: string, sampleMax: number): Promise<{ truthSpearman: number | null; truthEntities: number }> {
  await q.exec(
    sql`CREATE OR REPLACE TEMP TABLE bt_truth AS
        SELECT upper(trim(uscc)) AS object_id, propensity::DOUBLE AS propensity
        FROM read_csv(${path}, header = true, columns = {'uscc': 'VARCHAR', 'propensity': 'DOUBLE'})`,
  );
  const n = (await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM bt_truth t JOIN bt_scored s ON s.object_id = t.object_id`))?.n ?? 0;
  const every = Math.max(1, Math.ceil(n / sampleMax));
  const row = await q.one<{ rho: number | null; n: number }>(
    sql`WITH j AS (
       SELECT s.score, t.propensity FROM bt_truth t JOIN bt_scored s ON s.object_id = t.object_id
       WHERE hash(t.object_id) % ${every} = 0
     ),
     ranked AS (
       SELECT rank() OVER (ORDER BY score) + (count(*) OVER (PARTITION BY score) - 1) / 2.0 AS score_rank,
              rank() OVER (ORDER BY propensity) + (count(*) OVER (PARTITION BY propensity) - 1) / 2.0 AS truth_rank
       FROM j
     )
     SELECT corr(score_rank, truth_rank) AS rho, count(*) AS n FROM ranked`,
  );
  await q.exec(sql`DROP TABLE IF EXISTS bt_truth`);
  return { truthSpearman: row?.rho ?? null, truthEntities: row?.n ?? 0 };
}
