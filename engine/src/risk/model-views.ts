// Risk model versions as the ratios page reads them: the backtest's headline figures, the lift curve, the hit rate per
// tier; and fitting a new version for a server, one fit at a time.
import type { Db, Queryable } from '../db/duckdb.ts';
import { EngineError } from '../kernel/errors.ts';
import { TIERS, type Tier } from '../kernel/schema.ts';
import type { Principal } from '../auth/roles.ts';
import { fitAndScore, loadModel, type ModelSummary } from './index.ts';
import type { AucGainView, FitAnswer, LiftPoint, ModelBacktest, ModelView, SegmentView, TierCalibration, TierOutcome } from './schemas.ts';
import { SEGMENT_BIAS_LIMIT, showsBias, type BacktestResult, type ModelGain, type RankingFigures, type SegmentCheck, type TierOutcome as BacktestTier } from './backtest.ts';

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A stored model version as the API shows it: the backtest's headline figures and per-tier outcomes, not its params. */
export function modelView(m: Pick<ModelSummary, 'version' | 'fittedAt' | 'fittedBy' | 'method' | 'asOf' | 'metrics' | 'cutoffs' | 'current'>): ModelView {
  const metrics = m.metrics;
  const backtest = asObject(metrics.backtest);
  const training = asObject(metrics.training);
  return {
    version: m.version,
    fittedAt: m.fittedAt,
    fittedBy: m.fittedBy,
    method: m.method,
    asOf: m.asOf,
    current: m.current,
    ...(m.cutoffs?.counts ? { tierCounts: m.cutoffs.counts } : {}),
    metrics: {
      auc: numOrNull(metrics.auc),
      hitRateByTier: asObject(metrics.hitRateByTier) as ModelView['metrics']['hitRateByTier'],
      liftAt: asObject(metrics.liftAt) as ModelView['metrics']['liftAt'],
      daysEarlier: numOrNull(metrics.daysEarlier),
      truthSpearman: numOrNull(metrics.truthSpearman),
      testYear: backtest && typeof backtest.testYear === 'number' ? backtest.testYear : null,
      ...(backtest?.tiers ? { tiers: backtest.tiers as Record<string, TierOutcome> } : {}),
      ...(backtest?.test ? { test: backtest.test as ModelView['metrics']['test'] } : {}),
      ...(training ? { training: { years: training.years as number[], rows: training.rows as number, events: training.events as number, auc: numOrNull(training.auc) } } : {}),
      ...(typeof metrics.backtestSkipped === 'string' ? { backtestSkipped: metrics.backtestSkipped } : {}),
    },
  };
}

/**
 * The lift curve of a model's backtest: the share of the test year's findings found when inspecting the top share by
 * score. Stored at fit time (metrics.backtest.liftCurve); for versions fitted before it was stored, the points the
 * stored lift-at figures give (lift x share), with the ends (0, 0) and (1, 1).
 */
export function liftCurveOf(metrics: Json): { source: 'curve' | 'liftAt' | 'none'; points: LiftPoint[] } {
  const backtest = asObject(metrics.backtest);
  const stored = backtest?.liftCurve;
  if (Array.isArray(stored) && stored.length) return { source: 'curve', points: stored as LiftPoint[] };
  const liftAt = asObject(metrics.liftAt);
  if (!liftAt) return { source: 'none', points: [] };
  const inner = Object.entries(liftAt)
    .map(([share, lift]) => ({ share: Number(share), lift: numOrNull(lift) }))
    .filter((p): p is { share: number; lift: number } => p.lift !== null && Number.isFinite(p.share))
    .sort((a, b) => a.share - b.share)
    .map((p) => ({ share: p.share, found: Math.min(1, p.lift * p.share) }));
  if (!inner.length) return { source: 'none', points: [] };
  return { source: 'liftAt', points: [{ share: 0, found: 0 }, ...inner, { share: 1, found: 1 }] };
}

