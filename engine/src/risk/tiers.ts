// Tier cut-offs A-D: from target shares of the scored population (found on the score histogram, no sort of
// the entities) or from absolute score thresholds; and the CASE that applies them.
import { sql, type Sql } from '../db/sql.ts';

export const TIERS = ['A', 'B', 'C', 'D'] as const;
export type Tier = (typeof TIERS)[number];
export type TierShares = Record<Tier, number>;

/** Default targets: A 40%, B 35%, C 18%, D 7% of active entities. */
export const DEFAULT_TIER_SHARES: TierShares = { A: 0.4, B: 0.35, C: 0.18, D: 0.07 };

/** shares: target shares of the population; scores: an entity is in tier D when score >= D, else C when >= C, ... */
export type TierRule = { mode: 'shares'; shares: TierShares } | { mode: 'scores'; thresholds: { B: number; C: number; D: number } };

export interface Cutoffs {
  rule: TierRule;
  /** The score thresholds that apply: tier = D if score >= D, C if >= C, B if >= B, else A. */
  thresholds: { B: number; C: number; D: number };
  /** Shares of the population that fell in each tier (ties at a threshold keep the tiers from matching targets exactly). */
  actualShares: TierShares;
  /** Entities per tier. */
  counts: TierShares;
  population: number;
}

export interface ScoreBucket {
  score: number;
  count: number;
}

export function parseTierRule(text: string): TierRule {
  // "shares:A=0.4,B=0.35,C=0.18,D=0.07" or "scores:B=0.08,C=0.15,D=0.3" (a bare list of 4 shares or 3 scores also works)
  const [mode, rest] = text.includes(':') ? (text.split(':', 2) as [string, string]) : ['shares', text];
  const parts = rest.split(',').map((p) => p.trim()).filter(Boolean);
  const values: Record<string, number> = {};
  const order = mode === 'scores' ? ['B', 'C', 'D'] : ['A', 'B', 'C', 'D'];
  parts.forEach((p, i) => {
    const [k, v] = p.includes('=') ? p.split('=', 2) : [order[i], p];
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`tier rule '${text}': '${p}' is not a non-negative number`);
    values[(k ?? '').trim().toUpperCase()] = n;
  });
  if (mode === 'shares') {
    const shares = { A: values.A, B: values.B, C: values.C, D: values.D };
    for (const t of TIERS) if (shares[t] === undefined) throw new Error(`tier rule '${text}': share of tier ${t} missing (e.g. shares:A=0.4,B=0.35,C=0.18,D=0.07)`);
    const total = shares.A + shares.B + shares.C + shares.D;
    if (Math.abs(total - 1) > 1e-6) throw new Error(`tier rule '${text}': shares add up to ${total}, not 1`);
    return { mode, shares };
  }
  if (mode === 'scores') {
    const thresholds = { B: values.B, C: values.C, D: values.D };
    for (const t of ['B', 'C', 'D'] as const) if (thresholds[t] === undefined) throw new Error(`tier rule '${text}': threshold of tier ${t} missing (e.g. scores:B=0.08,C=0.15,D=0.3)`);
    if (!(thresholds.B <= thresholds.C && thresholds.C <= thresholds.D)) throw new Error(`tier rule '${text}': thresholds must rise from B to D`);
    return { mode, thresholds };
  }
  throw new Error(`tier rule '${text}': mode must be 'shares' or 'scores'`);
}

/**
 * Where a cumulative count of entities, from the highest score down, reaches a target: the first tie group (one score)
 * that brings it there, the entities above it and through it, and the next higher score (null for the highest).
 */
export interface Reach {
  score: number;
  above: number;
  through: number;
  higher: number | null;
}

/** The cumulative targets of tiers D, C and B (in that order) as shares of the population. */
export function targetShares(shares: TierShares): [number, number, number] {
  const { B, C, D } = shares;
  return [D, D + C, D + C + B];
}

