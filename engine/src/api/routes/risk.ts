// The analysts' engine over HTTP: sampling policy (current, history, preview, save), risk models (list, fit, backtest
// lift curve), scores (tier counts, paged list, one entity's explanation) and regional alerts (cached per data version).
import type { FastifyPluginAsync } from 'fastify';
import type { Queryable } from '../../db/duckdb.ts';
import {
  currentPolicy,
  DEFAULT_POLICY,
  diffSettings,
  listPolicies,
  PolicyInputError,
  practiceWarnings,
  PRACTICE_RANGE_BP,
  savePolicy,
  TIERS,
  type PolicyChange,
  type SamplingPolicy,
} from '../../policy/policy.ts';
import { dataAsOf, previewPolicy, type PreviewLoad } from '../../policy/preview.ts';
import { AnswerCache, currentDataVersion } from '../answer-cache.ts';
import { explain, fitAndScore, listModels, loadModel, type ModelSummary } from '../../risk/index.ts';
import { computeAlerts, DEFAULT_ALERT_SETTINGS, TREND_MODES, type AlertOptions, type AlertReport, type RegionalAlert, type TrendMode } from '../../alerts/alerts.ts';
import { lnGamma } from '../../alerts/stats.ts';
import { errorResponse, HttpError, requirePrincipal } from '../plugins/auth.ts';
import { replyTable, tableResponse } from '../tabular.ts';
import { date, dateTime } from '../schemas.ts';

const ANALYSTS = ['admin', 'analyst'] as const;
const PREVIEWERS = ['admin', 'analyst', 'leader'] as const;
const READERS = ['admin', 'analyst', 'leader'] as const;
const POLICY_TAGS = ['policy'];
const MODEL_TAGS = ['risk'];
const SCORE_TAGS = ['risk'];
const ALERT_TAGS = ['alerts'];

// ---- errors ----

/** Policy inputs that break a rule are 400 with the field named (the engine's message: `field: value — rule`). */
async function mapPolicyErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof PolicyInputError) throw new HttpError(400, 'invalid', err.message);
    throw err;
  }
}

/** Fitting needs data the database may not have yet: that is a 409 (state), not a server fault. */
const FIT_STATE_PROBLEM = /^no data to score|^no training year|^backtest: no test year/;

// ---- shared schemas ----

const nullableNumber = { type: ['number', 'null'] } as const;
const name = { type: 'object', required: ['zh', 'en'], properties: { zh: { type: 'string' }, en: { type: 'string' } } } as const;
const perTier = (value: object) => ({ type: 'object', required: [...TIERS], properties: Object.fromEntries(TIERS.map((t) => [t, value])) });
const ratioBp = { type: 'integer', minimum: 0, maximum: 10000, description: '每轮抽查比例（基点，300 = 3%） share drawn per round, basis points (300 = 3%)' } as const;

/** A change to the policy's settings: any subset, merged onto the current version (ratios tier by tier). */
const settingsChangeProperties = {
  tierRatiosBp: {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(TIERS.map((t) => [t, ratioBp])),
    description: '分级抽查比例（可只给部分等级） per-tier ratios, any subset of A-D',
  },
  frequencyPerYear: { type: 'integer', minimum: 1, maximum: 12, description: '每年抽查轮次 draw rounds a year' },
  burdenWindowDays: { type: 'integer', minimum: 0, maximum: 3650, description: '减负窗口（天） days after a draw during which a general task skips the entity' },
  yearlyCap: { type: 'integer', minimum: 1, maximum: 366, description: '每户每年检查次数上限 inspections per entity per year, all departments' },
  capAlertMargin: { type: 'integer', minimum: 0, maximum: 366, description: '接近上限提醒余量 warn this close to the cap' },
  inspectorDaysPerObject: { type: 'number', exclusiveMinimum: 0, maximum: 100, description: '每户检查人日 inspector-days per inspected object' },
  capacityDaysPerInspector: { type: 'number', exclusiveMinimum: 0, maximum: 366, description: '每名执法人员每年可用人日 days a year an officer gives to random inspections' },
  tierFloorBp: { type: 'integer', minimum: 1, maximum: 10000, description: '各级最低抽查比例（基点，默认 100 = 1%） the least ratio any tier may have, so every entity keeps a known chance of being drawn' },
} as const;

const settingsProperties = {
  tierRatiosBp: perTier(ratioBp),
  frequencyPerYear: { type: 'integer' },
  burdenWindowDays: { type: 'integer' },
  yearlyCap: { type: 'integer' },
  capAlertMargin: { type: 'integer' },
  inspectorDaysPerObject: { type: 'number' },
  capacityDaysPerInspector: { type: 'number' },
  tierFloorBp: { type: 'integer' },
} as const;
const settingsSchema = { type: 'object', required: Object.keys(settingsProperties), properties: settingsProperties } as const;

const changeSchema = {
  type: 'array',
  description: '与上一版本相比的改动 fields that differ from the version before (the first version: from the default)',
  items: {
    type: 'object',
    required: ['field', 'before', 'after'],
    properties: { field: { type: 'string', description: 'e.g. tierRatiosBp.C' }, before: nullableNumber, after: nullableNumber },
  },
} as const;

const policySchema = {
  type: 'object',
  required: ['version', 'createdAt', 'author', 'reason', ...Object.keys(settingsProperties)],
  properties: {
    version: { type: 'integer', description: '0：默认政策，从未保存 0: the documented default, never saved' },
    createdAt: { type: ['string', 'null'], format: 'date-time' },
    author: { type: ['string', 'null'] },
    reason: { type: ['string', 'null'] },
    ...settingsProperties,
  },
} as const;

