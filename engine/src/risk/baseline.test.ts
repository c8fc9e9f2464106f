import { describe, expect, it } from 'vitest';
import { fitLogisticBaseline } from './baseline.ts';

describe('the logistic regression baseline on the same features', () => {
  it('recovers a linear effect of a count (on the log scale) and of a category, with weights', () => {
    const rows: Array<Record<string, unknown> & { found: boolean; weight: number }> = [];
    // log-odds -2 + 1 x log1p(count) + 0.8 for type B, laid out as exact expected counts (weights carry them)
    for (const count of [0, 1, 3, 7]) {
      for (const type of ['A', 'B']) {
        const z = -2 + Math.log1p(count) + (type === 'B' ? 0.8 : 0);
        const p = 1 / (1 + Math.exp(-z));
        rows.push({ complaint_months: count, entity_type: type, found: true, weight: 1000 * p });
        rows.push({ complaint_months: count, entity_type: type, found: false, weight: 1000 * (1 - p) });
      }
    }
    const model = fitLogisticBaseline(
      [
        { kind: 'numeric', column: 'complaint_months', hasNullBin: false, zeroBin: false, edges: [], format: 'count' },
        { kind: 'category', column: 'entity_type', categories: ['A', 'B'] },
      ],
      rows,
      1e-9,
    );
    expect(model.columns).toBe(2);
    const at = (count: number, type: string) => model.predict({ complaint_months: count, entity_type: type });
    expect(at(3, 'A')).toBeCloseTo(-2 + Math.log1p(3), 4);
    expect(at(3, 'B') - at(3, 'A')).toBeCloseTo(0.8, 4);
  });

  it("takes an interaction cell's parts as main effects only", () => {
    const rows = ['retail|<1', 'retail|10+', 'factory|<1', 'factory|10+'].flatMap((cell, i) => [
      { age_industry: cell, found: true, weight: [40, 10, 10, 40][i] },
      { age_industry: cell, found: false, weight: 50 },
    ]);
    const model = fitLogisticBaseline([{ kind: 'category', column: 'age_industry', categories: ['retail|<1', 'retail|10+', 'factory|<1', 'factory|10+'] }], rows, 1e-9);
    // two parts of two levels each: one indicator per part; no term for their combination, so the crossed risks cancel
    expect(model.columns).toBe(2);
    expect(model.predict({ age_industry: 'retail|<1' })).toBeCloseTo(model.predict({ age_industry: 'factory|10+' }), 6);
  });
});
