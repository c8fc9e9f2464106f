// What the API shows of risk models and scores, declared once: a model version with its backtest's headline figures,
// its lift curve, tier counts per place or industry, a page of scored entities, one entity's explanation.
import { DateTime, IsoDate, Name, Nullable, PerTier, StringEnum, Tier, TIERS, Type, type Static } from '../kernel/schema.ts';

const nullableNumber = Nullable(Type.Number());

export const TierOutcome = Type.Object({ population: Type.Integer(), inspected: Type.Integer(), found: Type.Integer(), hitRate: nullableNumber });
export type TierOutcome = Static<typeof TierOutcome>;

const TestYearFigures = Type.Object({
  entities: Type.Optional(Type.Integer()),
  withFinding: Type.Optional(Type.Integer()),
  hitRate: Type.Optional(Type.Number()),
  visits: Type.Optional(Type.Integer()),
});

/** A stored model version: the backtest's headline figures and per-tier outcomes, not its parameters. */
export const ModelView = Type.Object({
  version: Type.Integer(),
  fittedAt: DateTime,
  fittedBy: Type.String({ description: '拟合人 who fitted it' }),
  method: Type.String(),
  asOf: IsoDate,
  current: Type.Boolean({ description: '当前评分所用版本 the version risk_scores holds' }),
  tierCounts: Type.Optional(PerTier(Type.Integer(), { description: '各等级主体数 entities per tier at scoring' })),
  metrics: Type.Object({
    auc: Nullable(Type.Number(), { description: '回测 ROC AUC（测试年） backtest ROC AUC on the held-out year' }),
    hitRateByTier: Type.Unsafe<Partial<Record<Tier, number | null>> | null>({ type: ['object', 'null'], properties: Object.fromEntries(TIERS.map((t) => [t, nullableNumber])) }),
    liftAt: Type.Unsafe<Record<string, number | null> | null>({
      type: ['object', 'null'],
      properties: { '0.05': nullableNumber, '0.1': nullableNumber, '0.2': nullableNumber },
      description: '检查前 5/10/20% 时相对随机的提升 lift at 5/10/20% inspected',
    }),
    daysEarlier: Nullable(Type.Number(), { description: '按风险排序时问题平均提前发现天数 days earlier the findings would have come in risk order' }),
    truthSpearman: Nullable(Type.Number(), { description: '与合成数据真实倾向的秩相关（仅合成数据） rank correlation with the synthetic truth' }),
    testYear: Nullable(Type.Integer()),
    tiers: Type.Optional(Type.Unsafe<Partial<Record<Tier, TierOutcome>>>({ type: 'object', properties: Object.fromEntries(TIERS.map((t) => [t, TierOutcome])) })),
    test: Type.Optional(TestYearFigures),
    training: Type.Optional(
      Type.Object({
        years: Type.Optional(Type.Array(Type.Integer())),
        rows: Type.Optional(Type.Integer()),
        events: Type.Optional(Type.Integer()),
        auc: Type.Optional(nullableNumber),
      }),
    ),
    backtestSkipped: Type.Optional(Type.String({ description: '未回测的原因 why no backtest ran' })),
  }),
});
export type ModelView = Static<typeof ModelView>;

/** A new version's fit and score. */
export const FitAnswer = Type.Object({
  model: ModelView,
  entities: Type.Integer({ description: '评分主体数 entities scored' }),
  tierCounts: PerTier(Type.Integer()),
  timingsMs: Type.Optional(Type.Object({ score: Type.Optional(Type.Number()), tiers: Type.Optional(Type.Number()), write: Type.Optional(Type.Number()) })),
  fitMs: Type.Number(),
  backtestSkipped: Type.Optional(Type.String()),
});
export type FitAnswer = Static<typeof FitAnswer>;

export const LiftPoint = Type.Object({ share: Type.Number(), found: Type.Number() });
export type LiftPoint = Static<typeof LiftPoint>;
export const LiftSource = StringEnum(['curve', 'liftAt', 'none'], {
  description: 'curve：拟合时保存的曲线；liftAt：由保存的提升值推出的点；none：无回测 curve stored at fit time; liftAt: points from the stored lift figures; none: no backtest',
});

const LiftAt = Type.Object({ '0.05': nullableNumber, '0.1': nullableNumber, '0.2': nullableNumber });
/** A ranking's figures on the test year: ROC AUC and lift at 5/10/20% inspected. */
export const RankingView = Type.Object({ auc: nullableNumber, liftAt: LiftAt });
export type RankingView = Static<typeof RankingView>;

/** The model's AUC less the logistic regression's on the same tested entities, with a paired bootstrap's 95% interval. */
export const AucGainView = Type.Object({
  difference: Type.Number({ description: '模型 AUC 减逻辑回归 AUC the model\'s AUC less the regression\'s' }),
  low: Type.Number({ description: '95% 区间下限（配对自助法） 95% interval, low (paired bootstrap)' }),
  high: Type.Number({ description: '95% 区间上限 95% interval, high' }),
  se: Type.Number({ description: '重抽样标准差 standard deviation over the replicates' }),
  replicates: Type.Integer(),
  rows: Type.Integer({ description: '检验主体数 tested entities compared' }),
});
export type AucGainView = Static<typeof AucGainView>;