const policyVersionSchema = { ...policySchema, required: [...policySchema.required, 'changes'], properties: { ...policySchema.properties, changes: changeSchema } } as const;

type ChangeRow = { field: string; before: number | null; after: number | null };
const changeRows = (changes: Record<string, [unknown, unknown]>): ChangeRow[] =>
  Object.entries(changes).map(([field, [before, after]]) => ({ field, before: before as number | null, after: after as number | null }));

const policyJson = (p: SamplingPolicy) => ({ ...p, createdAt: p.createdAt?.toISOString() ?? null });

const tierPreviewSchema = {
  type: 'object',
  required: ['tier', 'ratioBp', 'practiceRangeBp', 'activeEntities', 'inBurdenWindow', 'atCap', 'nearCap', 'eligible', 'k', 'kPerYear', 'hitRate', 'expectedFindingsPerYear', 'inspectorDaysPerYear', 'notInspected3y'],
  properties: {
    tier: { type: 'string', enum: [...TIERS] },
    ratioBp: { type: 'integer' },
    practiceRangeBp: { type: 'array', items: { type: 'integer' }, description: '实践常见年比例范围 yearly range seen in practice, basis points' },
    activeEntities: { type: 'integer' },
    inBurdenWindow: { type: 'integer', description: '减负窗口内（D 级除外不可抽） drawn or inspected within the burden window' },
    atCap: { type: 'integer', description: '已达年度上限 at the yearly cap' },
    nearCap: { type: 'integer' },
    eligible: { type: 'integer', description: '可抽主体数 N eligible entities' },
    k: { type: 'integer', description: '每轮抽取数（fd1 配额） objects drawn per round (fd1 quota)' },
    kPerYear: { type: 'integer' },
    hitRate: nullableNumber,
    expectedFindingsPerYear: nullableNumber,
    inspectorDaysPerYear: { type: 'number' },
    notInspected3y: { type: 'integer', description: '三年未检查 not inspected in the last 3 years' },
  },
} as const;

const previewSchema = {
  type: 'object',
  required: ['asOf', 'basedOnVersion', 'settings', 'tiers', 'totals', 'unscoredActiveEntities', 'hitRateSource', 'nearCapEntities', 'warnings', 'elapsedMs'],
  properties: {
    asOf: date,
    basedOnVersion: { type: 'integer' },
    settings: settingsSchema,
    tiers: { type: 'array', items: tierPreviewSchema },
    totals: {
      type: 'object',
      required: ['activeEntities', 'eligible', 'kPerRound', 'kPerYear', 'expectedFindingsPerYear', 'inspectorDaysNeeded', 'certifiedOfficers', 'capacityDays', 'capacityUse', 'atCap', 'nearCap', 'notInspected3y'],
      properties: {
        activeEntities: { type: 'integer' },
        eligible: { type: 'integer' },
        kPerRound: { type: 'integer' },
        kPerYear: { type: 'integer' },
        expectedFindingsPerYear: nullableNumber,
        inspectorDaysNeeded: { type: 'number' },
        certifiedOfficers: { type: 'integer' },
        capacityDays: { type: 'number' },
        capacityUse: { ...nullableNumber, description: '所需人日 / 可用人日 needed over capacity' },
        atCap: { type: 'integer' },
        nearCap: { type: 'integer' },
        notInspected3y: { type: 'integer' },
      },
    },
    unscoredActiveEntities: { type: 'integer' },
    hitRateSource: {
      type: 'object',
      required: ['kind'],
      properties: { kind: { type: 'string', enum: ['backtest', 'observed', 'none'] }, modelVersion: { type: 'integer' }, visits: { type: 'integer' }, note: { type: 'string' } },
    },
    nearCapEntities: {
      type: 'array',
      items: {
        type: 'object',
        required: ['objectId', 'name', 'regionCode', 'industryCode', 'tier', 'inspectionsThisYear', 'lastDrawnOn'],
        properties: {
          objectId: { type: 'string' },
          name: { type: 'string' },
          regionCode: { type: 'string' },
          industryCode: { type: ['string', 'null'] },
          tier: { type: ['string', 'null'] },
          inspectionsThisYear: { type: 'integer' },
          lastDrawnOn: date,
        },
      },
    },
    warnings: { type: 'array', items: { type: 'string' } },
    elapsedMs: { type: 'number' },
  },
} as const;

// ---- models ----

const tierOutcomeSchema = {
  type: 'object',
  required: ['population', 'inspected', 'found', 'hitRate'],
  properties: { population: { type: 'integer' }, inspected: { type: 'integer' }, found: { type: 'integer' }, hitRate: nullableNumber },
} as const;

