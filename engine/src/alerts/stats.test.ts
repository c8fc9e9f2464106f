import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, binomialUpperTail, hypergeometricUpperTail, lnGamma, noncentralHypergeometricUpperTail, regularizedBeta } from './stats.ts';

function binomialTailBySum(k: number, n: number, p: number): number {
  let sum = 0;
  let pmf = (1 - p) ** n;
  for (let i = 0; i <= n; i++) {
    if (i >= k) sum += pmf;
    pmf *= ((n - i) / (i + 1)) * (p / (1 - p));
  }
  return sum;
}

function choose(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

describe('lnGamma', () => {
  it('matches factorials', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 13);
    expect(lnGamma(11)).toBeCloseTo(Math.log(3628800), 11);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
  });
});

describe('binomialUpperTail', () => {
  it('equals the direct sum', () => {
    for (const [k, n, p] of [[3, 10, 0.2], [12, 40, 0.13], [1, 5, 0.5], [30, 60, 0.4], [0, 7, 0.3], [8, 8, 0.9]]) {
      expect(binomialUpperTail(k, n, p)).toBeCloseTo(binomialTailBySum(k, n, p), 12);
    }
  });
  it('stays accurate in the far tail', () => {
    // P(X >= 60 | n = 200, p = 0.1): direct sum in relative terms
    const direct = binomialTailBySum(60, 200, 0.1);
    expect(binomialUpperTail(60, 200, 0.1) / direct).toBeCloseTo(1, 9);
    expect(regularizedBeta(0.3, 2, 3)).toBeCloseTo(0.3483, 4);
  });
});

describe('hypergeometricUpperTail (one-sided Fisher)', () => {
  it('equals enumeration', () => {
    const [total, marked, drawn] = [30, 12, 10];
    for (let x = 0; x <= 10; x++) {
      let sum = 0;
      for (let i = x; i <= Math.min(marked, drawn); i++) sum += (choose(marked, i) * choose(total - marked, drawn - i)) / choose(total, drawn);
      expect(hypergeometricUpperTail(x, total, marked, drawn)).toBeCloseTo(sum, 12);
    }
  });
  it('matches the lady tasting tea (Fisher 1935): 3 of 4 right, p = 17/70', () => {
    expect(hypergeometricUpperTail(3, 8, 4, 4)).toBeCloseTo(17 / 70, 14);
  });
});

describe('noncentralHypergeometricUpperTail', () => {
  it('is the central one at odds ratio 1', () => {
    for (let x = 0; x <= 10; x++) expect(noncentralHypergeometricUpperTail(x, 10, 20, 12, 1)).toBeCloseTo(hypergeometricUpperTail(x, 30, 12, 10), 12);
  });
  it('equals direct enumeration with odds ratio 1.7', () => {
    const [n1, n0, m, psi] = [7, 9, 6, 1.7];
    const w: number[] = [];
    for (let i = 0; i <= 6; i++) w.push(choose(n1, i) * choose(n0, m - i) * psi ** i);
    const total = w.reduce((a, b) => a + b, 0);
    for (let x = 0; x <= 7; x++) expect(noncentralHypergeometricUpperTail(x, n1, n0, m, psi)).toBeCloseTo(w.slice(x).reduce((a, b) => a + b, 0) / total, 12);
  });
  it('handles thousands of visits without overflow, accurate in the far tail', () => {
    // central case against the log-factorial sum
    const central = noncentralHypergeometricUpperTail(700, 2000, 12000, 3500, 1);
    expect(central / hypergeometricUpperTail(700, 14000, 3500, 2000)).toBeCloseTo(1, 9);
    expect(central).toBeGreaterThan(0);
    expect(central).toBeLessThan(1e-20);
    const p = noncentralHypergeometricUpperTail(700, 2000, 12000, 3500, 1.1);
    expect(p).toBeGreaterThan(central);
    expect(p).toBeLessThan(1e-10);
    expect(noncentralHypergeometricUpperTail(400, 2000, 12000, 3500, 1.1)).toBeGreaterThan(0.99);
  });
});

describe('benjaminiHochberg', () => {
  it('matches R p.adjust(method = "BH")', () => {
    const p = [0.01, 0.02, 0.03, 0.04, 0.05, 0.5];
    // R: p.adjust(c(.01,.02,.03,.04,.05,.5), "BH") = 0.06 0.06 0.06 0.06 0.06 0.50
    expect(benjaminiHochberg(p).map((q) => Number(q.toFixed(10)))).toEqual([0.06, 0.06, 0.06, 0.06, 0.06, 0.5]);
    // R: p.adjust(c(0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205), "BH")
    const q2 = benjaminiHochberg([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205]);
    expect(q2.map((q) => Number(q.toFixed(4)))).toEqual([0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.08, 0.0846, 0.205]);
  });
});
