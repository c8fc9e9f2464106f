import { describe, expect, it } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { savePolicy } from '../policy/policy.ts';
import { quota } from '../kernel/quota.ts';
import { eligiblePopulation, insertPopulation } from './eligibility.ts';
import { declareEquivalence } from '../reference/equivalences.ts';
import { commitDraw } from './lifecycle.ts';
import { declaredBeacon, directoryPerTest, NOW, objectId, samrTask } from './lifecycle.fixture.ts';
import { DrawStateError, type Plan } from './plans.ts';

// The fixture's rules (data/fixtures/draws/directory.sql), object i = 0..319.
const REGION = ['440303', '440303', '440303', '440304', '440304', '440304', '440103', '441900'];
const fixture = Array.from({ length: 320 }, (_, i) => ({
  i,
  region: REGION[i % 8],
  active: !(i % 37 === 5 || i % 41 === 7),
  tier: ['A', 'A', 'A', 'A', 'B', 'B', 'B', 'C', 'C', 'D'][i % 10],
  industry: ['C', 'F', 'H', 'I'][i % 4],
  entityType: i % 5 === 3 ? 'individual' : i % 5 === 4 ? 'cooperative' : 'enterprise',
  departments: ['SAMR', ...(i % 2 === 0 ? ['TAX'] : []), ...(i % 3 === 0 ? ['MEE'] : [])],
}));
const shenzhen = fixture.filter((o) => o.region.startsWith('4403'));