/** A model version's backtest: lift curve, AUC, days earlier and the hit rate per tier. */
export async function modelBacktest(q: Queryable, version: number): Promise<ModelBacktest> {
  const model = await loadModel(q, version);
  if (!model)
    throw new EngineError('not_found', 'model.not_found', { zh: `没有风险模型版本 ${version}`, en: `no risk model version ${version}` }, { version });
  const summary = modelView({ ...model, current: false }).metrics;
  const curve = liftCurveOf(model.metrics);
  const stored = asObject(model.metrics.backtest) as Partial<BacktestResult> | null;
  const tiers = (stored?.tiers ?? summary.tiers ?? {}) as Partial<Record<Tier, Partial<StoredTier>>>;
  const ranking = (r: RankingFigures) => ({ auc: r.auc, liftAt: r.liftAt });
  return {
    version: model.version,
    testYear: summary.testYear,
    source: curve.source,
    liftCurve: curve.points,
    auc: summary.auc,
    ...(stored?.liftAt ? { liftAt: stored.liftAt } : {}),
    daysEarlier: summary.daysEarlier,
    tiers: TIERS.filter((t) => tiers[t]).map((t) => tierCalibration(t, tiers[t]!)),
    ...(summary.test ? { test: summary.test } : {}),
    ...(stored?.weighting ? { weighting: stored.weighting } : {}),
    ...(stored?.baselines
      ? { baselines: { logistic: { ...ranking(stored.baselines.logistic), ...gainView(stored.baselines.logistic.gain) }, bestFeature: { column: stored.baselines.bestFeature.column, label: stored.baselines.bestFeature.label, ...ranking(stored.baselines.bestFeature) } } }
      : {}),
    ...(stored?.segments ? { segments: stored.segments.map(segmentView), segmentBiasLimit: SEGMENT_BIAS_LIMIT } : {}),
    ...(summary.backtestSkipped ? { backtestSkipped: summary.backtestSkipped } : {}),
  };
}

/** The model's gain over the logistic regression, where the backtest measured it. */
function gainView(gain: ModelGain | null | undefined): { gain?: AucGainView } {
  return gain ? { gain: { difference: gain.difference, low: gain.low, high: gain.high, se: gain.se, replicates: gain.replicates, rows: gain.rows } } : {};
}

type StoredTier = TierOutcome & Partial<Pick<BacktestTier, 'predicted' | 'observed'>>;

/** A tier's counts, with the predicted rate against the observed and its interval where the backtest kept them. */
function tierCalibration(tier: Tier, t: Partial<StoredTier>): TierCalibration {
  return {
    tier,
    population: t.population ?? 0,
    inspected: t.inspected ?? 0,
    found: t.found ?? 0,
    hitRate: t.hitRate ?? null,
    ...(t.observed ? { predicted: t.predicted ?? null, observedLow: t.observed.low, observedHigh: t.observed.high } : {}),
  };
}

function segmentView(s: SegmentCheck): SegmentView {
  return {
    family: s.family,
    segment: s.segment,
    label: s.label,
    population: s.population,
    meanPercentile: s.meanPercentile,
    tested: s.observed.n,
    observed: s.observed.rate,
    bias: s.bias,
    biasLow: s.biasLow,
    biasHigh: s.biasHigh,
    showsBias: showsBias(s),
    ...(s.truthBias !== undefined ? { truthBias: s.truthBias } : {}),
  };
}

/** Fits for a server: a backtest, a new version fitted on prior results and every active entity scored; one at a time. */
export class ModelFits {
  private running: Promise<unknown> | null = null;

  constructor(private readonly db: Db) {}

  async fit(caller: Principal, options: { asOf?: string; testYear?: number; backtest?: boolean }): Promise<FitAnswer> {
    if (this.running)
      throw new EngineError('conflict', 'model.fit_running', { zh: '已有模型拟合在运行，请稍后', en: 'a model fit is already running: try again when it has finished' });
    const run = fitAndScore(this.db, { actor: caller.username, ...options });
    this.running = run;
    try {
      const result = await run;
      const stored = await loadModel(this.db, result.score.version);
      return {
        model: modelView({ ...stored!, current: true }),
        entities: result.score.entities,
        tierCounts: result.score.tierCounts,
        timingsMs: result.score.timingsMs,
        fitMs: result.fitMs,
        ...(result.backtestSkipped ? { backtestSkipped: result.backtestSkipped } : {}),
      };
    } finally {
      this.running = null;
    }
  }
}
