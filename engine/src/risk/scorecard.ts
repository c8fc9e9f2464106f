// The weight-of-evidence scorecard: which features, how each is binned, each bin's WoE, the logistic fit on
// WoE values, and the SQL that bins and scores entities. Pure functions; the database work is in model.ts.
import { fitLogistic, type AggregatedRow } from './logistic.ts';
import { sql, type Sql } from '../db/sql.ts';

/** Feature columns produced by features.sql that the scorecard can use. */
export type FeatureColumn =
  | 'credit_state'
  | 'penalties_3y'
  | 'abnormal'
  | 'substantiated_12m'
  | 'other_12m'
  | 'complaint_ratio'
  | 'complaint_months'
  | 'complaint_trend'
  | 'topic_group'
  | 'complaints_13_36m'
  | 'entity_type'
  | 'last_outcome'
  | 'prior_findings'
  | 'days_since_last_inspection'
  | 'age_days'
  | 'age_industry'
  | 'industry_base_rate'
  | 'district_substantiated'
  | 'district_true_share';

export interface Label {
  zh: string;
  en: string;
}

/** A categorical feature: one bin per listed value; the last bin also takes NULL and unlisted values. */
export interface CategorySpec {
  kind: 'category';
  column: FeatureColumn;
  label: Label;
  categories: Array<{ value: string; label: Label }>;
}

/** How a numeric bin's range reads: counts (件), durations in days shown as years, ratios (×), rates (%). */
export type NumericFormat = 'count' | 'years' | 'ratio' | 'percent';

/**
 * A numeric feature: bin 0 holds NULL when `nullLabel` is set; then value 0 alone when `zeroBin`;
 * then ranges split at `edges` (value < edge goes left). `quantiles` derives the edges from the training
 * rows' values (non-zero values when `zeroBin`) instead.
 */
export interface NumericSpec {
  kind: 'numeric';
  column: FeatureColumn;
  label: Label;
  format: NumericFormat;
  unit?: Label;
  nullLabel?: Label;
  zeroBin?: boolean;
  edges?: number[];
  quantiles?: number[];
}

export type FeatureSpec = CategorySpec | NumericSpec;

const YEAR_DAYS = 365.25;

/**
 * The default feature set, in bit order of risk_scores.bin_code (4 bits each, so at most 16 bins a feature). No raw
 * area finding rate: a district's finding rate says as much about its inspectors as about its entities, so inspector
 * effects are estimated apart in the fit (model.ts) and left out of the score.
 */
