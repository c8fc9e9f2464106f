import { afterEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../audit/chain.ts';
import { fixtureDb } from './test-support.ts';
import { currentPolicy, DEFAULT_POLICY, listPolicies, parseRatios, PolicyInputError, practiceWarnings, savePolicy, mergeSettings } from './policy.ts';
import { sql } from '../db/sql.ts';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('parseRatios', () => {
  it('reads TIER=BP pairs, any subset, case-insensitive', () => {
    expect(parseRatios('A=300,B=500,C=1000,D=3000')).toEqual({ A: 300, B: 500, C: 1000, D: 3000 });
    expect(parseRatios(' d = 4000 ')).toEqual({ D: 4000 });
  });
  it('names the field, value and rule when wrong', () => {
    expect(() => parseRatios('A=3%')).toThrow(/--ratios: "A=3%" — each entry is TIER=BASIS_POINTS/);
    expect(() => parseRatios('E=100')).toThrow(PolicyInputError);
    expect(() => parseRatios('A=1,A=2')).toThrow(/given twice/);
  });
});

describe('practiceWarnings', () => {
  it('is quiet inside the usual yearly ranges and warns outside them', () => {
    expect(practiceWarnings(DEFAULT_POLICY)).toEqual([]);
    const w = practiceWarnings(mergeSettings(DEFAULT_POLICY, { tierRatiosBp: { A: 50, D: 2000 } }));
    expect(w).toHaveLength(2);
    expect(w[0]).toMatchObject({ code: 'outside_practice', params: { tier: 'A', yearly: '0.50%', low: '1%', high: '5%' } });
    expect(w[0].message).toMatch(/^A 级年抽查比例 0.50% 超出实践常见范围 1%–5%/);
    expect(w[1].message).toMatch(/tier D yearly ratio 20% is outside the usual 30%–100%/);
  });
  it('checks the yearly share: ratio x frequency', () => {
    const w = practiceWarnings(mergeSettings(DEFAULT_POLICY, { frequencyPerYear: 2, burdenWindowDays: 90 }));
    expect(w.map((x) => [x.code, x.params.tier])).toEqual([['outside_practice', 'A']]); // A 3% x 2 = 6% > 5%; B 10%, C 20%, D 60% stay inside
  });
});

describe('policy versions', () => {
  it('returns the documented default as version 0 until a policy is saved', async () => {
    const t = await fixtureDb();
    cleanup = t.cleanup;
    const p = await currentPolicy(t.db);
    expect(p).toMatchObject({ version: 0, tierRatiosBp: { A: 300, B: 500, C: 1000, D: 3000 }, burdenWindowDays: 365, yearlyCap: 3 });
    expect(await listPolicies(t.db)).toEqual([]);
  });

  it('keeps every version with author, time and reason, and audits each change', async () => {
    const t = await fixtureDb();
    cleanup = t.cleanup;
    const first = await savePolicy(t.db, { tierRatiosBp: { A: 200 } }, { author: '张分析', reason: '首次设定' });
    expect(first.policy).toMatchObject({ version: 1, author: '张分析', reason: '首次设定', tierRatiosBp: { A: 200, B: 500, C: 1000, D: 3000 } });
    expect(first.changes).toEqual({ 'tierRatiosBp.A': [300, 200] });
    const second = await savePolicy(t.db, { tierRatiosBp: { D: 2500 }, yearlyCap: 2 }, { author: '李分析', reason: '减轻企业负担' });
    expect(second.previousVersion).toBe(1);
    expect(second.warnings).toHaveLength(1); // D 25% is below the usual 30%
    expect(second.changes).toEqual({ 'tierRatiosBp.D': [3000, 2500], yearlyCap: [3, 2] });

    const all = await listPolicies(t.db);
    expect(all.map((p) => [p.version, p.author, p.tierRatiosBp.A, p.tierRatiosBp.D, p.yearlyCap])).toEqual([
      [1, '张分析', 200, 3000, 3],
      [2, '李分析', 200, 2500, 2],
    ]);
    expect(all.every((p) => p.createdAt instanceof Date)).toBe(true);
    expect((await currentPolicy(t.db)).version).toBe(2);

    const audit = await t.db.query<{ actor: string; action: string; subject: string; reason: string }>(
      sql`SELECT actor, action, subject, payload->>'reason' AS reason FROM audit_log ORDER BY seq`,
    );
    expect(audit).toEqual([
      { actor: '张分析', action: 'policy.set', subject: 'sampling_policy:1', reason: '首次设定' },
      { actor: '李分析', action: 'policy.set', subject: 'sampling_policy:2', reason: '减轻企业负担' },
    ]);
    expect(await verifyAudit(t.db)).toEqual({ ok: true, entries: 2 });
  });

  it('refuses a change without a reason, a bad value, or no change at all, and saves nothing then', async () => {
    const t = await fixtureDb();
    cleanup = t.cleanup;
    await expect(savePolicy(t.db, {}, { author: 'a', reason: '  ' })).rejects.toThrow(/reason/);
    await expect(savePolicy(t.db, { tierRatiosBp: { B: 12000 } }, { author: 'a', reason: 'r' })).rejects.toThrow(/tierRatiosBp.B: 12000 — a ratio is an integer/);
    await expect(savePolicy(t.db, { yearlyCap: 0 }, { author: 'a', reason: 'r' })).rejects.toThrow(/yearlyCap: 0 — must be an integer >= 1/);
    await savePolicy(t.db, {}, { author: 'a', reason: '采用默认' });
    await expect(savePolicy(t.db, { tierRatiosBp: { A: 300 } }, { author: 'a', reason: 'r' })).rejects.toThrow(/nothing changed/);
    expect((await listPolicies(t.db)).map((p) => p.version)).toEqual([1]);
    expect((await t.db.one<{ n: number }>(sql`SELECT count(*)::INTEGER AS n FROM audit_log`))!.n).toBe(1);
  });

  it('keeps every tier at or above the floor ratio (default 1%), so every entity has a known, non-zero chance of being drawn', async () => {
    const t = await fixtureDb();
    cleanup = t.cleanup;
    expect((await currentPolicy(t.db)).tierFloorBp).toBe(100);
    await expect(savePolicy(t.db, { tierRatiosBp: { A: 50 } }, { author: 'a', reason: 'r' })).rejects.toThrow(/tierRatiosBp.A: 50 — below the floor of 100 bp \(1%\)/);
    await expect(savePolicy(t.db, { tierRatiosBp: { A: 0 } }, { author: 'a', reason: 'r' })).rejects.toThrow(/below the floor/);
    await expect(savePolicy(t.db, { tierFloorBp: 0 }, { author: 'a', reason: 'r' })).rejects.toThrow(/tierFloorBp: 0 — the floor is an integer number of basis points from 1/);
    await expect(savePolicy(t.db, { tierFloorBp: 400 }, { author: 'a', reason: 'r' })).rejects.toThrow(/tierRatiosBp.A: 300 — below the floor of 400 bp/);
    const lower = await savePolicy(t.db, { tierFloorBp: 50, tierRatiosBp: { A: 50 } }, { author: 'a', reason: '试点：A 级降至 0.5%' });
    expect(lower.changes).toEqual({ 'tierRatiosBp.A': [300, 50], tierFloorBp: [100, 50] });
    expect((await currentPolicy(t.db)).tierFloorBp).toBe(50);
  });
});
