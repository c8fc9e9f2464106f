// Refreshing risk_scores with the model version it already holds, after imports and results or at a later as-of date:
// only the entities whose bin code can have moved are recomputed — their facts were rewritten since the scores, a
// date feature crossed a bin edge, or the norms of their industry and district moved a bin — and only the rows that
// changed are written. The version keeps its score thresholds. Whatever the stored state cannot vouch for (another
// writer, a full rebuild of the facts) is rewritten in full, under the same version.
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql, type Sql } from '../db/sql.ts';
import { appendAudit } from '../audit/chain.ts';
import { CELL_FEATURES, checkDate, computeStoredNorms, ENTITY_FACTS, referenceDate, refreshFacts, STORED_NORMS_TABLE, UNORDERED } from './features.ts';
import { loadModel, METHOD } from './model.ts';
import { binSql, type FeatureColumn, type FittedFeature } from './scorecard.ts';
import type { TierShares } from './tiers.ts';
import { addCodeScores, binnedQuery, findNewCodes, ENTITY_CODES, readScoresState, recordScoresState, ROLLBACK, SCORE_CODES, writeAllScores } from './score.ts';
import type { RefreshResult } from '../kernel/derived.ts';
import { RiskDataError } from './errors.ts';

/**
 * Features counted in days from a date among the facts: a bin changes only when the as-of date moves the value across
 * an edge (a numeric feature's bin edges; for a category, the ages in days features.sql cuts it at).
 */
const DATE_FEATURES: Partial<Record<FeatureColumn, { column: string; edges?: number[] }>> = {
  days_since_last_inspection: { column: 'last_inspected_on' },
  age_days: { column: 'established_on' },
  age_industry: { column: 'established_on', edges: [365, 1096, 3653] },
  credit_state: { column: 'class_on', edges: [730] },
  abnormal: { column: 'abnormal_on', edges: [365] },
};

/** Above this share of the scored entities to recompute, rewriting every row is about as cheap. */
const MAX_INCREMENTAL_SHARE = 0.5;

export interface RescoreOptions {
  actor: string;
  /** Default: the data's reference date. */
  asOf?: string;
  /** false: do the work, then roll it back (benchmarks). */
  commit?: boolean;
}

export interface RescoreSummary {
  version: number;
  asOf: string;
  /** incremental: only entities whose bins could move were recomputed; full: every active entity was rewritten. */
  mode: 'incremental' | 'full';
  reason?: string;
  /** Entities whose bin code was recomputed (every active one for a full rewrite). */
  recomputed: number;
  /** Rows inserted (new or changed scores) and deleted (changed, or no longer active). */
  written: number;
  removed: number;
  /** Scored entities afterwards, and per tier. */
  entities: number;
  tierCounts: TierShares;
  facts: RefreshResult;
  /** features: the stored facts and norms; candidates: which entities to recompute; score: their bins and the compare; write: the changed rows. */
  timingsMs: { features: number; candidates: number; score: number; write: number; total: number };
}

/** Refreshes risk_scores under its current model version in one transaction, with an audit entry ('risk.rescore'). */
export async function rescoreEntities(db: Db, options: RescoreOptions): Promise<RescoreSummary> {
  let summary: RescoreSummary | undefined;
  try {
    await db.transaction(async (tx) => {
      await tx.exec(UNORDERED);
      summary = await rescoreIn(tx, options);
      if (options.commit === false) throw ROLLBACK;
    });
    await db.checkpoint();
  } catch (err) {
    if (err !== ROLLBACK) throw err;
  }
  return summary!;
}

const CANDIDATES = sql`risk_rescore_candidates`;

// Scored entities per tier when every row is of `version` (risk_scores' rows, counted per bin code before the join with
// the codes' tiers: a few hundred thousand rows join, not 16.5 M). Grain: one row per tier.
const tierCountsSql = (version: number) => sql`SELECT c.tier, sum(e.entities) AS n
  FROM (SELECT bin_code, count(*) AS entities FROM ${ENTITY_CODES} GROUP BY bin_code) e
  JOIN (SELECT bin_code, tier FROM ${SCORE_CODES} WHERE model_version = ${version}) c ON c.bin_code = e.bin_code
  GROUP BY c.tier`;