export const DEFAULT_FEATURES: FeatureSpec[] = [
  {
    kind: 'category',
    column: 'credit_state',
    label: { zh: '信用风险分类(时效)', en: 'Credit risk class and its age' },
    categories: [
      { value: 'A', label: { zh: 'A类', en: 'class A' } },
      { value: 'B', label: { zh: 'B类', en: 'class B' } },
      { value: 'C', label: { zh: 'C类', en: 'class C' } },
      { value: 'D', label: { zh: 'D类', en: 'class D' } },
      { value: 'AB_stale', label: { zh: 'A/B类(2年以上未更新)', en: 'class A or B, over 2 years old' } },
      { value: 'CD_stale', label: { zh: 'C/D类(2年以上未更新)', en: 'class C or D, over 2 years old' } },
      { value: 'none', label: { zh: '未分类', en: 'unclassified' } },
    ],
  },
  {
    kind: 'numeric',
    column: 'penalties_3y',
    label: { zh: '行政处罚(近3年)', en: 'Administrative penalties, 3 years' },
    format: 'count',
    unit: { zh: '次', en: '' },
    edges: [1, 2, 3],
  },
  {
    kind: 'category',
    column: 'abnormal',
    label: { zh: '经营异常名录', en: 'Abnormal-operation list' },
    categories: [
      { value: 'listed_recent', label: { zh: '列入不足1年', en: 'listed, under a year ago' } },
      { value: 'listed', label: { zh: '列入1年以上', en: 'listed, a year ago or more' } },
      { value: 'removed_recent', label: { zh: '移出不足1年', en: 'removed, under a year ago' } },
      { value: 'removed', label: { zh: '移出1年以上', en: 'removed, a year ago or more' } },
      { value: 'never', label: { zh: '未列入', en: 'never listed' } },
    ],
  },
  {
    kind: 'numeric',
    column: 'substantiated_12m',
    label: { zh: '属实投诉举报(近12个月)', en: 'Substantiated complaints, 12 months' },
    format: 'count',
    unit: { zh: '件', en: '' },
    edges: [1, 2, 3],
  },
  {
    kind: 'numeric',
    column: 'complaint_ratio',
    label: { zh: '其他投诉/同区县同行业均值', en: 'Other complaints vs district x industry norm' },
    format: 'ratio',
    zeroBin: true,
    quantiles: [0.25, 0.5, 0.75, 0.9],
  },
  {
    kind: 'numeric',
    column: 'complaint_months',
    label: { zh: '有投诉的月份(近12个月)', en: 'Months with complaints, 12 months' },
    format: 'count',
    unit: { zh: '个月', en: 'months' },
    edges: [1, 2, 3, 5],
  },
  {
    kind: 'category',
    column: 'complaint_trend',
    label: { zh: '投诉趋势(近3个月)', en: 'Complaint trend, last 3 months' },
    categories: [
      { value: 'rising', label: { zh: '上升', en: 'rising' } },
      { value: 'steady', label: { zh: '持续', en: 'steady' } },
      { value: 'quiet', label: { zh: '近3个月无', en: 'none in 3 months' } },
      { value: 'none', label: { zh: '近12个月无', en: 'none in 12 months' } },
    ],
  },
  {
    kind: 'category',
    column: 'topic_group',
    label: { zh: '投诉主要类别', en: 'What complaints are mostly about' },
    categories: [
      { value: 'safety', label: { zh: '安全与质量', en: 'safety and quality' } },
      { value: 'fraud', label: { zh: '欺诈与价格', en: 'fraud and pricing' } },
      { value: 'unlicensed', label: { zh: '无证无照', en: 'unlicensed' } },
      { value: 'dispute', label: { zh: '纠纷与扰民', en: 'disputes and nuisance' } },
      { value: 'none', label: { zh: '无投诉', en: 'no complaints' } },
    ],
  },
  {
    kind: 'numeric',
    column: 'complaints_13_36m',
    label: { zh: '12345投诉举报(13-36个月前)', en: '12345 complaints, 13-36 months ago' },
    format: 'count',
    unit: { zh: '件', en: '' },
    edges: [1, 2, 3, 5],
  },
  {
    kind: 'category',
    column: 'last_outcome',
    label: { zh: '上次检查结果', en: 'Last inspection outcome' },
    categories: [
      { value: 'finding', label: { zh: '发现问题', en: 'problem found' } },
      { value: 'clean', label: { zh: '未发现问题', en: 'no problem' } },
      { value: 'none', label: { zh: '从未检查', en: 'never inspected' } },
    ],
  },
  {
    kind: 'numeric',
    column: 'prior_findings',
    label: { zh: '以往检查发现问题', en: 'Prior inspections with findings' },
    format: 'count',
    unit: { zh: '次', en: '' },
    edges: [1, 2, 3],
  },
  {
    kind: 'numeric',
    column: 'days_since_last_inspection',
    label: { zh: '距上次检查', en: 'Time since last inspection' },
    format: 'years',
    nullLabel: { zh: '从未检查', en: 'never' },
    edges: [365, 730, 1095],
  },
  {
    kind: 'category',
    column: 'age_industry',
    label: { zh: '行业类别×成立年限', en: 'Industry group x entity age' },
    categories: [
      { value: 'retail|<1', label: { zh: '零售餐饮服务成立不足1年', en: 'retail, under 1 year' } },
      { value: 'retail|1-3', label: { zh: '零售餐饮服务1-3年', en: 'retail, 1-3 years' } },
      { value: 'retail|3-10', label: { zh: '零售餐饮服务3-10年', en: 'retail, 3-10 years' } },
      { value: 'retail|10+', label: { zh: '零售餐饮服务10年以上', en: 'retail, 10 years and more' } },
      { value: 'factory|<1', label: { zh: '制造成立不足1年', en: 'factory, under 1 year' } },
      { value: 'factory|1-3', label: { zh: '制造1-3年', en: 'factory, 1-3 years' } },
      { value: 'factory|3-10', label: { zh: '制造3-10年', en: 'factory, 3-10 years' } },
      { value: 'factory|10+', label: { zh: '制造10年以上', en: 'factory, 10 years and more' } },
      { value: 'build|<1', label: { zh: '建筑运输地产成立不足1年', en: 'build, under 1 year' } },
      { value: 'build|1-3', label: { zh: '建筑运输地产1-3年', en: 'build, 1-3 years' } },
      { value: 'build|3-10', label: { zh: '建筑运输地产3-10年', en: 'build, 3-10 years' } },
      { value: 'build|10+', label: { zh: '建筑运输地产10年以上', en: 'build, 10 years and more' } },
      { value: 'other|<1', label: { zh: '其他行业成立不足1年', en: 'other, under 1 year' } },
      { value: 'other|1-3', label: { zh: '其他行业1-3年', en: 'other, 1-3 years' } },
      { value: 'other|3-10', label: { zh: '其他行业3-10年', en: 'other, 3-10 years' } },
      { value: 'other|10+', label: { zh: '其他行业10年以上', en: 'other, 10 years and more' } },
    ],
  },
  {
    kind: 'numeric',
    column: 'industry_base_rate',
    label: { zh: '行业问题发现率', en: 'Industry finding rate' },
    format: 'percent',
    quantiles: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
  },
  {
    kind: 'numeric',
    column: 'district_substantiated',
    label: { zh: '辖区属实投诉率', en: 'Substantiated complaints per entity in the district' },
    format: 'ratio',
    quantiles: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
  },
  {
    kind: 'numeric',
    column: 'district_true_share',
    label: { zh: '辖区投诉属实比例', en: 'Share of complaints found true in the district' },
    format: 'percent',
    quantiles: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
  },
];

