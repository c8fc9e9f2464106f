// Policy preview: what a set of ratios would mean before it is saved — eligible entities and quota per tier,
// expected findings, inspector-days against capacity, entities long uninspected, entities at or near the yearly cap.
import type { Queryable } from '../db/duckdb.ts';
import { sql, sqlFolder } from '../db/sql.ts';
import { addDays, shanghaiDate } from '../kernel/time.ts';
import { quota } from '../kernel/quota.ts';
import { currentPolicy, mergeSettings, policyWarning, practiceWarnings, validateSettings, TIERS, PRACTICE_RANGE_BP, type PolicyChange, type PolicySettings, type PolicyWarning, type Tier } from './policy.ts';
import type { HitRateSource, NearCapEntity, PolicyPreview, TierPreview } from './schemas.ts';

const query = sqlFolder(import.meta.url);

// The latest risk model and its backtest hit rate per tier (NULL when no backtest ran). Grain: one row.
const LATEST_MODEL_SQL = sql`SELECT version, json_extract(metrics, '$.hitRateByTier')::VARCHAR AS hit_rate_by_tier
  FROM risk_models ORDER BY version DESC LIMIT 1`;

// The data's reference date: the latest complaint or inspection date (Asia/Shanghai), not the wall clock. Grain: one row.
const DATA_AS_OF_SQL = sql`SELECT CAST(greatest(
    (SELECT CAST(timezone('Asia/Shanghai', max(received_at)) AS DATE) FROM complaints),
    (SELECT max(inspected_on) FROM inspection_results)) AS VARCHAR) AS as_of`;

/** The latest complaint or inspection date in the data; today in Asia/Shanghai when there is none. */
export async function dataAsOf(q: Queryable): Promise<string> {
  const row = await q.one<{ as_of: string | null }>(DATA_AS_OF_SQL);
  return row?.as_of ?? shanghaiDate();
}

export type { HitRateSource, NearCapEntity, PolicyPreview, TierPreview } from './schemas.ts';

interface TierLoadRow {
  tier: string | null;
  active_entities: number;
  in_burden_window: number;
  at_cap: number;
  near_cap: number;
  eligible: number;
  not_inspected_3y: number;
}

/** Finding rates per tier: the latest backtest's, else those observed (with a warning saying so), else none. */
async function hitRates(q: Queryable, asOf: string): Promise<{ rates: Partial<Record<Tier, number>>; source: HitRateSource; warning?: PolicyWarning }> {
  const model = await q.one<{ version: number; hit_rate_by_tier: string | null }>(LATEST_MODEL_SQL);
  if (model?.hit_rate_by_tier) {
    const parsed = JSON.parse(model.hit_rate_by_tier) as Record<string, unknown>;
    const rates: Partial<Record<Tier, number>> = {};
    for (const tier of TIERS) if (typeof parsed[tier] === 'number') rates[tier] = parsed[tier] as number;
    return { rates, source: { kind: 'backtest', modelVersion: model.version } };
  }
  const rows = await q.query<{ tier: Tier; visits: number; findings: number }>(query('observed-hit-rates', { as_of: asOf }));
  const visits = rows.reduce((s, r) => s + r.visits, 0);
  if (visits === 0) {
    const warning = policyWarning('no_hit_rates', {}, '无回测结果，也无历史检查结果', 'no backtest and no prior inspection results');
    return { rates: {}, source: { kind: 'none', note: warning.message }, warning };
  }
  const rates: Partial<Record<Tier, number>> = {};
  for (const r of rows) if (r.visits > 0) rates[r.tier] = r.findings / r.visits;
  const warning = model
    ? policyWarning(
        'observed_hit_rates_model',
        { version: model.version },
        `风险模型 v${model.version} 尚无回测，按当前等级的历史检查发现率估计（样本内，偏乐观）`,
        `risk model v${model.version} has no backtest yet: observed finding rate per current tier over prior inspections (in-sample, optimistic)`,
      )
    : policyWarning(
        'observed_hit_rates',
        {},
        '尚无风险模型回测，按当前等级的历史检查发现率估计（样本内，偏乐观）',
        'no risk model backtest yet: observed finding rate per current tier over prior inspections (in-sample, optimistic)',
      );
  return { rates, source: { kind: 'observed', visits, note: warning.message }, warning };
}

