// Scoring every active entity with a fitted scorecard, cutting tiers, writing risk_scores, and explaining one score.
import type { Db, Queryable } from '../db/duckdb.ts';
import { appendAudit } from '../audit/chain.ts';
import { computeStoredNorms, featuresQuery, refreshFacts, storedFeaturesQuery, STORED_NORMS_TABLE, UNORDERED, type Population } from './features.ts';
import { withoutStringCompression, type RefreshResult } from './derived.ts';
import { binCodeSql, contributions, logOdds, scoreFromCodeSql, type Contribution, type Label, type ScorecardParams } from './scorecard.ts';
import { cutoffsFromHistogram, tierSql, DEFAULT_TIER_SHARES, type Cutoffs, type TierRule, type TierShares, type ScoreBucket } from './tiers.ts';
import { loadModel, saveModel, type FittedModel, type StoredModel } from './model.ts';
import { listValue } from '@duckdb/node-api';

/**
 * Scores of a population as of a date: SELECT object_id, bin_code, score (one row per entity), from the records, or
 * from the stored facts (`stored`: risk_entity_facts, refreshed to the same date first).
 */
export function scoreQuery(params: ScorecardParams, population: Population, options: { stored?: boolean } = {}): string {
  return `SELECT object_id, bin_code, ${scoreFromCodeSql(params)} AS score FROM (${binnedQuery(params, population, options)}) binned`;
}

