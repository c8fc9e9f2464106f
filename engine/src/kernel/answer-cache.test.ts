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

  it('with staleWaitMs, answers an older data version marked stale while the new answer is computed', async () => {
    const cache = new AnswerCache<string>(4, { staleWaitMs: 20 });
    expect(await cache.get('v1', 'load', async () => 'old')).toMatchObject({ answer: 'old', stale: false });
    let finish!: (value: string) => void;
    const slow = new Promise<string>((resolve) => (finish = resolve));
    const started = Date.now();
    expect(await cache.get('v2', 'load', () => slow)).toMatchObject({ answer: 'old', stale: true });
    expect(Date.now() - started).toBeLessThan(1000);
    // a second request for the new version shares the run under way, and still gets the older answer meanwhile
    expect(await cache.get('v2', 'load', () => Promise.reject(new Error('not run twice')))).toMatchObject({ answer: 'old', stale: true });
    let settled = false;
    const closing = cache.settled().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false); // the new answer is still being computed
    finish('new');
    await closing;
    await slow;
    expect(await cache.get('v2', 'load', async () => 'again')).toMatchObject({ answer: 'new', stale: false, hit: true });
  });

  it('with staleWaitMs, a new answer that comes in time is given fresh; a question never answered waits for its own', async () => {
    const cache = new AnswerCache<string>(4, { staleWaitMs: 1000 });
    await cache.get('v1', 'load', async () => 'old');
    expect(await cache.get('v2', 'load', async () => 'quick')).toMatchObject({ answer: 'quick', stale: false });
    expect(await cache.get('v2', 'other', async () => new Promise<string>((resolve) => setTimeout(() => resolve('slow'), 1100)))).toMatchObject({ answer: 'slow', stale: false });
  });

  it('without staleWaitMs, never answers stale; a failed computation is not kept', async () => {
    const cache = new AnswerCache<string>(4);
    await cache.get('v1', 'load', async () => 'old');
    await expect(cache.get('v2', 'load', () => Promise.reject(new Error('failed')))).rejects.toThrow('failed');
    expect(await cache.get('v2', 'load', async () => 'retried')).toMatchObject({ answer: 'retried', stale: false, hit: false });
  });
});
