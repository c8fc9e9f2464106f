// The weight-of-evidence scorecard: which features, how each is binned, each bin's WoE, the logistic fit on
// WoE values, and the SQL that bins and scores entities. Pure functions; the database work is in model.ts.
import { fitLogistic, type AggregatedRow } from './logistic.ts';
import { sql, type Sql } from '../db/sql.ts';

/** Feature columns produced by features.sql that the scorecard can use. */
export type FeatureColumn =
  | 'credit_class'
  | 'penalties_3y'
  | 'abnormal_listing'
  | 'complaints_12m'
  | 'complaints_36m'
  | 'complaints_13_36m'
  | 'complaint_ratio'
  | 'entity_type'
  | 'last_outcome'
  | 'prior_findings'
  | 'days_since_last_finding'
  | 'days_since_last_inspection'
  | 'age_days'
  | 'industry_base_rate'
  | 'district_base_rate';

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

/** The default feature set, in bit order of risk_scores.bin_code (4 bits each, so at most 16 bins a feature). */
export const DEFAULT_FEATURES: FeatureSpec[] = [
  {
    kind: 'category',
    column: 'credit_class',
    label: { zh: '信用风险分类', en: 'Credit risk class' },
    categories: [
      { value: 'A', label: { zh: 'A类', en: 'class A' } },
      { value: 'B', label: { zh: 'B类', en: 'class B' } },
      { value: 'C', label: { zh: 'C类', en: 'class C' } },
      { value: 'D', label: { zh: 'D类', en: 'class D' } },
      { value: '', label: { zh: '未分类', en: 'unclassified' } },
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
    column: 'abnormal_listing',
    label: { zh: '经营异常名录', en: 'Abnormal-operation list' },
    categories: [
      { value: 'listed', label: { zh: '在列', en: 'listed' } },
      { value: 'removed', label: { zh: '曾列入已移出', en: 'listed before, removed' } },
      { value: 'never', label: { zh: '未列入', en: 'never listed' } },
    ],
  },
  {
    kind: 'numeric',
    column: 'complaints_12m',
    label: { zh: '12345投诉举报(近12个月)', en: '12345 complaints, 12 months' },
    format: 'count',
    unit: { zh: '件', en: '' },
    edges: [1, 2, 3, 5, 10],
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
    kind: 'numeric',
    column: 'complaint_ratio',
    label: { zh: '投诉率/同行业同城均值', en: 'Complaint rate vs industry x city norm' },
    format: 'ratio',
    zeroBin: true,
    quantiles: [0.25, 0.5, 0.75, 0.9],
  },
  {
    kind: 'category',
    column: 'entity_type',
    label: { zh: '主体类型', en: 'Entity type' },
    categories: [
      { value: 'enterprise', label: { zh: '企业', en: 'enterprise' } },
      { value: 'individual', label: { zh: '个体工商户', en: 'individual business' } },
      { value: 'cooperative', label: { zh: '农民专业合作社', en: 'cooperative' } },
      { value: '', label: { zh: '其他', en: 'other' } },
    ],
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
    column: 'days_since_last_finding',
    label: { zh: '距上次发现问题', en: 'Time since last finding' },
    format: 'years',
    nullLabel: { zh: '从未发现', en: 'never' },
    edges: [365, 730, 1095],
  },
  {
    kind: 'numeric',
    column: 'days_since_last_inspection',
    label: { zh: '距上次检查', en: 'Time since last inspection' },
    format: 'years',
    nullLabel: { zh: '从未检查', en: 'never' },
    edges: [365, 730, 1095, 1826],
  },
  {
    kind: 'numeric',
    column: 'age_days',
    label: { zh: '成立年限', en: 'Entity age' },
    format: 'years',
    nullLabel: { zh: '未知', en: 'unknown' },
    edges: [365, 1096, 2192, 3653],
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
    column: 'district_base_rate',
    label: { zh: '辖区问题发现率', en: 'District finding rate' },
    format: 'percent',
    quantiles: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
  },
];

export const BITS_PER_FEATURE = 4;
export const MAX_BINS = 1 << BITS_PER_FEATURE;
export const MAX_FEATURES = 16; // 16 x 4 = 64 bits: the whole UBIGINT

export interface Bin {
  label: Label;
  /** Training rows (inspected entity-years) in the bin and those with a finding. */
  rows: number;
  events: number;
  woe: number;
}

/** How a feature's values map to bins once the edges are fixed. */
export type BinRule =
  | { kind: 'category'; categories: string[] }
  | { kind: 'numeric'; hasNullBin: boolean; zeroBin: boolean; edges: number[]; format: NumericFormat };

/** A feature with its resolved bins and their counts and WoE. */
export type BinnedFeature = BinRule & { column: FeatureColumn; label: Label; bins: Bin[] };

/** A feature as fitted: its bins and the logistic coefficient on their WoE. */
export type FittedFeature = BinnedFeature & { coefficient: number };

export interface ScorecardParams {
  features: FittedFeature[];
  intercept: number;
  l2: number;
  /** Pseudo-rows at the base rate added to each bin before its WoE: small bins shrink toward 0. */
  woePrior: number;
  /** Features whose fitted coefficient came out negative were dropped (coefficient 0) and the rest refitted. */
  dropped: FeatureColumn[];
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
    if (f.coefficient === 0) return [];
    const bin = i === 0 ? sql`(${codeColumn} & 15)` : sql`((${codeColumn} >> ${BITS_PER_FEATURE * i}) & 15)`;
    const points = f.bins.map((b, k) => sql`WHEN ${k} THEN ${finite(f.coefficient * b.woe)}`);
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

export interface CodeCounts {
  /** The UBIGINT bin code as a decimal string (it can exceed 2^53). */
  binCode: string;
  rows: number;
  events: number;
}

/**
 * Fits the logistic regression on WoE values from counts per bin combination. A feature whose coefficient
 * comes out negative (it points against its own evidence once the others are in) is dropped and the rest
 * refitted, so every contribution reads in the direction of its bin's evidence.
 */
export function fitScorecard(
  features: BinnedFeature[],
  combos: CodeCounts[],
  options: { l2: number; woePrior: number },
): ScorecardParams {
  const rows: AggregatedRow[] = combos.map((c) => {
    const bins = decodeBins(c.binCode, features.length);
    return { x: features.map((f, i) => f.bins[bins[i]]?.woe ?? 0), trials: c.rows, events: c.events };
  });
  const fixedZero = features.map((f) => f.bins.every((b) => b.woe === 0));
  const dropped: FeatureColumn[] = [];
  for (;;) {
    const fit = fitLogistic(rows, { l2: options.l2, fixedZero });
    const worst = fit.coefficients.reduce((w, c, i) => (!fixedZero[i] && c < 0 && (w < 0 || c < fit.coefficients[w]) ? i : w), -1);
    if (worst < 0) {
      return {
        features: features.map((f, i) => ({ ...f, coefficient: fixedZero[i] ? 0 : fit.coefficients[i] })),
        intercept: fit.intercept,
        l2: options.l2,
        woePrior: options.woePrior,
        dropped,
      };
    }
    fixedZero[worst] = true;
    dropped.push(features[worst].column);
  }
}

// ---- explanations -------------------------------------------------------------------------------------

export interface Contribution {
  column: FeatureColumn;
  feature: Label;
  bin: Label;
  /** Log-odds points this feature adds to the entity's score (coefficient x WoE); 0 is the training average. */
  points: number;
  /** "12345投诉举报(近12个月) 3-4件 12345 complaints, 12 months: 3-4: +0.80" */
  text: string;
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;

export function contributionText(feature: Label, bin: Label, points: number): string {
  return `${feature.zh} ${bin.zh} ${feature.en}: ${bin.en}: ${signed(points)}`;
}

/** Every feature's contribution for one bin code, largest effect first. */
export function contributions(params: ScorecardParams, binCode: bigint | string): Contribution[] {
  const bins = decodeBins(binCode, params.features.length);
  return params.features
    .map((f, i) => {
      const bin = f.bins[bins[i]];
      const points = f.coefficient * (bin?.woe ?? 0);
      const binLabel = bin?.label ?? { zh: '?', en: '?' };
      return { column: f.column, feature: f.label, bin: binLabel, points, text: contributionText(f.label, binLabel, points) };
    })
    .filter((c) => c.points !== 0)
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
}

export function logOdds(params: ScorecardParams, binCode: bigint | string): number {
  const bins = decodeBins(binCode, params.features.length);
  return params.features.reduce((z, f, i) => z + f.coefficient * (f.bins[bins[i]]?.woe ?? 0), params.intercept);
}

export const probability = (z: number) => 1 / (1 + Math.exp(-z));
