// Scoring every active entity with a fitted scorecard: each entity's bin code (risk_entity_codes) and each code's score and
// tier under the version (risk_score_codes), which the view risk_scores joins; cutting tiers; explaining one score.
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql, type Sql } from '../db/sql.ts';
import { appendAudit } from '../audit/chain.ts';
import { CELL_FEATURES, computeStoredNorms, featuresQuery, refreshFacts, storedFeaturesQuery, STORED_NORMS_TABLE, UNORDERED, type Population } from './features.ts';
import { withoutStringCompression, type RefreshResult } from '../kernel/derived.ts';
import { binCodeSql, contributions, logOdds, scoreFromCodeSql, type Contribution, type Label, type ScorecardParams } from './scorecard.ts';
import { cutoffsOf, orderedThresholds, targetShares, thresholdAt, tierSql, DEFAULT_TIER_SHARES, type Cutoffs, type Reach, type TierRule, type TierShares, type ScoreBucket } from './tiers.ts';
import { loadModel, nextModelVersion, saveModel, type FittedModel, type StoredModel } from './model.ts';
import { listValue } from '@duckdb/node-api';

/**
 * Scores of a population as of a date: SELECT object_id, bin_code, score (one row per entity), from the records, or
 * from the stored facts (`stored`: risk_entity_facts, refreshed to the same date first).
 */
export function scoreQuery(params: ScorecardParams, population: Population, asOf: string, options: { stored?: boolean } = {}): Sql {
  return sql`SELECT object_id, bin_code, ${scoreFromCodeSql(params)} AS score FROM (${binnedQuery(params, population, asOf, options)}) binned`;
}

/**
 * Bin codes of a population as of a date: SELECT object_id, bin_code (one row per entity). Over the stored facts, the
 * bins of the features that are one value per industry x district (CELL_FEATURES) are found once per cell.
 */
export function binnedQuery(params: ScorecardParams, population: Population, asOf: string, options: { stored?: boolean } = {}): Sql {
  if (!options.stored) return sql`SELECT object_id, (${binCodeSql(params.features)})::UBIGINT AS bin_code FROM (${featuresQuery(population, asOf)}) features`;
  const perCell = (i: number) => CELL_FEATURES.has(params.features[i].column);
  const features = storedFeaturesQuery(population, asOf, { cellCode: sql`(${binCodeSql(params.features, perCell)})` });
  return sql`SELECT object_id, ((${binCodeSql(params.features, (i) => !perCell(i))}) | cell_code)::UBIGINT AS bin_code FROM (${features}) features`;
}

/** Creates TEMP TABLE `table` (object_id, bin_code, score) on q's connection; returns its row count. */
export async function scorePopulation(q: Queryable, params: ScorecardParams, asOf: string, population: Population, table: string): Promise<number> {
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE ${sql.id(table)} AS ${scoreQuery(params, population, asOf)}`);
  return (await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.id(table)}`))?.n ?? 0;
}

/** Histogram of a scored table: one row per distinct score (scores take few values: one per bin combination). */
export async function scoreHistogram(q: Queryable, table: string): Promise<ScoreBucket[]> {
  return q.query<ScoreBucket>(sql`SELECT score, count(*)::DOUBLE AS count FROM ${sql.id(table)} GROUP BY score`);
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
  /**
   * features: bringing the stored facts to the as-of date; score: every active entity's bin code written under the
   * version (risk_entity_codes) and counted per code (the histogram); tiers: the cut-offs; write: the version's score
   * and tier per code (risk_score_codes), its risk_models row and the scores' state.
   */
  timingsMs: { features: number; score: number; tiers: number; write: number };
  /** How the stored facts were brought up to date. */
  facts: RefreshResult;
}

/**
 * Stores `model` as a new version, scores every active entity as of the model's date, cuts tiers and makes risk_scores
 * show the new version, in one transaction with its audit entry. Older versions stay in risk_models, and their scores
 * per code in risk_score_codes.
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
    await db.checkpoint();
  } catch (err) {
    if (err !== ROLLBACK) throw err;
  }
  return summary!;
}

/** Thrown inside a transaction to roll it back on request (commit: false). */
export const ROLLBACK = new Error('rolled back on request');

/** The scored entities' bin codes (one row per entity, the current version) and each version's score per code (008). */
export const ENTITY_CODES = sql`risk_entity_codes`;
export const SCORE_CODES = sql`risk_score_codes`;
/** TEMP TABLE (bin_code, entities, score) of the codes findNewCodes found without a score under the version. */
const NEW_CODES = sql`risk_new_codes`;

/**
 * Replaces risk_entity_codes with the bin code of every active entity under `version`, in one pass over the stored
 * facts (refreshed to `asOf`, norms computed on tx's connection); returns the rows written. Nothing else is written
 * per entity: score and tier come with the code (risk_score_codes).
 */
