// Fitting the scorecard on prior results, and the model versions kept in risk_models.
// Training rows: one per entity and year Y in which it was inspected; label: a problem was found that year;
// features as of the last day of Y-1, so nothing from year Y (or later) reaches its own training row.
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { listValue } from '@duckdb/node-api';
import { checkDate, createCellTables, featuresQuery, UNORDERED } from './features.ts';
import { RiskDataError } from './errors.ts';
import {
  DEFAULT_FEATURES,
  MAX_BINS,
  MAX_FEATURES,
  binCodeSql,
  binLabels,
  edgesFromQuantiles,
  fitScorecard,
  monotoneWeightsOfEvidence,
  woeVectors,
  decodeBins,
  logOdds,
  logOddsFromCodeSql,
  type CodeCounts,
  type FeatureSpec,
  type BinnedFeature,
  type ScorecardParams,
} from './scorecard.ts';
import { rocAuc } from './metrics.ts';
import { countedVisits, inverseProbability, selectionRecorded, visitsQuery } from './selection.ts';
import type { Cutoffs } from './tiers.ts';

/** v2: IPW on random draws, recency weights, inspector offsets left out of the score, signed coefficients (v1: 'woe-logistic-l2'). */
export const METHOD = 'woe-logistic-ipw-v2';

export interface FitOptions {
  /** Reference date: only records dated on or before it are read (default: the data's reference date). */
  asOf: string;
  /** Train only on years before this one (the backtest's test year). */
  beforeYear?: number;
  /** A year is used for training only when the data reach this many days before its first day (default 365). */
  minHistoryDays?: number;
  features?: FeatureSpec[];
  l2?: number;
  woePrior?: number;
}

export interface TrainingSummary {
  years: number[];
  /** Features of year Y's rows are as of this date (the last day of Y-1). */
  featuresAsOf: Record<string, string>;
  rows: number;
  /** Weighted rows with a finding (weights average 1), and their share. */
  events: number;
  eventRate: number;
  /** In-sample ROC AUC on the training rows. */
  auc: number | null;
  /** Bin combinations (with their inspector offset) the fit ran on. */
  combinations: number;
  /** inverse-probability: random draws only, weighted by 1 / their selection probability; unweighted: every visit. */
  weighting?: 'inverse-probability' | 'unweighted';
  recencyHalfLifeYears?: number;
  /** Inspectors whose effect on what is found was estimated (left out of the score), and the spread of those effects. */
  inspectors?: { estimated: number; spread: number };
  /** trainingSet: labels and features; bins: edges, codes and WoE; inspectors: their effects; fit: the regressions. */
  timingsMs?: { trainingSet: number; bins: number; inspectors: number; fit: number };
  fitMs: number;
}

export interface FittedModel {
  method: string;
  asOf: string;
  params: ScorecardParams;
  training: TrainingSummary;
}

export interface StoredModel extends FittedModel {
  version: number;
  fittedAt: Date;
  fittedBy: string;
  metrics: Record<string, unknown>;
  cutoffs: Cutoffs | null;
}

const yearEnd = (year: number) => `${year}-12-31`;

/** Years whose inspections can train a model as of `asOf`: with results, before `beforeYear`, with enough history; the latest MAX_TRAINING_YEARS. */
export async function trainingYears(q: Queryable, options: Pick<FitOptions, 'asOf' | 'beforeYear' | 'minHistoryDays'>): Promise<number[]> {
  const { asOf, beforeYear, minHistoryDays = 365 } = options;
  const rows = await q.query<{ year: number }>(
    sql`WITH data_start AS (
          SELECT least((SELECT min(inspected_on) FROM inspection_results),
                       (SELECT CAST(timezone('Asia/Shanghai', min(received_at)) AS DATE) FROM complaints)) AS first_day
        )
        SELECT DISTINCT year(inspected_on)::INTEGER AS year
        FROM inspection_results, data_start
        WHERE inspected_on <= ${checkDate(asOf, 'as-of date')}::DATE
          AND make_date(year(inspected_on), 1, 1) - first_day >= ${minHistoryDays}
        ORDER BY year`,
  );
  return rows
    .map((r) => r.year)
    .filter((y) => beforeYear === undefined || y < beforeYear)
    .slice(-MAX_TRAINING_YEARS);
}

