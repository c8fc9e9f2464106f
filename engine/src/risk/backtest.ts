// Backtest: fit on the years before T with data up to the end of T-1, score every entity as of that day, and test on
// year T's inspections. Where the data record how objects were selected, only random draws count and each tested
// entity weighs the inverse of its selection probability, so that the figures speak for the whole population, not for
// whoever was inspected. Reported: ROC AUC, lift at 5/10/20%, hit rate and calibration per tier (predicted against
// observed with intervals), the same for a logistic regression on the same features and for the best single feature,
// segment checks (mean score percentile against what the segment's findings imply), how many days earlier the
// findings would have come (Chicago's measure), and on synthetic data the agreement with the hidden propensity.
import { existsSync } from 'node:fs';
import { probit } from 'simple-statistics';
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql, sqlFolder, type Sql } from '../db/sql.ts';
import { fitOn, type FitOptions, type TrainingSummary } from './model.ts';
import { featuresQuery, UNORDERED } from './features.ts';
import { cutoffsFromHistogram, tierSql, DEFAULT_TIER_SHARES, TIERS, type Cutoffs, type Tier, type TierRule } from './tiers.ts';
import { liftAt, liftCurve, pairedAucBootstrap, rocAuc, type AucDifference, type LiftPoint, type ScoreGroup } from './metrics.ts';
import { binCodeSql, decodeBins, scoreFromCodeSql, type Label, type ScorecardParams } from './scorecard.ts';
import { percentileBias, percentileCurve, singleFeatureAuc, weightedRate, type CodeOutcome, type PercentileBin, type RateInterval } from './evaluate.ts';
import { fitLogisticBaseline, type FeatureRow } from './baseline.ts';
import { countedVisits, inverseProbability, selectionRecorded, visitsQuery } from './selection.ts';

const query = sqlFolder(import.meta.url);
import { RiskDataError } from './errors.ts';

export const LIFT_SHARES = ['0.05', '0.1', '0.2'] as const;
/** Shares inspected at which the lift curve is kept with the model (0, 1%, ..., 100%). */
export const LIFT_CURVE_SHARES: readonly number[] = Array.from({ length: 101 }, (_, i) => i / 100);
/** A segment whose score percentile sits further than this from what its findings imply is flagged. */
export const SEGMENT_BIAS_LIMIT = 0.05;
/** The baseline is fitted and tested on at most this many rows each (a fixed hash sample above it). */
const BASELINE_ROWS = 200_000;
/** Replicates of the paired bootstrap of the model's AUC gain over the logistic regression, and its fixed seed. */
const GAIN_REPLICATES = 1000;
const GAIN_SEED = 1;

export interface BacktestOptions extends Omit<FitOptions, 'asOf' | 'beforeYear'> {
  /** The test year T (default: the latest year with results that has a training year before it). */
  testYear?: number;
  rule?: TierRule;
  /** The generator's truth.csv (uscc, propensity): read for the truth figures only, never stored. */
  truthPath?: string;
  /** Spearman runs on at most this many entities (a fixed hash sample above it). */
  truthSampleMax?: number;
}

export interface TierOutcome {
  /** Entities in the tier as of T's start, of them tested in T, of those with a finding (counts, unweighted). */
  population: number;
  inspected: number;
  found: number;
  /** Weighted share of the tested with a finding (the population's rate, estimated). */
  hitRate: number | null;
  /** The scores' predicted finding rate (weighted mean over the tested) against the observed, with its 95% interval. */
  predicted: number | null;
  observed: RateInterval;
}

export interface RankingFigures {
  auc: number | null;
  liftAt: Record<(typeof LIFT_SHARES)[number], number | null>;
}

export interface SegmentCheck {
  family: 'records' | 'district_findings' | 'district_complaints' | 'complaint_trend';
  segment: string;
  label: Label;
  /** Scored entities in the segment, and their mean score percentile in the population (0..1). */
  population: number;
  meanPercentile: number;
  observed: RateInterval;
  predicted: number | null;
  /**
   * Score percentile against what the segment's findings imply (negative: it scores lower than its findings say), with
   * the range its observed rate's interval allows (`observed` here: intervals that hold for every segment at once);
   * null without tested entities. A segment shows a bias when the whole range lies beyond SEGMENT_BIAS_LIMIT.
   */
  bias: number | null;
  biasLow: number | null;
  biasHigh: number | null;
  /** With a truth file: the mean percentile of the hidden propensity, and the score's against it. */
  truthPercentile?: number;
  truthBias?: number;
}

