// Ranking metrics computed from scores grouped by value (ties handled exactly): ROC AUC and lift at a share inspected;
// and a paired bootstrap of the difference between two scores' AUCs on the same rows.
import { quantileSorted, sampleStandardDeviation } from 'simple-statistics';

export interface ScoreGroup {
  score: number;
  positives: number;
  negatives: number;
}

/** ROC AUC (Mann-Whitney): the chance a random positive outranks a random negative, ties counting half. */
export function rocAuc(groups: ScoreGroup[]): number | null {
  const sorted = sortedGroups(groups, 1);
  const positives = sorted.reduce((s, g) => s + g.positives, 0);
  const negatives = sorted.reduce((s, g) => s + g.negatives, 0);
  if (positives === 0 || negatives === 0) return null;
  let negativesBelow = 0;
  let sum = 0;
  for (const g of sorted) {
    sum += g.positives * (negativesBelow + g.negatives / 2);
    negativesBelow += g.negatives;
  }
  return sum / (positives * negatives);
}

/**
 * Lift at a share inspected: the hit rate among the highest-scored `share` of the rows over the overall hit
 * rate (what random selection finds). A tie group straddling the boundary counts pro rata, as random
 * tie-breaking would on average.
 */
export function liftAt(groups: ScoreGroup[], share: number): number | null {
  const sorted = sortedGroups(groups, -1);
  const total = sorted.reduce((s, g) => s + g.positives + g.negatives, 0);
  const positives = sorted.reduce((s, g) => s + g.positives, 0);
  if (total === 0 || positives === 0 || share <= 0) return null;
  const taken = Math.min(share * total, total);
  return foundAmong(sorted, taken) / taken / (positives / total);
}

/**
 * The groups sorted by score (1: ascending, -1: descending), groups of the same score merged: a score may come in
 * several groups (one per row, say), and its ties must still count half, not in the order the rows came.
 */
function sortedGroups(groups: ScoreGroup[], direction: 1 | -1): ScoreGroup[] {
  const sorted = [...groups].sort((a, b) => direction * (a.score - b.score));
  const merged: ScoreGroup[] = [];
  for (const g of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.score === g.score) {
      last.positives += g.positives;
      last.negatives += g.negatives;
    } else merged.push({ ...g });
  }
  return merged;
}

/** Positives among the first `take` rows of `sorted` (highest score first), a straddling tie group pro rata. */
function foundAmong(sorted: ScoreGroup[], take: number): number {
  let taken = 0;
  let found = 0;
  for (const g of sorted) {
    const size = g.positives + g.negatives;
    if (taken + size <= take) {
      taken += size;
      found += g.positives;
    } else {
      found += (g.positives * (take - taken)) / size;
      break;
    }
  }
  return found;
}

export interface LiftPoint {
  /** Share of the rows inspected, highest scores first. */
  share: number;
  /** Share of all positives found among them (random selection finds `share`). */
  found: number;
}

/** The lift (gains) curve at each share inspected, ties split pro rata as in liftAt; empty when there are no positives. */
export function liftCurve(groups: ScoreGroup[], shares: readonly number[]): LiftPoint[] {
  const sorted = sortedGroups(groups, -1);
  const total = sorted.reduce((s, g) => s + g.positives + g.negatives, 0);
  const positives = sorted.reduce((s, g) => s + g.positives, 0);
  if (total === 0 || positives === 0) return [];
  return shares.map((share) => ({ share, found: foundAmong(sorted, Math.min(1, Math.max(0, share)) * total) / positives }));
}

/** One row scored two ways, with its weight and outcome: two rankings compared on the same rows. */
export interface PairedRow {
  first: number;
  second: number;
  weight: number;
  positive: boolean;
}

export interface AucDifference {
  /** AUC of the first score minus the second's, on all the rows. */
  difference: number;
  /** 95% percentile interval of the difference over the bootstrap replicates, and their standard deviation. */
  low: number;
  high: number;
  se: number;
  /** Replicates in the interval (a replicate drawing no positive or no negative has no AUC and is left out). */
  replicates: number;
  rows: number;
}

/**
 * Paired bootstrap of AUC(first) − AUC(second): the rows are resampled with replacement (Poisson bootstrap: in each
 * replicate a row counts Poisson(1) times, times its weight) and both AUCs are computed on the same replicate, so that
 * what the two scores share (the rows' outcomes) cancels out of the difference's error. Seeded: the same rows and seed
 * give the same interval. Null when the full sample has no positive or no negative (or fewer than two replicates).
 */