/** Training years kept, the latest: with recency weights halving each year back, older ones would weigh a quarter or less. */
export const MAX_TRAINING_YEARS = 2;

/** How training years weigh: a year's rows count half as much per this many years before the latest training year. */
export const RECENCY_HALF_LIFE_YEARS = 1;

/**
 * Builds TEMP TABLE risk_training (year, object_id, found, weight, team, feature columns...): one row per entity
 * selected in a training year, with features as of the end of the year before. Where the data record how objects were
 * selected, only random draws with a known probability count, each weighted by the inverse of the chance the draws
 * selected the entity that year; targeted and complaint-driven visits stay out. Recent years weigh more
 * (RECENCY_HALF_LIFE_YEARS). Runs on `q`'s connection.
 */
export async function buildTrainingSet(q: Queryable, asOf: string, years: number[]): Promise<{ rows: number; weighted: boolean }> {
  const weighted = await selectionRecorded(q, asOf);
  const latest = Math.max(...years);
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE risk_labels AS
    SELECT object_id, year(inspected_on)::INTEGER AS year, bool_or(found) AS found, ${inverseProbability(weighted)} AS weight,
           list_distinct(flatten(list(inspectors))) AS team
    FROM (${visitsQuery(Math.min(...years), asOf)}) v
    WHERE ${countedVisits(weighted)}
    GROUP BY object_id, year(inspected_on)`);
  await q.exec(sql`DROP TABLE IF EXISTS risk_training`);
  const cells = await createCellTables(q, yearEnd(latest - 1));
  for (const [i, year] of years.entries()) {
    if (!Number.isInteger(year)) throw new Error(`training year ${year} is not an integer`);
    const labelled = sql`(SELECT object_id FROM risk_labels WHERE year = ${year})`;
    const features = featuresQuery({ predicate: sql`o.id IN ${labelled}` }, yearEnd(year - 1), { entities: sql`object_id IN ${labelled}`, cells });
    const recency = 0.5 ** ((latest - year) / RECENCY_HALF_LIFE_YEARS);
    const select = sql`SELECT ${year}::INTEGER AS year, l.found, l.weight * ${recency} AS weight, l.team, f.*
      FROM (${features}) f JOIN risk_labels l ON l.object_id = f.object_id AND l.year = ${year}`;
    await q.exec(i === 0 ? sql`CREATE TEMP TABLE risk_training AS ${select}` : sql`INSERT INTO risk_training ${select}`);
  }
  // weights scaled to average 1, so that the L2 penalty and the WoE prior weigh as they would unweighted
  await q.exec(sql`UPDATE risk_training SET weight = weight * (SELECT count(*) / sum(weight) FROM risk_training)`);
  const row = await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM risk_training`);
  return { rows: row?.n ?? 0, weighted };
}

/** Resolves each spec's bin edges on the training rows (quantile features); bins start with zero counts. */
async function resolveBins(q: Queryable, specs: FeatureSpec[]): Promise<BinnedFeature[]> {
  const out: BinnedFeature[] = [];
  const emptyBins = (labels: ReturnType<typeof binLabels>) => labels.map((label) => ({ label, rows: 0, events: 0, woe: 0 }));
  for (const spec of specs) {
    if (spec.kind === 'category') {
      out.push({ kind: 'category', column: spec.column, label: spec.label, categories: spec.categories.map((c) => c.value), bins: emptyBins(binLabels(spec, [])) });
      continue;
    }
    let edges = spec.edges ?? [];
    if (spec.quantiles) {
      const column = sql.id(spec.column);
      const where = spec.zeroBin ? sql`${column} > 0` : sql`${column} IS NOT NULL`;
      const row = await q.one<{ qs: number[] | null }>(sql`SELECT quantile_cont(${column}, ${listValue(spec.quantiles)}::DOUBLE[]) AS qs FROM risk_training WHERE ${where}`);
      edges = edgesFromQuantiles(row?.qs ?? []);
    }
    out.push({
      kind: 'numeric',
      column: spec.column,
      label: spec.label,
      hasNullBin: Boolean(spec.nullLabel),
      zeroBin: Boolean(spec.zeroBin),
      edges,
      format: spec.format,
      bins: emptyBins(binLabels(spec, edges)),
    });
  }
  for (const f of out) if (f.bins.length > MAX_BINS) throw new Error(`feature ${f.column} has ${f.bins.length} bins; at most ${MAX_BINS} fit in bin_code`);
  return out;
}

