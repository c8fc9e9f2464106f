// The backtest's baseline: a plain logistic regression on the same features as the scorecard, fitted on the same
// training rows with the same weights, so that the scorecard is judged against what a statistician would fit first.
// Numeric features enter as one standardised value each (counts and ratios on a log scale, days in years, a missing
// value as 0 plus an indicator); categories as indicators, and an interaction cell (industry group x age band) as the
// indicators of its parts: no interaction, as a first model would have it. Pure functions.
import { fitLogistic, type AggregatedRow } from './logistic.ts';
import type { BinRule, FeatureColumn } from './scorecard.ts';

export type FeatureRow = Record<string, unknown>;

interface Column {
  /** The value of the design column for a row (before standardising). */
  value: (row: FeatureRow) => number;
}

/** The design columns of a feature set. */
function columnsOf(features: Array<BinRule & { column: FeatureColumn }>): Column[] {
  const out: Column[] = [];
  for (const f of features) {
    const read = (row: FeatureRow) => row[f.column];
    if (f.kind === 'category' && f.categories.every((c) => c.includes('|'))) {
      // an interaction cell ('retail|<1'): its parts enter as main effects, as a first model would have them
      const parts = f.categories.map((c) => c.split('|'));
      for (let position = 0; position < parts[0].length; position++) {
        const levels = [...new Set(parts.map((p) => p[position]))];
        for (const level of levels.slice(0, -1)) out.push({ value: (row) => (String(read(row) ?? '').split('|')[position] === level ? 1 : 0) });
      }
      continue;
    }
    if (f.kind === 'category') {
      for (const category of f.categories.slice(0, -1)) out.push({ value: (row) => (String(read(row) ?? '') === category ? 1 : 0) });
      continue;
    }
    const transform = (x: number) => (f.format === 'years' ? Math.min(x, 36_500) / 365.25 : f.format === 'percent' ? x : Math.log1p(Math.max(0, x)));
    out.push({ value: (row) => (read(row) === null || read(row) === undefined ? 0 : transform(Number(read(row)))) });
    if (f.kind === 'numeric' && f.hasNullBin) out.push({ value: (row) => (read(row) === null || read(row) === undefined ? 1 : 0) });
  }
  return out;
}

export interface LogisticBaseline {
  predict: (row: FeatureRow) => number;
  columns: number;
  iterations: number;
}

/**
 * Fits the baseline on `rows` (each with the feature columns, `found` and a `weight`) with an L2 penalty on the
 * standardised coefficients; returns a predictor of the log-odds.
 */
export function fitLogisticBaseline(features: Array<BinRule & { column: FeatureColumn }>, rows: Array<FeatureRow & { found: boolean; weight: number }>, l2 = 1): LogisticBaseline {
  const columns = columnsOf(features);
  const raw = rows.map((r) => columns.map((c) => c.value(r)));
  const total = rows.reduce((s, r) => s + r.weight, 0);
  const means = columns.map((_, j) => raw.reduce((s, x, i) => s + x[j] * rows[i].weight, 0) / total);
  const sds = columns.map((_, j) => Math.sqrt(raw.reduce((s, x, i) => s + rows[i].weight * (x[j] - means[j]) ** 2, 0) / total) || 1);
  const standard = (x: number[]) => x.map((v, j) => (v - means[j]) / sds[j]);
  // the weights scaled to the rows' number, so the penalty weighs as it would unweighted
  const scale = rows.length / total;
  const aggregated: AggregatedRow[] = raw.map((x, i) => ({ x: standard(x), trials: rows[i].weight * scale, events: rows[i].found ? rows[i].weight * scale : 0 }));
  const fit = fitLogistic(aggregated, { l2 });
  return {
    predict: (row) => standard(columns.map((c) => c.value(row))).reduce((z, v, j) => z + fit.coefficients[j] * v, fit.intercept),
    columns: columns.length,
    iterations: fit.iterations,
  };
}