export const BITS_PER_FEATURE = 4;
export const MAX_BINS = 1 << BITS_PER_FEATURE;
export const MAX_FEATURES = 16; // 16 x 4 = 64 bits: the whole UBIGINT

export interface Bin {
  label: Label;
  /** Training rows (inspected entity-years, weighted) in the bin and those with a finding. */
  rows: number;
  events: number;
  /** The bin's evidence alone: ln(odds in the bin / odds overall), shrunk toward 0 by the WoE prior. */
  woe: number;
  /** Log-odds points the bin adds to the score: the feature's coefficient times the WoE (stored from v2 on). */
  points?: number;
}

/** How a feature's values map to bins once the edges are fixed. */
export type BinRule =
  | { kind: 'category'; categories: string[] }
  | { kind: 'numeric'; hasNullBin: boolean; zeroBin: boolean; edges: number[]; format: NumericFormat };

/** A feature with its resolved bins and their counts and WoE. */
export type BinnedFeature = BinRule & { column: FeatureColumn; label: Label; bins: Bin[] };

/**
 * A feature as fitted: its bins with their points and the logistic coefficient on their WoE, negative when, once the
 * others are in, the feature's evidence counts the other way.
 */
export type FittedFeature = BinnedFeature & { coefficient: number };

/** A bin's log-odds points: the feature's coefficient times the bin's WoE (stored with the bin from v2 on). */
export function binPoints(f: FittedFeature, bin: number): number {
  const b = f.bins[bin];
  if (!b) return 0;
  return b.points ?? f.coefficient * b.woe;
}

