import { describe, it, expect } from 'vitest';
import type { Backtest } from '$engine/api/types';
import { changeText, hitRateSpec, liftCurveSpec, ratiosKey, ratiosValid, sliderMaxBp } from './ratios';

const backtest: Backtest = {
  version: 3,
  testYear: 2025,
  source: 'curve',
  liftCurve: [
    { share: 0.1, found: 0.32 },
    { share: 0.5, found: 0.8 },
  ],
  auc: 0.74,
  daysEarlier: 21.5,
  tiers: [
    { tier: 'A', population: 1000, inspected: 50, found: 2, hitRate: 0.04 },
    { tier: 'D', population: 100, inspected: 0, found: 0, hitRate: null },
  ],
};

describe('tier ratios', () => {
  it('are whole basis points from 0 to 10000', () => {
    expect(ratiosValid({ A: 0, B: 500, C: 1000, D: 10000 })).toBe(true);
    expect(ratiosValid({ A: -1, B: 500, C: 1000, D: 3000 })).toBe(false);
    expect(ratiosValid({ A: 300, B: 500.5, C: 1000, D: 3000 })).toBe(false);
    expect(ratiosValid({ A: 300, B: 500, C: 1000, D: 10001 })).toBe(false);
  });

  it('key one preview request in tier order', () => {
    expect(ratiosKey({ D: 3000, C: 1000, B: 500, A: 300 })).toBe('A=300,B=500,C=1000,D=3000');
  });

  it('describe a version change in percent for a tier, as stored for other settings', () => {
    expect(changeText({ field: 'tierRatiosBp.D', before: 3000, after: 3500 })).toBe('D: 30% → 35%');
    expect(changeText({ field: 'yearlyCap', before: null, after: 3 })).toBe('yearlyCap: — → 3');
  });
});

describe('the sliders', () => {
  it('span a range that suits each tier, widened to a ratio above it', () => {
    expect([sliderMaxBp([100, 500], 300), sliderMaxBp([200, 2000], 500), sliderMaxBp([1000, 6000], 1000), sliderMaxBp([3000, 10000], 3000)]).toEqual([750, 3000, 9000, 10000]);
    expect(sliderMaxBp([100, 500], 2000)).toBe(2000);
  });
});

describe('backtest charts', () => {
  it('draw the lift curve against the random diagonal', () => {
    const spec = liftCurveSpec(backtest, { inspected: 'inspected', found: 'found', model: 'by risk', random: 'random' }) as { data: { values: unknown[] } };
    expect(spec.data.values).toEqual([
      { share: 0.1, found: 0.32, line: 'by risk' },
      { share: 0.5, found: 0.8, line: 'by risk' },
      { share: 0, found: 0, line: 'random' },
      { share: 1, found: 1, line: 'random' },
    ]);
  });

  it('leave out tiers without a hit rate', () => {
    const spec = hitRateSpec(backtest, { tier: 'tier', hitRate: 'hit rate', inspected: 'inspected', found: 'found' }) as { data: { values: Array<{ tier: string }> } };
    expect(spec.data.values.map((r) => r.tier)).toEqual(['A']);
  });
});