const dateOf = (d: string) => sql`${checkDate(d, 'as-of date')}::DATE`;
const finite = (n: number) => {
  if (!Number.isFinite(n)) throw new Error(`rescore: bin edge ${n} is not a number`);
  return n;
};

/** Conditions over facts `f`: a date feature crosses a bin edge, or the entity comes into existence, between the dates. */
function dateCrossings(features: FittedFeature[], fromAsOf: string, asOf: string): Sql[] {
  const conditions = [sql`(f.established_on > ${dateOf(fromAsOf)} AND f.established_on <= ${dateOf(asOf)})`];
  for (const f of features) {
    const date = DATE_FEATURES[f.column];
    if (!date) continue;
    const day = sql.id(date.column);
    const edges = date.edges ?? (f.kind === 'numeric' ? [...f.edges, ...(f.zeroBin ? [0, 1] : [])] : []);
    for (const e of edges) {
      conditions.push(sql`((${dateOf(fromAsOf)} - f.${day}) < ${finite(e)} AND (${dateOf(asOf)} - f.${day}) >= ${finite(e)})`);
    }
  }
  return conditions;
}

const sameCell = (a: Sql, b: Sql) => sql`${a}.industry_code IS NOT DISTINCT FROM ${b}.industry_code AND ${a}.region_code = ${b}.region_code`;

/**
 * The entities to recompute, in one scan of the stored facts: rewritten since the scores (refresh_no above `since`);
 * in an industry x district whose base-rate bins moved between the scores' norms (risk_score_norms) and today's, or
 * that is new or gone; with k other complaints in a cell where k / norm moved a bin (features.sql's complaint ratio:
 * other_12m / greatest(other_norm, 0.001)); and, when the date moved, a date feature across a bin edge.
 */
function candidatesSql(features: FittedFeature[], since: number, fromAsOf: string, asOf: string): Sql {
  const ctes: Sql[] = [];
  const joins: Sql[] = [];
  const conditions = [sql`f.refresh_no > ${since}`];
  const [n, o] = [sql`n`, sql`o`];
  const norms = sql.id(STORED_NORMS_TABLE);
  const cells = sql`SELECT coalesce(n.industry_code, o.industry_code) AS industry_code, coalesce(n.region_code, o.region_code) AS region_code,
      n.region_code IS NULL OR o.region_code IS NULL AS new_or_gone, n.other_norm AS new_norm, o.other_norm AS old_norm`;
  const rates = features.filter((f) => CELL_FEATURES.has(f.column));
  if (rates.length) {
    const bins = (table: Sql) => sql`(SELECT industry_code, region_code, ${sql.join(rates.map((f, i) => sql`(${binSql(f)}) AS ${sql.id(`b${i}`)}`))} FROM ${table})`;
    const moved = rates.map((_, i) => sql`n.${sql.id(`b${i}`)} IS DISTINCT FROM o.${sql.id(`b${i}`)}`);
    ctes.push(sql`moved_cells AS (
      SELECT coalesce(n.industry_code, o.industry_code) AS industry_code, coalesce(n.region_code, o.region_code) AS region_code
      FROM ${bins(norms)} n FULL JOIN ${bins(sql`risk_score_norms`)} o ON ${sameCell(o, n)}
      WHERE n.region_code IS NULL OR o.region_code IS NULL OR ${sql.join(moved, ' OR ')})`);
    joins.push(sql`LEFT JOIN moved_cells mc ON ${sameCell(sql`mc`, sql`f`)}`);
    conditions.push(sql`mc.region_code IS NOT NULL`);
  }
  const ratio = features.find((f) => f.column === 'complaint_ratio');
  if (ratio) {
    // every cell x k = 1 .. the most complaints anyone has, with the bin of k / norm under the new norm and the old
    // (binSql reads a column named complaint_ratio)
    ctes.push(sql`ratio_cells AS (
      ${cells}, k.other_12m
      FROM ${norms} n FULL JOIN risk_score_norms o ON ${sameCell(o, n)},
           range(1, (SELECT coalesce(max(other_12m), 0) + 1 FROM ${sql.id(ENTITY_FACTS.table)})) k(other_12m))`);
    ctes.push(sql`moved_ratio AS (
      SELECT industry_code, region_code, other_12m FROM (
        SELECT *, (${binSql(ratio)}) AS b_old FROM (
          SELECT * EXCLUDE (complaint_ratio), old_ratio AS complaint_ratio FROM (
            SELECT *, (${binSql(ratio)}) AS b_new FROM (
              SELECT *, other_12m / greatest(new_norm, 0.001) AS complaint_ratio, other_12m / greatest(old_norm, 0.001) AS old_ratio
              FROM ratio_cells))))
      WHERE new_or_gone OR b_new IS DISTINCT FROM b_old)`);
    joins.push(sql`LEFT JOIN moved_ratio mr ON ${sameCell(sql`mr`, sql`f`)} AND mr.other_12m = f.other_12m`);
    conditions.push(sql`mr.region_code IS NOT NULL`);
  }
  if (asOf > fromAsOf) conditions.push(...dateCrossings(features, fromAsOf, asOf));
  return sql`CREATE OR REPLACE TEMP TABLE ${CANDIDATES} AS
    ${ctes.length ? sql`WITH ${sql.join(ctes, ',\n')}` : sql.empty}
    SELECT DISTINCT f.object_id FROM ${sql.id(ENTITY_FACTS.table)} f ${sql.join(joins, ' ')}
    WHERE ${sql.join(conditions, '\n OR ')}`;
}

