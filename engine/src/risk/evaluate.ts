// The backtest's honest figures, as pure functions over weighted counts (each tested entity weighted by the inverse of
// its selection probability): calibration with intervals, the score-percentile bias of a segment against its observed
// finding rate, and each single feature's ranking power.
import { rocAuc, type ScoreGroup } from './metrics.ts';

/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054;

export interface RateInterval {
  /** Weighted share with a finding. */
  rate: number | null;
  low: number | null;
  high: number | null;
  /** Tested entities, and their effective number under the weights ((Σw)² / Σw²). */
  n: number;
  effectiveN: number;
}

/**
 * Wilson's interval for a weighted share (95% by default; `z` for another level): the weights' effective sample size
 * stands in for n, so that a few heavily weighted entities widen the interval as they should.
 */
export function weightedRate(sumWeights: number, sumWeightedFound: number, sumSquaredWeights: number, n: number, z = Z95): RateInterval {
  if (sumWeights <= 0 || n === 0) return { rate: null, low: null, high: null, n, effectiveN: 0 };
  const p = sumWeightedFound / sumWeights;
  const m = (sumWeights * sumWeights) / sumSquaredWeights;
  const z2 = z * z;
  const centre = (p + z2 / (2 * m)) / (1 + z2 / m);
  const half = (z * Math.sqrt((p * (1 - p)) / m + z2 / (4 * m * m))) / (1 + z2 / m);
  return { rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half), n, effectiveN: m };
}

/** A share of the population's score distribution, with the weighted tested entities there. */
export interface PercentileBin {
  /** Mid-rank percentile of the bin's entities in the scored population, 0..1. */
  percentile: number;
  weight: number;
  found: number;
  /** The log-odds effect of the inspectors who visited them (0: an average team), for what the scores imply there. */
  offset?: number;
}

/**
 * The finding rate the scores imply at each population percentile: weighted rates of the tested entities in
 * `bins` (ordered by percentile) made non-decreasing (pool-adjacent-violators), then read by linear interpolation.
 */
export function percentileCurve(bins: PercentileBin[]): (percentile: number) => number {
  const sorted = bins.filter((b) => b.weight > 0).sort((a, b) => a.percentile - b.percentile);
  if (sorted.length === 0) return () => 0;
  // pool adjacent violators: blocks of (x, weight, rate) merged until the rates rise
  const blocks: Array<{ x: number; w: number; r: number }> = [];
  for (const b of sorted) {
    blocks.push({ x: b.percentile * b.weight, w: b.weight, r: b.found / b.weight });
    while (blocks.length > 1 && blocks[blocks.length - 2].r > blocks[blocks.length - 1].r) {
      const top = blocks.pop()!;
      const below = blocks[blocks.length - 1];
      below.r = (below.r * below.w + top.r * top.w) / (below.w + top.w);
      below.x += top.x;
      below.w += top.w;
    }
  }
  const xs = blocks.map((b) => b.x / b.w);
  const rs = blocks.map((b) => b.r);
  return (p: number) => {
    if (p <= xs[0]) return rs[0];
    const last = xs.length - 1;
    if (p >= xs[last]) return rs[last];
    let i = 1;
    while (xs[i] < p) i++;
    const t = (p - xs[i - 1]) / (xs[i] - xs[i - 1]);
    return rs[i - 1] + t * (rs[i] - rs[i - 1]);
  };
}

/**
 * A segment's score-percentile bias: how far (in population percentiles, -1..1) its tested entities would have to move
 * for the rate the scores imply there, with the inspectors who visited them, to equal `observed`. Negative: the
 * segment scores lower than its findings say (under-rated). `segment`: its tested entities' percentiles, weights and
 * inspectors' offsets; `curve` from percentileCurve.
 */
export function percentileBias(segment: PercentileBin[], curve: (p: number) => number, observed: number): number {
  const total = segment.reduce((s, b) => s + b.weight, 0);
  if (total <= 0) return 0;
  const withTeam = (rate: number, offset: number) => {
    if (offset === 0 || rate <= 0 || rate >= 1) return rate;
    const odds = (rate / (1 - rate)) * Math.exp(offset);
    return odds / (1 + odds);
  };
  const implied = (shift: number) => segment.reduce((s, b) => s + b.weight * withTeam(curve(Math.min(1, Math.max(0, b.percentile + shift))), b.offset ?? 0), 0) / total;
  let lo = -1;
  let hi = 1;
  if (implied(lo) >= observed) return 1;
  if (implied(hi) <= observed) return -1;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (implied(mid) < observed) lo = mid;
    else hi = mid;
  }
  // the scores imply `observed` at +shift: the segment sits that far below where its findings put it
  return -(lo + hi) / 2;
}

/** Weighted tested entities per bin code: the ranking power of each feature alone, from the bins it gives. */
export interface CodeOutcome {
  binCode: string;
  positives: number;
  negatives: number;
}

/**
 * ROC AUC of one feature alone on the tested entities: its bins ordered by `binScore` (the training log-odds of the
 * bin), from the entities' bin codes (`binOf` picks the feature's bin from a code).
 */
export function singleFeatureAuc(outcomes: CodeOutcome[], binOf: (code: string) => number, binScore: (bin: number) => number): number | null {
  const groups = new Map<number, ScoreGroup>();
  for (const o of outcomes) {
    const bin = binOf(o.binCode);
    const g = groups.get(bin) ?? { score: binScore(bin), positives: 0, negatives: 0 };
    g.positives += o.positives;
    g.negatives += o.negatives;
    groups.set(bin, g);
  }
  return rocAuc([...groups.values()]);
}
