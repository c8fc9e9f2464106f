import { describe, expect, it } from 'vitest';
import { percentileBias, percentileCurve, singleFeatureAuc, weightedRate } from './evaluate.ts';

describe('backtest figures on weighted counts', () => {
  it("gives Wilson's interval, with the weights' effective sample size standing in for n", () => {
    // 100 entities of weight 1, 30 with a finding: Wilson's 95% interval for 30 / 100
    const plain = weightedRate(100, 30, 100, 100);
    expect(plain.rate).toBeCloseTo(0.3, 12);
    expect(plain.low).toBeCloseTo(0.2189, 3);
    expect(plain.high).toBeCloseTo(0.3958, 3);
    expect(plain.effectiveN).toBeCloseTo(100, 12);
    // the same shares, with half the entities weighing 3: fewer effective entities, a wider interval
    const weighted = weightedRate(200, 60, 50 + 50 * 9, 100);
    expect(weighted.rate).toBeCloseTo(0.3, 12);
    expect(weighted.effectiveN).toBeCloseTo(80, 12);
    expect(weighted.high! - weighted.low!).toBeGreaterThan(plain.high! - plain.low!);
    expect(weightedRate(0, 0, 0, 0)).toMatchObject({ rate: null, low: null, high: null });
  });

  it('reads the rate the scores imply at a percentile from a curve made non-decreasing', () => {
    const curve = percentileCurve([
      { percentile: 0.1, weight: 100, found: 10 },
      { percentile: 0.5, weight: 100, found: 30 },
      { percentile: 0.6, weight: 100, found: 20 }, // below its left neighbour: pooled with it
      { percentile: 0.9, weight: 100, found: 50 },
    ]);
    expect(curve(0)).toBeCloseTo(0.1, 12);
    expect(curve(0.55)).toBeCloseTo(0.25, 12);
    expect(curve(0.1 + (0.55 - 0.1) / 2)).toBeCloseTo(0.175, 12);
    expect(curve(1)).toBeCloseTo(0.5, 12);
  });

  it("finds a segment's percentile bias: how far it would move for the implied rate to meet the observed", () => {
    const curve = (p: number) => p; // the rate is the percentile
    const segment = [{ percentile: 0.3, weight: 1, found: 0 }];
    // scored at the 30th percentile but found at 0.5: under-rated by 20 points
    expect(percentileBias(segment, curve, 0.5)).toBeCloseTo(-0.2, 6);
    expect(percentileBias(segment, curve, 0.25)).toBeCloseTo(0.05, 6);
    expect(percentileBias(segment, curve, 0.3)).toBeCloseTo(0, 6);
    // inspected by a lenient team (log-odds -0.5): the same observed rate is a smaller shortfall
    const lenient = [{ percentile: 0.3, weight: 1, found: 0, offset: -0.5 }];
    expect(percentileBias(lenient, curve, 0.3)).toBeLessThan(-0.05);
  });

  it('ranks by one feature alone from the bins of the tested entities', () => {
    // feature in the low 4 bits: bin 0 scores low (WoE -1), bin 1 high (WoE +1)
    const outcomes = [
      { binCode: '0', positives: 10, negatives: 90 },
      { binCode: '16', positives: 5, negatives: 45 }, // another feature's bin, same bin 0 of this one
      { binCode: '1', positives: 30, negatives: 70 },
    ];
    const auc = singleFeatureAuc(outcomes, (code) => Number(code) & 15, (bin) => (bin === 0 ? -1 : 1));
    // positives 15 low + 30 high; negatives 135 low + 70 high: P(pos > neg) + ties / 2
    expect(auc).toBeCloseTo((30 * 135 + 0.5 * (15 * 135 + 30 * 70)) / (45 * 205), 12);
  });
});