/** What a preview reads from the data: everything but the ratios, which only scale it (see previewPolicy). */
export interface PreviewLoad {
  asOf: string;
  loadRows: TierLoadRow[];
  rates: Partial<Record<Tier, number>>;
  source: HitRateSource;
  /** Why the finding rates are not a backtest's (none when they are). */
  hitRateWarning?: PolicyWarning;
  /** When these figures were read (ISO time). */
  readAt: string;
  officers: number;
  nearCapEntities: NearCapEntity[];
}

/** The settings the load depends on; the ratios, frequency and capacity figures are applied after. */
export type LoadSettings = Pick<PolicySettings, 'burdenWindowDays' | 'yearlyCap' | 'capAlertMargin'>;

export interface PreviewOptions {
  /** Reference date (YYYY-MM-DD); default: the data's latest complaint or inspection date. */
  asOf?: string;
  /** How many entities at or near the cap to list (default 50). */
  nearCapLimit?: number;
  /**
   * Where the load comes from: by default it is read now. The API passes a cache: at 18 M entities the load takes
   * seconds, while a new set of ratios over a known load is arithmetic (the ratio sliders preview at every step).
   * `key` names the settings the load depends on, not the date; the cache may answer with an earlier load marked stale.
   */
  load?: (key: string, read: () => Promise<PreviewLoad>) => Promise<PreviewLoad & { stale?: boolean }>;
}

/** Reads the preview's load (grain: one per as-of date, burden window, cap and near-cap list length). */
export async function readPreviewLoad(q: Queryable, asOf: string, settings: LoadSettings, nearCapLimit = 50): Promise<PreviewLoad> {
  // the earliest draw or inspection any figure looks at: 1 January, the burden window's start, three years back
  const since = [`${asOf.slice(0, 4)}-01-01`, addDays(asOf, -settings.burdenWindowDays), addDays(asOf, -3 * 366)].sort()[0];
  const params = { as_of: asOf, since, burden_window_days: settings.burdenWindowDays, yearly_cap: settings.yearlyCap, cap_alert_margin: settings.capAlertMargin };
  const loadRows = await q.query<TierLoadRow>(query('tier-load', params));
  const { rates, source, warning: hitRateWarning } = await hitRates(q, asOf);
  const officers = (await q.one<{ certified_officers: number }>(query('certified-officers', { as_of: asOf })))?.certified_officers ?? 0;
  const nearCapRows = await q.query<{
    object_id: string;
    name: string;
    region_code: string;
    industry_code: string | null;
    tier: string | null;
    inspections_this_year: number;
    last_drawn_on: string;
  }>(query('near-cap', { as_of: asOf, yearly_cap: settings.yearlyCap, cap_alert_margin: settings.capAlertMargin, limit: nearCapLimit }));
  const nearCapEntities = nearCapRows.map((r) => ({
    objectId: r.object_id,
    name: r.name,
    regionCode: r.region_code,
    industryCode: r.industry_code,
    tier: r.tier,
    inspectionsThisYear: r.inspections_this_year,
    lastDrawnOn: r.last_drawn_on,
  }));
  return { asOf, loadRows, rates, source, hitRateWarning, officers, nearCapEntities, readAt: new Date().toISOString() };
}

