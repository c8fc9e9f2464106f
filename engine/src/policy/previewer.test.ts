import { afterEach, describe, expect, it } from 'vitest';
import { fixtureDb, loadPolicyFixture } from './test-support.ts';
import { PolicyPreviewer } from './previewer.ts';
import { savePolicy } from './policy.ts';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('PolicyPreviewer', () => {
  it('after a change to the data, answers at once with the previous load marked stale, then with the new one', async () => {
    const t = await fixtureDb();
    cleanup = t.cleanup;
    await loadPolicyFixture(t.db);
    const previewer = new PolicyPreviewer(t.db, { staleWaitMs: 0 });
    const first = await previewer.preview({});
    expect(first.load.stale).toBe(false);
    // a saved policy is a recorded write: the data version moves on, and the load is read again
    await savePolicy(t.db, { tierRatiosBp: { D: 4000 } }, { author: '张分析', reason: '提高 D 级比例' });
    const meanwhile = await previewer.preview({});
    expect(meanwhile.load).toEqual({ readAt: first.load.readAt, stale: true });
    expect(meanwhile.tiers.map((x) => x.eligible)).toEqual(first.tiers.map((x) => x.eligible));
    // the ratios are the new policy's even while the load is the previous one's: they only scale it
    expect(meanwhile.settings.tierRatiosBp.D).toBe(4000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    let fresh = await previewer.preview({});
    for (let i = 0; fresh.load.stale && i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      fresh = await previewer.preview({});
    }
    expect(fresh.load.stale).toBe(false);
    expect(fresh.load.readAt > first.load.readAt).toBe(true);
  });
});