async function rescoreIn(tx: Queryable, options: RescoreOptions): Promise<RescoreSummary> {
  const started = Date.now();
  const current = await tx.one<{ v: number | null; lo: number | null; n: number }>(sql`SELECT max(model_version) AS v, min(model_version) AS lo, count(*) AS n FROM ${ENTITY_CODES}`);
  if (!current?.v) throw new Error('no risk scores to refresh: score the entities first (fairdraw score)');
  const version = current.v;
  const model = await loadModel(tx, version);
  if (!model) throw new Error(`risk_scores names model version ${version}, which risk_models does not hold`);
  if (!model.cutoffs) throw new Error(`model version ${version} has no tier cut-offs to apply`);
  if (model.method !== METHOD) {
    throw new RiskDataError(
      'model.refit_needed',
      {
        zh: `模型版本 ${version} 由方法 ${model.method} 拟合，本版 Fairdraw 已不再计算其特征：请拟合新版本（fairdraw score）`,
        en: `model version ${version} was fitted by method ${model.method}, whose features this version of Fairdraw no longer computes: fit a new version (fairdraw score)`,
      },
      { version, method: model.method },
    );
  }
  const { params } = model;
  const thresholds = model.cutoffs.thresholds;
  const asOf = options.asOf ? checkDate(options.asOf, 'as-of date') : await referenceDate(tx);
  if (!asOf) throw new RiskDataError('model.no_data', { zh: '没有可评分的数据：投诉和检查结果均为空', en: 'no data to score: complaints and inspection_results are empty' });
  const state = await readScoresState(tx);

  let t = Date.now();
  const facts = await refreshFacts(tx, asOf);
  await computeStoredNorms(tx, asOf);
  const timingsMs = { features: Date.now() - t, candidates: 0, score: 0, write: 0, total: 0 };
  t = Date.now();
  let reason: string | undefined;
  if (!state) reason = 'no record of what the scores were computed from';
  else if (state.version !== version || current.lo !== version) reason = `risk_scores holds rows of versions other than ${state.version}`;
  else if (state.rows !== current.n) reason = `risk_scores holds ${current.n} rows, the last score run wrote ${state.rows}`;
  else if (asOf < state.asOf) reason = `the as-of date moved back from ${state.asOf} to ${asOf}`;

  let recomputed = 0;
  let written = 0;
  let removed = 0;
  if (!reason) {
    await tx.exec(candidatesSql(params.features, state!.factsRefreshNo, state!.asOf, asOf));
    recomputed = (await tx.one<{ n: number }>(sql`SELECT count(*) AS n FROM ${CANDIDATES}`))?.n ?? 0;
    if (recomputed > MAX_INCREMENTAL_SHARE * Math.max(current.n, 1) && recomputed > 1000) reason = `${recomputed} entities to recompute`;
  }
  timingsMs.candidates = Date.now() - t;

  if (reason) {
    t = Date.now();
    recomputed = await writeAllScores(tx, params, asOf, version, thresholds, facts.refreshNo);
    written = recomputed;
    removed = current.n;
    timingsMs.write = Date.now() - t;
  } else {
    t = Date.now();
    if (recomputed > 0) {
      const population = { predicate: sql`o.status = 'active' AND o.id IN (SELECT object_id FROM ${CANDIDATES})` };
      await tx.exec(sql`CREATE OR REPLACE TEMP TABLE risk_rescore_new AS ${binnedQuery(params, population, asOf, { stored: true })}`);
      // candidates whose row is to change: a new bin code, no longer scored, or newly scored (rid: the row to delete)
      await tx.exec(
        sql`CREATE OR REPLACE TEMP TABLE risk_rescore_changed AS
         SELECT coalesce(n.object_id, o.object_id) AS object_id, o.rid
         FROM risk_rescore_new n
         FULL JOIN (SELECT rowid AS rid, object_id, bin_code FROM ${ENTITY_CODES} WHERE object_id IN (SELECT object_id FROM ${CANDIDATES})) o ON o.object_id = n.object_id
         WHERE n.bin_code IS DISTINCT FROM o.bin_code`,
      );
      timingsMs.score = Date.now() - t;
      t = Date.now();
      if ((await tx.one<{ n: number }>(sql`SELECT count(*) AS n FROM risk_rescore_changed`))?.n) {
        removed = Number((await tx.one<{ Count: number }>(sql`DELETE FROM ${ENTITY_CODES} WHERE rowid IN (SELECT rid FROM risk_rescore_changed WHERE rid IS NOT NULL)`))?.Count ?? 0);
        const inserted = await tx.one<{ Count: number }>(
          sql`INSERT INTO ${ENTITY_CODES} (object_id, model_version, bin_code)
              SELECT n.object_id, ${version}, n.bin_code FROM risk_rescore_new n
              WHERE n.object_id IN (SELECT object_id FROM risk_rescore_changed)`,
        );
        written = Number(inserted?.Count ?? 0);
        // codes no entity had under this version before: scored with the version's thresholds
        await findNewCodes(tx, params, version, sql`risk_rescore_new`);
        await addCodeScores(tx, version, thresholds);
      }
      await tx.exec(sql`DROP TABLE risk_rescore_new; DROP TABLE risk_rescore_changed`);
    }
    await recordScoresState(tx, { version, asOf, factsRefreshNo: facts.refreshNo });
    timingsMs.write = Date.now() - t;
  }
  await tx.exec(sql`DROP TABLE IF EXISTS ${CANDIDATES}; DROP TABLE ${sql.id(STORED_NORMS_TABLE)}`);

  const tierCounts: TierShares = { A: 0, B: 0, C: 0, D: 0 };
  for (const r of await tx.query<{ tier: keyof TierShares; n: number }>(tierCountsSql(version))) tierCounts[r.tier] = Number(r.n);
  const entities = tierCounts.A + tierCounts.B + tierCounts.C + tierCounts.D;
  const mode = reason ? 'full' : 'incremental';
  await appendAudit(tx, {
    actor: options.actor,
    action: 'risk.rescore',
    subject: `risk_model:${version}`,
    payload: { version, asOf, mode, ...(reason ? { reason } : {}), recomputed, written, removed, entities, tierCounts, facts: { mode: facts.mode, entities: facts.entities } },
  });
  timingsMs.total = Date.now() - started;
  return { version, asOf, mode, ...(reason ? { reason } : {}), recomputed, written, removed, entities, tierCounts, facts, timingsMs };
}
