import { describe, it, expect } from 'vitest';
import { fitLogistic, solveSpd } from './logistic.ts';

describe('logistic regression by IRLS on aggregated rows', () => {
  it('solves a symmetric positive definite system', () => {
    const x = solveSpd([[4, 2], [2, 3]], [2, 1]);
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(0, 12);
  });

  it('recovers the log odds ratio of a binary covariate exactly', () => {
    // x = 0: 20 of 100 events; x = 1: 50 of 100
    const fit = fitLogistic([
      { x: [0], trials: 100, events: 20 },
      { x: [1], trials: 100, events: 50 },
    ]);
    expect(fit.intercept).toBeCloseTo(Math.log(20 / 80), 9);
    expect(fit.coefficients[0]).toBeCloseTo(Math.log(50 / 50) - Math.log(20 / 80), 9);
  });

  it('shrinks coefficients under an L2 penalty but never the intercept alone', () => {
    const rows = [
      { x: [0], trials: 100, events: 20 },
      { x: [1], trials: 100, events: 50 },
    ];
    const free = fitLogistic(rows).coefficients[0];
    const shrunk = fitLogistic(rows, { l2: 50 }).coefficients[0];
    expect(shrunk).toBeGreaterThan(0);
    expect(shrunk).toBeLessThan(free);
  });

  it('keeps fixed coefficients at zero', () => {
    const fit = fitLogistic(
      [
        { x: [0, 1], trials: 50, events: 10 },
        { x: [1, 0], trials: 50, events: 30 },
        { x: [1, 1], trials: 50, events: 25 },
      ],
      { fixedZero: [false, true] },
    );
    expect(fit.coefficients[1]).toBe(0);
  });

  it('refuses data with one outcome only', () => {
    expect(() => fitLogistic([{ x: [1], trials: 10, events: 0 }])).toThrow(/both outcomes/);
  });
});
