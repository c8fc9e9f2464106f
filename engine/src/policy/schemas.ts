// The shapes of the sampling policy and its preview, declared once: the engine's types (Static<>) and the API's schemas.
import { DateTime, described, IsoDate, Nullable, PerTier, RATIO_BP_MAX, RatioBp, StringEnum, Tier, Type, type Static } from '../kernel/schema.ts';

const nullableNumber = Nullable(Type.Number());

const settingsProperties = {
  /** Share of each tier's eligible entities drawn per round, in basis points (300 = 3%). */
  tierRatiosBp: PerTier(RatioBp),
  /** Draw rounds a year; the yearly share of a tier is ratio x frequency. */
  frequencyPerYear: Type.Integer(),
  /** Days after a draw or inspection during which a general task does not draw the entity again (tier D and special tasks exempt). */
  burdenWindowDays: Type.Integer(),
  /** Inspections per entity per calendar year across all departments. */
  yearlyCap: Type.Integer(),
  /** Warn about entities this close to the yearly cap (1: one inspection left). */
  capAlertMargin: Type.Integer(),
  /** Inspector-days one inspected object costs (two officers x half a day = 1.0). */
  inspectorDaysPerObject: Type.Number(),
  /** Days a year one certified officer has for random inspections. */
  capacityDaysPerInspector: Type.Number(),
  /**
   * The least ratio any tier may have, in basis points (default 100 = 1%): every entity keeps a known, non-zero chance
   * of being drawn, so that the risk model learns about every tier from the draws (positivity).
   */
  tierFloorBp: Type.Integer(),
};
export const PolicySettings = Type.Object(settingsProperties);
export type PolicySettings = Static<typeof PolicySettings>;
export type TierRatiosBp = PolicySettings['tierRatiosBp'];

export const SamplingPolicy = Type.Object({
  /** 0: the documented default, never saved. */
  version: Type.Integer({ description: '0：默认政策，从未保存 0: the documented default, never saved' }),
  createdAt: Nullable(DateTime),
  author: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  ...settingsProperties,
});
export type SamplingPolicy = Static<typeof SamplingPolicy>;

/** A change to the policy's settings: any subset, merged onto the current version (ratios tier by tier). */
export const PolicyChange = Type.Object({
  tierRatiosBp: Type.Optional(
    Type.Object(
      { A: Type.Optional(RatioBp), B: Type.Optional(RatioBp), C: Type.Optional(RatioBp), D: Type.Optional(RatioBp) },
      { additionalProperties: false, description: '分级抽查比例（可只给部分等级） per-tier ratios, any subset of A-D' },
    ),
  ),
  frequencyPerYear: Type.Optional(Type.Integer({ minimum: 1, maximum: 12, description: '每年抽查轮次 draw rounds a year' })),
  burdenWindowDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, description: '减负窗口（天） days after a draw during which a general task skips the entity' })),
  yearlyCap: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, description: '每户每年检查次数上限 inspections per entity per year, all departments' })),
  capAlertMargin: Type.Optional(Type.Integer({ minimum: 0, maximum: 366, description: '接近上限提醒余量 warn this close to the cap' })),
  inspectorDaysPerObject: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100, description: '每户检查人日 inspector-days per inspected object' })),
  capacityDaysPerInspector: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 366, description: '每名执法人员每年可用人日 days a year an officer gives to random inspections' })),
  tierFloorBp: Type.Optional(
    Type.Integer({ minimum: 1, maximum: RATIO_BP_MAX, description: '各级最低抽查比例（基点，默认 100 = 1%） the least ratio any tier may have, so every entity keeps a known chance of being drawn' }),
  ),
});
export type PolicyChange = Static<typeof PolicyChange>;

/** One field that differs from the version before. */
export const PolicyChangeRow = Type.Object({ field: Type.String({ description: 'e.g. tierRatiosBp.C' }), before: nullableNumber, after: nullableNumber });
export type PolicyChangeRow = Static<typeof PolicyChangeRow>;
const ChangeRows = Type.Array(PolicyChangeRow, { description: '与上一版本相比的改动 fields that differ from the version before (the first version: from the default)' });

export const PolicyVersion = Type.Object({ ...SamplingPolicy.properties, changes: ChangeRows });
export type PolicyVersion = Static<typeof PolicyVersion>;

/** A soft warning: its code (the pages translate policyWarning.<code> with the params) and the sentence in both languages. */
export const PolicyWarning = Type.Object({
  code: Type.String({ description: '提醒代码 warning code' }),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  message: Type.String({ description: '中文 / English（命令行与审计日志用） both languages, for the command line and the audit log' }),
});
export type PolicyWarning = Static<typeof PolicyWarning>;

