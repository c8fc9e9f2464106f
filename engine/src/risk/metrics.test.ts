import { describe, it, expect } from 'vitest';
import { liftAt, liftCurve, mulberry32, pairedAucBootstrap, rocAuc, type PairedRow } from './metrics.ts';

describe('ranking metrics on grouped scores', () => {
  it('gives AUC 1 for a perfect ranking, 0 for a reversed one and 0.5 for one tie group', () => {
    expect(rocAuc([{ score: 0.1, positives: 0, negatives: 5 }, { score: 0.9, positives: 3, negatives: 0 }])).toBe(1);
    expect(rocAuc([{ score: 0.1, positives: 3, negatives: 0 }, { score: 0.9, positives: 0, negatives: 5 }])).toBe(0);
    expect(rocAuc([{ score: 0.5, positives: 3, negatives: 5 }])).toBe(0.5);
    expect(rocAuc([{ score: 0.5, positives: 3, negatives: 0 }])).toBeNull();
  });

  it('counts pairs like Mann-Whitney on a small hand example', () => {
    // scores: pos 0.8, 0.4; neg 0.6, 0.4, 0.2 -> pairs won: 0.8 beats 3; 0.4 beats 0.2, ties 0.4 -> (3 + 1 + 0.5) / 6
    const auc = rocAuc([
      { score: 0.8, positives: 1, negatives: 0 },
      { score: 0.6, positives: 0, negatives: 1 },
      { score: 0.4, positives: 1, negatives: 1 },
      { score: 0.2, positives: 0, negatives: 1 },
    ]);
    expect(auc).toBeCloseTo(4.5 / 6, 12);
  });

  it('counts a score that comes in several groups as one tie group, whatever their order', () => {
    const rows = [
      { score: 0.5, positives: 1, negatives: 0 },
      { score: 0.5, positives: 0, negatives: 1 },
      { score: 0.9, positives: 1, negatives: 0 },
      { score: 0.1, positives: 0, negatives: 1 },
    ];
    // pairs: 0.9 beats both negatives (2), the 0.5 positive beats 0.1 and ties 0.5 (1.5) -> 3.5 / 4
    expect(rocAuc(rows)).toBeCloseTo(3.5 / 4, 12);
    expect(rocAuc([...rows].reverse())).toBeCloseTo(3.5 / 4, 12);
    // the top half: the 0.9 row, then half of the 0.5 tie group (pro rata: half a positive)
    expect(liftAt(rows, 0.5)).toBeCloseTo(liftAt([...rows].reverse(), 0.5)!, 12);
    expect(liftAt(rows, 0.5)).toBeCloseTo((1 + 0.5) / 2 / 0.5, 12);
  });

  it('computes lift over random, splitting a boundary tie group pro rata', () => {
    const groups = [
      { score: 0.9, positives: 8, negatives: 2 }, // top 10%: hit rate 0.8
      { score: 0.5, positives: 12, negatives: 78 },
    ];
    expect(liftAt(groups, 0.1)).toBeCloseTo(0.8 / 0.2, 12);
    // top 20%: all of the first group and 10 of the 90 in the second (12/90 hit rate)
    expect(liftAt(groups, 0.2)).toBeCloseTo((8 + (12 * 10) / 90) / 20 / 0.2, 12);
    expect(liftAt([{ score: 0.5, positives: 20, negatives: 80 }], 0.05)).toBeCloseTo(1, 12);
  });

  it('traces the lift curve: share of positives found at each share inspected, consistent with liftAt', () => {
    const groups = [
      { score: 0.9, positives: 8, negatives: 2 },
      { score: 0.5, positives: 12, negatives: 78 },
    ];
    const curve = liftCurve(groups, [0, 0.1, 0.2, 1]);
    expect(curve.map((p) => p.share)).toEqual([0, 0.1, 0.2, 1]);
    expect(curve[0].found).toBe(0);
    expect(curve[1].found).toBeCloseTo(8 / 20, 12);
    expect(curve[2].found).toBeCloseTo((liftAt(groups, 0.2)! * 0.2 * 20) / 20, 12);
    expect(curve[3].found).toBeCloseTo(1, 12);
    expect(liftCurve([{ score: 0.5, positives: 0, negatives: 10 }], [0.5])).toEqual([]);
  });
});

describe('paired bootstrap of an AUC difference', () => {
  // 2,000 rows: a hidden risk decides the outcome; `sharp` sees the risk with a little noise, `blurred` with much more
  const word = mulberry32(42);
  const random = () => word() / 2 ** 32;
  const rows: PairedRow[] = Array.from({ length: 2000 }, () => {
    const risk = random();
    return { first: risk + 0.1 * random(), second: risk + 0.6 * random(), weight: 1 + Math.floor(random() * 3), positive: random() < risk };
  });
  const aucOf = (score: (r: PairedRow) => number) =>
    rocAuc(rows.map((r) => ({ score: score(r), positives: r.positive ? r.weight : 0, negatives: r.positive ? 0 : r.weight })))!;

  it('puts the interval above 0 when one score is strictly better, the difference being the full-sample one', () => {
    const gain = pairedAucBootstrap(rows, { replicates: 300, seed: 7 })!;
    expect(gain.difference).toBeCloseTo(aucOf((r) => r.first) - aucOf((r) => r.second), 12);
    expect(gain.difference).toBeGreaterThan(0.02);
    expect(gain.low).toBeGreaterThan(0);
    expect(gain.low).toBeLessThan(gain.difference);
    expect(gain.high).toBeGreaterThan(gain.difference);
    expect(gain.se).toBeGreaterThan(0);
    expect(gain).toMatchObject({ replicates: 300, rows: 2000 });
  });

  it('gives difference 0 and interval [0, 0] for the same score twice', () => {
    const same = pairedAucBootstrap(rows.map((r) => ({ ...r, second: r.first })), { replicates: 200 });
    expect(same).toEqual({ difference: 0, low: 0, high: 0, se: 0, replicates: 200, rows: 2000 });
  });

  it('gives the same interval for the same seed, another for another seed', () => {
    const run = (seed: number) => pairedAucBootstrap(rows, { replicates: 200, seed });
    expect(run(3)).toEqual(run(3));
    expect(run(4)!.low).not.toBe(run(3)!.low);
    expect(run(4)!.difference).toBe(run(3)!.difference);
  });

  it('is null without both outcomes', () => {
    expect(pairedAucBootstrap(rows.map((r) => ({ ...r, positive: true })))).toBeNull();
  });

  it("is much narrower than each AUC's own error when the two scores are close (the pairing cancels shared noise)", () => {
    // second = first plus a tiny jitter: the AUCs move together from replicate to replicate
    const close = rows.map((r) => ({ ...r, second: r.first + 0.005 * random() }));
    const gain = pairedAucBootstrap(close, { replicates: 300, seed: 1 })!;
    const alone = pairedAucBootstrap(close.map((r) => ({ ...r, second: 0 })), { replicates: 300, seed: 1 })!; // AUC(first) − 0.5
    expect(gain.se).toBeLessThan(alone.se / 5);
  });
});