export interface ScorecardParams {
  features: FittedFeature[];
  intercept: number;
  l2: number;
  /** Pseudo-rows at the base rate added to each bin before its WoE: small bins shrink toward 0. */
  woePrior: number;
  /**
   * Features whose points run against their bins' own evidence (a negative coefficient): once the others are in, their
   * evidence counts the other way; kept with their sign, and their contributions say so.
   */
  reversed?: FeatureColumn[];
  /** Models before v2 dropped such features (coefficient 0) instead. */
  dropped?: FeatureColumn[];
}

// ---- bins -------------------------------------------------------------------------------------------

/** Rounds an edge to 2 significant digits so bin labels stay readable (0.0731 -> 0.073, 12.7 -> 13). */
export function roundEdge(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const factor = 10 ** (magnitude - 1);
  return Math.round(value / factor) * factor;
}

/** Strictly increasing edges from quantile values: rounded, duplicates dropped. */
export function edgesFromQuantiles(values: number[]): number[] {
  const out: number[] = [];
  for (const v of values.map(roundEdge)) if (Number.isFinite(v) && (out.length === 0 || v > out[out.length - 1])) out.push(Number(v.toPrecision(12)));
  return out;
}

function formatNumber(value: number, format: NumericFormat): string {
  switch (format) {
    case 'count':
      return String(value);
    case 'years':
      return String(Math.round((value / YEAR_DAYS) * 10) / 10);
    case 'ratio':
      return `${Number(value.toPrecision(2))}`;
    case 'percent':
      return `${Number((value * 100).toPrecision(2))}%`;
  }
}

/** Labels of numeric ranges [lo, hi): counts read "0", "3-4", "5+"; years "<1", "1-2", "3+"; ratios "<1.5x". */
export function rangeLabels(edges: number[], format: NumericFormat, unit: Label = { zh: '', en: '' }, lowest = 0): Label[] {
  const labels: Label[] = [];
  const suffixZh = format === 'years' ? '年' : format === 'ratio' ? '倍' : unit.zh;
  const suffixEn = format === 'years' ? ' y' : format === 'ratio' ? 'x' : unit.en ? ` ${unit.en}` : '';
  const bounds = [lowest, ...edges];
  for (let i = 0; i < bounds.length; i++) {
    const lo = bounds[i];
    const hi = bounds[i + 1];
    let text: string;
    if (format === 'count') {
      if (hi === undefined) text = `${lo}+`;
      else if (hi - lo <= 1) text = `${lo}`;
      else text = `${lo}-${hi - 1}`;
    } else if (i === 0) text = `<${formatNumber(hi ?? lo, format)}`;
    else if (hi === undefined) text = `≥${formatNumber(lo, format)}`;
    else text = `${formatNumber(lo, format)}-${formatNumber(hi, format)}`;
    if (i === 0 && format !== 'count' && hi === undefined) text = 'all';
    labels.push({ zh: `${text}${suffixZh}`, en: `${text}${suffixEn}` });
  }
  return labels;
}

/** The bins' labels for a feature once its edges are known (before any counts). */
export function binLabels(spec: FeatureSpec, edges: number[]): Label[] {
  if (spec.kind === 'category') return spec.categories.map((c) => c.label);
  const labels: Label[] = [];
  if (spec.nullLabel) labels.push(spec.nullLabel);
  if (spec.zeroBin) {
    labels.push({ zh: `0${spec.format === 'ratio' ? '(无投诉)' : ''}`, en: `0${spec.format === 'ratio' ? ' (none)' : ''}` });
    const ranges = rangeLabels(edges, spec.format, spec.unit, 0);
    ranges[0] = edges.length ? { zh: `0-${formatNumber(edges[0], spec.format)}${spec.format === 'ratio' ? '倍' : ''}`, en: `0-${formatNumber(edges[0], spec.format)}${spec.format === 'ratio' ? 'x' : ''}` } : { zh: '>0', en: '>0' };
    labels.push(...ranges);
  } else labels.push(...rangeLabels(edges, spec.format, spec.unit, 0));
  return labels;
}