export function pairedAucBootstrap(rows: readonly PairedRow[], options: { replicates?: number; seed?: number } = {}): AucDifference | null {
  const replicates = options.replicates ?? 1000;
  const n = rows.length;
  // the rows are sorted once per score, and a replicate only redraws their counts; counts are kept in the first
  // score's order so that its pass reads them in sequence and the second's through a permutation
  const order = (score: (r: PairedRow) => number) => Int32Array.from(rows.keys()).sort((i, j) => score(rows[i]) - score(rows[j]));
  const byFirst = order((r) => r.first);
  const positionInFirst = new Int32Array(n);
  for (let k = 0; k < n; k++) positionInFirst[byFirst[k]] = k;
  const first = ranking(rows, byFirst, (r) => r.first, positionInFirst);
  const second = ranking(rows, order((r) => r.second), (r) => r.second, positionInFirst);
  const counts = new Uint8Array(n).fill(1);
  const [a, b] = [countedAuc(first, counts), countedAuc(second, counts)];
  if (a === null || b === null) return null;
  const random = mulberry32(options.seed ?? 1);
  const differences: number[] = [];
  for (let r = 0; r < replicates; r++) {
    for (let k = 0; k < n; k += 2) {
      const word = random();
      counts[k] = POISSON1_BY_16_BITS[word & 0xffff];
      if (k + 1 < n) counts[k + 1] = POISSON1_BY_16_BITS[word >>> 16];
    }
    const [ra, rb] = [countedAuc(first, counts), countedAuc(second, counts)];
    if (ra !== null && rb !== null) differences.push(ra - rb);
  }
  if (differences.length < 2) return null;
  differences.sort((x, y) => x - y);
  return {
    difference: a - b,
    low: quantileSorted(differences, 0.025),
    high: quantileSorted(differences, 0.975),
    se: sampleStandardDeviation(differences),
    replicates: differences.length,
    rows: n,
  };
}

/**
 * Rows in ascending order of one score: their positive and negative weights, where each one's count sits in a
 * replicate's counts, and where each group of equal scores starts (last entry: the end).
 */
interface Ranking {
  positives: Float64Array;
  negatives: Float64Array;
  countAt: Int32Array;
  starts: Int32Array;
}

function ranking(rows: readonly PairedRow[], order: Int32Array, score: (r: PairedRow) => number, countIndex: Int32Array): Ranking {
  const sorted = Array.from(order, (i) => rows[i]);
  const starts: number[] = [];
  for (let k = 0; k < sorted.length; k++) if (k === 0 || score(sorted[k]) !== score(sorted[k - 1])) starts.push(k);
  starts.push(sorted.length);
  return {
    positives: Float64Array.from(sorted, (r) => (r.positive ? r.weight : 0)),
    negatives: Float64Array.from(sorted, (r) => (r.positive ? 0 : r.weight)),
    countAt: order.map((i) => countIndex[i]),
    starts: Int32Array.from(starts),
  };
}

/** rocAuc over a ranking's tie groups, each row's weight times its count. */
function countedAuc({ positives, negatives, countAt, starts }: Ranking, counts: Uint8Array): number | null {
  let negativesBelow = 0;
  let positivesSeen = 0;
  let sum = 0;
  for (let g = 0; g + 1 < starts.length; g++) {
    let p = 0;
    let q = 0;
    for (let k = starts[g]; k < starts[g + 1]; k++) {
      const c = counts[countAt[k]];
      p += c * positives[k];
      q += c * negatives[k];
    }
    sum += p * (negativesBelow + q / 2);
    negativesBelow += q;
    positivesSeen += p;
  }
  return positivesSeen > 0 && negativesBelow > 0 ? sum / (positivesSeen * negativesBelow) : null;
}

/**
 * A Poisson(1) count for each 16-bit value, by inverse CDF at the value's midpoint (each count's probability to within
 * 2^-16): a replicate draws two rows' counts from one 32-bit word.
 */
const POISSON1_BY_16_BITS = (() => {
  const table = new Uint8Array(1 << 16);
  let k = 0;
  let p = Math.exp(-1);
  let cdf = p;
  for (let u = 0; u < table.length; u++) {
    while ((u + 0.5) / table.length >= cdf) {
      k++;
      p /= k;
      cdf += p;
    }
    table[u] = k;
  }
  return table;
})();

/** Mulberry32: a tiny seeded generator of 32-bit words, for resampling that must come out the same each run. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