const modelSchema = {
  type: 'object',
  required: ['version', 'fittedAt', 'fittedBy', 'method', 'asOf', 'current', 'metrics'],
  properties: {
    version: { type: 'integer' },
    fittedAt: dateTime,
    fittedBy: { type: 'string', description: '拟合人 who fitted it' },
    method: { type: 'string' },
    asOf: date,
    current: { type: 'boolean', description: '当前评分所用版本 the version risk_scores holds' },
    tierCounts: { ...perTier({ type: 'integer' }), description: '各等级主体数 entities per tier at scoring' },
    metrics: {
      type: 'object',
      required: ['auc', 'hitRateByTier', 'liftAt', 'daysEarlier', 'truthSpearman', 'testYear'],
      properties: {
        auc: { ...nullableNumber, description: '回测 ROC AUC（测试年） backtest ROC AUC on the held-out year' },
        hitRateByTier: { type: ['object', 'null'], properties: Object.fromEntries(TIERS.map((t) => [t, nullableNumber])) },
        liftAt: { type: ['object', 'null'], properties: { '0.05': nullableNumber, '0.1': nullableNumber, '0.2': nullableNumber }, description: '检查前 5/10/20% 时相对随机的提升 lift at 5/10/20% inspected' },
        daysEarlier: { ...nullableNumber, description: '按风险排序时问题平均提前发现天数 days earlier the findings would have come in risk order' },
        truthSpearman: { ...nullableNumber, description: '与合成数据真实倾向的秩相关（仅合成数据） rank correlation with the synthetic truth' },
        testYear: { type: ['integer', 'null'] },
        tiers: { type: 'object', properties: Object.fromEntries(TIERS.map((t) => [t, tierOutcomeSchema])) },
        test: {
          type: 'object',
          properties: { entities: { type: 'integer' }, withFinding: { type: 'integer' }, hitRate: { type: 'number' }, visits: { type: 'integer' } },
        },
        training: {
          type: 'object',
          properties: { years: { type: 'array', items: { type: 'integer' } }, rows: { type: 'integer' }, events: { type: 'integer' }, auc: nullableNumber },
        },
        backtestSkipped: { type: 'string', description: '未回测的原因 why no backtest ran' },
      },
    },
  },
} as const;

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A stored model version as the API shows it: the backtest's headline figures and per-tier outcomes, not its params. */
function modelJson(m: Pick<ModelSummary, 'version' | 'fittedAt' | 'fittedBy' | 'method' | 'asOf' | 'metrics' | 'cutoffs'> & { current: boolean }) {
  const metrics = m.metrics;
  const backtest = asObject(metrics.backtest);
  const training = asObject(metrics.training);
  return {
    version: m.version,
    fittedAt: m.fittedAt.toISOString(),
    fittedBy: m.fittedBy,
    method: m.method,
    asOf: m.asOf,
    current: m.current,
    ...(m.cutoffs?.counts ? { tierCounts: m.cutoffs.counts } : {}),
    metrics: {
      auc: numOrNull(metrics.auc),
      hitRateByTier: asObject(metrics.hitRateByTier),
      liftAt: asObject(metrics.liftAt),
      daysEarlier: numOrNull(metrics.daysEarlier),
      truthSpearman: numOrNull(metrics.truthSpearman),
      testYear: backtest && typeof backtest.testYear === 'number' ? backtest.testYear : null,
      ...(backtest?.tiers ? { tiers: backtest.tiers } : {}),
      ...(backtest?.test ? { test: backtest.test } : {}),
      ...(training ? { training: { years: training.years, rows: training.rows, events: training.events, auc: numOrNull(training.auc) } } : {}),
      ...(typeof metrics.backtestSkipped === 'string' ? { backtestSkipped: metrics.backtestSkipped } : {}),
    },
  };
}

const liftPoint = { type: 'object', required: ['share', 'found'], properties: { share: { type: 'number' }, found: { type: 'number' } } } as const;

/**
 * The lift curve of a model's backtest: the share of the test year's findings found when inspecting the top share by
 * score. Stored at fit time (metrics.backtest.liftCurve); for versions fitted before it was stored, the points the
 * stored lift-at figures give (lift x share), with the ends (0, 0) and (1, 1).
 */
