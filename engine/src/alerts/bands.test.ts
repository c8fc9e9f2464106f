import { describe, expect, it } from 'vitest';
import { binomialQuantile, expectedBand, poissonQuantile } from './bands.ts';
import type { RegionalAlert } from './alerts.ts';

describe('alert bands', () => {
  it('computes Poisson and binomial quantiles exactly on small cases', () => {
    // Poisson(2): P(X<=0)=0.1353, P(X<=4)=0.9473, P(X<=5)=0.9834
    expect(poissonQuantile(0.025, 2)).toBe(0);
    expect(poissonQuantile(0.975, 2)).toBe(5);
    expect(poissonQuantile(0.5, 0)).toBe(0);
    // Binomial(10, 0.5): P(X<=1)=0.0107, P(X<=2)=0.0547, P(X<=7)=0.9453, P(X<=8)=0.9893
    expect(binomialQuantile(0.025, 10, 0.5)).toBe(2);
    expect(binomialQuantile(0.975, 10, 0.5)).toBe(8);
    expect(binomialQuantile(0.975, 0, 0.5)).toBe(0);
  });

  it('bands a finding alert by each week\'s visits at the baseline rate, and the window at the trend-moved rate', () => {
    const alert = {
      kind: 'findings',
      window: { from: '2026-10-25', to: '2026-10-31', weeks: 1 },
      expected: 2,
      windowVisits: 10,
      baselineRate: 0.1,
      series: [
        { weekStart: '2026-10-18', weekEnd: '2026-10-24', period: 'baseline', count: 1, visits: 20 },
        { weekStart: '2026-10-25', weekEnd: '2026-10-31', period: 'window', count: 7, visits: 10 },
      ],
    } as unknown as RegionalAlert;
    const [base, win] = expectedBand(alert, 1);
    expect(base.expected).toBeCloseTo(2, 12);
    expect(win.expected).toBeCloseTo(2, 12);
    expect([win.low, win.high]).toEqual([binomialQuantile(0.025, 10, 0.2), binomialQuantile(0.975, 10, 0.2)]);
  });
});
