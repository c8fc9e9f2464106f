// The regional alert report as the API answers it, declared once: each alert with its id and its weekly series banded
// by what the baseline predicts, and where the answer came from (the cache).
import { DateTime, IsoDate, Name, Nullable, StringEnum, Type, type Static } from '../kernel/schema.ts';

const Span = Type.Object({ from: IsoDate, to: IsoDate, weeks: Type.Integer() });

/** One week of an alert's series with what the cell's baseline predicts for it and the central 95% range. */
export const BandedWeek = Type.Object({
  weekStart: IsoDate,
  weekEnd: IsoDate,
  period: StringEnum(['baseline', 'window']),
  /** Complaints, or visits with a finding. */
  count: Type.Integer(),
  /** Inspection visits (finding alerts only). */
  visits: Type.Optional(Type.Integer()),
  /** What the cell's baseline (window weeks: moved by the trend, as the test does) predicts for the week. */
  expected: Type.Number(),
  /** The central 95% range of the week's count under that expectation (Poisson; findings: binomial over the week's visits). */
  low: Type.Integer(),
  high: Type.Integer(),
});
export type BandedWeek = Static<typeof BandedWeek>;

export const AlertView = Type.Object({
  id: Type.String({ description: 'kind:regionCode:industryCode' }),
  kind: StringEnum(['complaints', 'findings'], { description: '投诉 complaints / 检查发现率 finding rate' }),
  level: StringEnum(['city', 'district']),
  regionCode: Type.String(),
  regionName: Name,
  cityCode: Type.String(),
  cityName: Name,
  industryCode: Type.String(),
  industryName: Name,
  window: Span,
  observed: Type.Integer({ description: '窗口内实际数 complaints (or visits with a finding) in the window' }),
  expected: Type.Number({ description: '按基线预期 what the baseline predicts for the window' }),
  ratio: Nullable(Type.Number(), { description: '实际/预期；预期为 0 时为 null observed over expected; null when nothing was expected' }),
  baselineCount: Type.Integer(),
  trend: Type.Optional(Type.Number()),
  windowVisits: Type.Optional(Type.Integer()),
  baselineVisits: Type.Optional(Type.Integer()),
  windowRate: Type.Optional(Type.Number()),
  baselineRate: Type.Optional(Type.Number()),
  pValue: Type.Number(),
  qValue: Type.Number({ description: 'Benjamini-Hochberg q 值 q-value' }),
  severity: StringEnum(['high', 'medium', 'low']),
  items: Type.Array(Type.String(), { description: '专项抽查的起始事项：市场监管部门与该行业相关的事项 the items a special draw starts from: the market regulator\'s items concerning the industry' }),
  series: Type.Array(BandedWeek, {
    description: '逐周序列（先基线后窗口）及预期区间 weekly series, baseline weeks then window weeks, with the expected count and its 95% band',
  }),
});
export type AlertView = Static<typeof AlertView>;

const cellCounts = Type.Object({ seen: Type.Integer(), tested: Type.Integer(), alerts: Type.Integer() });

/** What the alerts page reads: the engine's report with each alert as AlertView (ids, JSON-safe ratios, banded weeks). */
export const AlertReportView = Type.Object({
  asOf: Nullable(Type.String({ format: 'date' })),
  window: Nullable(Span),
  baseline: Nullable(Span),
  settings: Type.Object({
    windowWeeks: Type.Integer(),
    baselineWeeks: Type.Integer(),
    q: Type.Number(),
    minObserved: Type.Integer(),
    minBaseline: Type.Integer(),
    minWindowVisits: Type.Integer(),
    minBaselineVisits: Type.Integer(),
    trend: StringEnum(['industry', 'province', 'none']),
  }),
  complaintTrend: Type.Number(),
  cells: Type.Object({ complaints: cellCounts, findings: cellCounts }),
  method: Type.String(),
  alerts: Type.Array(AlertView),
  elapsedMs: Type.Object({ aggregate: Type.Number(), test: Type.Number(), total: Type.Number() }),
});
export type AlertReportView = Static<typeof AlertReportView>;

/** The report with where it came from: the in-memory cache, keyed by (settings, as-of date, data version). */
export const AlertAnswer = Type.Object({
  ...AlertReportView.properties,
  cache: Type.Object(
    {
      hit: Type.Boolean(),
      dataVersion: Type.String(),
      computedAt: DateTime,
      stale: Type.Boolean({ description: '数据已更新、新预警计算中（稍后刷新） the data changed and a new report is being computed: ask again shortly' }),
    },
    { description: '内存缓存：按（参数，数据版本）命中 in-memory cache keyed by (settings, as-of, data version)' },
  ),
});
export type AlertAnswer = Static<typeof AlertAnswer>;