/** A segment shows a bias when the whole range its findings allow lies beyond SEGMENT_BIAS_LIMIT, either way. */
export function showsBias(s: Pick<SegmentCheck, 'biasLow' | 'biasHigh'>): boolean {
  return (s.biasLow !== null && s.biasLow > SEGMENT_BIAS_LIMIT) || (s.biasHigh !== null && s.biasHigh < -SEGMENT_BIAS_LIMIT);
}

/** The paired bootstrap's figures, and how long it took. */
export type ModelGain = AucDifference & { elapsedMs: number };

export interface BacktestResult {
  testYear: number;
  /** Features and the fit used only records dated on or before this day (the end of T-1). */
  asOf: string;
  training: TrainingSummary;
  /** Years present in the rows the model was trained on (always < testYear). */
  trainingRowYears: number[];
  /**
   * inverse-probability: T's random draws with a recorded selection probability, each tested entity weighted by its
   * inverse; unweighted: no selection recorded, every visit of T counts and each entity once.
   */
  weighting: 'inverse-probability' | 'unweighted';
  test: {
    /** Tested entities (inspected in T, existing at T's start; random draws only when weighted). */
    entities: number;
    withFinding: number;
    /** Weighted share with a finding. */
    hitRate: number;
    visits: number;
    excludedNewEntities: number;
    /** Visits of T not counted: targeted, complaint-driven, or random without a known probability. */
    leftOut: { targeted: number; complaint: number; unrecorded: number };
  };
  auc: number | null;
  hitRateByTier: Record<Tier, number | null>;
  tiers: Record<Tier, TierOutcome>;
  liftAt: RankingFigures['liftAt'];
  /** Share of T's findings found when inspecting the top share by score (random: the diagonal). */
  liftCurve: LiftPoint[];
  baselines: {
    /**
     * A logistic regression on the same features, rows and weights; `gain`: the model's AUC minus the regression's on
     * the rows the regression is tested on, with a paired bootstrap's 95% interval (null without both outcomes).
     */
    logistic: RankingFigures & { columns: number; gain: ModelGain | null };
    /** The feature that ranks best alone (by the training WoE of its bins), and every feature's AUC alone. */
    bestFeature: RankingFigures & { column: string; label: Label };
    features: Array<{ column: string; label: Label; auc: number | null }>;
  };
  segments: SegmentCheck[];
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
                       (SELECT CAST(timezone('Asia/Shanghai', min(received_at)) AS DATE) FROM complaints)) AS first_day
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