/**
 * Rounds of estimating the inspectors' effects and refitting the scorecard with them. One: on generated 200,000-entity
 * provinces a second round changed the test year's AUC by under 0.001 (within noise) and no segment check, and it costs
 * about 4 s of a fit at 18 M entities.
 */
const INSPECTOR_ROUNDS = 1;
/** Expected findings of pseudo-visits at the scorecard's rate that each inspector's effect is shrunk with. */
const INSPECTOR_PRIOR = 10;

/**
 * Each inspector's effect on what is found, from the training visits (random draws, so that who inspects whom is
 * chance), into TEMP TABLE risk_inspector_effects (inspector, effect): a round adds the log of (findings + prior) over
 * (findings the scorecard expects with the current offsets + prior), and each row's team_offset becomes its team's
 * mean effect. A team that finds less than the scorecard expects of the entities it drew is lenient, and its visits'
 * clean results say less: the fit sees that through the offset, and the score, which leaves the offsets out, rates
 * the entities as an average team would find them.
 */
async function estimateInspectorEffects(q: Queryable, params: ScorecardParams, first: boolean): Promise<{ estimated: number; spread: number }> {
  if (first) {
    await q.exec(sql`CREATE OR REPLACE TEMP TABLE risk_inspector_effects (inspector VARCHAR PRIMARY KEY, effect DOUBLE)`);
    // the training rows' inspectors and where they are based, once: one row per row and inspector
    await q.exec(sql`CREATE OR REPLACE TEMP TABLE risk_training_teams AS
      SELECT t.rid, t.inspector, coalesce(i.region_code, '') AS home
      FROM (SELECT rowid AS rid, unnest(team) AS inspector FROM risk_training_codes) t
      LEFT JOIN inspectors i ON i.id = t.inspector`);
  }
  // an inspector's effect is shrunk toward that of the inspectors based in the same district (lenient offices exist),
  // which rests on all of their visits
  await q.exec(sql`INSERT INTO risk_inspector_effects
    WITH visits AS (
      SELECT m.inspector, m.home, c.weight, c.found, 1 / (1 + exp(-(${logOddsFromCodeSql(params, sql`c.bin_code`)} + c.team_offset))) AS expected
      FROM risk_training_teams m JOIN risk_training_codes c ON c.rowid = m.rid
    ),
    homes AS (
      SELECT home, (coalesce(sum(weight) FILTER (WHERE found), 0) + ${INSPECTOR_PRIOR}) / (sum(weight * expected) + ${INSPECTOR_PRIOR}) AS ratio
      FROM visits GROUP BY home
    )
    SELECT v.inspector, ln((coalesce(sum(v.weight) FILTER (WHERE v.found), 0) + ${INSPECTOR_PRIOR} * any_value(h.ratio)) / (sum(v.weight * v.expected) + ${INSPECTOR_PRIOR}))
    FROM visits v JOIN homes h ON h.home = v.home
    GROUP BY v.inspector
    ON CONFLICT (inspector) DO UPDATE SET effect = effect + excluded.effect`);
  await q.exec(sql`UPDATE risk_training_codes c SET team_offset = o.offset
    FROM (SELECT m.rid, avg(e.effect) AS offset FROM risk_training_teams m JOIN risk_inspector_effects e ON e.inspector = m.inspector GROUP BY m.rid) o
    WHERE c.rowid = o.rid`);
  const row = await q.one<{ n: number; spread: number | null }>(sql`SELECT count(*) AS n, stddev_pop(effect) AS spread FROM risk_inspector_effects`);
  return { estimated: row?.n ?? 0, spread: row?.spread ?? 0 };
}

/** Fits a scorecard on the years before `beforeYear` (or all years with results) as of `asOf`. */
export async function fitModel(db: Db, options: FitOptions): Promise<FittedModel> {
  const conn = await db.connection();
  try {
    await conn.exec(UNORDERED);
    return await fitOn(conn, options);
  } finally {
    conn.close();
  }
}