/** Previews `change` merged onto the current policy (an empty change previews the current policy). Reads only. */
export async function previewPolicy(q: Queryable, change: PolicyChange = {}, options: PreviewOptions = {}): Promise<PolicyPreview> {
  const started = performance.now();
  const base = await currentPolicy(q);
  const settings = mergeSettings(base, change);
  validateSettings(settings);
  const requestedAsOf = options.asOf ?? (await dataAsOf(q));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(requestedAsOf) || Number.isNaN(Date.parse(requestedAsOf))) throw new Error(`--as-of: ${JSON.stringify(requestedAsOf)} — a date YYYY-MM-DD`);
  const nearCapLimit = options.nearCapLimit ?? 50;
  const read = () => readPreviewLoad(q, requestedAsOf, settings, nearCapLimit);
  const key = JSON.stringify([settings.burdenWindowDays, settings.yearlyCap, settings.capAlertMargin, nearCapLimit]);
  // a stale load (the data changed and its new figures are being read) speaks for its own day
  const load: PreviewLoad & { stale?: boolean } = await (options.load ? options.load(key, read) : read());
  const { asOf, loadRows, rates, source, hitRateWarning, officers, nearCapEntities, readAt, stale = false } = load;

  const byTier = new Map(loadRows.map((r) => [r.tier, r]));
  const tiers: TierPreview[] = TIERS.map((tier) => {
    const r = byTier.get(tier);
    const ratioBp = settings.tierRatiosBp[tier];
    const eligible = r?.eligible ?? 0;
    const k = quota(eligible, { ratioBp }); // fd1 section 3: the k a draw would take
    const kPerYear = k * settings.frequencyPerYear;
    const hitRate = rates[tier] ?? null;
    return {
      tier,
      ratioBp,
      practiceRangeBp: PRACTICE_RANGE_BP[tier],
      activeEntities: r?.active_entities ?? 0,
      inBurdenWindow: r?.in_burden_window ?? 0,
      atCap: r?.at_cap ?? 0,
      nearCap: r?.near_cap ?? 0,
      eligible,
      k,
      kPerYear,
      hitRate,
      expectedFindingsPerYear: hitRate === null ? null : kPerYear * hitRate,
      inspectorDaysPerYear: kPerYear * settings.inspectorDaysPerObject,
      notInspected3y: r?.not_inspected_3y ?? 0,
    };
  });
  const unscored = byTier.get(null);
  const sum = (f: (t: TierPreview) => number) => tiers.reduce((s, t) => s + f(t), 0);
  const capacityDays = officers * settings.capacityDaysPerInspector;
  const inspectorDaysNeeded = sum((t) => t.inspectorDaysPerYear);
  const expectedKnown = tiers.every((t) => t.kPerYear === 0 || t.expectedFindingsPerYear !== null);

  const warnings = practiceWarnings(settings);
  if (capacityDays === 0) {
    warnings.push(policyWarning('no_capacity', { date: asOf }, `${asOf} 无持有效执法证的在岗执法人员，无法核算检查力量`, `no active officer holds a valid certificate on ${asOf}: capacity is zero`));
  } else if (inspectorDaysNeeded > capacityDays) {
    const params = { needed: inspectorDaysNeeded.toFixed(1), capacity: capacityDays.toFixed(1) };
    warnings.push(policyWarning('over_capacity', params, `所需检查人日 ${params.needed} 超过可用人日 ${params.capacity}`, `inspector-days needed ${params.needed} exceed capacity ${params.capacity}`));
  }
  const atCap = sum((t) => t.atCap) + (unscored?.at_cap ?? 0);
  const nearCap = sum((t) => t.nearCap) + (unscored?.near_cap ?? 0);
  if (atCap + nearCap > 0) {
    const [cap, margin] = [settings.yearlyCap, settings.capAlertMargin];
    warnings.push(
      policyWarning(
        'yearly_cap',
        { atCap, cap, nearCap, margin },
        `${atCap} 家主体已达年度检查上限 ${cap} 次，${nearCap} 家再检查 ${margin} 次以内即达上限`,
        `${atCap} entities at the yearly cap of ${cap}, ${nearCap} within ${margin} of it`,
      ),
    );
  }
  if (unscored && unscored.active_entities > 0) {
    const entities = unscored.active_entities;
    warnings.push(policyWarning('unscored', { entities }, `${entities} 家在营主体尚无风险评分，不参与分级抽查`, `${entities} active entities have no risk score and are in no tier`));
  }
  if (hitRateWarning) warnings.push(hitRateWarning);

  return {
    asOf,
    basedOnVersion: base.version,
    settings,
    tiers,
    totals: {
      activeEntities: sum((t) => t.activeEntities) + (unscored?.active_entities ?? 0),
      eligible: sum((t) => t.eligible),
      kPerRound: sum((t) => t.k),
      kPerYear: sum((t) => t.kPerYear),
      expectedFindingsPerYear: expectedKnown ? sum((t) => t.expectedFindingsPerYear ?? 0) : null,
      inspectorDaysNeeded,
      certifiedOfficers: officers,
      capacityDays,
      capacityUse: capacityDays > 0 ? inspectorDaysNeeded / capacityDays : null,
      atCap,
      nearCap,
      notInspected3y: sum((t) => t.notInspected3y) + (unscored?.not_inspected_3y ?? 0),
    },
    unscoredActiveEntities: unscored?.active_entities ?? 0,
    hitRateSource: source,
    nearCapEntities,
    warnings,
    load: { readAt, stale },
    elapsedMs: performance.now() - started,
  };
}