const TEMP_TABLES = ['risk_cell_months', 'risk_cell_ages', 'bt_features', 'bt_scored', 'bt_tested', 'bt_percentiles', 'bt_segments', 'bt_truth', 'risk_training', 'risk_training_codes', 'risk_labels', 'risk_training_teams', 'risk_inspector_effects'];

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
  const testEnd = `${testYear}-12-31`;
  const model = await fitOn(q, { ...options, asOf, beforeYear: testYear });
  const { params } = model;
  const trainingRowYears = (await q.query<{ year: number }>(sql`SELECT DISTINCT year FROM risk_training ORDER BY year`)).map((r) => r.year);
  const weighted = await selectionRecorded(q, testEnd);

  // everyone who existed at T's start and is active now or was inspected in T, with features, bin code and score
  const population = { predicate: sql`o.status = 'active' OR o.id IN (SELECT object_id FROM inspection_results WHERE year(inspected_on) = ${testYear})` };
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE bt_features AS
    SELECT *, (${binCodeSql(params.features)})::UBIGINT AS bin_code FROM (${featuresQuery(population, asOf)}) f`);
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE bt_scored AS SELECT object_id, bin_code, ${scoreFromCodeSql(params)} AS score FROM bt_features`);
  const cutoffs = cutoffsFromHistogram(await q.query(sql`SELECT score, count(*)::DOUBLE AS count FROM bt_scored GROUP BY score`), options.rule ?? { mode: 'shares', shares: DEFAULT_TIER_SHARES });
  // each score's mid-rank percentile in the population (scores take one value per bin code: a few thousand)
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE bt_percentiles AS
    SELECT score, (sum(n) OVER (ORDER BY score ROWS UNBOUNDED PRECEDING) - n / 2.0) / sum(n) OVER () AS percentile
    FROM (SELECT score, count(*) AS n FROM bt_scored GROUP BY score) s`);
  // the tested, with their percentile, tier and the effect of the inspectors who visited them (estimated in the fit)
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE bt_tested AS
    WITH tested AS (${query('backtest-tested', { visits: visitsQuery(testYear, testEnd), scored: sql`bt_scored`, test_year: testYear, counted: countedVisits(weighted), weight: inverseProbability(weighted) })}),
    offsets AS (
      SELECT t.object_id, avg(e.effect) AS team_offset
      FROM tested t, unnest(t.team) u(inspector) JOIN risk_inspector_effects e ON e.inspector = u.inspector
      GROUP BY t.object_id
    )
    SELECT t.*, p.percentile, ${tierSql(cutoffs.thresholds, sql`t.score`)} AS tier, coalesce(o.team_offset, 0) AS team_offset
    FROM tested t JOIN bt_percentiles p ON p.score = t.score LEFT JOIN offsets o ON o.object_id = t.object_id`);

  const counts = (await q.one<{ entities: number; found: number; weight: number; weighted_found: number; visits: number; inspected: number; targeted: number; complaint: number; unrecorded: number }>(
    sql`WITH v AS (SELECT * FROM (${visitsQuery(testYear, testEnd)}) v)
        SELECT (SELECT count(*) FROM bt_tested) AS entities, (SELECT count(*) FILTER (WHERE found) FROM bt_tested) AS found,
               (SELECT sum(weight) FROM bt_tested) AS weight, (SELECT sum(weight) FILTER (WHERE found) FROM bt_tested) AS weighted_found,
               (SELECT count(*) FROM v SEMI JOIN bt_scored s ON s.object_id = v.object_id) AS visits,
               (SELECT count(DISTINCT object_id) FROM v) AS inspected,
               (SELECT count(*) FILTER (WHERE selection = 'targeted') FROM v) AS targeted,
               (SELECT count(*) FILTER (WHERE selection = 'complaint') FROM v) AS complaint,
               (SELECT count(*) FILTER (WHERE ${weighted} AND (selection IS NULL OR (selection = 'random' AND probability IS NULL))) FROM v) AS unrecorded`,
  ))!;
  const groups = await q.query<ScoreGroup>(
    sql`SELECT score, coalesce(sum(weight) FILTER (WHERE found), 0)::DOUBLE AS positives, coalesce(sum(weight) FILTER (WHERE NOT found), 0)::DOUBLE AS negatives FROM bt_tested GROUP BY score`,
  );
  const ranking = (g: ScoreGroup[]): RankingFigures => ({
    auc: rocAuc(g),
    liftAt: Object.fromEntries(LIFT_SHARES.map((s) => [s, liftAt(g, Number(s))])) as RankingFigures['liftAt'],
  });
  const tiers = await tierOutcomes(q, cutoffs);
  const truth = options.truthPath !== undefined ? await loadTruth(q, options.truthPath, options.truthSampleMax ?? 1_000_000) : undefined;

  const result: BacktestResult = {
    testYear,
    asOf,
    training: model.training,
    trainingRowYears,
    weighting: weighted ? 'inverse-probability' : 'unweighted',
    test: {
      entities: counts.entities ?? 0,
      withFinding: counts.found ?? 0,
      hitRate: counts.weight ? (counts.weighted_found ?? 0) / counts.weight : 0,
      visits: counts.visits ?? 0,
      excludedNewEntities: (counts.inspected ?? 0) - (counts.entities ?? 0),
      leftOut: { targeted: counts.targeted ?? 0, complaint: counts.complaint ?? 0, unrecorded: counts.unrecorded ?? 0 },
    },
    ...ranking(groups),
    hitRateByTier: Object.fromEntries(TIERS.map((t) => [t, tiers[t].hitRate])) as Record<Tier, number | null>,
    tiers,
    liftCurve: liftCurve(groups, LIFT_CURVE_SHARES),
    baselines: await baselines(q, params, ranking),
    segments: await segmentChecks(q, asOf, model.training.years, weighted, truth !== undefined),
    daysEarlier: await daysEarlier(q, testYear),
    ...(truth ?? {}),
    cutoffs,
    coefficients: coefficientsOf(params),
    elapsedMs: 0,
  };
  for (const t of TEMP_TABLES) await q.exec(sql`DROP TABLE IF EXISTS ${sql.id(t)}`);
  result.elapsedMs = Date.now() - started;
  return result;
}

