// The risk engine's library surface (for the CLI, the API and the demo), and the fit-and-score run behind `fairdraw score`.
import type { Db } from '../db/duckdb.ts';
import { referenceDate } from './features.ts';
import { fitModel, type FitOptions } from './model.ts';
import { scoreEntities, type ScoreSummary } from './score.ts';
import { backtest, type BacktestResult } from './backtest.ts';
import type { TierRule } from './tiers.ts';
import type { FittedModel } from './model.ts';
import { RiskDataError } from './errors.ts';

export { computeFeatures, featuresQuery, referenceDate, refreshFactsTable, storedFeaturesQuery } from './features.ts';
export { rescoreEntities, type RescoreOptions, type RescoreSummary } from './rescore.ts';
export { isFresh, recordSourceWrite, refreshDerivedTable, type RefreshResult } from '../kernel/derived.ts';
export { fitModel, listModels, loadModel, saveModel, type FittedModel, type StoredModel, type ModelSummary } from './model.ts';
export { scoreEntities, explain, explainMany, type Explanation, type ScoreSummary } from './score.ts';
export { backtest, defaultTestYear, type BacktestResult } from './backtest.ts';
export { parseTierRule, DEFAULT_TIER_SHARES, type TierRule, type Cutoffs } from './tiers.ts';

export interface FitAndScoreOptions extends Omit<FitOptions, 'asOf'> {
  actor: string;
  asOf?: string;
  rule?: TierRule;
  /** Run the backtest first and keep its figures with the version (default true). */
  backtest?: boolean;
  testYear?: number;
  /** The generator's truth.csv, read by the backtest only. */
  truthPath?: string;
}

export interface FitAndScoreResult {
  model: FittedModel;
  score: ScoreSummary;
  backtest: BacktestResult | null;
  backtestSkipped?: string;
  fitMs: number;
}

/** The backtest's figures as stored in risk_models.metrics (hitRateByTier at the top for the policy preview). */
export function backtestMetrics(b: BacktestResult): Record<string, unknown> {
  return {
    auc: b.auc,
    hitRateByTier: b.hitRateByTier,
    liftAt: b.liftAt,
    daysEarlier: b.daysEarlier,
    ...(b.truthSpearman !== undefined ? { truthSpearman: b.truthSpearman } : {}),
    backtest: { ...b, training: { years: b.training.years, rows: b.training.rows, events: b.training.events, auc: b.training.auc } },
  };
}

/** `fairdraw score`: backtest the method, fit on everything up to the reference date, score, store a new version. */
export async function fitAndScore(db: Db, options: FitAndScoreOptions): Promise<FitAndScoreResult> {
  const asOf = options.asOf ?? (await referenceDate(db));
  if (!asOf) throw new RiskDataError('model.no_data', { zh: '没有可评分的数据：投诉和检查结果均为空（请先导入检查结果）', en: 'no data to score: complaints and inspection_results are empty (import results first)' });
  let bt: BacktestResult | null = null;
  let backtestSkipped: string | undefined;
  if (options.backtest !== false) {
    try {
      const { features, l2, woePrior, minHistoryDays, testYear, rule, truthPath } = options;
      bt = await backtest(db, { features, l2, woePrior, minHistoryDays, testYear, rule, truthPath });
    } catch (err) {
      if (!(err instanceof RiskDataError) || err.code === 'model.no_data') throw err;
      backtestSkipped = err.text.en;
    }
  }
  const started = Date.now();
  const model = await fitModel(db, { asOf, features: options.features, l2: options.l2, woePrior: options.woePrior, minHistoryDays: options.minHistoryDays });
  const fitMs = Date.now() - started;
  const score = await scoreEntities(db, model, { actor: options.actor, rule: options.rule, metrics: bt ? backtestMetrics(bt) : { backtestSkipped } });
  return { model, score, backtest: bt, backtestSkipped, fitMs };
}
