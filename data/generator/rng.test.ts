import { describe, expect, it } from 'vitest';
import { FeistelPermutation, Rng, cumulative, seedWords } from './rng.ts';

describe('Rng', () => {
  it('repeats a stream for the same (seed, index, stream) and differs otherwise', () => {
    const [a, b] = seedWords('42');
    const draw = (index: number, stream: number) => {
      const rng = new Rng(a, b).reseed(index, stream);
      return [rng.next(), rng.next(), rng.next()];
    };
    expect(draw(5, 1)).toEqual(draw(5, 1));
    expect(draw(5, 1)).not.toEqual(draw(6, 1));
    expect(draw(5, 1)).not.toEqual(draw(5, 2));
    expect(draw(2 ** 33 + 5, 1)).not.toEqual(draw(5, 1));
    expect(seedWords('42')).not.toEqual(seedWords('43'));
  });

  it('draws uniform, normal, Poisson and weighted values with the right moments', () => {
    const rng = new Rng(...seedWords('moments')).reseed(0, 0);
    const n = 100_000;
    let sumU = 0;
    let sumN = 0;
    let sumN2 = 0;
    let sumP = 0;
    const counts = [0, 0, 0];
    const table = cumulative([1, 2, 7]);
    for (let i = 0; i < n; i++) {
      sumU += rng.float();
      const z = rng.normal();
      sumN += z;
      sumN2 += z * z;
      sumP += rng.poisson(0.3);
      counts[rng.weighted(table)]++;
    }
    expect(sumU / n).toBeCloseTo(0.5, 2);
    expect(sumN / n).toBeCloseTo(0, 1);
    expect(sumN2 / n).toBeCloseTo(1, 1);
    expect(sumP / n).toBeCloseTo(0.3, 1);
    expect(counts[0] / n).toBeCloseTo(0.1, 1);
    expect(counts[2] / n).toBeCloseTo(0.7, 1);
  });
});

describe('FeistelPermutation', () => {
  it('is a bijection on its domain, and with cycle walking on any smaller range', () => {
    const perm = new FeistelPermutation(12, 99);
    const seen = new Set<number>();
    for (let x = 0; x < 4096; x++) seen.add(perm.permute(x));
    expect(seen.size).toBe(4096);
    expect(Math.max(...seen)).toBe(4095);
    const below = new Set<number>();
    for (let x = 0; x < 3000; x++) below.add(perm.permuteBelow(x, 3000));
    expect(below.size).toBe(3000);
    expect(Math.max(...below)).toBe(2999);
  });

  it('scrambles consecutive indices', () => {
    const perm = new FeistelPermutation(38, 7);
    const out = [0, 1, 2, 3].map((x) => perm.permute(x));
    expect(new Set(out).size).toBe(4);
    for (const v of out) expect(v).toBeLessThan(2 ** 38);
    expect(Math.abs(out[1] - out[0])).toBeGreaterThan(1000);
  });
});