describe('eligibility', () => {
  let db: Db;
  let plan: Plan;
  directoryPerTest((fresh, shenzhen) => ([db, plan] = [fresh, shenzhen]));

  /** Population ids of a committed draw, by fixture index. */
  async function populationOf(drawId: string): Promise<number[]> {
    const rows = await db.query<{ i: number }>(
      sql`SELECT CAST(replace(o.name, '测试主体', '') AS INTEGER) AS i FROM draw_population p JOIN objects o ON o.id = p.object_id WHERE p.draw_id = ${drawId} ORDER BY i`,
    );
    return rows.map((r) => r.i);
  }

  async function inspect(i: number, on: string, ref: string): Promise<void> {
    await db.exec(
      sql`INSERT INTO inspection_results (result_id, object_id, inspected_on, department_code, item_code, outcome_code, inspector_ids, task_ref)
       VALUES (${`R-${i}-${on}`}, ${await objectId(db, i)}, ${on}::DATE, 'SAMR', 'SAMR-001', 'NO_PROBLEM', ['SZ-SAMR-01'], ${ref})`,
    );
  }

  it('scope and status: active objects of the jurisdiction, deregistered and revoked out', async () => {
    const task = await samrTask(db, plan);
    const preview = await eligiblePopulation(db, task.id, { now: NOW });
    const expected = shenzhen.filter((o) => o.active);
    expect(preview).toMatchObject({ inScope: shenzhen.length, notActive: shenzhen.length - expected.length, inBurdenWindow: 0, atYearlyCap: 0, untiered: 0, eligible: expected.length });
    // Policy default ratios (no policy saved): A 300, B 500, C 1000, D 3000 basis points.
    for (const s of preview.strata) {
      const n = expected.filter((o) => o.tier === s.stratum).length;
      const ratioBp = { A: 300, B: 500, C: 1000, D: 3000 }[s.stratum]!;
      expect(s).toEqual({ stratum: s.stratum, ratioBp, eligible: n, quota: quota(n, { ratioBp }) });
    }
    const draw = await commitDraw(db, task.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) });
    expect(await populationOf(draw.id)).toEqual(expected.map((o) => o.i));
    expect(draw.populationSize).toBe(expected.length);
  });

  it('scope filters: districts, industries, entity types, responsible departments', async () => {
    const task = await samrTask(db, plan, { scope: { regions: ['440304'], industries: ['C', 'H'], entityTypes: ['enterprise', 'individual'], departments: ['MEE'] } });
    const expected = fixture.filter(
      (o) => o.active && o.region === '440304' && ['C', 'H'].includes(o.industry) && o.entityType !== 'cooperative' && o.departments.includes('MEE'),
    );
    expect(expected.length).toBeGreaterThan(3);
    const draw = await commitDraw(db, task.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) });
    expect(await populationOf(draw.id)).toEqual(expected.map((o) => o.i));
  });

  it('tier x city strata label each object with its tier and city', async () => {
    const task = await samrTask(db, plan, { strataMode: 'tier_city', ratiosBp: { 'D|440300': 10000 } });
    const draw = await commitDraw(db, task.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) });
    const active = shenzhen.filter((o) => o.active);
    expect(draw.strata).toEqual(
      ['A', 'B', 'C', 'D'].map((tier) => ({
        stratum: `${tier}|440300`,
        eligible: active.filter((o) => o.tier === tier).length,
        ratio_bp: tier === 'D' ? 10000 : { A: 300, B: 500, C: 1000 }[tier],
      })),
    );
  });

  it('burden window: recently inspected objects out of general tasks; tier D and special tasks exempt', async () => {
    // 0: tier A, 9: tier D, 4: tier B. Window starts 2026-04-01; the burden window is 365 days.
    await inspect(0, '2025-06-01', 'T2025-0100'); // 304 days before: out
    await inspect(9, '2025-06-01', 'T2025-0100'); // tier D: exempt
    await inspect(4, '2025-03-15', 'T2025-0050'); // 382 days before: in
    const general = await samrTask(db, plan);
    const preview = await eligiblePopulation(db, general.id, { now: NOW });
    expect(preview.inBurdenWindow).toBe(1);
    const draw = await commitDraw(db, general.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) });
    const population = await populationOf(draw.id);
    expect(population).not.toContain(0);
    expect(population).toContain(9);
    expect(population).toContain(4);
    expect(draw.eligibility).toMatchObject({ referenceDate: '2026-04-01', loadAsOf: '2026-03-01', burdenWindowDays: 365, burdenExempt: false, yearlyCap: 3, policyVersion: 0 });

    const special = await samrTask(db, plan, { kind: 'special', name: '专项', ratiosBp: { A: 2000, B: 2000, C: 2000, D: 5000 } });
    await expect(commitDraw(db, special.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) })).rejects.toThrow(/approval/);
    const { approveTask } = await import('./tasks.ts');
    await approveTask(db, special.id, 'leader');
    const specialDraw = await commitDraw(db, special.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) });
    expect(await populationOf(specialDraw.id)).toContain(0);
    expect(specialDraw.eligibility.burdenExempt).toBe(true);
  });

  it('recognition: a tier D object whose every item another department checked for an equivalent item within the window is skipped', async () => {
    const admin = { username: 'admin', role: 'admin' as const, department: null };
    const taxResult = async (i: number, item: string, on: string) =>
      db.exec(
        sql`INSERT INTO inspection_results (result_id, object_id, inspected_on, department_code, item_code, outcome_code, inspector_ids, task_ref)
         VALUES (${`R-${i}-${item}`}, ${await objectId(db, i)}, ${on}::DATE, ${item.split('-')[0]}, ${item}, 'NO_PROBLEM', [], 'T2025-0900')`,
      );
    // Tier D objects 9, 19 and 29: 9 has both items covered, 19 one of two, 29 both but too long ago.
    for (const item of ['TAX-001', 'MEE-001']) await taxResult(9, item, '2025-12-01');
    await taxResult(19, 'TAX-001', '2025-12-01');
    for (const item of ['TAX-001', 'MEE-001']) await taxResult(29, item, '2025-03-01');
    const before = await samrTask(db, plan);
    expect((await eligiblePopulation(db, before.id, { now: NOW })).recognised).toBe(0);

    await declareEquivalence(db, { itemA: 'SAMR-001', itemB: 'TAX-001', reason: '纳税情况与公示信息核查内容一致' }, admin);
    await declareEquivalence(db, { itemA: 'MEE-001', itemB: 'SAMR-002', reason: '排污许可与经营许可现场核查内容一致' }, admin);
    const general = await samrTask(db, plan);
    const preview = await eligiblePopulation(db, general.id, { now: NOW });
    expect(preview.recognised).toBe(1);
    const draw = await commitDraw(db, general.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) });
    const population = await populationOf(draw.id);
    expect(population).not.toContain(9);
    const recorded = await db.query<{ object_id: string }>(sql`SELECT object_id FROM draw_recognised WHERE draw_id = ${draw.id}`);
    expect(recorded.map((r) => r.object_id)).toEqual([await objectId(db, 9)]);
    expect(population).toContain(19);
    expect(population).toContain(29);
    expect(draw.eligibility).toMatchObject({
      checklistSize: 2,
      recognition: [
        { item: 'SAMR-001', equivalent: 'TAX-001' },
        { item: 'SAMR-002', equivalent: 'MEE-001' },
      ],
    });
    // The declarations are audited; the same department cannot recognise itself.
    const audited = await db.query<{ subject: string }>(sql`SELECT subject FROM audit_log WHERE action = 'equivalence.declare' ORDER BY seq`);
    expect(audited.map((a) => a.subject)).toEqual(['SAMR-001~TAX-001', 'MEE-001~SAMR-002']);
    await expect(declareEquivalence(db, { itemA: 'SAMR-001', itemB: 'SAMR-002', reason: '同一部门两项' }, admin)).rejects.toThrow(/recognition is between departments/);
    await expect(declareEquivalence(db, { itemA: 'TAX-001', itemB: 'SAMR-001', reason: '重复声明一次' }, admin)).rejects.toThrow(/already declared/);
  });

  it('one pass over the candidates: the population and the objects recognition left out, from one temporary table dropped after', async () => {
    // Tier D object 9: another department checked both equivalents of the checklist within the window.
    for (const item of ['TAX-001', 'MEE-001'])
      await db.exec(
        sql`INSERT INTO inspection_results (result_id, object_id, inspected_on, department_code, item_code, outcome_code, inspector_ids, task_ref)
         VALUES (${`R-9-${item}`}, ${await objectId(db, 9)}, '2025-12-01'::DATE, ${item.split('-')[0]}, ${item}, 'NO_PROBLEM', [], 'T2025-0900')`,
      );
    const admin = { username: 'admin', role: 'admin' as const, department: null };
    await declareEquivalence(db, { itemA: 'SAMR-001', itemB: 'TAX-001', reason: '纳税情况与公示信息核查内容一致' }, admin);
    await declareEquivalence(db, { itemA: 'MEE-001', itemB: 'SAMR-002', reason: '排污许可与经营许可现场核查内容一致' }, admin);
    const { rules } = await eligiblePopulation(db, (await samrTask(db, plan)).id, { now: NOW });
    const leftOver = await db.transaction(async (tx) => {
      await insertPopulation(tx, 'D-ONE-PASS', rules);
      return tx.query(sql`SELECT table_name FROM duckdb_tables() WHERE temporary`);
    });
    expect(leftOver).toEqual([]);
    const expected = shenzhen.filter((o) => o.active && o.i !== 9);
    expect(await populationOf('D-ONE-PASS')).toEqual(expected.map((o) => o.i));
    const strata = await db.query<{ stratum: string; n: number }>(sql`SELECT stratum, count(*)::INTEGER AS n FROM draw_population WHERE draw_id = 'D-ONE-PASS' GROUP BY stratum ORDER BY stratum`);
    expect(strata).toEqual(['A', 'B', 'C', 'D'].map((tier) => ({ stratum: tier, n: expected.filter((o) => o.tier === tier).length })));
    expect(await db.query(sql`SELECT draw_id, object_id FROM draw_recognised`)).toEqual([{ draw_id: 'D-ONE-PASS', object_id: await objectId(db, 9) }]);
  });

  it('yearly cap: never exempt, not for tier D, not for special tasks; last year does not count', async () => {
    // 9 and 19: tier D; 12: tier C. The default policy caps at 3 inspections a calendar year.
    for (const [i, on] of [[9, '2026-01-10'], [9, '2026-02-10'], [9, '2026-02-20'], [19, '2026-01-15'], [19, '2026-02-15'], [12, '2025-01-10'], [12, '2025-01-20'], [12, '2025-02-10']] as const)
      await inspect(i, on, `T-${i}-${on}`);
    const special = await samrTask(db, plan, { kind: 'special', name: '专项', counts: { A: 100, B: 100, C: 100, D: 100 } });
    const { approveTask } = await import('./tasks.ts');
    await approveTask(db, special.id, 'leader');
    const preview = await eligiblePopulation(db, special.id, { now: NOW });
    expect(preview.atYearlyCap).toBe(1);
    let draw = await commitDraw(db, special.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) });
    let population = await populationOf(draw.id);
    expect(population).not.toContain(9); // 3 this year: at the cap, tier D and special notwithstanding
    expect(population).toContain(19); // 2 this year
    expect(population).toContain(12); // 3 last year

    // Tighten the cap to 2: object 19 drops out too. A new draw needs the old one voided first.
    await savePolicy(db, { yearlyCap: 2 }, { author: 'analyst', reason: '试点地区检查次数上限' });
    const { voidDraw } = await import('./lifecycle.ts');
    await voidDraw(db, draw.id, { reason: '政策调整后重新抽取', actor: 'op', now: NOW });
    draw = await commitDraw(db, special.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) });
    population = await populationOf(draw.id);
    expect(population).not.toContain(19);
    expect(draw.eligibility).toMatchObject({ yearlyCap: 2, policyVersion: 1 });
  });

  it('task ratios override the policy per tier, counts replace ratios, the policy fills the rest', async () => {
    await savePolicy(db, { tierRatiosBp: { A: 400 } }, { author: 'analyst', reason: '提高低风险抽查比例' });
    const ratios = await samrTask(db, plan, { ratiosBp: { D: 10000 } });
    const preview = await eligiblePopulation(db, ratios.id, { now: NOW });
    expect(Object.fromEntries(preview.strata.map((s) => [s.stratum, 'ratioBp' in s ? s.ratioBp : null]))).toEqual({ A: 400, B: 500, C: 1000, D: 10000 });
    const d = preview.strata.find((s) => s.stratum === 'D')!;
    expect(d.quota).toBe(d.eligible);
    const counts = await samrTask(db, plan, { counts: { D: 2, B: 1 } });
    const countPreview = await eligiblePopulation(db, counts.id, { now: NOW });
    expect(Object.fromEntries(countPreview.strata.map((s) => [s.stratum, s.quota]))).toEqual({ A: 0, B: 1, C: 0, D: 2 });
  });

  it('refuses a stratified draw when an eligible object has no risk tier, and leaves nothing behind', async () => {
    const untiered = await objectId(db, 8);
    await db.exec(sql`DELETE FROM risk_entity_codes WHERE object_id = ${untiered}`);
    const task = await samrTask(db, plan);
    expect((await eligiblePopulation(db, task.id, { now: NOW })).untiered).toBe(1);
    const err = await commitDraw(db, task.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) }).catch((e) => e);
    expect(err).toBeInstanceOf(DrawStateError);
    expect(err.message).toContain(untiered);
    expect(await db.one(sql`SELECT count(*) AS n FROM draw_population`)).toEqual({ n: 0 });
    expect(await db.one(sql`SELECT count(*) AS n FROM draws`)).toEqual({ n: 0 });
    // Unstratified, the same object is eligible (ratio: the items' highest default, 500 bp).
    const flat = await samrTask(db, plan, { strataMode: 'none' });
    const preview = await eligiblePopulation(db, flat.id, { now: NOW });
    expect(preview.strata).toEqual([{ stratum: 'ALL', ratioBp: 500, eligible: shenzhen.filter((o) => o.active).length, quota: quota(shenzhen.filter((o) => o.active).length, { ratioBp: 500 }) }]);
  });
});