/** fitModel on a given connection (its TEMP tables risk_labels, risk_training, risk_training_codes, risk_training_teams and risk_inspector_effects stay there). */
export async function fitOn(q: Queryable, options: FitOptions): Promise<FittedModel> {
  const started = Date.now();
  const asOf = checkDate(options.asOf, 'as-of date');
  const specs = options.features ?? DEFAULT_FEATURES;
  if (specs.length > MAX_FEATURES) throw new Error(`at most ${MAX_FEATURES} features fit in bin_code, got ${specs.length}`);
  const l2 = options.l2 ?? 1;
  const woePrior = options.woePrior ?? 20;
  const years = await trainingYears(q, options);
  if (years.length === 0) {
    const before = options.beforeYear ?? 'the as-of date';
    const days = options.minHistoryDays ?? 365;
    throw new RiskDataError(
      'model.no_training_year',
      {
        zh: `没有训练年：须在${options.beforeYear ? ` ${options.beforeYear} 年` : '基准日'}之前某年有检查结果，且该年之前有至少 ${days} 天的投诉或结果（基准日 ${asOf}；--min-history 可调低）`,
        en: `no training year: need inspection results in a year before ${before} with at least ${days} days of complaints or results before it (as of ${asOf}; --min-history lowers that)`,
      },
      { asOf, minHistoryDays: days },
    );
  }
  const timingsMs = { trainingSet: 0, bins: 0, inspectors: 0, fit: 0 };
  let t = Date.now();
  const lap = (stage: keyof typeof timingsMs) => {
    timingsMs[stage] += Date.now() - t;
    t = Date.now();
  };
  const { rows, weighted } = await buildTrainingSet(q, asOf, years);
  lap('trainingSet');
  const features = await resolveBins(q, specs);
  await q.exec(sql`CREATE OR REPLACE TEMP TABLE risk_training_codes AS
    SELECT year, object_id, found, weight, team, (${binCodeSql(features)})::UBIGINT AS bin_code, 0.0::DOUBLE AS team_offset FROM risk_training`);
  const combos = () =>
    q.query<CodeCounts>(
      sql`SELECT bin_code::VARCHAR AS "binCode", round(team_offset, 1) AS offset, sum(weight) AS rows, coalesce(sum(weight) FILTER (WHERE found), 0) AS events
          FROM risk_training_codes GROUP BY bin_code, round(team_offset, 1)`,
    );
  // weighted counts per feature bin, and each bin's WoE
  let counts = await combos();
  for (const c of counts) {
    const bins = decodeBins(c.binCode, features.length);
    features.forEach((f, i) => {
      f.bins[bins[i]].rows += c.rows;
      f.bins[bins[i]].events += c.events;
    });
  }
  for (const f of features) monotoneWeightsOfEvidence(f, woePrior).forEach((w, k) => (f.bins[k].woe = w));
  lap('bins');
  // the scorecard, then the inspectors' effects on what is found given it, then the scorecard with them as offsets
  const woeOf = woeVectors(features);
  let params = fitScorecard(features, counts, { l2, woePrior, woeOf });
  lap('fit');
  const inspectors = { estimated: 0, spread: 0 };
  for (let round = 0; round < INSPECTOR_ROUNDS; round++) {
    Object.assign(inspectors, await estimateInspectorEffects(q, params, round === 0));
    counts = await combos();
    lap('inspectors');
    params = fitScorecard(features, counts, { l2, woePrior, woeOf, start: params });
    lap('fit');
  }
  const events = counts.reduce((s, c) => s + c.events, 0);
  const weight = counts.reduce((s, c) => s + c.rows, 0);
  const auc = rocAuc(counts.map((c) => ({ score: logOdds(params, c.binCode), positives: c.events, negatives: c.rows - c.events })));
  return {
    method: METHOD,
    asOf,
    params,
    training: {
      years,
      featuresAsOf: Object.fromEntries(years.map((y) => [String(y), yearEnd(y - 1)])),
      rows,
      events,
      eventRate: weight ? events / weight : 0,
      auc,
      combinations: counts.length,
      weighting: weighted ? 'inverse-probability' : 'unweighted',
      recencyHalfLifeYears: RECENCY_HALF_LIFE_YEARS,
      inspectors,
      fitMs: Date.now() - started,
      timingsMs,
    },
  };
}

