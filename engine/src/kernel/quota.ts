// How many objects a stratum gives a draw (fd1 §3, docs/fd1.md): a ratio in basis points or a fixed count. Shared by
// the draw protocol (draw/fd1.ts) and the policy preview, which shows the k a draw would take before a policy is saved.
import { isRatioBp, RATIO_BP_MAX } from './schema.ts';

/** A ratio in basis points (300 = 3%) or a fixed count, never both. */
export interface QuotaSpec {
  ratioBp?: number;
  count?: number;
}

/** `value` as a safe integer of at least `min`, or an error naming `what`. */
export function checkCount(what: string, value: unknown, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new Error(`${what} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The spec's one ratio (an integer 0..10000 basis points) or count; `where` names it in the error. */
export function quotaKind(spec: QuotaSpec, where: string): { ratioBp: number } | { count: number } {
  const hasRatio = spec.ratioBp !== undefined && spec.ratioBp !== null;
  const hasCount = spec.count !== undefined && spec.count !== null;
  if (hasRatio === hasCount) throw new Error(`${where}: give exactly one of ratioBp and count, got ${JSON.stringify(spec)}`);
  if (hasRatio) {
    const ratioBp = spec.ratioBp as number;
    if (!isRatioBp(ratioBp)) {
      throw new Error(`${where}: ratioBp must be an integer from 0 to ${RATIO_BP_MAX} basis points, got ${JSON.stringify(spec.ratioBp)} (fd1 §3)`);
    }
    return { ratioBp };
  }
  return { count: checkCount(`${where}: count`, spec.count) };
}

/** k = 0 if N = 0 or bp = 0; else min(N, max(1, ceil(bp*N/10000))); or min(N, count). Exact integers. */
export function quota(eligible: number, spec: { ratioBp: number } | { count: number }): number {
  checkCount('quota: eligible', eligible);
  const kind = quotaKind(spec, 'quota');
  if ('count' in kind) return Math.min(eligible, kind.count);
  if (eligible === 0 || kind.ratioBp === 0) return 0;
  const scaled = BigInt(kind.ratioBp) * BigInt(eligible);
  const ceiled = Number((scaled + 9_999n) / 10_000n);
  return Math.min(eligible, Math.max(1, ceiled));
}
