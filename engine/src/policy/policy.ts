// The sampling policy (抽查比例与频次): per-tier ratios, frequency, burden window, yearly cap. Versions are only ever
// added, never changed; the current policy is the highest version, or the documented default when none was saved.
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { appendAudit } from '../audit/chain.ts';
import { bilingual, EngineError, paramValue } from '../kernel/errors.ts';
import { isRatioBp, RATIO_BP_MAX, TIERS, type Tier } from '../kernel/schema.ts';
import type { PolicyChange, PolicySettings, PolicyWarning, SamplingPolicy, TierRatiosBp } from './schemas.ts';

export { TIERS, type Tier } from '../kernel/schema.ts';
export type { PolicyChange, PolicySettings, PolicyWarning, SamplingPolicy, TierRatiosBp } from './schemas.ts';

/**
 * The default until a policy is saved. Ratios sit inside the usual yearly ranges (SPEC: A 1-5%, B 2-20%, C 10-60%,
 * D 30-100%). The yearly cap of 3 follows the spirit of the State Council General Office's 2024 opinion on strictly
 * regulating administrative inspections of enterprises (国务院办公厅关于严格规范涉企行政检查的意见): inspections of one
 * enterprise are limited and merged across departments, and the ceiling is set and published by each jurisdiction.
 * Three a year leaves room for one risk-based draw, one joint task and one special task; set it with `policy set --yearly-cap`.
 * One object costs two officers for half a day (1.0 inspector-day); an officer gives 24 days a year to random inspections.
 */
export const DEFAULT_POLICY: SamplingPolicy = Object.freeze({
  version: 0,
  createdAt: null,
  author: null,
  reason: null,
  tierRatiosBp: Object.freeze({ A: 300, B: 500, C: 1000, D: 3000 }) as TierRatiosBp,
  frequencyPerYear: 1,
  burdenWindowDays: 365,
  yearlyCap: 3,
  capAlertMargin: 1,
  inspectorDaysPerObject: 1.0,
  capacityDaysPerInspector: 24,
  tierFloorBp: 100,
});

/** Yearly shares seen in practice (SPEC), in basis points: outside them a ratio is allowed but warned about. */
export const PRACTICE_RANGE_BP: Readonly<Record<Tier, readonly [number, number]>> = {
  A: [100, 500],
  B: [200, 2000],
  C: [1000, 6000],
  D: [3000, 10000],
};

/** An input a user gave that breaks a rule: names the field, the value and the rule. */
export class PolicyInputError extends EngineError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super('invalid', 'policy.invalid', bilingual(rule, `${field}: ${JSON.stringify(value)} — `), { field, value: paramValue(value) });
  }
}

/** Parses `A=300,B=500,C=1000,D=3000` (any subset of tiers; basis points, integers 0..10000). */
export function parseRatios(text: string, field = '--ratios'): Partial<TierRatiosBp> {
  const out: Partial<TierRatiosBp> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Da-d])\s*=\s*(\d+)$/.exec(part);
    if (!m) throw new PolicyInputError(field, part, 'each entry is TIER=BASIS_POINTS with TIER one of A, B, C, D, e.g. A=300 (3%)');
    const tier = m[1].toUpperCase() as Tier;
    if (tier in out) throw new PolicyInputError(field, part, `tier ${tier} is given twice`);
    out[tier] = Number(m[2]);
  }
  if (Object.keys(out).length === 0) throw new PolicyInputError(field, text, 'give at least one TIER=BASIS_POINTS entry, e.g. A=300,B=500,C=1000,D=3000');
  return out;
}

/** Merges a partial change onto a base policy's settings (ratios merge tier by tier). */
export function mergeSettings(base: PolicySettings, change: PolicyChange): PolicySettings {
  const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as Partial<PolicySettings>;
  return {
    ...pickSettings(base),
    ...defined,
    tierRatiosBp: { ...base.tierRatiosBp, ...(change.tierRatiosBp ?? {}) } as TierRatiosBp,
  };
}

export function pickSettings(p: PolicySettings): PolicySettings {
  return {
    tierRatiosBp: { ...p.tierRatiosBp },
    frequencyPerYear: p.frequencyPerYear,
    burdenWindowDays: p.burdenWindowDays,
    yearlyCap: p.yearlyCap,
    capAlertMargin: p.capAlertMargin,
    inspectorDaysPerObject: p.inspectorDaysPerObject,
    capacityDaysPerInspector: p.capacityDaysPerInspector,
    tierFloorBp: p.tierFloorBp,
  };
}