/** Bin codes of a population as of a date: SELECT object_id, bin_code (one row per entity). */
export function binnedQuery(params: ScorecardParams, population: Population, options: { stored?: boolean } = {}): string {
  const features = options.stored ? storedFeaturesQuery(population) : featuresQuery(population);
  return `SELECT object_id, (${binCodeSql(params.features)})::UBIGINT AS bin_code FROM (${features}) features`;
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
  /** features: bringing the stored facts to the as-of date; score: bins and scores of every entity (the histogram); tiers: the cut-offs; write: risk_scores. */
  timingsMs: { features: number; score: number; tiers: number; write: number };
  /** How the stored facts were brought up to date. */
  facts: RefreshResult;
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

/** Thrown inside a transaction to roll it back on request (commit: false). */
export const ROLLBACK = new Error('rolled back on request');

/**
 * Counts the active entities per bin code from the stored facts (refreshed to `asOf`, norms computed) into TEMP TABLE
 * risk_code_scores (bin_code, entities, score): a score per code, a few hundred thousand codes rather than 18 M scores.
 * Returns the score histogram the tiers are cut on.
 */
export async function countCodes(tx: Queryable, params: ScorecardParams, asOf: string): Promise<ScoreBucket[]> {
  await tx.exec(
    `CREATE OR REPLACE TEMP TABLE risk_code_scores AS
     SELECT bin_code, count(*)::DOUBLE AS entities, ${scoreFromCodeSql(params)} AS score
     FROM (${binnedQuery(params, 'active', { stored: true })}) binned GROUP BY bin_code`,
    { as_of: asOf },
  );
  return tx.query<ScoreBucket>('SELECT score, sum(entities) AS count FROM risk_code_scores GROUP BY score');
}

/**
 * Replaces risk_scores with every active entity's score under `version` (risk_code_scores from countCodes), the tier
 * from the thresholds; then records what the scores reflect (recordScoresState).
 */
export async function writeAllScores(tx: Queryable, params: ScorecardParams, asOf: string, version: number, thresholds: Cutoffs['thresholds'], factsRefreshNo: number): Promise<void> {
  await tx.exec('DELETE FROM risk_scores');
  await withoutStringCompression(tx, () =>
    tx.exec(
      `INSERT INTO risk_scores (object_id, model_version, score, tier, bin_code)
       SELECT b.object_id, ${version}, c.score, c.tier, b.bin_code
       FROM (${binnedQuery(params, 'active', { stored: true })}) b
       JOIN (SELECT bin_code, score, ${tierSql(thresholds)} AS tier FROM risk_code_scores) c ON c.bin_code = b.bin_code`,
      { as_of: asOf },
    ),
  );
  await tx.exec('DROP TABLE risk_code_scores');
  await recordScoresState(tx, { version, asOf, factsRefreshNo });
}

/** What risk_scores reflects, for a later refresh with the same model (rescore.ts): its state row and its norms. */
export async function recordScoresState(tx: Queryable, state: { version: number; asOf: string; factsRefreshNo: number }): Promise<void> {
  const rows = (await tx.one<{ n: number }>('SELECT count(*) AS n FROM risk_scores'))?.n ?? 0;
  await tx.exec("DELETE FROM risk_derived_state WHERE name = 'scores'");
  await tx.exec(
    `INSERT INTO risk_derived_state (name, refresh_no, as_of, sources, definition, rows, refreshed_at, last_refresh)
     VALUES ('scores', $refresh_no, $as_of::DATE, $sources::JSON, '', $rows, current_timestamp, '{}')`,
    { refresh_no: state.factsRefreshNo, as_of: state.asOf, sources: JSON.stringify({ version: state.version }), rows },
  );
  await tx.exec('DELETE FROM risk_score_norms');
  await tx.exec(
    `INSERT INTO risk_score_norms SELECT industry_code, region_code, complaints_per_entity, industry_base_rate, district_base_rate FROM ${STORED_NORMS_TABLE}`,
  );
}

export interface ScoresState {
  version: number;
  asOf: string;
  /** The facts' refresh the scores reflect: facts rows written since have refresh_no above it. */
  factsRefreshNo: number;
  rows: number;
}

export async function readScoresState(q: Queryable): Promise<ScoresState | null> {
  const row = await q.one<{ refresh_no: number; as_of: string; sources: string; rows: number }>(
    "SELECT refresh_no, CAST(as_of AS VARCHAR) AS as_of, sources::VARCHAR AS sources, rows FROM risk_derived_state WHERE name = 'scores'",
  );
  if (!row) return null;
  return { version: (JSON.parse(row.sources) as { version: number }).version, asOf: row.as_of, factsRefreshNo: row.refresh_no, rows: Number(row.rows) };
}

// The active entities' scores from the stored facts, read twice: once to count entities per bin code, once to write
// each entity with its code's score and tier.
async function scoreIn(tx: Queryable, model: FittedModel, rule: TierRule, options: ScoreOptions): Promise<ScoreSummary> {
  let t = Date.now();
  const facts = await refreshFacts(tx, model.asOf);
  await computeStoredNorms(tx, model.asOf);
  const timingsMs = { features: Date.now() - t, score: 0, tiers: 0, write: 0 };
  t = Date.now();
  const histogram = await countCodes(tx, model.params, model.asOf);
  timingsMs.score = Date.now() - t;
  t = Date.now();
  const cutoffs = cutoffsFromHistogram(histogram, rule);
  const entities = cutoffs.population;
  timingsMs.tiers = Date.now() - t;
  const stored = await saveModel(tx, model, { actor: options.actor, metrics: options.metrics, cutoffs });
  t = Date.now();
  await writeAllScores(tx, model.params, model.asOf, stored.version, cutoffs.thresholds, facts.refreshNo);
  await tx.exec(`DROP TABLE ${STORED_NORMS_TABLE}`);
  timingsMs.write = Date.now() - t;
  const tierCounts = cutoffs.counts;
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
      facts: { mode: facts.mode, entities: facts.entities },
      thresholds: cutoffs.thresholds,
      rule: cutoffs.rule,
      trainingYears: model.training.years,
      trainingRows: model.training.rows,
      backtest: options.metrics?.backtest ? pickHeadline(options.metrics.backtest as Record<string, unknown>) : null,
    },
  });
  return { version: stored.version, asOf: stored.asOf, entities, cutoffs, tierCounts, timingsMs, facts };
}

function pickHeadline(b: Record<string, unknown>) {
  return { testYear: b.testYear, auc: b.auc, hitRateByTier: b.hitRateByTier, liftAt: b.liftAt, daysEarlier: b.daysEarlier };
}

export interface Explanation {
  objectId: string;
  modelVersion: number;
  /** The date the score's features are as of: the model's, or a later one after a rescore with the same version. */
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
  // a rescore with the same version moves the scores' as-of date past the model's
  const scoresState = await readScoresState(q);
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
        asOf: scoresState?.version === row.model_version ? scoresState.asOf : model.asOf,
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