// ---- stored versions -----------------------------------------------------------------------------------

interface ModelRow {
  version: number;
  fitted_at: Date;
  fitted_by: string;
  method: string;
  as_of: string;
  params: string;
  metrics: string;
  cutoffs: string;
}

function fromRow(r: ModelRow): StoredModel {
  const metrics = JSON.parse(r.metrics) as Record<string, unknown>;
  return {
    version: r.version,
    fittedAt: r.fitted_at,
    fittedBy: r.fitted_by,
    method: r.method,
    asOf: r.as_of,
    params: JSON.parse(r.params) as ScorecardParams,
    training: metrics.training as TrainingSummary,
    metrics,
    cutoffs: JSON.parse(r.cutoffs) as Cutoffs | null,
  };
}

const MODEL_COLUMNS = sql`version, fitted_at, fitted_by, method, as_of, params::VARCHAR AS params, metrics::VARCHAR AS metrics, cutoffs::VARCHAR AS cutoffs`;

/**
 * The number the next stored version takes: versions are only ever added, never reused or replaced, and a number that
 * scores were stored under (risk_score_codes: given scores of a fixture, say) is not taken either.
 */
export async function nextModelVersion(q: Queryable): Promise<number> {
  const row = await q.one<{ v: number }>(
    sql`SELECT greatest((SELECT coalesce(max(version), 0) FROM risk_models), (SELECT coalesce(max(model_version), 0) FROM risk_score_codes)) + 1 AS v`,
  );
  return row?.v ?? 1;
}

/**
 * Inserts a new version (the next number); earlier versions are never changed. `options.version`: the number the
 * caller took with nextModelVersion in the same transaction and wrote scores under (its snapshot cannot see another
 * taking it; a concurrent commit of the same number fails on the primary key).
 */
export async function saveModel(
  q: Queryable,
  model: FittedModel,
  options: { actor: string; metrics?: Record<string, unknown>; cutoffs: Cutoffs | null; version?: number },
): Promise<StoredModel> {
  const version = options.version ?? (await nextModelVersion(q));
  const metrics = { training: model.training, ...(options.metrics ?? {}) };
  await q.exec(
    sql`INSERT INTO risk_models (version, fitted_at, fitted_by, method, as_of, params, metrics, cutoffs)
        VALUES (${version}, current_timestamp, ${options.actor}, ${model.method}, ${model.asOf}::DATE, ${JSON.stringify(model.params)}::JSON,
                ${JSON.stringify(metrics)}::JSON, ${JSON.stringify(options.cutoffs)}::JSON)`,
  );
  const row = await q.one<ModelRow>(sql`SELECT ${MODEL_COLUMNS} FROM risk_models WHERE version = ${version}`);
  return fromRow(row!);
}

export interface ModelSummary {
  version: number;
  fittedAt: Date;
  fittedBy: string;
  method: string;
  asOf: string;
  metrics: Record<string, unknown>;
  cutoffs: Cutoffs | null;
  current: boolean;
}

/** Every model version, newest first; `current` marks the one risk_scores holds (read from its entity rows: no join). */
export async function listModels(q: Queryable): Promise<ModelSummary[]> {
  const current = await q.one<{ v: number | null }>(sql`SELECT max(model_version) AS v FROM risk_entity_codes`);
  const rows = await q.query<ModelRow>(sql`SELECT ${MODEL_COLUMNS} FROM risk_models ORDER BY version DESC`);
  return rows.map((r) => {
    const m = fromRow(r);
    return { version: m.version, fittedAt: m.fittedAt, fittedBy: m.fittedBy, method: m.method, asOf: m.asOf, metrics: m.metrics, cutoffs: m.cutoffs, current: m.version === current?.v };
  });
}

export async function loadModel(q: Queryable, version?: number): Promise<StoredModel | null> {
  const row = version === undefined
    ? await q.one<ModelRow>(sql`SELECT ${MODEL_COLUMNS} FROM risk_models ORDER BY version DESC LIMIT 1`)
    : await q.one<ModelRow>(sql`SELECT ${MODEL_COLUMNS} FROM risk_models WHERE version = ${version}`);
  return row ? fromRow(row) : null;
}