/** Hard rules: a policy breaking them cannot be saved or previewed. */
export function validateSettings(s: PolicySettings): void {
  if (!Number.isInteger(s.tierFloorBp) || s.tierFloorBp < 1 || s.tierFloorBp > RATIO_BP_MAX) {
    throw new PolicyInputError('tierFloorBp', s.tierFloorBp, `the floor is an integer number of basis points from 1 to ${RATIO_BP_MAX}: every entity keeps a non-zero chance of being drawn`);
  }
  for (const tier of TIERS) {
    const bp = s.tierRatiosBp[tier];
    if (!isRatioBp(bp)) throw new PolicyInputError(`tierRatiosBp.${tier}`, bp, `a ratio is an integer number of basis points from 0 to ${RATIO_BP_MAX}`);
    if (bp < s.tierFloorBp) {
      throw new PolicyInputError(
        `tierRatiosBp.${tier}`,
        bp,
        `below the floor of ${s.tierFloorBp} bp (${pct(s.tierFloorBp)}): every tier keeps a known, non-zero chance of being drawn, so that the risk model can learn about it / 低于下限 ${pct(s.tierFloorBp)}`,
      );
    }
  }
  const intAtLeast = (field: keyof PolicySettings, min: number) => {
    const v = s[field] as number;
    if (!Number.isInteger(v) || v < min) throw new PolicyInputError(field, v, `must be an integer >= ${min}`);
  };
  intAtLeast('frequencyPerYear', 1);
  intAtLeast('burdenWindowDays', 0);
  intAtLeast('yearlyCap', 1);
  intAtLeast('capAlertMargin', 0);
  for (const field of ['inspectorDaysPerObject', 'capacityDaysPerInspector'] as const) {
    const v = s[field];
    if (!Number.isFinite(v) || v <= 0) throw new PolicyInputError(field, v, 'must be a positive number');
  }
  if (s.frequencyPerYear > 12) throw new PolicyInputError('frequencyPerYear', s.frequencyPerYear, 'at most 12 draw rounds a year');
  if (s.capAlertMargin >= s.yearlyCap) throw new PolicyInputError('capAlertMargin', s.capAlertMargin, `must be below the yearly cap (${s.yearlyCap}): a margin of the whole cap would warn about every entity`);
}

const pct = (bp: number) => `${(bp / 100).toFixed(bp % 100 === 0 ? 0 : 2)}%`;

/** A soft warning: a code and its parameters for the pages (policyWarning.<code> in the catalogues), and the sentence
 * in both languages for the command line and the audit log. */
export function policyWarning(code: string, params: Record<string, string | number>, zh: string, en: string): PolicyWarning {
  return { code, params, message: `${zh} / ${en}` };
}

/** Soft rules from practice: the policy may be saved, but the user is told. */
export function practiceWarnings(s: PolicySettings): PolicyWarning[] {
  const warnings: PolicyWarning[] = [];
  for (const tier of TIERS) {
    const yearlyBp = s.tierRatiosBp[tier] * s.frequencyPerYear;
    const [lo, hi] = PRACTICE_RANGE_BP[tier];
    if (yearlyBp < lo || yearlyBp > hi) {
      const params = { tier, yearly: pct(yearlyBp), low: pct(lo), high: pct(hi) };
      warnings.push(
        policyWarning(
          'outside_practice',
          params,
          `${tier} 级年抽查比例 ${params.yearly} 超出实践常见范围 ${params.low}–${params.high}`,
          `tier ${tier} yearly ratio ${params.yearly} is outside the usual ${params.low}–${params.high}`,
        ),
      );
    }
  }
  if (s.frequencyPerYear > 1 && s.burdenWindowDays >= 365 / s.frequencyPerYear) {
    const [rounds, days] = [s.frequencyPerYear, s.burdenWindowDays];
    warnings.push(
      policyWarning(
        'rounds_within_burden_window',
        { rounds, days },
        `每年 ${rounds} 轮抽查但减负窗口 ${days} 天：后续轮次中已抽中主体（D 级除外）不再可抽`,
        `${rounds} rounds a year with a ${days}-day burden window: entities drawn in one round are not eligible in the next (except tier D)`,
      ),
    );
  }
  return warnings;
}

interface PolicyRow {
  version: number;
  created_at: Date;
  author: string;
  reason: string;
  tier_ratios_bp: string;
  frequency_per_year: number;
  burden_window_days: number;
  yearly_cap: number;
  cap_alert_margin: number;
  inspector_days_per_object: number;
  capacity_days_per_inspector: number;
  tier_floor_bp: number | null;
}

// One row per saved policy version, oldest first.
const SELECT_POLICIES = sql`SELECT version, created_at, author, reason, tier_ratios_bp::VARCHAR AS tier_ratios_bp, frequency_per_year,
  burden_window_days, yearly_cap, cap_alert_margin, inspector_days_per_object, capacity_days_per_inspector, tier_floor_bp
  FROM sampling_policies`;

function fromRow(r: PolicyRow): SamplingPolicy {
  return {
    version: r.version,
    createdAt: r.created_at,
    author: r.author,
    reason: r.reason,
    tierRatiosBp: JSON.parse(r.tier_ratios_bp) as TierRatiosBp,
    frequencyPerYear: r.frequency_per_year,
    burdenWindowDays: r.burden_window_days,
    yearlyCap: r.yearly_cap,
    capAlertMargin: r.cap_alert_margin,
    inspectorDaysPerObject: r.inspector_days_per_object,
    capacityDaysPerInspector: r.capacity_days_per_inspector,
    tierFloorBp: r.tier_floor_bp ?? DEFAULT_POLICY.tierFloorBp,
  };
}