export function binCount(feature: FittedFeature): number {
  return feature.bins.length;
}

const finite = (n: number) => {
  if (!Number.isFinite(n)) throw new Error(`scorecard: non-finite number ${n} in generated SQL`);
  return n;
};

/**
 * SQL giving a feature's bin index (0-based) from its column in features.sql's output; with `shift`, the index already
 * shifted left by that many bits, as a UBIGINT (a constant per branch: no cast or shift per row).
 */
export function binSql(feature: BinRule & { column: FeatureColumn }, shift?: number): Sql {
  const col = sql.id(feature.column);
  const value = (index: number) => (shift === undefined ? sql`${index}` : sql`${BigInt(index) << BigInt(shift)}::UBIGINT`);
  if (feature.kind === 'category') {
    const last = feature.categories.length - 1;
    const whens = feature.categories.slice(0, last).map((c, i) => sql`WHEN ${c} THEN ${value(i)}`);
    if (whens.length === 0) return value(0);
    return sql`(CASE ${col} ${sql.join(whens, ' ')} ELSE ${value(last)} END)`;
  }
  const parts: Sql[] = [];
  let index = 0;
  if (feature.hasNullBin) parts.push(sql`WHEN ${col} IS NULL THEN ${value(index++)}`);
  if (feature.zeroBin) parts.push(sql`WHEN ${col} = 0 THEN ${value(index++)}`);
  for (const edge of feature.edges) parts.push(sql`WHEN ${col} < ${finite(edge)} THEN ${value(index++)}`);
  return sql`(CASE ${sql.join(parts, ' ')} ELSE ${value(index)} END)`;
}

/**
 * The bin code: bin of feature i in bits 4i..4i+3. `only`: the features (by position) to include, the others' bits
 * left 0 (the code of the rest is OR-ed in from elsewhere); the result is 0 when none is included.
 */
export function binCodeSql(features: Array<BinRule & { column: FeatureColumn }>, only: (index: number) => boolean = () => true): Sql {
  if (features.length > MAX_FEATURES) throw new Error(`at most ${MAX_FEATURES} features fit in bin_code, got ${features.length}`);
  const terms = features.flatMap((f, i) => (only(i) ? [binSql(f, BITS_PER_FEATURE * i)] : []));
  return terms.length ? sql.join(terms, ' | ') : sql`0::UBIGINT`;
}

/** Each feature's bin from a bin code (a UBIGINT, read from DuckDB as a decimal string or bigint). */
export function decodeBins(binCode: bigint | string | number, featureCount: number): number[] {
  const bins: number[] = [];
  let rest = BigInt(binCode);
  const mask = BigInt(MAX_BINS - 1);
  for (let i = 0; i < featureCount; i++) {
    bins.push(Number(rest & mask));
    rest >>= BigInt(BITS_PER_FEATURE);
  }
  return bins;
}

/** SQL for the log-odds of a finding from a bin_code column. */
export function logOddsFromCodeSql(params: ScorecardParams, codeColumn: Sql = sql`bin_code`): Sql {
  const terms = params.features.flatMap((f, i) => {
    if (f.bins.every((_, k) => binPoints(f, k) === 0)) return [];
    const bin = i === 0 ? sql`(${codeColumn} & 15)` : sql`((${codeColumn} >> ${BITS_PER_FEATURE * i}) & 15)`;
    const points = f.bins.map((_, k) => sql`WHEN ${k} THEN ${finite(binPoints(f, k))}`);
    return [sql`(CASE ${bin} ${sql.join(points, ' ')} ELSE 0 END)`];
  });
  return sql.join([sql`${finite(params.intercept)}`, ...terms], ' + ');
}