function coefficientsOf(params: ScorecardParams): Record<string, number> {
  return Object.fromEntries(params.features.map((f) => [f.column, f.coefficient]));
}

interface WeightedCounts {
  n: number;
  w: number;
  wf: number;
  w2: number;
  /** Σ weight x score: the predicted finding rate times w */
  ws: number;
}
/** Weighted sums of a group of bt_tested rows, for rates, intervals and predictions. */
const WEIGHTED_SUMS = sql`count(*)::DOUBLE AS n, coalesce(sum(weight), 0) AS w, coalesce(sum(weight) FILTER (WHERE found), 0) AS wf,
  coalesce(sum(weight * weight), 0) AS w2, coalesce(sum(weight * score), 0) AS ws`;
const rateOf = (c: WeightedCounts | undefined, z?: number) => weightedRate(c?.w ?? 0, c?.wf ?? 0, c?.w2 ?? 0, c?.n ?? 0, z);

async function tierOutcomes(q: Queryable, cutoffs: Cutoffs): Promise<Record<Tier, TierOutcome>> {
  const rows = await q.query<{ tier: Tier; population: number; found: number } & WeightedCounts>(
    sql`WITH pop AS (SELECT ${tierSql(cutoffs.thresholds)} AS tier, count(*) AS population FROM bt_scored GROUP BY 1),
             tested AS (SELECT tier, count(*) FILTER (WHERE found) AS found, ${WEIGHTED_SUMS} FROM bt_tested GROUP BY tier)
        SELECT pop.tier, pop.population, coalesce(tested.found, 0) AS found, tested.* EXCLUDE (tier, found)
        FROM pop LEFT JOIN tested ON tested.tier = pop.tier`,
  );
  const empty = (): TierOutcome => ({ population: 0, inspected: 0, found: 0, hitRate: null, predicted: null, observed: weightedRate(0, 0, 0, 0) });
  const tiers = Object.fromEntries(TIERS.map((t) => [t, empty()])) as Record<Tier, TierOutcome>;
  for (const r of rows) {
    const observed = rateOf(r);
    tiers[r.tier] = { population: r.population, inspected: r.n ?? 0, found: r.found, hitRate: observed.rate, predicted: r.w ? r.ws / r.w : null, observed };
  }
  return tiers;
}