export async function writeEntityCodes(tx: Queryable, params: ScorecardParams, asOf: string, version: number): Promise<number> {
  await tx.exec(sql`DELETE FROM ${ENTITY_CODES}`);
  const inserted = await withoutStringCompression(tx, () =>
    tx.one<{ Count: number }>(
      sql`INSERT INTO ${ENTITY_CODES} (object_id, model_version, bin_code)
          SELECT object_id, ${version}, bin_code FROM (${binnedQuery(params, 'active', asOf, { stored: true })}) binned`,
    ),
  );
  return Number(inserted?.Count ?? 0);
}

/**
 * The bin codes of `from` (a relation with a bin_code column, one row per entity: risk_entity_codes by default) that
 * have no score under `version` yet, with their entities and score, into TEMP TABLE risk_new_codes. For a new version
 * that is every code, and cutoffsFromCodes cuts the tiers on them.
 */
export async function findNewCodes(tx: Queryable, params: ScorecardParams, version: number, from: Sql = ENTITY_CODES): Promise<void> {
  await tx.exec(
    sql`CREATE OR REPLACE TEMP TABLE ${NEW_CODES} AS
        SELECT bin_code, entities, ${scoreFromCodeSql(params)} AS score
        FROM (SELECT bin_code, count(*)::DOUBLE AS entities FROM ${from} GROUP BY bin_code) codes
        WHERE NOT EXISTS (SELECT 1 FROM ${SCORE_CODES} c WHERE c.model_version = ${version} AND c.bin_code = codes.bin_code)`,
  );
}

/**
 * cutoffsFromHistogram over the scores of `table` (score, entities; by default the codes findNewCodes found), without
 * reading a few hundred thousand scores into JS: the cumulative counts from the highest score down are summed in SQL,
 * and only the tie groups where the targets fall are read. The same result as cutoffsFromHistogram.
 */
export async function cutoffsFromCodes(q: Queryable, rule: TierRule, table: Sql = NEW_CODES): Promise<Cutoffs> {
  const cumulative = sql`risk_tier_cumulative`;
  await q.exec(
    sql`CREATE OR REPLACE TEMP TABLE ${cumulative} AS
     SELECT score, n, sum(n) OVER (ORDER BY score DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS through,
            lag(score) OVER (ORDER BY score DESC) AS higher
     FROM (SELECT score, sum(entities) AS n FROM ${table} GROUP BY score HAVING sum(entities) > 0) scores`,
  );
  const totals = await q.one<{ population: number | null; lowest: number | null }>(sql`SELECT sum(n) AS population, min(score) AS lowest FROM ${cumulative}`);
  const population = totals?.population ?? 0;
  let thresholds: Cutoffs['thresholds'];
  if (rule.mode === 'scores') thresholds = { ...rule.thresholds };
  else {
    const find = async (targetShare: number): Promise<number> => {
      const target = targetShare * population;
      const reach = await q.one<Reach>(sql`SELECT score, through - n AS above, through, higher FROM ${cumulative} WHERE through >= ${target} ORDER BY through LIMIT 1`);
      return thresholdAt(target, reach ?? null, totals?.lowest ?? null);
    };
    const [d, c, b] = targetShares(rule.shares);
    thresholds = orderedThresholds({ D: await find(d), C: await find(c), B: await find(b) });
  }
  const counts: TierShares = { A: 0, B: 0, C: 0, D: 0 };
  for (const r of await q.query<{ tier: keyof TierShares; n: number }>(sql`SELECT ${tierSql(thresholds)} AS tier, sum(n) AS n FROM ${cumulative} GROUP BY tier`)) counts[r.tier] = r.n;
  await q.exec(sql`DROP TABLE ${cumulative}`);
  return cutoffsOf(rule, thresholds, counts, population);
}

/** Adds the codes findNewCodes found to risk_score_codes under `version`, each with its tier from the thresholds. */
export async function addCodeScores(tx: Queryable, version: number, thresholds: Cutoffs['thresholds']): Promise<void> {
  await tx.exec(sql`INSERT INTO ${SCORE_CODES} (model_version, bin_code, score, tier) SELECT ${version}, bin_code, score, ${tierSql(thresholds)} FROM ${NEW_CODES}`);
  await tx.exec(sql`DROP TABLE ${NEW_CODES}`);
}

/**
 * Rewrites every active entity's bin code under `version`, which already has its thresholds (a refresh with the same
 * version), scores the codes new to it, then records what the scores reflect. Returns the entities written.
 */
export async function writeAllScores(tx: Queryable, params: ScorecardParams, asOf: string, version: number, thresholds: Cutoffs['thresholds'], factsRefreshNo: number): Promise<number> {
  const rows = await writeEntityCodes(tx, params, asOf, version);
  await findNewCodes(tx, params, version);
  await addCodeScores(tx, version, thresholds);
  await recordScoresState(tx, { version, asOf, factsRefreshNo, rows });
  return rows;
}

/**
 * Writes scores given per entity instead of computed from a model (fixtures, synthetic benchmarks): `select` yields
 * object_id, model_version, score, tier. Each score and tier of a version new to risk_score_codes gets a code of its
 * own (above the version's highest), so risk_scores reads the rows back as given. Its temporary table is on q's
 * connection (a request's own, or the database's).
 */