/** One tier on the test year: the counts, and the predicted finding rate against the observed with its 95% interval. */
export const TierCalibration = Type.Object({
  tier: Tier,
  ...TierOutcome.properties,
  predicted: Type.Optional(Nullable(Type.Number({ description: '评分预计的发现率 the scores\' predicted finding rate' }))),
  observedLow: Type.Optional(Nullable(Type.Number({ description: '实际发现率 95% 区间下限 observed rate, 95% interval, low' }))),
  observedHigh: Type.Optional(Nullable(Type.Number({ description: '实际发现率 95% 区间上限 observed rate, 95% interval, high' }))),
});
export type TierCalibration = Static<typeof TierCalibration>;

/** One segment's check: its mean score percentile against the percentile its observed finding rate implies. */
export const SegmentView = Type.Object({
  family: StringEnum(['records', 'district_findings', 'district_complaints', 'complaint_trend']),
  segment: Type.String(),
  label: Name,
  population: Type.Integer(),
  meanPercentile: Type.Number({ description: '平均评分百分位（0-1） mean score percentile, 0..1' }),
  tested: Type.Integer(),
  observed: nullableNumber,
  bias: Nullable(Type.Number({ description: '评分百分位减去实际发现率对应的百分位（负：低估） score percentile less the one the findings imply; negative: under-rated' })),
  biasLow: nullableNumber,
  biasHigh: nullableNumber,
  showsBias: Type.Boolean({ description: '整段区间超出 ±0.05 the whole interval lies beyond ±0.05' }),
  truthBias: Type.Optional(Type.Number({ description: '与合成数据真实倾向相比的偏差 bias against the synthetic truth' })),
});
export type SegmentView = Static<typeof SegmentView>;

/**
 * A model's backtest: the lift curve (share inspected -> share of findings found), the hit rate and calibration per
 * tier; for versions fitted since they were kept, a logistic regression on the same features and the best single
 * feature on the same test year, and the segment checks.
 */
export const ModelBacktest = Type.Object({
  version: Type.Integer(),
  testYear: Nullable(Type.Integer()),
  source: LiftSource,
  liftCurve: Type.Array(LiftPoint),
  auc: nullableNumber,
  liftAt: Type.Optional(LiftAt),
  daysEarlier: nullableNumber,
  tiers: Type.Array(TierCalibration),
  test: Type.Optional(TestYearFigures),
  weighting: Type.Optional(
    StringEnum(['inverse-probability', 'unweighted'], {
      description: '按入选概率倒数加权的随机抽取，或不加权的全部检查 random draws weighted by 1 / selection probability, or every visit unweighted',
    }),
  ),
  baselines: Type.Optional(
    Type.Object({
      logistic: Type.Object({ ...RankingView.properties, gain: Type.Optional(AucGainView) }),
      bestFeature: Type.Object({ column: Type.String(), label: Name, ...RankingView.properties }),
    }),
  ),
  segments: Type.Optional(Type.Array(SegmentView)),
  segmentBiasLimit: Type.Optional(Type.Number()),
  backtestSkipped: Type.Optional(Type.String()),
});
export type ModelBacktest = Static<typeof ModelBacktest>;

// ---- scores ----

export const SCORE_GROUPINGS = ['city', 'district', 'industry'] as const;
export type ScoreGrouping = (typeof SCORE_GROUPINGS)[number];

/** Tier counts of one city, district or industry. */
export const TierCountRow = Type.Object({
  code: Type.String({ description: '地区代码或行业门类 region code or industry section' }),
  nameZh: Type.String(),
  nameEn: Type.String(),
  A: Type.Integer(),
  B: Type.Integer(),
  C: Type.Integer(),
  D: Type.Integer(),
  total: Type.Integer(),
  meanScore: Type.Number({ description: '平均发现问题概率 mean predicted probability of a finding' }),
});
export type TierCountRow = Static<typeof TierCountRow>;
export const TierCountTable = Type.Object({ by: Type.String(), rows: Type.Array(TierCountRow) });
export type TierCountTable = Static<typeof TierCountTable>;

export const ScoreRow = Type.Object({
  objectId: Type.String(),
  name: Type.String(),
  entityType: Type.Optional(Nullable(Type.String())),
  regionCode: Type.String(),
  regionNameZh: Type.Optional(Type.String()),
  industryCode: Type.Optional(Nullable(Type.String())),
  score: Type.Number({ description: '发现问题概率 predicted probability of a finding' }),
  tier: Tier,
  modelVersion: Type.Integer(),
});
export type ScoreRow = Static<typeof ScoreRow>;
/** One page of scored entities beside how many match. */
export const ScorePage = Type.Object({ total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer(), rows: Type.Array(ScoreRow) });
export type ScorePage = Static<typeof ScorePage>;

export const ContributionView = Type.Object({
  column: Type.String(),
  feature: Name,
  bin: Name,
  points: Type.Number({ description: '对得分的对数几率贡献 log-odds points added to the score' }),
  text: Type.String(),
});

/** Why an entity has its score and tier, with its name, place and industry. */
export const ScoreExplanation = Type.Object({
  objectId: Type.String(),
  name: Type.String(),
  entityType: Nullable(Type.String()),
  regionCode: Type.String(),
  regionName: Type.Optional(Name),
  industryCode: Nullable(Type.String()),
  industryName: Type.Optional(Name),
  modelVersion: Type.Integer(),
  asOf: IsoDate,
  score: Type.Number({ description: '发现问题概率 predicted probability of a finding' }),
  tier: Tier,
  baseLogOdds: Type.Number(),
  logOdds: Type.Number(),
  contributions: Type.Array(ContributionView),
  top: Type.Array(ContributionView, { description: '贡献最大的三项 the three largest contributions' }),
  labels: Type.Object({ score: Name, tier: Name }),
});
export type ScoreExplanation = Static<typeof ScoreExplanation>;
