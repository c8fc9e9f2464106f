// Scoring every active entity with a fitted scorecard, cutting tiers, writing risk_scores, and explaining one score.
import type { Db, Queryable } from '../db/duckdb.ts';
import { appendAudit } from '../audit/chain.ts';
import { featuresQuery, UNORDERED, type Population } from './features.ts';
import { binCodeSql, contributions, logOdds, scoreFromCodeSql, type Contribution, type Label, type ScorecardParams } from './scorecard.ts';
import { cutoffsFromHistogram, tierSql, DEFAULT_TIER_SHARES, type Cutoffs, type TierRule, type TierShares, type ScoreBucket } from './tiers.ts';
import { loadModel, saveModel, type FittedModel, type StoredModel } from './model.ts';
import { listValue } from '@duckdb/node-api';

/** Scores of a population as of a date: SELECT object_id, bin_code, score (one row per entity). */
export function scoreQuery(params: ScorecardParams, population: Population): string {
  return `SELECT object_id, bin_code, ${scoreFromCodeSql(params)} AS score
FROM (SELECT object_id, (${binCodeSql(params.features)})::UBIGINT AS bin_code FROM (${featuresQuery(population)}) features) binned`;
}

/** Creates TEMP TABLE `table` (object_id, bin_code, score) on q's connection; returns its row count. */
export async function scorePopulation(q: Queryable, params: ScorecardParams, asOf: string, population: Population, table: string): Promise<number> {
  await q.exec(`CREATE OR REPLACE TEMP TABLE ${table} AS ${scoreQuery(params, population)}`, { as_of: asOf });
  return (await q.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))?.n ?? 0;
}

/** Histogram of a scored table: one row per distinct score (scores take few values: one per bin combination). */
export async function scoreHistogram(q: Queryable, table: string): Promise<ScoreBucket[]> {
  return q.query<ScoreBucket>(`SELECT score, count(*)::DOUBLE AS count FROM ${table} GROUP BY score`);
}

export interface ScoreOptions {
  actor: string;
  rule?: TierRule;
  /** Extra metrics stored with the version (e.g. the backtest). */
  metrics?: Record<string, unknown>;
  /** false: do all the work, then roll it back (benchmarks on a database that must not change). */
  commit?: boolean;
}

export interface ScoreSummary {
  version: number;
  asOf: string;
  entities: number;
  cutoffs: Cutoffs;
  tierCounts: TierShares;
  timingsMs: { score: number; tiers: number; write: number };
}

/**
 * Stores `model` as a new version, scores every active entity as of the model's date, cuts tiers and replaces
 * risk_scores, in one transaction with its audit entry. Older versions stay in risk_models.
 */
export async function scoreEntities(db: Db, model: FittedModel, options: ScoreOptions): Promise<ScoreSummary> {
  const rule = options.rule ?? { mode: 'shares', shares: DEFAULT_TIER_SHARES };
  let summary: ScoreSummary | undefined;
  try {
    await db.transaction(async (tx) => {
      await tx.exec(UNORDERED);
      summary = await scoreIn(tx, model, rule, options);
      if (options.commit === false) throw ROLLBACK;
    });
  } catch (err) {
    if (err !== ROLLBACK) throw err;
  }
  return summary!;
}

const ROLLBACK = new Error('rolled back on request');

async function scoreIn(tx: Queryable, model: FittedModel, rule: TierRule, options: ScoreOptions): Promise<ScoreSummary> {
  let t = Date.now();
  const entities = await scorePopulation(tx, model.params, model.asOf, 'active', 'risk_scored');
  const timingsMs = { score: Date.now() - t, tiers: 0, write: 0 };
  t = Date.now();
  const cutoffs = cutoffsFromHistogram(await scoreHistogram(tx, 'risk_scored'), rule);
  timingsMs.tiers = Date.now() - t;
  const stored = await saveModel(tx, model, { actor: options.actor, metrics: options.metrics, cutoffs });
  t = Date.now();
  await tx.exec('DELETE FROM risk_scores');
  await tx.exec(`INSERT INTO risk_scores (object_id, model_version, score, tier, bin_code)
    SELECT object_id, ${stored.version}, score, ${tierSql(cutoffs.thresholds)}, bin_code FROM risk_scored`);
  timingsMs.write = Date.now() - t;
  const tierCounts = cutoffs.counts;
  await tx.exec('DROP TABLE risk_scored');
  await appendAudit(tx, {
    actor: options.actor,
    action: 'risk.score',
    subject: `risk_model:${stored.version}`,
    payload: {
      version: stored.version,
      method: stored.method,
      asOf: stored.asOf,
      entities,
      tierCounts,
      thresholds: cutoffs.thresholds,
      rule: cutoffs.rule,
      trainingYears: model.training.years,
      trainingRows: model.training.rows,
      backtest: options.metrics?.backtest ? pickHeadline(options.metrics.backtest as Record<string, unknown>) : null,
    },
  });
  return { version: stored.version, asOf: stored.asOf, entities, cutoffs, tierCounts, timingsMs };
}

function pickHeadline(b: Record<string, unknown>) {
  return { testYear: b.testYear, auc: b.auc, hitRateByTier: b.hitRateByTier, liftAt: b.liftAt, daysEarlier: b.daysEarlier };
}

export interface Explanation {
  objectId: string;
  modelVersion: number;
  asOf: string;
  score: number;
  tier: string;
  /** Log-odds of the training population's average entity; contributions add to it. */
  baseLogOdds: number;
  logOdds: number;
  contributions: Contribution[];
  /** The three largest contributions by size. */
  top: Contribution[];
  labels: { score: Label; tier: Label };
}

/** Why an entity has its score: every feature's contribution in log-odds points, from its stored bin code. */
export async function explain(q: Queryable, objectId: string): Promise<Explanation | null> {
  return (await explainMany(q, [objectId]))[0] ?? null;
}

/** explain() for several entities in one scan of risk_scores; unknown or unscored ids are left out. */
export async function explainMany(q: Queryable, objectIds: string[]): Promise<Explanation[]> {
  const ids = [...new Set(objectIds.map((id) => id.trim().toUpperCase()))];
  if (ids.length === 0) return [];
  const columns = 'object_id, model_version, score, tier, bin_code::VARCHAR AS bin_code';
  const rows = await q.query<{ object_id: string; model_version: number; score: number; tier: string; bin_code: string }>(
    ids.length === 1
      ? `SELECT ${columns} FROM risk_scores WHERE object_id = $id`
      : `SELECT ${columns} FROM risk_scores WHERE list_contains($ids, object_id)`,
    ids.length === 1 ? { id: ids[0] } : { ids: listValue(ids) },
  );
  const models = new Map<number, StoredModel>();
  for (const version of new Set(rows.map((r) => r.model_version))) {
    const model = await loadModel(q, version);
    if (!model) throw new Error(`risk_scores names model version ${version}, which risk_models does not hold`);
    models.set(version, model);
  }
  const byId = new Map(rows.map((r) => [r.object_id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const model = models.get(row.model_version)!;
    const all = contributions(model.params, row.bin_code);
    return [
      {
        objectId: id,
        modelVersion: row.model_version,
        asOf: model.asOf,
        score: row.score,
        tier: row.tier,
        baseLogOdds: model.params.intercept,
        logOdds: logOdds(model.params, row.bin_code),
        contributions: all,
        top: all.slice(0, 3),
        labels: { score: { zh: '发现问题概率', en: 'Probability of a finding' }, tier: { zh: '风险等级', en: 'Risk tier' } },
      },
    ];
  });
}