export function scoreFromCodeSql(params: ScorecardParams, codeColumn: Sql = sql`bin_code`): Sql {
  return sql`1 / (1 + exp(-(${logOddsFromCodeSql(params, codeColumn)})))`;
}

// ---- weight of evidence and fit ------------------------------------------------------------------------

export interface BinCounts {
  rows: number;
  events: number;
}

/**
 * WoE of each bin: ln(odds in the bin / odds overall), after adding `prior` pseudo-rows at the overall rate,
 * so a small bin is pulled toward 0; an empty bin gets 0. With prior 0 it is the textbook
 * ln((events_b / events) / (non-events_b / non-events)).
 */
export function weightsOfEvidence(bins: BinCounts[], prior: number): number[] {
  const rows = bins.reduce((s, b) => s + b.rows, 0);
  const events = bins.reduce((s, b) => s + b.events, 0);
  if (rows === 0 || events === 0 || events === rows) return bins.map(() => 0);
  const rate = events / rows;
  const overallLogOdds = Math.log(events / (rows - events));
  return bins.map((b) => {
    if (b.rows === 0) return 0;
    const e = b.events + prior * rate;
    const ne = b.rows - b.events + prior * (1 - rate);
    if (e <= 0 || ne <= 0) throw new Error(`WoE undefined for a bin with ${b.events} of ${b.rows} rows and no prior`);
    return Math.log(e / ne) - overallLogOdds;
  });
}

/**
 * The WoE of a numeric feature's ranges made monotone in the direction they mostly run (pool-adjacent-violators on
 * the bins' rates, weighted by their rows), so that a range cannot score above a riskier neighbour on noise alone; the
 * bins for NULL and for 0 (when the feature has them) keep their own WoE. Categories are left as they are.
 */
export function monotoneWeightsOfEvidence(feature: BinnedFeature, prior: number): number[] {
  const woe = weightsOfEvidence(feature.bins, prior);
  if (feature.kind !== 'numeric') return woe;
  const start = (feature.hasNullBin ? 1 : 0) + (feature.zeroBin ? 1 : 0);
  const ranges = feature.bins.slice(start).map((b, k) => ({ rows: b.rows, woe: woe[start + k] }));
  const total = ranges.reduce((s, r) => s + r.rows, 0);
  if (ranges.length < 2 || total === 0) return woe;
  const meanIndex = ranges.reduce((s, r, k) => s + r.rows * k, 0) / total;
  const meanWoe = ranges.reduce((s, r) => s + r.rows * r.woe, 0) / total;
  const rising = ranges.reduce((s, r, k) => s + r.rows * (k - meanIndex) * (r.woe - meanWoe), 0) >= 0;
  const blocks: Array<{ rows: number; woe: number; count: number }> = [];
  for (const r of ranges) {
    blocks.push({ rows: r.rows, woe: rising ? r.woe : -r.woe, count: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2].woe > blocks[blocks.length - 1].woe) {
      const top = blocks.pop()!;
      const below = blocks[blocks.length - 1];
      const rows = below.rows + top.rows;
      below.woe = rows > 0 ? (below.woe * below.rows + top.woe * top.rows) / rows : (below.woe + top.woe) / 2;
      below.rows = rows;
      below.count += top.count;
    }
  }
  const out = woe.slice(0, start);
  for (const b of blocks) for (let i = 0; i < b.count; i++) out.push(rising ? b.woe : -b.woe);
  return out;
}

export interface CodeCounts {
  /** The UBIGINT bin code as a decimal string (it can exceed 2^53). */
  binCode: string;
  rows: number;
  events: number;
  /** The log-odds offset the rows share (the inspectors' effect), if any. */
  offset?: number;
}