/**
 * The threshold for a target count: the edge of the tie group that brings the cumulative count closest to the target,
 * leaving the tier non-empty. `reach` is null when no tie group reaches it (rounding): then the lowest score.
 */
export function thresholdAt(target: number, reach: Reach | null, lowestScore: number | null): number {
  if (lowestScore === null || target <= 0) return Infinity;
  if (!reach) return lowestScore;
  const excludeCloser = reach.above > 0 && Math.abs(reach.above - target) < Math.abs(reach.through - target);
  return excludeCloser ? reach.higher! : reach.score;
}

/** Thresholds that rise from B to D (a lower tier's threshold never above a higher one's). */
export function orderedThresholds(t: Cutoffs['thresholds']): Cutoffs['thresholds'] {
  const C = Math.min(t.C, t.D);
  return { D: t.D, C, B: Math.min(t.B, C) };
}

/** The Cutoffs record from the thresholds that apply and the entities they put in each tier. */
export function cutoffsOf(rule: TierRule, thresholds: Cutoffs['thresholds'], counts: TierShares, population: number): Cutoffs {
  const actualShares: TierShares = { A: 0, B: 0, C: 0, D: 0 };
  for (const t of TIERS) actualShares[t] = population ? counts[t] / population : 0;
  return { rule, thresholds: toFinite(thresholds), actualShares, counts, population };
}

/**
 * Score thresholds from target shares on a histogram of scores. Walking down from the highest score, a
 * threshold sits at the edge of the tie group that brings the cumulative share closest to the target.
 */
export function cutoffsFromHistogram(buckets: ScoreBucket[], rule: TierRule): Cutoffs {
  const sorted = [...buckets].filter((b) => b.count > 0).sort((a, b) => b.score - a.score);
  const population = sorted.reduce((s, b) => s + b.count, 0);
  let thresholds: Cutoffs['thresholds'];
  if (rule.mode === 'scores') thresholds = { ...rule.thresholds };
  else {
    const lowest = sorted.length ? sorted[sorted.length - 1].score : null;
    const find = (targetShare: number): number => {
      const target = targetShare * population;
      let above = 0; // entities with a score above sorted[i]
      for (let i = 0; i < sorted.length; i++) {
        const through = above + sorted[i].count;
        if (through >= target) return thresholdAt(target, { score: sorted[i].score, above, through, higher: i > 0 ? sorted[i - 1].score : null }, lowest);
        above = through;
      }
      return thresholdAt(target, null, lowest);
    };
    const [d, c, b] = targetShares(rule.shares);
    thresholds = orderedThresholds({ D: find(d), C: find(c), B: find(b) });
  }
  const counts: TierShares = { A: 0, B: 0, C: 0, D: 0 };
  for (const b of sorted) counts[tierOf(b.score, thresholds)] += b.count;
  return cutoffsOf(rule, thresholds, counts, population);
}

/** Infinity (an empty tier) is stored as a number JSON can hold. */
function toFinite(t: Cutoffs['thresholds']): Cutoffs['thresholds'] {
  const fix = (x: number) => (Number.isFinite(x) ? x : Number.MAX_VALUE);
  return { B: fix(t.B), C: fix(t.C), D: fix(t.D) };
}

export function tierOf(score: number, thresholds: Cutoffs['thresholds']): Tier {
  return score >= thresholds.D ? 'D' : score >= thresholds.C ? 'C' : score >= thresholds.B ? 'B' : 'A';
}

export function tierSql(thresholds: Cutoffs['thresholds'], column: Sql = sql`score`): Sql {
  // an empty tier's threshold is stored as Number.MAX_VALUE: bound as Infinity, since an integral number binds as an integer
  const n = (x: number) => (x >= Number.MAX_VALUE ? Infinity : x);
  return sql`(CASE WHEN ${column} >= ${n(thresholds.D)} THEN 'D' WHEN ${column} >= ${n(thresholds.C)} THEN 'C' WHEN ${column} >= ${n(thresholds.B)} THEN 'B' ELSE 'A' END)`;
}
