import { describe, expect, it } from 'vitest';
import { liftCurveOf } from './model-views.ts';

describe('model views', () => {
  it('gives a model without a stored curve the points its lift figures give, with the ends', () => {
    expect(liftCurveOf({ liftAt: { '0.05': 3, '0.1': 2.5, '0.2': 2 } })).toEqual({
      source: 'liftAt',
      points: [
        { share: 0, found: 0 },
        { share: 0.05, found: 0.15000000000000002 },
        { share: 0.1, found: 0.25 },
        { share: 0.2, found: 0.4 },
        { share: 1, found: 1 },
      ],
    });
    expect(liftCurveOf({ backtest: { liftCurve: [{ share: 0.5, found: 0.8 }] } })).toEqual({ source: 'curve', points: [{ share: 0.5, found: 0.8 }] });
    expect(liftCurveOf({})).toEqual({ source: 'none', points: [] });
  });
});