export function liftCurveOf(metrics: Json): { source: 'curve' | 'liftAt' | 'none'; points: Array<{ share: number; found: number }> } {
  const backtest = asObject(metrics.backtest);
  const stored = backtest?.liftCurve;
  if (Array.isArray(stored) && stored.length) return { source: 'curve', points: stored as Array<{ share: number; found: number }> };
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

// ---- scores ----

/** A region filter as a code prefix: the province (44), a city (4403: its districts too) or one district. */
export function regionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

const SCORE_GROUPS = {
  city: `left(o.region_code, 4) || '00'`,
  district: 'o.region_code',
  industry: 'o.industry_code',
} as const;
type ScoreGroupBy = keyof typeof SCORE_GROUPS;

const scoreFilterSql = `($region IS NULL OR starts_with(o.region_code, $region)) AND ($industry IS NULL OR o.industry_code = $industry)`;

// Tier counts per city, district or industry of the scored entities. Grain: one row per group (code).
const tierCountsSql = (by: ScoreGroupBy) => `WITH counts AS (
    SELECT ${SCORE_GROUPS[by]} AS code,
           count(*) FILTER (WHERE s.tier = 'A') AS "A", count(*) FILTER (WHERE s.tier = 'B') AS "B",
           count(*) FILTER (WHERE s.tier = 'C') AS "C", count(*) FILTER (WHERE s.tier = 'D') AS "D",
           count(*) AS total, avg(s.score) AS "meanScore"
    FROM risk_scores s JOIN objects o ON o.id = s.object_id
    WHERE ${scoreFilterSql}
    GROUP BY 1
  )
  SELECT c.code, coalesce(n.name_zh, c.code) AS "nameZh", coalesce(n.name_en, c.code) AS "nameEn", c."A", c."B", c."C", c."D", c.total, c."meanScore"
  FROM counts c LEFT JOIN ${by === 'industry' ? 'industries' : 'regions'} n ON n.code = c.code
  ORDER BY c.code`;

const tierCountRow = {
  type: 'object',
  required: ['code', 'nameZh', 'nameEn', 'A', 'B', 'C', 'D', 'total', 'meanScore'],
  properties: {
    code: { type: 'string', description: '地区代码或行业门类 region code or industry section' },
    nameZh: { type: 'string' },
    nameEn: { type: 'string' },
    A: { type: 'integer' },
    B: { type: 'integer' },
    C: { type: 'integer' },
    D: { type: 'integer' },
    total: { type: 'integer' },
    meanScore: { type: 'number', description: '平均发现问题概率 mean predicted probability of a finding' },
  },
} as const;

// One page of scored entities, highest score first (ties by id). Grain: one row per entity.
const SCORE_PAGE_SQL = `SELECT s.object_id AS "objectId", o.name, o.entity_type AS "entityType", o.region_code AS "regionCode",
    coalesce(r.name_zh, o.region_code) AS "regionNameZh", o.industry_code AS "industryCode", s.score, s.tier, s.model_version AS "modelVersion"
  FROM risk_scores s JOIN objects o ON o.id = s.object_id LEFT JOIN regions r ON r.code = o.region_code
  WHERE ${scoreFilterSql} AND ($tier IS NULL OR s.tier = $tier)
  ORDER BY s.score DESC, s.object_id
  LIMIT $limit OFFSET $offset`;

// How many scored entities the filter matches. Grain: one row.
const SCORE_COUNT_SQL = `SELECT count(*) AS n FROM risk_scores s JOIN objects o ON o.id = s.object_id
  WHERE ${scoreFilterSql} AND ($tier IS NULL OR s.tier = $tier)`;

const scoreRow = {
  type: 'object',
  required: ['objectId', 'name', 'regionCode', 'score', 'tier', 'modelVersion'],
  properties: {
    objectId: { type: 'string' },
    name: { type: 'string' },
    entityType: { type: ['string', 'null'] },
    regionCode: { type: 'string' },
    regionNameZh: { type: 'string' },
    industryCode: { type: ['string', 'null'] },
    score: { type: 'number', description: '发现问题概率 predicted probability of a finding' },
    tier: { type: 'string', enum: [...TIERS] },
    modelVersion: { type: 'integer' },
  },
} as const;

const regionQuery = { type: 'string', pattern: '^[0-9]{6}$', description: '地区代码：省、地市（含其区县）或区县 region code: province, city (with its districts) or district' } as const;
const industryQuery = { type: 'string', pattern: '^[A-T]$', description: '行业门类 GB/T 4754 section A-T' } as const;

const contributionSchema = {
  type: 'object',
  required: ['column', 'feature', 'bin', 'points', 'text'],
  properties: {
    column: { type: 'string' },
    feature: name,
    bin: name,
    points: { type: 'number', description: '对得分的对数几率贡献 log-odds points added to the score' },
    text: { type: 'string' },
  },
} as const;

// The scored entity with its place and industry names. Grain: one row.
const ENTITY_SQL = `SELECT o.name, o.entity_type, o.region_code, r.name_zh AS region_zh, r.name_en AS region_en,
    o.industry_code, i.name_zh AS industry_zh, i.name_en AS industry_en
  FROM objects o LEFT JOIN regions r ON r.code = o.region_code LEFT JOIN industries i ON i.code = o.industry_code
  WHERE o.id = $id`;

// ---- alerts ----

export interface BandedWeek {
  weekStart: string;
  weekEnd: string;
  period: 'baseline' | 'window';
  count: number;
  visits?: number;
  /** What the cell's baseline (window weeks: moved by the trend, as the test does) predicts for the week. */
  expected: number;
  /** The central 95% range of the week's count under that expectation (Poisson; findings: binomial over the week's visits). */
  low: number;
  high: number;
}

/** Smallest k with P(X <= k) >= p for X ~ Poisson(mean). */
export function poissonQuantile(p: number, mean: number): number {
  if (!(mean > 0)) return 0;
  let cdf = 0;
  for (let k = 0; ; k++) {
    cdf += Math.exp(-mean + k * Math.log(mean) - lnGamma(k + 1));
    if (cdf >= p || k > mean + 50 * Math.sqrt(mean) + 50) return k;
  }
}

/** Smallest k with P(X <= k) >= p for X ~ Binomial(n, rate). */
export function binomialQuantile(p: number, n: number, rate: number): number {
  if (n <= 0 || rate <= 0) return 0;
  if (rate >= 1) return n;
  let cdf = 0;
  const lnN = lnGamma(n + 1);
  for (let k = 0; k <= n; k++) {
    cdf += Math.exp(lnN - lnGamma(k + 1) - lnGamma(n - k + 1) + k * Math.log(rate) + (n - k) * Math.log1p(-rate));
    if (cdf >= p) return k;
  }
  return n;
}

/** Each week of an alert's series with its expected count and 95% band, from the same baseline the test used. */
export function expectedBand(alert: RegionalAlert, baselineWeeks: number): BandedWeek[] {
  const windowWeeks = alert.window.weeks;
  if (alert.kind === 'complaints') {
    const perWeek = { baseline: alert.baselineCount / baselineWeeks, window: alert.expected / windowWeeks };
    return alert.series.map((w) => {
      const mean = perWeek[w.period];
      return { ...w, expected: mean, low: poissonQuantile(0.025, mean), high: poissonQuantile(0.975, mean) };
    });
  }
  const rate = {
    baseline: alert.baselineRate ?? 0,
    window: alert.windowVisits ? alert.expected / alert.windowVisits : (alert.baselineRate ?? 0),
  };
  return alert.series.map((w) => {
    const visits = w.visits ?? 0;
    const r = rate[w.period];
    return { ...w, expected: visits * r, low: binomialQuantile(0.025, visits, r), high: binomialQuantile(0.975, visits, r) };
  });
}

/** An alert's stable id: kind, region and industry (one alert per cell and kind). */
export const alertId = (a: Pick<RegionalAlert, 'kind' | 'regionCode' | 'industryCode'>) => `${a.kind}:${a.regionCode}:${a.industryCode}`;

/** The report as the API answers it: each alert with its id, a JSON-safe ratio, and the expected band on its series. */
export function alertReportJson(report: AlertReport) {
  return {
    ...report,
    alerts: report.alerts.map((a) => ({
      ...a,
      id: alertId(a),
      ratio: Number.isFinite(a.ratio) ? a.ratio : null,
      series: expectedBand(a, report.settings.baselineWeeks),
    })),
  };
}

const spanSchema = { type: 'object', required: ['from', 'to', 'weeks'], properties: { from: date, to: date, weeks: { type: 'integer' } } } as const;

const alertSchema = {
  type: 'object',
  required: ['id', 'kind', 'level', 'regionCode', 'regionName', 'cityCode', 'cityName', 'industryCode', 'industryName', 'window', 'observed', 'expected', 'ratio', 'baselineCount', 'pValue', 'qValue', 'severity', 'series'],
  properties: {
    id: { type: 'string', description: 'kind:regionCode:industryCode' },
    kind: { type: 'string', enum: ['complaints', 'findings'], description: '投诉 complaints / 检查发现率 finding rate' },
    level: { type: 'string', enum: ['city', 'district'] },
    regionCode: { type: 'string' },
    regionName: name,
    cityCode: { type: 'string' },
    cityName: name,
    industryCode: { type: 'string' },
    industryName: name,
    window: spanSchema,
    observed: { type: 'integer', description: '窗口内实际数 complaints (or visits with a finding) in the window' },
    expected: { type: 'number', description: '按基线预期 what the baseline predicts for the window' },
    ratio: { ...nullableNumber, description: '实际/预期；预期为 0 时为 null observed over expected; null when nothing was expected' },
    baselineCount: { type: 'integer' },
    trend: { type: 'number' },
    windowVisits: { type: 'integer' },
    baselineVisits: { type: 'integer' },
    windowRate: { type: 'number' },
    baselineRate: { type: 'number' },
    pValue: { type: 'number' },
    qValue: { type: 'number', description: 'Benjamini-Hochberg q 值 q-value' },
    severity: { type: 'string', enum: ['high', 'medium', 'low'] },
    series: {
      type: 'array',
      description: '逐周序列（先基线后窗口）及预期区间 weekly series, baseline weeks then window weeks, with the expected count and its 95% band',
      items: {
        type: 'object',
        required: ['weekStart', 'weekEnd', 'period', 'count', 'expected', 'low', 'high'],
        properties: {
          weekStart: date,
          weekEnd: date,
          period: { type: 'string', enum: ['baseline', 'window'] },
          count: { type: 'integer' },
          visits: { type: 'integer' },
          expected: { type: 'number' },
          low: { type: 'integer' },
          high: { type: 'integer' },
        },
      },
    },
  },
} as const;

const alertReportSchema = {
  type: 'object',
  required: ['asOf', 'window', 'baseline', 'settings', 'complaintTrend', 'cells', 'method', 'alerts', 'elapsedMs', 'cache'],
  properties: {
    asOf: { type: ['string', 'null'], format: 'date' },
    window: { anyOf: [{ type: 'null' }, spanSchema] },
    baseline: { anyOf: [{ type: 'null' }, spanSchema] },
    settings: {
      type: 'object',
      properties: {
        windowWeeks: { type: 'integer' },
        baselineWeeks: { type: 'integer' },
        q: { type: 'number' },
        minObserved: { type: 'integer' },
        minBaseline: { type: 'integer' },
        minWindowVisits: { type: 'integer' },
        minBaselineVisits: { type: 'integer' },
        trend: { type: 'string' },
      },
    },
    complaintTrend: { type: 'number' },
    cells: {
      type: 'object',
      properties: Object.fromEntries(
        ['complaints', 'findings'].map((k) => [k, { type: 'object', properties: { seen: { type: 'integer' }, tested: { type: 'integer' }, alerts: { type: 'integer' } } }]),
      ),
    },
    method: { type: 'string' },
    alerts: { type: 'array', items: alertSchema },
    elapsedMs: { type: 'object', properties: { aggregate: { type: 'number' }, test: { type: 'number' }, total: { type: 'number' } } },
    cache: {
      type: 'object',
      required: ['hit', 'dataVersion', 'computedAt'],
      description: '内存缓存：按（参数，数据版本）命中 in-memory cache keyed by (settings, as-of, data version)',
      properties: { hit: { type: 'boolean' }, dataVersion: { type: 'string' }, computedAt: dateTime },
    },
  },
} as const;

interface AlertQuery {
  windowWeeks?: number;
  baselineWeeks?: number;
  q?: number;
  minObserved?: number;
  minBaseline?: number;
  trend?: TrendMode;
  asOf?: string;
}

// ---- routes ----

export const riskRoutes: FastifyPluginAsync = async (app) => {
  const alertCache = new AnswerCache<ReturnType<typeof alertReportJson>>();
  const previewLoads = new AnswerCache<PreviewLoad>();
  const dataDates = new AnswerCache<string>(1);
  /** A preview whose load (and default as-of date) is read once per data version: the sliders then answer at once. */
  const cachedPreview = async (change: PolicyChange, asOf: string | undefined) => {
    const version = await currentDataVersion(app.db);
    const on = asOf ?? (await dataDates.get(version, 'as-of', () => dataAsOf(app.db))).answer;
    return previewPolicy(app.db, change, { asOf: on, load: async (key, read) => (await previewLoads.get(version, key, read)).answer });
  };
  // A listening server reads the current policy's preview load in the background, as coverage does its views.
  app.addHook('onListen', async () => {
    cachedPreview({}, undefined).catch((err: unknown) => app.log.warn({ err }, 'policy preview warm-up failed'));
  });
  let fitting: Promise<unknown> | null = null;

  app.get(
    '/policy',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: POLICY_TAGS,
        summary: '当前抽查政策 The current sampling policy (version 0: the documented default, never saved)',
        response: {
          200: {
            type: 'object',
            required: ['policy', 'practiceRangeBp', 'warnings'],
            properties: {
              policy: policySchema,
              practiceRangeBp: { ...perTier({ type: 'array', items: { type: 'integer' } }), description: '实践常见年比例范围（基点） yearly ranges seen in practice, basis points' },
              warnings: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
    },
    async () => {
      const policy = await currentPolicy(app.db);
      return { policy: policyJson(policy), practiceRangeBp: PRACTICE_RANGE_BP, warnings: practiceWarnings(policy) };
    },
  );

  app.get(
    '/policy/versions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: POLICY_TAGS,
        summary: '抽查政策历史 Every saved policy version, newest first: who, when, why, and what changed',
        response: { 200: { type: 'object', required: ['versions'], properties: { versions: { type: 'array', items: policyVersionSchema } } } },
      },
    },
    async () => {
      const versions = await listPolicies(app.db);
      const out = versions.map((p, i) => ({ ...policyJson(p), changes: changeRows(diffSettings(i === 0 ? DEFAULT_POLICY : versions[i - 1], p)) }));
      return { versions: out.reverse() };
    },
  );

  app.post<{ Body: PolicyChange & { reason: string } }>(
    '/policy',
    {
      config: { access: ANALYSTS },
      schema: {
        tags: POLICY_TAGS,
        summary: '保存新的政策版本 Save a new policy version: the change merged onto the current one, with a reason',
        body: {
          type: 'object',
          required: ['reason'],
          additionalProperties: false,
          properties: { ...settingsChangeProperties, reason: { type: 'string', minLength: 1, maxLength: 500, description: '调整理由（随版本和审计日志保存） why (kept with the version and in the audit log)' } },
        },
        response: {
          201: {
            type: 'object',
            required: ['policy', 'previousVersion', 'changes', 'warnings'],
            properties: { policy: policySchema, previousVersion: { type: 'integer' }, changes: changeSchema, warnings: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
    },
    async (request, reply) => {
      const { username } = requirePrincipal(request);
      const { reason, ...change } = request.body;
      const saved = await mapPolicyErrors(() => savePolicy(app.db, change, { author: username, reason }));
      return reply.code(201).send({ ...saved, policy: policyJson(saved.policy), changes: changeRows(saved.changes) });
    },
  );

  app.post<{ Body: PolicyChange & { asOf?: string } }>(
    '/policy/preview',
    {
      config: { access: PREVIEWERS },
      schema: {
        tags: POLICY_TAGS,
        summary: '预览政策效果（不保存） Preview settings merged onto the current policy: per tier N, k, expected findings, inspector-days against capacity',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { ...settingsChangeProperties, asOf: { ...date, description: '基准日，默认为数据中最近的投诉或检查日 reference date; default the latest complaint or inspection day' } },
        },
        response: { 200: previewSchema },
      },
    },
    async (request) => {
      const { asOf, ...change } = request.body ?? {};
      return mapPolicyErrors(() => cachedPreview(change, asOf));
    },
  );

  app.get(
    '/models',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: MODEL_TAGS,
        summary: '风险模型版本 Risk model versions, newest first, with backtest figures and who fitted them',
        response: { 200: { type: 'object', required: ['models'], properties: { models: { type: 'array', items: modelSchema } } } },
      },
    },
    async () => ({ models: (await listModels(app.db)).map(modelJson) }),
  );

  app.post<{ Body: { asOf?: string; testYear?: number; backtest?: boolean } }>(
    '/models',
    {
      config: { access: ANALYSTS },
      schema: {
        tags: MODEL_TAGS,
        summary: '拟合并评分新模型版本 Backtest, fit a new model version on prior results, and score every active entity',
        description: '18 M 主体需数分钟；同一时间只运行一次。 At 18 M entities this takes minutes; one fit at a time.',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            asOf: { ...date, description: '基准日，默认为数据中最近日期 reference date (default: the data\'s latest date)' },
            testYear: { type: 'integer', minimum: 2000, maximum: 2100, description: '回测测试年 the backtest\'s held-out year' },
            backtest: { type: 'boolean', default: true },
          },
        },
        response: {
          201: {
            type: 'object',
            required: ['model', 'entities', 'tierCounts', 'fitMs'],
            properties: {
              model: modelSchema,
              entities: { type: 'integer', description: '评分主体数 entities scored' },
              tierCounts: perTier({ type: 'integer' }),
              timingsMs: { type: 'object', properties: { score: { type: 'number' }, tiers: { type: 'number' }, write: { type: 'number' } } },
              fitMs: { type: 'number' },
              backtestSkipped: { type: 'string' },
            },
          },
          409: { ...errorResponse, description: '已有拟合在运行，或数据不足以拟合 A fit is running, or the data cannot train a model yet' },
        },
      },
    },
    async (request, reply) => {
      const { username } = requirePrincipal(request);
      if (fitting) throw new HttpError(409, 'conflict', '已有模型拟合在运行，请稍后 a model fit is already running: try again when it has finished');
      const { asOf, testYear, backtest } = request.body ?? {};
      const run = fitAndScore(app.db, { actor: username, asOf, testYear, backtest });
      fitting = run;
      try {
        const result = await run;
        const stored = await loadModel(app.db, result.score.version);
        return reply.code(201).send({
          model: modelJson({ ...stored!, current: true }),
          entities: result.score.entities,
          tierCounts: result.score.tierCounts,
          timingsMs: result.score.timingsMs,
          fitMs: result.fitMs,
          ...(result.backtestSkipped ? { backtestSkipped: result.backtestSkipped } : {}),
        });
      } catch (err) {
        if (err instanceof Error && FIT_STATE_PROBLEM.test(err.message)) throw new HttpError(409, 'conflict', err.message);
        throw err;
      } finally {
        fitting = null;
      }
    },
  );

  app.get<{ Params: { version: number } }>(
    '/models/:version/backtest',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: MODEL_TAGS,
        summary: '模型回测：提升曲线与分级命中率 A model\'s backtest: lift curve (share inspected → share of findings found), hit rate per tier',
        params: { type: 'object', required: ['version'], properties: { version: { type: 'integer', minimum: 1 } } },
        response: {
          200: {
            type: 'object',
            required: ['version', 'testYear', 'source', 'liftCurve', 'auc', 'daysEarlier', 'tiers'],
            properties: {
              version: { type: 'integer' },
              testYear: { type: ['integer', 'null'] },
              source: {
                type: 'string',
                enum: ['curve', 'liftAt', 'none'],
                description: 'curve：拟合时保存的曲线；liftAt：由保存的提升值推出的点；none：无回测 curve stored at fit time; liftAt: points from the stored lift figures; none: no backtest',
              },
              liftCurve: { type: 'array', items: liftPoint },
              auc: nullableNumber,
              daysEarlier: nullableNumber,
              tiers: {
                type: 'array',
                items: { ...tierOutcomeSchema, required: ['tier', ...tierOutcomeSchema.required], properties: { tier: { type: 'string', enum: [...TIERS] }, ...tierOutcomeSchema.properties } },
              },
              test: { type: 'object', properties: { entities: { type: 'integer' }, withFinding: { type: 'integer' }, hitRate: { type: 'number' }, visits: { type: 'integer' } } },
              backtestSkipped: { type: 'string' },
            },
          },
          404: { ...errorResponse, description: '没有这个模型版本 No such model version' },
        },
      },
    },
    async (request) => {
      const model = await loadModel(app.db, request.params.version);
      if (!model) throw new HttpError(404, 'not found', `没有风险模型版本 ${request.params.version} / no risk model version ${request.params.version}`);
      const summary = modelJson({ ...model, current: false }).metrics;
      const curve = liftCurveOf(model.metrics);
      const tiers = (summary.tiers ?? {}) as Record<string, { population: number; inspected: number; found: number; hitRate: number | null }>;
      return {
        version: model.version,
        testYear: summary.testYear,
        source: curve.source,
        liftCurve: curve.points,
        auc: summary.auc,
        daysEarlier: summary.daysEarlier,
        tiers: TIERS.filter((t) => tiers[t]).map((t) => ({ tier: t, ...tiers[t] })),
        ...(summary.test ? { test: summary.test } : {}),
        ...(summary.backtestSkipped ? { backtestSkipped: summary.backtestSkipped } : {}),
      };
    },
  );

  app.get<{ Querystring: { by: ScoreGroupBy; region?: string; industry?: string } }>(
    '/scores/tiers',
    {
      config: { access: READERS },
      schema: {
        tags: SCORE_TAGS,
        summary: '各地市、区县或行业的风险等级分布 Tier counts per city, district or industry (aggregated in DuckDB)',
        querystring: {
          type: 'object',
          required: ['by'],
          properties: { by: { type: 'string', enum: Object.keys(SCORE_GROUPS) }, region: regionQuery, industry: industryQuery },
        },
        response: { 200: tableResponse(tierCountRow, { by: { type: 'string' } }) },
      },
    },
    async (request, reply) => {
      const { by, region, industry } = request.query;
      return replyTable(request, reply, app.db, tierCountsSql(by), { region: region ? regionPrefix(region) : null, industry: industry ?? null }, { by });
    },
  );

  app.get<{ Querystring: { region?: string; industry?: string; tier?: string; limit: number; offset: number } }>(
    '/scores',
    {
      config: { access: READERS },
      schema: {
        tags: SCORE_TAGS,
        summary: '风险评分列表（分页，高分在前） Scored entities, highest score first, filtered by region, industry and tier, one page at a time',
        querystring: {
          type: 'object',
          properties: {
            region: regionQuery,
            industry: industryQuery,
            tier: { type: 'string', enum: [...TIERS] },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            offset: { type: 'integer', minimum: 0, maximum: 100_000_000, default: 0 },
          },
        },
        response: { 200: tableResponse(scoreRow, { total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' } }) },
      },
    },
    async (request, reply) => {
      const { region, industry, tier, limit, offset } = request.query;
      const filter = { region: region ? regionPrefix(region) : null, industry: industry ?? null, tier: tier ?? null };
      const total = (await app.db.one<{ n: number }>(SCORE_COUNT_SQL, filter))?.n ?? 0;
      return replyTable(request, reply, app.db, SCORE_PAGE_SQL, { ...filter, limit, offset }, { total, limit, offset });
    },
  );

  app.get<{ Params: { objectId: string } }>(
    '/scores/:objectId',
    {
      config: { access: READERS },
      schema: {
        tags: SCORE_TAGS,
        summary: '主体风险评分及原因 One entity\'s score and tier, and why: each feature\'s contribution (zh, en)',
        params: { type: 'object', required: ['objectId'], properties: { objectId: { type: 'string', minLength: 1, maxLength: 64, description: '统一社会信用代码 USCC' } } },
        response: {
          200: {
            type: 'object',
            required: ['objectId', 'name', 'regionCode', 'modelVersion', 'asOf', 'score', 'tier', 'baseLogOdds', 'logOdds', 'contributions', 'top', 'labels'],
            properties: {
              objectId: { type: 'string' },
              name: { type: 'string' },
              entityType: { type: ['string', 'null'] },
              regionCode: { type: 'string' },
              regionName: name,
              industryCode: { type: ['string', 'null'] },
              industryName: name,
              modelVersion: { type: 'integer' },
              asOf: date,
              score: { type: 'number', description: '发现问题概率 predicted probability of a finding' },
              tier: { type: 'string', enum: [...TIERS] },
              baseLogOdds: { type: 'number' },
              logOdds: { type: 'number' },
              contributions: { type: 'array', items: contributionSchema },
              top: { type: 'array', items: contributionSchema, description: '贡献最大的三项 the three largest contributions' },
              labels: { type: 'object', properties: { score: name, tier: name } },
            },
          },
          404: { ...errorResponse, description: '无此主体或尚未评分 Unknown entity, or not scored' },
        },
      },
    },
    async (request) => {
      const explanation = await explain(app.db, request.params.objectId);
      if (!explanation) {
        throw new HttpError(404, 'not found', `主体 ${request.params.objectId} 没有风险评分（代码不存在或非在营主体） / no risk score for ${request.params.objectId}: unknown id, or not an active entity`);
      }
      const entity = await app.db.one<{ name: string; entity_type: string | null; region_code: string; region_zh: string | null; region_en: string | null; industry_code: string | null; industry_zh: string | null; industry_en: string | null }>(
        ENTITY_SQL,
        { id: explanation.objectId },
      );
      return {
        ...explanation,
        name: entity?.name ?? explanation.objectId,
        entityType: entity?.entity_type ?? null,
        regionCode: entity?.region_code ?? '',
        ...(entity?.region_zh ? { regionName: { zh: entity.region_zh, en: entity.region_en ?? entity.region_zh } } : {}),
        industryCode: entity?.industry_code ?? null,
        ...(entity?.industry_zh ? { industryName: { zh: entity.industry_zh, en: entity.industry_en ?? entity.industry_zh } } : {}),
      };
    },
  );

  app.get<{ Querystring: AlertQuery }>(
    '/alerts',
    {
      config: { access: READERS },
      schema: {
        tags: ALERT_TAGS,
        summary: '区域风险预警 Regional risk alerts: complaint and finding rates per city and district x industry against their own baseline',
        description:
          '结果在内存中按（参数、基准日、数据版本）缓存；数据版本 = 审计日志中最后一条数据变更（登录与账号操作除外）的序号 + 投诉与检查结果行数。 ' +
          'Reports are cached in memory keyed by (settings, as-of date, data version); the data version is the sequence number of the audit chain\'s last data change (sign-ins and account changes left out) plus the complaint and result row counts.',
        querystring: {
          type: 'object',
          properties: {
            windowWeeks: { type: 'integer', minimum: 1, maximum: 52, description: `近期窗口（周） recent window, weeks (default ${DEFAULT_ALERT_SETTINGS.windowWeeks})` },
            baselineWeeks: { type: 'integer', minimum: 4, maximum: 260, description: `基线（周） baseline weeks before the window (default ${DEFAULT_ALERT_SETTINGS.baselineWeeks})` },
            q: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, description: `错误发现率阈值 Benjamini-Hochberg false discovery rate (default ${DEFAULT_ALERT_SETTINGS.q})` },
            minObserved: { type: 'integer', minimum: 0, maximum: 100000, description: `窗口内最少件数 least complaints or findings in the window (default ${DEFAULT_ALERT_SETTINGS.minObserved})` },
            minBaseline: { type: 'integer', minimum: 0, maximum: 100000, description: `基线最少投诉数 least baseline complaints (default ${DEFAULT_ALERT_SETTINGS.minBaseline})` },
            trend: { type: 'string', enum: [...TREND_MODES], description: `趋势调整 expected values moved by the rest of the industry, the province, or not (default ${DEFAULT_ALERT_SETTINGS.trend})` },
            asOf: { ...date, description: '基准日，默认为最近投诉日 reference date; default the latest complaint day' },
          },
        },
        response: { 200: alertReportSchema },
      },
    },
    async (request) => {
      const { asOf, ...settings } = request.query;
      const options: AlertOptions = { ...DEFAULT_ALERT_SETTINGS, ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)), asOf };
      const optionsKey = JSON.stringify({ ...options, asOf: asOf ?? null });
      const version = await currentDataVersion(app.db);
      const { answer: report, hit, computedAt } = await alertCache.get(version, optionsKey, async () => alertReportJson(await computeAlerts(app.db, options)));
      return {
        ...report,
        cache: { hit, dataVersion: version, computedAt: computedAt.toISOString() },
      };
    },
  );
};