/** The logistic regression on the same features, and each feature alone, on the same tested entities and weights. */
async function baselines(q: Queryable, params: ScorecardParams, ranking: (g: ScoreGroup[]) => RankingFigures): Promise<BacktestResult['baselines']> {
  const columns = sql.join(params.features.map((f) => sql.id(f.column)));
  const sample = async <Extra,>(table: Sql, extra: Sql, order = sql.empty) => {
    const n = (await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM ${table}`))?.n ?? 0;
    const every = Math.max(1, Math.ceil(n / BASELINE_ROWS));
    return q.query<FeatureRow & { found: boolean; weight: number } & Extra>(sql`SELECT ${columns}, ${extra} FROM ${table} WHERE hash(object_id) % ${every} = 0 ${order}`);
  };
  const training = await sample(sql`risk_training`, sql`found, weight`);
  // in a fixed order, so that the bootstrap's resampling is the same each run
  const tested = await sample<{ model_score: number }>(
    sql`(SELECT f.*, t.found, t.weight, t.score AS model_score FROM bt_features f JOIN bt_tested t USING (object_id))`,
    sql`found, weight, model_score`,
    sql`ORDER BY object_id`,
  );
  const model = fitLogisticBaseline(params.features, training);
  const paired = tested.map((r) => ({ first: r.model_score, second: model.predict(r), weight: r.weight, positive: r.found }));
  const logisticGroups: ScoreGroup[] = paired.map((r) => ({ score: r.second, positives: r.positive ? r.weight : 0, negatives: r.positive ? 0 : r.weight }));
  const bootstrapStarted = Date.now();
  const gain = pairedAucBootstrap(paired, { replicates: GAIN_REPLICATES, seed: GAIN_SEED });
  const gainElapsedMs = Date.now() - bootstrapStarted;

  const outcomes = await q.query<CodeOutcome>(
    sql`SELECT bin_code::VARCHAR AS "binCode", coalesce(sum(weight) FILTER (WHERE found), 0)::DOUBLE AS positives,
               coalesce(sum(weight) FILTER (WHERE NOT found), 0)::DOUBLE AS negatives
        FROM bt_tested GROUP BY bin_code`,
  );
  const features = params.features.map((f, i) => {
    const binOf = (code: string) => decodeBins(code, params.features.length)[i];
    return { column: f.column, label: f.label, auc: singleFeatureAuc(outcomes, binOf, (bin) => f.bins[bin]?.woe ?? 0), binOf, woe: (bin: number) => f.bins[bin]?.woe ?? 0 };
  });
  const best = features.reduce((a, b) => ((b.auc ?? 0) > (a.auc ?? 0) ? b : a));
  const bestGroups = new Map<number, ScoreGroup>();
  for (const o of outcomes) {
    const bin = best.binOf(o.binCode);
    const g = bestGroups.get(bin) ?? { score: best.woe(bin), positives: 0, negatives: 0 };
    g.positives += o.positives;
    g.negatives += o.negatives;
    bestGroups.set(bin, g);
  }
  return {
    logistic: { ...ranking(logisticGroups), columns: model.columns, gain: gain && { ...gain, elapsedMs: gainElapsedMs } },
    bestFeature: { column: best.column, label: best.label, ...ranking([...bestGroups.values()]) },
    features: features.map(({ column, label, auc }) => ({ column, label, auc })),
  };
}

const SEGMENT_LABELS: Record<SegmentCheck['family'], (segment: string) => Label> = {
  records: (s) => (s === 'with' ? { zh: '有记录的主体', en: 'entities with records' } : { zh: '无任何记录的主体', en: 'entities without records' }),
  district_findings: (s) => ({ zh: `区县发现率第${s.slice(1)}组(1最低)`, en: `districts by finding rate, group ${s.slice(1)} of 5 (1 lowest)` }),
  district_complaints: (s) => ({ zh: `区县投诉量第${s.slice(1)}组(1最少)`, en: `districts by complaints per entity, group ${s.slice(1)} of 5 (1 fewest)` }),
  complaint_trend: (s) => (s === 'rising' ? { zh: '投诉近3个月上升的行业×地市', en: 'industry x city cells with complaints rising over 3 months' } : { zh: '其余行业×地市', en: 'other industry x city cells' }),
};

/**
 * Segment checks: each segment's mean score percentile in the population against the percentile its observed finding
 * rate implies on the test year's calibration curve (and, with a truth file, the hidden propensity's percentile).
 */
async function segmentChecks(q: Queryable, asOf: string, trainingYears: number[], weighted: boolean, withTruth: boolean): Promise<SegmentCheck[]> {
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE bt_segments AS
    ${query('backtest-segments', { features: sql`bt_features`, visits: visitsQuery(Math.min(...trainingYears), asOf), counted: countedVisits(weighted), weight: inverseProbability(weighted), as_of: asOf })}`);
  const curveBins = await q.query<PercentileBin>(
    sql`SELECT avg(percentile) AS percentile, sum(weight) AS weight, coalesce(sum(weight) FILTER (WHERE found), 0) AS found
        FROM bt_tested GROUP BY least(floor(percentile * 20), 19)`,
  );
  const curve = percentileCurve(curveBins);
  const populations = await q.query<{ family: SegmentCheck['family']; segment: string; population: number; mean_percentile: number; truth_percentile: number | null }>(
    sql`SELECT g.family, g.segment, count(*) AS population, avg(p.percentile) AS mean_percentile,
               ${withTruth ? sql`avg(t.percentile)` : sql`NULL::DOUBLE`} AS truth_percentile
        FROM bt_segments g JOIN bt_scored s USING (object_id) JOIN bt_percentiles p ON p.score = s.score
        ${withTruth ? sql`LEFT JOIN bt_truth t USING (object_id)` : sql.empty}
        GROUP BY ALL ORDER BY g.family, g.segment`,
  );
  const tested = await q.query<{ family: string; segment: string } & WeightedCounts>(
    sql`SELECT g.family, g.segment, ${WEIGHTED_SUMS} FROM bt_segments g JOIN bt_tested USING (object_id) GROUP BY ALL`,
  );
  // per segment, percentile and inspectors' effect (to a tenth): what the scores imply there, with who inspected
  const bins = await q.query<{ family: string; segment: string } & PercentileBin>(
    sql`SELECT g.family, g.segment, avg(t.percentile) AS percentile, sum(t.weight) AS weight, coalesce(sum(t.weight) FILTER (WHERE t.found), 0) AS found,
               round(t.team_offset, 1) AS offset
        FROM bt_segments g JOIN bt_tested t USING (object_id) GROUP BY g.family, g.segment, least(floor(t.percentile * 100), 99), round(t.team_offset, 1)`,
  );
  // intervals that hold for all the segments at once (Bonferroni): with a dozen checks, one would cross a 95% line by chance
  const z = probit(1 - 0.025 / Math.max(1, populations.length));
  return populations.map((p) => {
    const key = (r: { family: string; segment: string }) => r.family === p.family && r.segment === p.segment;
    const counts = tested.find(key);
    const observed = rateOf(counts, z);
    const own = bins.filter(key);
    const biasAt = (rate: number | null) => (rate === null || own.length === 0 ? null : percentileBias(own, curve, rate));
    const [a, b] = [biasAt(observed.low), biasAt(observed.high)];
    return {
      family: p.family,
      segment: p.segment,
      label: SEGMENT_LABELS[p.family](p.segment),
      population: p.population,
      meanPercentile: p.mean_percentile,
      observed,
      predicted: counts?.w ? counts.ws / counts.w : null,
      bias: biasAt(observed.rate),
      biasLow: a === null || b === null ? null : Math.min(a, b),
      biasHigh: a === null || b === null ? null : Math.max(a, b),
      ...(p.truth_percentile !== null ? { truthPercentile: p.truth_percentile, truthBias: p.mean_percentile - p.truth_percentile } : {}),
    };
  });
}

/**
 * Chicago's measure: keep year T's inspection dates, but hand them out in order of predicted risk (highest first,
 * ties in a fixed pseudo-random order) instead of the order they happened; the average of (actual date - new date)
 * over visits with a finding is how many days earlier the findings would have come.
 */
async function daysEarlier(q: Queryable, testYear: number): Promise<number | null> {
  const row = await q.one<{ days: number | null }>(
    sql`WITH visits AS (
       SELECT r.object_id, r.inspected_on, bool_or(oc.is_finding) AS found
       FROM inspection_results r JOIN outcome_codes oc ON oc.code = r.outcome_code
       WHERE year(r.inspected_on) = ${testYear}
       GROUP BY r.object_id, r.inspected_on
     ),
     v AS (
       SELECT v.object_id, v.inspected_on, v.found, s.score,
              row_number() OVER (ORDER BY v.inspected_on, hash(v.object_id)) AS actual_position,
              row_number() OVER (ORDER BY s.score DESC, hash(v.object_id || ':' || v.inspected_on::VARCHAR)) AS risk_position
       FROM visits v JOIN bt_scored s ON s.object_id = v.object_id
     ),
     dates AS (SELECT actual_position AS position, inspected_on AS day FROM v)
     SELECT avg(v.inspected_on - d.day) FILTER (WHERE v.found) AS days
     FROM v JOIN dates d ON d.position = v.risk_position`,
  );
  return row?.days ?? null;
}

/**
 * Reads the truth file into bt_truth (object_id, propensity, percentile among the scored population) and returns the
 * Spearman rank correlation (average ranks for ties) of the score with the propensity.
 */
async function loadTruth(q: Queryable, path: string, sampleMax: number): Promise<{ truthSpearman: number | null; truthEntities: number }> {
  await q.exec(
    sql`CREATE OR REPLACE TEMP TABLE bt_truth AS
        SELECT t.object_id, t.propensity, (rank() OVER (ORDER BY t.propensity) - 0.5) / count(*) OVER () AS percentile
        FROM (SELECT upper(trim(uscc)) AS object_id, CAST(propensity AS DOUBLE) AS propensity
              -- only the two columns it needs, whatever else the file holds
              FROM read_csv(${path}, header = true, all_varchar = true)) t
        SEMI JOIN bt_scored s ON s.object_id = t.object_id`,
  );
  const n = (await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM bt_truth`))?.n ?? 0;
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
  return { truthSpearman: row?.rho ?? null, truthEntities: row?.n ?? 0 };
}
