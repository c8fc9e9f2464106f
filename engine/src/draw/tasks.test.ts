import { describe, expect, it } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { verifyAudit } from '../audit/chain.ts';
import { directoryPerTest, samrTask, WINDOW } from './lifecycle.fixture.ts';
import { createPlan, DrawInputError, DrawStateError, getPlan, listPlans, type Plan } from './plans.ts';
import { approveTask, checklist, createTask, getTask, listTasks, regionWithin, validateTeamSpec } from './tasks.ts';

describe('plans and tasks', () => {
  let db: Db;
  let plan: Plan;
  directoryPerTest((fresh, shenzhen) => ([db, plan] = [fresh, shenzhen]));

  it('creates plans with yearly ids and rejects unknown regions and departments', async () => {
    expect(plan.id).toBe('P2026-0001');
    const second = await createPlan(db, { year: 2026, jurisdictionRegionCode: '440000', leadDepartment: 'TAX', name: '省税务局计划', createdBy: 'op' });
    expect(second.id).toBe('P2026-0002');
    expect((await listPlans(db, { year: 2026 })).map((p) => p.id)).toEqual(['P2026-0001', 'P2026-0002']);
    expect((await getPlan(db, plan.id)).jurisdictionRegionCode).toBe('440300');
    await expect(createPlan(db, { year: 2026, jurisdictionRegionCode: '449999', leadDepartment: 'SAMR', name: 'x', createdBy: 'op' })).rejects.toThrow(/jurisdictionRegionCode = "449999"/);
    await expect(createPlan(db, { year: 2026, jurisdictionRegionCode: '440300', leadDepartment: 'NOPE', name: 'x', createdBy: 'op' })).rejects.toBeInstanceOf(DrawInputError);
  });

  it('stores a general task with defaults: scope = jurisdiction, tier strata, item versions in force, two lead officers', async () => {
    const task = await samrTask(db, plan);
    expect(task.id).toBe('T2026-0001');
    expect(task.status).toBe('ready');
    expect(task.departments).toEqual(['SAMR']);
    // SAMR-002 v1 expired at the end of 2025: the window (2026) takes v2.
    expect(task.items.map((i) => `${i.code}@${i.version}`)).toEqual(['SAMR-001@1', 'SAMR-002@2']);
    expect(task.scope).toEqual({ regions: ['440300'], industries: [], entityTypes: [], objectKinds: ['entity'], departments: ['SAMR'] });
    expect(task.strataMode).toBe('tier');
    expect(task.teamSpec).toEqual([{ department: 'SAMR', count: 2 }]);
    expect(await getTask(db, task.id)).toEqual(task);
    expect((await listTasks(db, { planId: plan.id })).map((x) => x.id)).toEqual([task.id]);
  });

  it('names field, value and rule of a bad specification', async () => {
    const bad = async (overrides: Parameters<typeof samrTask>[2], pattern: RegExp) => {
      const err = await samrTask(db, plan, overrides).catch((e) => e);
      expect(err).toBeInstanceOf(DrawInputError);
      expect(err.message).toMatch(pattern);
    };
    await bad({ items: ['SAMR-404'] }, /items\[0\] = "SAMR-404": .*not on the item list/);
    await bad({ items: ['SAMR-002@1'] }, /items\[0\] = "SAMR-002@1": .*not in force/);
    await bad({ windowStart: '2026-02-30' }, /windowStart = "2026-02-30"/);
    await bad({ windowEnd: '2026-03-01' }, /windowEnd = "2026-03-01": .*before the window start/);
    await bad({ windowStart: '2027-01-05', windowEnd: '2027-02-01' }, /plan's year 2026/);
    await bad({ scope: { regions: ['440103'] } }, /scope.regions\[0\] = "440103": .*outside the plan's jurisdiction/);
    await bad({ ratiosBp: { A: 20000 } }, /ratiosBp.A = 20000/);
    await bad({ ratiosBp: { E: 100 } }, /ratiosBp.E/);
    await bad({ ratiosBp: { 'D|440300': 100 } }, /ratiosBp.D\|440300/); // tier|city only in tier_city mode
    await bad({ ratiosBp: { A: 100 }, counts: { A: 1 } }, /ratios or counts, not both/);
    await bad({ teamSpec: [{ department: 'SAMR', count: 1 }] }, /at least 2 certified officers/);
    await bad({ teamSpec: [{ department: 'SAMR', count: 1 }, { department: 'SAMR:expert', count: 2 }] }, /at least 2 certified officers/);
    await bad({ teamSpec: [{ department: 'TAX', count: 2 }] }, /not a participating department/);
    await bad({ teamSpec: [{ department: 'SAMR:expert', count: 1 }, { department: 'SAMR', count: 2 }] }, /expert entries after the officers/);
    await bad({ departments: ['SAMR', 'TAX'] }, /departments = "TAX": .*at least one item/);
  });

  it('accepts tier x city strata with per-stratum ratios and an expert entry beyond two officers', async () => {
    const task = await samrTask(db, plan, {
      strataMode: 'tier_city',
      ratiosBp: { 'D|440300': 5000, A: 200 },
      teamSpec: [
        { department: 'SAMR', count: 2 },
        { department: 'SAMR:expert', count: 1 },
      ],
    });
    expect(task.ratiosBp).toEqual({ 'D|440300': 5000, A: 200 });
    expect(task.teamSpec).toHaveLength(2);
  });

  it('builds a joint task: every department on the team, every item on one checklist', async () => {
    const task = await createTask(db, {
      planId: plan.id,
      kind: 'key',
      name: '市场监管与税务联合抽查',
      items: ['SAMR-001', 'TAX-001'],
      ...WINDOW,
      createdBy: 'operator-samr',
    });
    expect(task.departments).toEqual(['SAMR', 'TAX']);
    expect(task.teamSpec).toEqual([
      { department: 'SAMR', count: 2 },
      { department: 'TAX', count: 1 },
    ]);
    expect(checklist(task).map((c) => `${c.department}:${c.code}`)).toEqual(['SAMR:SAMR-001', 'TAX:TAX-001']);
    expect(task.scope.departments).toEqual(['SAMR', 'TAX']);
    expect(() => validateTeamSpec([{ department: 'SAMR', count: 2 }], ['SAMR', 'TAX'])).toThrow(/every participating department/);
  });

  it('special tasks wait for a leader’s approval; approval is audited', async () => {
    const task = await samrTask(db, plan, { kind: 'special', name: '专项抽查', counts: { D: 5 } });
    expect(task.status).toBe('awaiting_approval');
    const approved = await approveTask(db, task.id, 'leader-li');
    expect(approved).toMatchObject({ status: 'ready', approvedBy: 'leader-li' });
    await expect(approveTask(db, task.id, 'leader-li')).rejects.toBeInstanceOf(DrawStateError);
    const actions = await db.query<{ action: string; subject: string }>(sql`SELECT action, subject FROM audit_log ORDER BY seq`);
    expect(actions.map((a) => a.action)).toEqual(['plan.create', 'task.create', 'task.approve']);
    expect(await verifyAudit(db)).toMatchObject({ ok: true, entries: 3 });
  });

  it('regionWithin follows GB/T 2260 levels', () => {
    expect(regionWithin('440303', '440000')).toBe(true);
    expect(regionWithin('440303', '440300')).toBe(true);
    expect(regionWithin('441900', '441900')).toBe(true);
    expect(regionWithin('440103', '440300')).toBe(false);
    expect(regionWithin('440304', '440303')).toBe(false);
  });
});