/** The latest saved version, or DEFAULT_POLICY (version 0) when none was saved. */
export async function currentPolicy(q: Queryable): Promise<SamplingPolicy> {
  const row = await q.one<PolicyRow>(sql`${SELECT_POLICIES} ORDER BY version DESC LIMIT 1`);
  return row ? fromRow(row) : { ...DEFAULT_POLICY, tierRatiosBp: { ...DEFAULT_POLICY.tierRatiosBp } };
}

/**
 * The version a year's targets are frozen with: the one in force on its first day (Asia/Shanghai), or, when none was,
 * the first saved during the year; DEFAULT_POLICY when neither. A version saved later applies from its date on, so to
 * later years, and never rewrites a year already under way.
 */
export async function policyForYear(q: Queryable, year: number): Promise<SamplingPolicy> {
  const yearStart = `${year}-01-01T00:00:00+08:00`;
  const nextYearStart = `${year + 1}-01-01T00:00:00+08:00`;
  const row =
    (await q.one<PolicyRow>(sql`${SELECT_POLICIES} WHERE created_at <= ${yearStart}::TIMESTAMPTZ ORDER BY version DESC LIMIT 1`)) ??
    (await q.one<PolicyRow>(sql`${SELECT_POLICIES} WHERE created_at < ${nextYearStart}::TIMESTAMPTZ ORDER BY version LIMIT 1`));
  return row ? fromRow(row) : { ...DEFAULT_POLICY, tierRatiosBp: { ...DEFAULT_POLICY.tierRatiosBp } };
}

/** Every saved version, oldest first (the default, never saved, is not listed). */
export async function listPolicies(q: Queryable): Promise<SamplingPolicy[]> {
  return (await q.query<PolicyRow>(sql`${SELECT_POLICIES} ORDER BY version`)).map(fromRow);
}

export interface SavedPolicy {
  policy: SamplingPolicy;
  previousVersion: number;
  /** Fields that differ from the previous version: [before, after]. */
  changes: Record<string, [unknown, unknown]>;
  warnings: PolicyWarning[];
}

/** Fields whose values differ between two settings, ratios compared tier by tier. */
export function diffSettings(before: PolicySettings, after: PolicySettings): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const tier of TIERS) {
    if (before.tierRatiosBp[tier] !== after.tierRatiosBp[tier]) changes[`tierRatiosBp.${tier}`] = [before.tierRatiosBp[tier], after.tierRatiosBp[tier]];
  }
  for (const [field, value] of Object.entries(pickSettings(after))) {
    if (field === 'tierRatiosBp') continue;
    const old = (before as unknown as Record<string, unknown>)[field];
    if (old !== value) changes[field] = [old, value];
  }
  return changes;
}

/**
 * Saves a new version: the change merged onto the current policy, with author and reason, in one transaction
 * with its audit entry (action policy.set). Earlier versions stay as they were.
 */
export async function savePolicy(db: Db, change: PolicyChange, meta: { author: string; reason: string }): Promise<SavedPolicy> {
  const author = meta.author.trim();
  const reason = meta.reason.trim();
  if (!author) throw new PolicyInputError('author', meta.author, 'who makes the change must be named');
  if (!reason) throw new PolicyInputError('reason', meta.reason, 'a policy change needs a reason (it is kept with the version and in the audit log)');
  return db.transaction(async (tx) => {
    const previous = await currentPolicy(tx);
    const settings = mergeSettings(previous, change);
    validateSettings(settings);
    const changes = diffSettings(previous, settings);
    if (previous.version > 0 && Object.keys(changes).length === 0) {
      throw new PolicyInputError('policy', pickSettings(settings), `nothing changed: version ${previous.version} already has these settings`);
    }
    const version = previous.version + 1;
    const tierRatiosJson = JSON.stringify(Object.fromEntries(TIERS.map((t) => [t, settings.tierRatiosBp[t]])));
    await tx.exec(
      sql`INSERT INTO sampling_policies (version, created_at, author, reason, tier_ratios_bp, frequency_per_year, burden_window_days,
         yearly_cap, cap_alert_margin, inspector_days_per_object, capacity_days_per_inspector, tier_floor_bp)
       VALUES (${version}, current_timestamp, ${author}, ${reason}, ${tierRatiosJson}::JSON, ${settings.frequencyPerYear}, ${settings.burdenWindowDays},
               ${settings.yearlyCap}, ${settings.capAlertMargin}, ${settings.inspectorDaysPerObject}, ${settings.capacityDaysPerInspector}, ${settings.tierFloorBp})`,
    );
    const warnings = practiceWarnings(settings);
    await appendAudit(tx, {
      actor: author,
      action: 'policy.set',
      subject: `sampling_policy:${version}`,
      payload: { version, previousVersion: previous.version, reason, settings, changes, warnings },
    });
    const saved = await tx.one<PolicyRow>(sql`${SELECT_POLICIES} WHERE version = ${version}`);
    return { policy: fromRow(saved!), previousVersion: previous.version, changes, warnings };
  });
}