/**
 * Fits the logistic regression on the bins' WoE from (weighted) counts per bin combination, each with its offset: a
 * coefficient per feature, and each bin's points are the coefficient times its WoE. Coefficients keep their sign: a
 * negative one means the feature's evidence counts the other way once the others are in, and its contributions say so
 * (the scorecard of v1 dropped such features).
 */
export function fitScorecard(
  features: BinnedFeature[],
  combos: CodeCounts[],
  options: { l2: number; woePrior: number; start?: ScorecardParams; woeOf?: (binCode: string) => number[] },
): ScorecardParams {
  const woeOf = options.woeOf ?? woeVectors(features);
  const rows: AggregatedRow[] = combos.map((c) => ({ x: woeOf(c.binCode), trials: c.rows, events: c.events, offset: c.offset ?? 0 }));
  const fixedZero = features.map((f) => f.bins.every((b) => b.woe === 0));
  const start = options.start && { intercept: options.start.intercept, coefficients: options.start.features.map((f) => f.coefficient) };
  const fit = fitLogistic(rows, { l2: options.l2, fixedZero, start });
  const fitted = features.map((f, i) => {
    const coefficient = fixedZero[i] ? 0 : fit.coefficients[i];
    return { ...f, coefficient, bins: f.bins.map((b) => ({ ...b, points: coefficient * b.woe })) };
  });
  return {
    features: fitted,
    intercept: fit.intercept,
    l2: options.l2,
    woePrior: options.woePrior,
    reversed: fitted.filter((f) => f.coefficient < 0).map((f) => f.column),
  };
}

/** Each bin code's WoE per feature, decoded once per code (the fit runs several times over the same codes). */
export function woeVectors(features: BinnedFeature[]): (binCode: string) => number[] {
  const cache = new Map<string, number[]>();
  return (binCode) => {
    let x = cache.get(binCode);
    if (!x) {
      const bins = decodeBins(binCode, features.length);
      x = features.map((f, i) => f.bins[bins[i]]?.woe ?? 0);
      cache.set(binCode, x);
    }
    return x;
  };
}

// ---- explanations -------------------------------------------------------------------------------------

export interface Contribution {
  column: FeatureColumn;
  feature: Label;
  bin: Label;
  /** Log-odds points this feature's bin adds to the entity's score; 0 is no evidence either way. */
  points: number;
  /** "12345投诉举报(近12个月) 3-4件 12345 complaints, 12 months: 3-4: +0.80" */
  text: string;
  /** The feature's coefficient is negative: the bin's evidence counts the other way once the others are in. */
  reversed?: boolean;
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;

/** Shown after a contribution whose feature's coefficient is negative. */
export const REVERSED_NOTE = ' (其他特征计入后方向相反 / counts the other way once the other features are in)';

export function contributionText(feature: Label, bin: Label, points: number): string {
  return `${feature.zh} ${bin.zh} ${feature.en}: ${bin.en}: ${signed(points)}`;
}

/** Every feature's contribution for one bin code, largest effect first. */
export function contributions(params: ScorecardParams, binCode: bigint | string): Contribution[] {
  const bins = decodeBins(binCode, params.features.length);
  return params.features
    .map((f, i) => {
      const bin = f.bins[bins[i]];
      const points = binPoints(f, bins[i]);
      const binLabel = bin?.label ?? { zh: '?', en: '?' };
      const reversed = f.coefficient < 0 && points !== 0;
      const text = contributionText(f.label, binLabel, points) + (reversed ? REVERSED_NOTE : '');
      return { column: f.column, feature: f.label, bin: binLabel, points, text, ...(reversed ? { reversed } : {}) };
    })
    .filter((c) => c.points !== 0)
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
}

export function logOdds(params: ScorecardParams, binCode: bigint | string): number {
  const bins = decodeBins(binCode, params.features.length);
  return params.features.reduce((z, f, i) => z + binPoints(f, bins[i]), params.intercept);
}

export const probability = (z: number) => 1 / (1 + Math.exp(-z));
