import { describe, it, expect } from 'vitest';
import type { Backtest } from '$engine/api/types';
import { baselineRows, changeText, gainText, hitRateSpec, intervalText, liftCurveSpec, ratiosKey, ratiosValid, sliderMaxBp } from './ratios';

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
  it('are whole basis points from the policy floor to 10000', () => {
    expect(ratiosValid({ A: 100, B: 500, C: 1000, D: 10000 }, 100)).toBe(true);
    expect(ratiosValid({ A: 99, B: 500, C: 1000, D: 3000 }, 100)).toBe(false);
    expect(ratiosValid({ A: 0, B: 500, C: 1000, D: 3000 }, 1)).toBe(false);
    expect(ratiosValid({ A: 300, B: 500.5, C: 1000, D: 3000 }, 100)).toBe(false);
    expect(ratiosValid({ A: 300, B: 500, C: 1000, D: 10001 }, 100)).toBe(false);
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

  it('leave out tiers without a hit rate, and mark rates from fewer than 10 inspections', () => {
    const labels = { tier: 'tier', hitRate: 'hit rate', inspected: 'inspected', found: 'found', enough: 'enough', few: 'few' };
    const spec = hitRateSpec(backtest, labels) as { data: { values: Array<{ tier: string; basis: string; text: string }> } };
    expect(spec.data.values.map((r) => r.tier)).toEqual(['A']);
    const few = hitRateSpec({ ...backtest, tiers: [{ tier: 'A', population: 50, inspected: 4, found: 1, hitRate: 0.25 }, { tier: 'B', population: 500, inspected: 40, found: 4, hitRate: 0.1 }] } as Backtest, labels) as typeof spec;
    expect(few.data.values.map((r) => [r.tier, r.basis, r.text])).toEqual([
      ['A', 'few', '25.0% n=4'],
      ['B', 'enough', '10.0% n=40'],
    ]);
  });
});

describe('backtest against its baselines', () => {
  const labels = { model: 'model', logistic: 'logistic', best: 'best' };

  it('set the model beside the logistic regression and the best single feature, lift at 5/10/20%', () => {
    const b: Backtest = {
      ...backtest,
      liftAt: { '0.05': 3.1, '0.1': 2.6, '0.2': 2.0 },
      baselines: {
        logistic: { auc: 0.73, liftAt: { '0.05': 3.0, '0.1': 2.5, '0.2': 1.9 } },
        bestFeature: { column: 'credit_class', label: { zh: '信用分类', en: 'credit class' }, auc: 0.64, liftAt: { '0.05': 2.0, '0.1': 1.8, '0.2': null } },
      },
    };
    const rows = baselineRows(b, labels);
    expect(rows.map((r) => r.auc)).toEqual([0.74, 0.73, 0.64]);
    expect(rows[0]).toEqual({ method: 'model', auc: 0.74, lift5: 3.1, lift10: 2.6, lift20: 2.0 });
    expect(rows[2].method).toMatch(/^best: (信用分类|credit class)$/);
    expect(rows[2].lift20).toBeNull();
  });

  it("write the model's AUC gain over the regression with its interval, and what the interval tells, in both languages", () => {
    const gain = { difference: 0.0035, low: 0.0012, high: 0.0058, se: 0.0012, replicates: 1000, rows: 20311 };
    expect(gainText(gain, 'en')).toBe(
      'Model − logistic regression, AUC: +0.0035 (95% interval +0.0012 to +0.0058; paired bootstrap, 1,000 replicates on 20,311 tested entities). The interval lies above 0: the model ranks better than the regression.',
    );
    expect(gainText(gain, 'zh')).toBe('模型减逻辑回归的 AUC：+0.0035（95% 区间 +0.0012 至 +0.0058；配对自助法，1,000 次重抽样，20,311 个检验主体）。区间在 0 以上：模型排序优于逻辑回归。');
    expect(gainText({ ...gain, difference: 0.0018, low: -0.0055 }, 'en')).toMatch(/AUC: \+0\.0018 \(95% interval −0\.0055 to \+0\.0058;.* cannot tell the model and the regression apart\.$/);
    expect(gainText({ ...gain, difference: -0.004, low: -0.006, high: -0.001 }, 'zh')).toMatch(/逻辑回归排序优于模型。$/);
  });

  it('show nothing for a version fitted before the baselines were kept', () => {
    expect(baselineRows(backtest, labels)).toEqual([]);
  });

  it('write an interval in percent, or a dash where a bound is missing', () => {
    expect(intervalText(0.074, 0.1)).toBe('[7.4%, 10.0%]');
    expect(intervalText(null, 0.1)).toBe('—');
    expect(intervalText(undefined, undefined)).toBe('—');
  });
});