/** The yearly share range seen in practice, basis points. */
const PracticeRange = Type.Unsafe<readonly [number, number]>({ type: 'array', items: { type: 'integer' } });

export const PolicyAnswer = Type.Object({
  policy: SamplingPolicy,
  practiceRangeBp: PerTier(PracticeRange, { description: '实践常见年比例范围（基点） yearly ranges seen in practice, basis points' }),
  warnings: Type.Array(PolicyWarning),
});
export type PolicyAnswer = Static<typeof PolicyAnswer>;

export const SavedPolicy = Type.Object({ policy: SamplingPolicy, previousVersion: Type.Integer(), changes: ChangeRows, warnings: Type.Array(PolicyWarning) });
export type SavedPolicy = Static<typeof SavedPolicy>;

// ---- preview ----

export const TierPreview = Type.Object({
  tier: Tier,
  ratioBp: RatioBp,
  practiceRangeBp: described(PracticeRange, '实践常见年比例范围 yearly range seen in practice, basis points'),
  activeEntities: Type.Integer(),
  /** Drawn or inspected within the burden window (excluded unless tier D). */
  inBurdenWindow: Type.Integer({ description: '减负窗口内（D 级除外不可抽） drawn or inspected within the burden window' }),
  /** Already at the yearly cap: excluded in every tier. */
  atCap: Type.Integer({ description: '已达年度上限 at the yearly cap' }),
  /** One step (cap_alert_margin) below the cap: still eligible, one more inspection reaches the cap. */
  nearCap: Type.Integer(),
  eligible: Type.Integer({ description: '可抽主体数 N eligible entities' }),
  /** Objects drawn per round (fd1 quota). */
  k: Type.Integer({ description: '每轮抽取数（fd1 配额） objects drawn per round (fd1 quota)' }),
  kPerYear: Type.Integer(),
  hitRate: nullableNumber,
  expectedFindingsPerYear: nullableNumber,
  inspectorDaysPerYear: Type.Number(),
  notInspected3y: Type.Integer({ description: '三年未检查 not inspected in the last 3 years' }),
});
export type TierPreview = Static<typeof TierPreview>;

export const NearCapEntity = Type.Object({
  objectId: Type.String(),
  name: Type.String(),
  regionCode: Type.String(),
  industryCode: Nullable(Type.String()),
  tier: Nullable(Type.String()),
  inspectionsThisYear: Type.Integer(),
  lastDrawnOn: IsoDate,
});
export type NearCapEntity = Static<typeof NearCapEntity>;

export type HitRateSource = { kind: 'backtest'; modelVersion: number } | { kind: 'observed'; visits: number; note: string } | { kind: 'none'; note: string };
/** Where the expected hit rates come from: the latest model's backtest, the observed findings, or nowhere yet. */
export const HitRateSource = Type.Unsafe<HitRateSource>({
  type: 'object',
  required: ['kind'],
  properties: { kind: StringEnum(['backtest', 'observed', 'none']), modelVersion: { type: 'integer' }, visits: { type: 'integer' }, note: { type: 'string' } },
});

export const PolicyPreview = Type.Object({
  asOf: IsoDate,
  /** The version the candidate was built on (0: the default). */
  basedOnVersion: Type.Integer(),
  settings: PolicySettings,
  tiers: Type.Array(TierPreview),
  totals: Type.Object({
    activeEntities: Type.Integer(),
    eligible: Type.Integer(),
    kPerRound: Type.Integer(),
    kPerYear: Type.Integer(),
    expectedFindingsPerYear: nullableNumber,
    inspectorDaysNeeded: Type.Number(),
    certifiedOfficers: Type.Integer(),
    capacityDays: Type.Number(),
    /** inspectorDaysNeeded / capacityDays (null when there is no capacity). */
    capacityUse: Nullable(Type.Number(), { description: '所需人日 / 可用人日 needed over capacity' }),
    atCap: Type.Integer(),
    nearCap: Type.Integer(),
    notInspected3y: Type.Integer(),
  }),
  /** Active entities with no current risk score: not in any tier, never drawn by tier. */
  unscoredActiveEntities: Type.Integer(),
  hitRateSource: HitRateSource,
  nearCapEntities: Type.Array(NearCapEntity),
  warnings: Type.Array(PolicyWarning),
  /** The load figures (tiers, eligibility, caps, officers, finding rates) read from the data: when, and whether stale. */
  load: Type.Object({
    readAt: Type.String({ format: 'date-time', description: '负荷数字的读取时间 when the load figures were read' }),
    stale: Type.Boolean({ description: '数据已更新、新数字计算中（稍后刷新） the data changed and new figures are being read: ask again shortly' }),
  }),
  elapsedMs: Type.Number(),
});
export type PolicyPreview = Static<typeof PolicyPreview>;
