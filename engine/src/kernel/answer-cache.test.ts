import { describe, it, expect } from 'vitest';
import { AnswerCache } from './answer-cache.ts';

describe('AnswerCache', () => {
  it('keeps one run per key, drops reports of older data versions', async () => {
    const cache = new AnswerCache<{ alerts: never[] }>(2);
    let runs = 0;
    const compute = async () => {
      runs++;
      return { alerts: [] };
    };
    await Promise.all([cache.get('v1', 'a', compute), cache.get('v1', 'a', compute)]);
    expect(runs).toBe(1);
    await cache.get('v1', 'b', compute);
    await cache.get('v1', 'c', compute);
    expect(cache.size).toBe(2);
    await cache.get('v2', 'a', compute);
    expect(cache.size).toBe(1);
    expect((await cache.get('v2', 'a', compute)).hit).toBe(true);
    expect(runs).toBe(4);
  });
});
