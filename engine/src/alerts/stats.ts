// Exact tail probabilities for the alert tests (binomial via the regularised incomplete beta, hypergeometric by
// summation) and Benjamini-Hochberg q-values. Pure functions; accurate in the far tails where alerts live.

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; relative error about 1e-15). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = LANCZOS[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln C(n, k). */
export function lnChoose(n: number, k: number): number {
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);
}

// Continued fraction for the incomplete beta (modified Lentz), valid for x < (a + 1) / (a + b + 2).
function betaContinuedFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) return h;
  }
  return h;
}

/** The regularised incomplete beta I_x(a, b). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

/** P(X >= k) for X ~ Binomial(n, p): I_p(k, n - k + 1). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  return regularizedBeta(p, k, n - k + 1);
}

/**
 * P(X >= x) for X hypergeometric: `drawn` items taken from `total`, of which `marked` are marked — the one-sided
 * Fisher exact test of a 2x2 table. Terms are summed from x upwards in log space.
 */
export function hypergeometricUpperTail(x: number, total: number, marked: number, drawn: number): number {
  const lo = Math.max(0, drawn - (total - marked));
  const hi = Math.min(marked, drawn);
  if (x <= lo) return 1;
  if (x > hi) return 0;
  const lnDenominator = lnChoose(total, drawn);
  let lnTerm = lnChoose(marked, x) + lnChoose(total - marked, drawn - x) - lnDenominator;
  let sum = 0;
  for (let i = x; i <= hi; i++) {
    const term = Math.exp(lnTerm);
    sum += term;
    if (term < sum * 1e-17) break;
    // ratio P(i+1)/P(i) = (marked - i)(drawn - i) / ((i + 1)(total - marked - drawn + i + 1))
    lnTerm += Math.log(marked - i) + Math.log(drawn - i) - Math.log(i + 1) - Math.log(total - marked - drawn + i + 1);
  }
  return Math.min(1, sum);
}

/**
 * P(X >= x) for X following Fisher's noncentral hypergeometric distribution: a 2x2 table with row totals n1 and n0
 * and column total m, X the count in row 1 of that column, odds ratio psi. psi = 1 is the one-sided Fisher exact
 * test; psi != 1 tests whether row 1's odds exceed row 0's by more than psi (the exact conditional test of an odds
 * ratio). Summed over the whole support in log space.
 */
export function noncentralHypergeometricUpperTail(x: number, n1: number, n0: number, m: number, psi: number): number {
  const lo = Math.max(0, m - n0);
  const hi = Math.min(n1, m);
  if (x <= lo) return 1;
  if (x > hi) return 0;
  if (!(psi > 0)) return 0;
  // Terms by the ratio of neighbours w(i+1)/w(i) = (n1-i)(m-i)psi / ((i+1)(n0-m+i+1)), in logs relative to the mode
  // (no factorials); each side stops once its terms fall below 1e-17 of what they are added to.
  const lnRatio = (i: number) => Math.log(((n1 - i) * (m - i) * psi) / ((i + 1) * (n0 - m + i + 1)));
  let mode = lo;
  for (let a = lo, b = hi; a < b; ) {
    const mid = Math.ceil((a + b) / 2); // the ratio falls as i grows: the mode is the last i with w(i) >= w(i-1)
    if (lnRatio(mid - 1) >= 0) a = mid;
    else b = mid - 1;
    mode = a;
  }
  const CUT = Math.log(1e-17);
  // the whole mass, relative to w(mode) = 1
  let total = 1;
  let lnW = 0;
  for (let i = mode; i < hi; i++) {
    lnW += lnRatio(i);
    if (lnW < CUT) break;
    total += Math.exp(lnW);
  }
  lnW = 0;
  for (let i = mode; i > lo; i--) {
    lnW -= lnRatio(i - 1);
    if (lnW < CUT) break;
    total += Math.exp(lnW);
  }
  // the upper tail from x, relative to w(x)
  let lnWx = 0;
  if (x > mode) for (let i = mode; i < x; i++) lnWx += lnRatio(i);
  else for (let i = mode; i > x; i--) lnWx -= lnRatio(i - 1);
  let upper = 1;
  lnW = 0;
  for (let i = x; i < hi; i++) {
    lnW += lnRatio(i);
    if (lnW < CUT) break;
    upper += Math.exp(lnW);
  }
  return Math.min(1, Math.exp(lnWx + Math.log(upper) - Math.log(total)));
}

/** Benjamini-Hochberg adjusted p-values (q-values), in the input order; monotone, capped at 1. */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => b[0] - a[0]);
  const q = new Array<number>(m);
  let running = 1;
  order.forEach(([p, i], idx) => {
    const rank = m - idx;
    running = Math.min(running, (p * m) / rank);
    q[i] = running;
  });
  return q;
}