export async function insertGivenScores(q: Queryable, select: Sql): Promise<void> {
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE risk_given_scores AS SELECT object_id, model_version, score, tier FROM (${select}) given`);
  await q.exec(sql`INSERT INTO ${SCORE_CODES} (model_version, bin_code, score, tier)
    SELECT g.model_version, coalesce(top.code, 0) + row_number() OVER (PARTITION BY g.model_version ORDER BY g.score, g.tier), g.score, g.tier
    FROM (SELECT DISTINCT model_version, score, tier FROM risk_given_scores) g
    LEFT JOIN (SELECT model_version, max(bin_code) AS code FROM ${SCORE_CODES} GROUP BY model_version) top ON top.model_version = g.model_version
    WHERE NOT EXISTS (SELECT 1 FROM ${SCORE_CODES} c WHERE c.model_version = g.model_version AND c.score = g.score AND c.tier = g.tier)`);
  await q.exec(sql`INSERT INTO ${ENTITY_CODES} (object_id, model_version, bin_code)
    SELECT g.object_id, g.model_version, c.bin_code
    FROM risk_given_scores g
    JOIN (SELECT model_version, score, tier, min(bin_code) AS bin_code FROM ${SCORE_CODES} GROUP BY ALL) c
      ON c.model_version = g.model_version AND c.score = g.score AND c.tier = g.tier`);
  await q.exec(sql`DROP TABLE risk_given_scores`);
}

/** What risk_scores reflects, for a later refresh with the same model (rescore.ts): its state row and its norms. */
export async function recordScoresState(tx: Queryable, state: { version: number; asOf: string; factsRefreshNo: number; rows?: number }): Promise<void> {
  // The rows of risk_entity_codes, counted here unless the caller just wrote them all and knows.
  const rows = state.rows ?? (await tx.one<{ n: number }>(sql`SELECT count(*) AS n FROM ${ENTITY_CODES}`))?.n ?? 0;
  await tx.exec(sql`DELETE FROM risk_derived_state WHERE name = 'scores'`);
  await tx.exec(
    sql`INSERT INTO risk_derived_state (name, refresh_no, as_of, sources, definition, rows, refreshed_at, last_refresh)
        VALUES ('scores', ${state.factsRefreshNo}, ${state.asOf}::DATE, ${JSON.stringify({ version: state.version })}::JSON, '', ${rows}, current_timestamp, '{}')`,
  );
  await tx.exec(sql`DELETE FROM risk_score_norms`);
  await tx.exec(
    sql`INSERT INTO risk_score_norms SELECT industry_code, region_code, other_norm, industry_base_rate, district_substantiated, district_true_share FROM ${sql.id(STORED_NORMS_TABLE)}`,
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
    sql`SELECT refresh_no, CAST(as_of AS VARCHAR) AS as_of, sources::VARCHAR AS sources, rows FROM risk_derived_state WHERE name = 'scores'`,
  );
  if (!row) return null;
  return { version: (JSON.parse(row.sources) as { version: number }).version, asOf: row.as_of, factsRefreshNo: row.refresh_no, rows: Number(row.rows) };
}

// The active entities' bin codes from the stored facts, written once under the new version; the tiers are cut on the
// histogram of their codes' scores, and each code is stored with its score and tier.
async function scoreIn(tx: Queryable, model: FittedModel, rule: TierRule, options: ScoreOptions): Promise<ScoreSummary> {
  let t = Date.now();
  const facts = await refreshFacts(tx, model.asOf);
  await computeStoredNorms(tx, model.asOf);
  const timingsMs = { features: Date.now() - t, score: 0, tiers: 0, write: 0 };
  t = Date.now();
  const version = await nextModelVersion(tx);
  const rows = await writeEntityCodes(tx, model.params, model.asOf, version);
  await findNewCodes(tx, model.params, version);
  timingsMs.score = Date.now() - t;
  t = Date.now();
  const cutoffs = await cutoffsFromCodes(tx, rule);
  const entities = cutoffs.population;
  timingsMs.tiers = Date.now() - t;
  t = Date.now();
  const stored = await saveModel(tx, model, { actor: options.actor, metrics: options.metrics, cutoffs, version });
  await addCodeScores(tx, version, cutoffs.thresholds);
  await recordScoresState(tx, { version, asOf: model.asOf, factsRefreshNo: facts.refreshNo, rows });
  await tx.exec(sql`DROP TABLE ${sql.id(STORED_NORMS_TABLE)}`);
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
  const columns = sql`object_id, model_version, score, tier, bin_code::VARCHAR AS bin_code`;
  const rows = await q.query<{ object_id: string; model_version: number; score: number; tier: string; bin_code: string }>(
    ids.length === 1
      ? sql`SELECT ${columns} FROM risk_scores WHERE object_id = ${ids[0]}`
      : sql`SELECT ${columns} FROM risk_scores WHERE list_contains(${listValue(ids)}, object_id)`,
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
