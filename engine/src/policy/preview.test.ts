import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { fixtureDb, loadPolicyFixture } from './test-support.ts';
import { previewPolicy, type PreviewLoad } from './preview.ts';
import { savePolicy } from './policy.ts';

// Every expected figure below is worked out by hand in data/fixtures/policy/README.md.
const AS_OF = '2025-06-30';
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function fixture(options: { withModels?: boolean } = {}) {
  const t = await fixtureDb();
  cleanup = t.cleanup;
  await loadPolicyFixture(t.db, options);
  return t.db;
}

describe('previewPolicy on the hand-computed fixture', () => {
  // one database for the tests that only read it
  let shared: Db;
  let dropShared: () => void;
  beforeAll(async () => {
    const t = await fixtureDb();
    await loadPolicyFixture(t.db);
    shared = t.db;
    dropShared = t.cleanup;
  });
  afterAll(() => dropShared());

  it('gives eligible N, k, expected findings, inspector-days and capacity per tier', async () => {
    const db = shared;
    const p = await previewPolicy(db, { tierRatiosBp: { A: 300, B: 500, C: 1000, D: 3000 } }, { asOf: AS_OF });
    const pick = p.tiers.map((t) => [t.tier, t.activeEntities, t.inBurdenWindow, t.atCap, t.nearCap, t.eligible, t.k, t.notInspected3y]);
    expect(pick).toEqual([
      ['A', 20, 2, 0, 0, 18, 1, 16],
      ['B', 10, 2, 0, 0, 8, 1, 8],
      ['C', 25, 2, 0, 1, 23, 3, 23],
      ['D', 6, 3, 1, 0, 5, 2, 3],
    ]);
    expect(p.hitRateSource).toEqual({ kind: 'backtest', modelVersion: 2 });
    expect(p.tiers.map((t) => t.expectedFindingsPerYear)).toEqual([0.05, 0.1, expect.closeTo(0.6, 12), 0.8]);
    expect(p.totals).toMatchObject({
      activeEntities: 62,
      eligible: 54,
      kPerRound: 7,
      kPerYear: 7,
      inspectorDaysNeeded: 7,
      certifiedOfficers: 3,
      capacityDays: 72,
      atCap: 1,
      nearCap: 1,
      notInspected3y: 51,
    });
    expect(p.totals.expectedFindingsPerYear).toBeCloseTo(1.55, 12);
    expect(p.totals.capacityUse).toBeCloseTo(7 / 72, 12);
    expect(p.unscoredActiveEntities).toBe(1);
    expect(p.nearCapEntities.map((e) => [e.objectId, e.inspectionsThisYear, e.lastDrawnOn])).toEqual([
      ['D01', 3, '2025-04-01'],
      ['C02', 2, '2025-04-04'],
    ]);
    expect(p.warnings).toContainEqual(expect.objectContaining({ code: 'yearly_cap', params: { atCap: 1, cap: 3, nearCap: 1, margin: 1 } }));
  });

  it('applies the candidate burden window, cap and frequency', async () => {
    const db = shared;
    // No burden window: A 20 -> k ceil(0.6)=1; B 10 -> 1; C 25 -> 3; D 5 -> 2. Cap 4: D01 (3) no longer at the cap, so D 6 -> 2.
    const p = await previewPolicy(db, { burdenWindowDays: 0, yearlyCap: 4, frequencyPerYear: 2 }, { asOf: AS_OF });
    expect(p.tiers.map((t) => [t.eligible, t.k, t.kPerYear, t.atCap, t.nearCap])).toEqual([
      [20, 1, 2, 0, 0],
      [10, 1, 2, 0, 0],
      [25, 3, 6, 0, 0],
      [6, 2, 4, 0, 1],
    ]);
    expect(p.totals.inspectorDaysNeeded).toBe(14);
  });

  it('falls back to the observed finding rate per tier when no backtest ran, and says so', async () => {
    const db = await fixture({ withModels: false });
    const p = await previewPolicy(db, {}, { asOf: AS_OF });
    expect(p.hitRateSource).toMatchObject({ kind: 'observed', visits: 13 });
    expect(p.tiers.map((t) => t.hitRate)).toEqual([0.4, null, expect.closeTo(1 / 3, 12), 0.4]);
    expect(p.tiers.map((t) => t.expectedFindingsPerYear)).toEqual([0.4, null, expect.closeTo(1, 12), 0.8]);
    expect(p.totals.expectedFindingsPerYear).toBeNull();
    expect(p.warnings.find((w) => w.code.startsWith('observed_hit_rates'))?.message).toMatch(/observed finding rate/);
  });

  it('previews the saved policy by default and builds on its version', async () => {
    const db = await fixture();
    await savePolicy(db, { tierRatiosBp: { C: 2000 } }, { author: 'a', reason: 'r' });
    const p = await previewPolicy(db, {}, { asOf: AS_OF });
    expect(p.basedOnVersion).toBe(1);
    expect(p.tiers[2]).toMatchObject({ ratioBp: 2000, eligible: 23, k: 5 });
  });

  it('reads the load once for ratios that differ, again when the burden window does; the answers equal fresh ones', async () => {
    const loads = new Map<string, PreviewLoad>();
    let reads = 0;
    const load = async (key: string, read: () => Promise<PreviewLoad>) => {
      if (!loads.has(key)) {
        reads++;
        loads.set(key, await read());
      }
      return loads.get(key)!;
    };
    const figures = ({ elapsedMs: _elapsed, load: _load, ...rest }: Awaited<ReturnType<typeof previewPolicy>>) => rest;
    for (const change of [{ tierRatiosBp: { A: 300 } }, { tierRatiosBp: { A: 900, D: 5000 } }, { frequencyPerYear: 3 }]) {
      expect(figures(await previewPolicy(shared, change, { asOf: AS_OF, load }))).toEqual(figures(await previewPolicy(shared, change, { asOf: AS_OF })));
    }
    expect(reads).toBe(1);
    const wider = await previewPolicy(shared, { burdenWindowDays: 0 }, { asOf: AS_OF, load });
    expect(reads).toBe(2);
    expect(wider.tiers.map((t) => t.inBurdenWindow)).toEqual([0, 0, 0, 0]);
  });

  it('uses the data reference date when none is given', async () => {
    const db = shared;
    const p = await previewPolicy(db);
    expect(p.asOf).toBe('2025-07-02'); // R16, the latest inspection in the fixture
  });
});
