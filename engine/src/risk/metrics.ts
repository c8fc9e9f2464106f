// Ranking metrics computed from scores grouped by value (ties handled exactly): ROC AUC and lift at a share inspected.

export interface ScoreGroup {
  score: number;
  positives: number;
  negatives: number;
}

/** ROC AUC (Mann-Whitney): the chance a random positive outranks a random negative, ties counting half. */
export function rocAuc(groups: ScoreGroup[]): number | null {
  const sorted = [...groups].sort((a, b) => a.score - b.score);
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
  const sorted = [...groups].sort((a, b) => b.score - a.score);
  const total = sorted.reduce((s, g) => s + g.positives + g.negatives, 0);
  const positives = sorted.reduce((s, g) => s + g.positives, 0);
  if (total === 0 || positives === 0 || share <= 0) return null;
  const taken = Math.min(share * total, total);
  return foundAmong(sorted, taken) / taken / (positives / total);
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
  const sorted = [...groups].sort((a, b) => b.score - a.score);
  const total = sorted.reduce((s, g) => s + g.positives + g.negatives, 0);
  const positives = sorted.reduce((s, g) => s + g.positives, 0);
  if (total === 0 || positives === 0) return [];
  return shares.map((share) => ({ share, found: foundAmong(sorted, Math.min(1, Math.max(0, share)) * total) / positives }));
}
