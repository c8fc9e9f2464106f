import { describe, expect, it } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { commitDraw, enterBeacon, getDraw, runDraw, type DrawDetail } from './lifecycle.ts';
import { acceptInvitations, BEACON_AT, declaredBeacon, directoryPerTest, NOW, objectId, RUN_AT, samrTask, WINDOW } from './lifecycle.fixture.ts';
import { previewPools, staffing } from './matching.ts';
import type { Plan } from './plans.ts';
import { approveTask, createTask, type Task } from './tasks.ts';

const SAMR_OFFICERS = [...Array.from({ length: 12 }, (_, j) => `SZ-SAMR-${String(j + 1).padStart(2, '0')}`), 'SZ-SAMR-X6'].sort();

/** Commit, beacon and run a task's draw; the detail with every row. */
async function drawTask(db: Db, task: Task, beacon = '恒生指数 2026-03-02 收盘'): Promise<DrawDetail> {
  const draw = await commitDraw(db, task.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) });
  await enterBeacon(db, draw.id, beacon, { actor: 'op', now: BEACON_AT });
  await runDraw(db, draw.id, { actor: 'op', now: RUN_AT });
  return getDraw(db, draw.id);
}

async function pools(db: Db, drawId: string): Promise<Record<string, string[]>> {
  const rows = await db.query<{ department_code: string; ids: string[] }>(
    sql`SELECT department_code, list(inspector_id ORDER BY inspector_id) AS ids FROM draw_pools WHERE draw_id = ${drawId} GROUP BY department_code`,
  );
  return Object.fromEntries(rows.map((r) => [r.department_code, r.ids]));
}

/** Every published team rule, checked against the directory rather than against the draw's own tables. */
async function expectTeamRules(db: Db, draw: DrawDetail): Promise<void> {
  const byObject = new Map<string, typeof draw.teams>();
  for (const m of draw.teams!) byObject.set(m.objectId, [...(byObject.get(m.objectId) ?? []), m]);
  const unstaffed = new Set(draw.unstaffed!.map((u) => u.objectId));
  // One visit per object: each selected object once, every staffed object with one team.
  expect(new Set(draw.selection!.map((s) => s.objectId)).size).toBe(draw.selection!.length);
  for (const s of draw.selection!) expect(byObject.has(s.objectId) || unstaffed.has(s.objectId)).toBe(true);

  const inspectors = new Map(
    (
      await db.query<{ id: string; kind: string; active: boolean; department_code: string; region_code: string; certificate_no: string | null; certificate_valid_from: string | null; certificate_valid_to: string | null }>(
        sql`SELECT id, kind, active, department_code, region_code, certificate_no, certificate_valid_from, certificate_valid_to FROM inspectors`,
      )
    ).map((r) => [r.id, r]),
  );
  const conflicts = new Set((await db.query<{ k: string }>(sql`SELECT object_id || '/' || inspector_id AS k FROM conflicts`)).map((r) => r.k));
  const previous = new Set(
    (
      await db.query<{ k: string }>(
        sql`SELECT object_id || '/' || unnest(inspector_ids) AS k FROM inspection_results
         QUALIFY inspected_on = max(inspected_on) OVER (PARTITION BY object_id)`,
      )
    ).map((r) => r.k),
  );
  const ws = draw.windowStart;
  const load = new Map<string, number>();
  for (const [objectId, team] of byObject) {
    const officers = team!.filter((m) => !m.department.endsWith(':expert'));
    const experts = team!.filter((m) => m.department.endsWith(':expert'));
    // A team that can start has two certified officers at least, experts only beyond them. fd1 §5 still draws the
    // expert of an object whose officers could not be staffed; that object is reported unstaffed and cannot start.
    if (!unstaffed.has(objectId)) expect(officers.length).toBeGreaterThanOrEqual(2);
    if (experts.length > 0 && !unstaffed.has(objectId)) expect(officers.length).toBeGreaterThanOrEqual(2);
    expect(new Set(team!.map((m) => m.inspectorId)).size).toBe(team!.length);
    for (const m of team!) {
      const who = inspectors.get(m.inspectorId)!;
      expect(who.active).toBe(true);
      expect(who.region_code.startsWith('4403')).toBe(true);
      expect(m.department.split(':')[0]).toBe(who.department_code);
      if (m.department.endsWith(':expert')) expect(['expert', 'third_party']).toContain(who.kind);
      else {
        expect(who.kind).toBe('officer');
        expect(who.certificate_no).toBeTruthy();
        expect(who.certificate_valid_from === null || who.certificate_valid_from <= ws).toBe(true);
        expect(who.certificate_valid_to === null || who.certificate_valid_to >= ws).toBe(true);
      }
      expect(conflicts.has(`${objectId}/${m.inspectorId}`)).toBe(false);
      expect(previous.has(`${objectId}/${m.inspectorId}`)).toBe(false);
      load.set(m.inspectorId, (load.get(m.inspectorId) ?? 0) + 1);
    }
  }
  for (const cap of draw.caps!) {
    for (const [id, n] of load) if ((await pools(db, draw.id))[cap.department]?.includes(id)) expect(n).toBeLessThanOrEqual(cap.cap);
  }
}

describe('inspector matching from the directory', () => {
  let db: Db;
  let plan: Plan;
  directoryPerTest((fresh, shenzhen) => ([db, plan] = [fresh, shenzhen]));

  it('pools: active, in the jurisdiction, certificate valid on the first day, specialties covering the items', async () => {
    const task = await samrTask(db, plan, { teamSpec: [{ department: 'SAMR', count: 2 }, { department: 'SAMR:expert', count: 1 }] });
    expect(await previewPools(db, task)).toEqual([
      { department: 'SAMR', count: 2, pool: 13, specialties: ['food_safety', 'registration'] },
      { department: 'SAMR:expert', count: 1, pool: 3, specialties: ['food_safety', 'registration'] },
    ]);
    const draw = await commitDraw(db, task.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) });
    // Out: X1 expired the day before, X2 valid from the second day, X3 no certificate, X4 inactive,
    // X5 lacks food_safety, GZ-* outside Shenzhen; E4 inactive. X6 is valid exactly on the first day.
    expect(await pools(db, draw.id)).toEqual({ SAMR: SAMR_OFFICERS, 'SAMR:expert': ['SZ-SAMR-E1', 'SZ-SAMR-E2', 'SZ-SAMR-E3'] });
    // With only SAMR-001 (registration), X5 qualifies.
    const registration = await samrTask(db, plan, { items: ['SAMR-001'] });
    const other = await commitDraw(db, registration.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) });
    expect((await pools(db, other.id)).SAMR).toEqual([...SAMR_OFFICERS, 'SZ-SAMR-X5'].sort());
    // A pool smaller than one team: refused at commit, nothing recorded.
    const few = await samrTask(db, plan, { teamSpec: [{ department: 'SAMR', count: 2 }, { department: 'SAMR:expert', count: 4 }] });
    // Said beforehand, with each item's own pool: X5 holds registration but not food_safety.
    const teams = await staffing(db, few);
    expect(teams.map((team) => [team.department, team.count, team.pool])).toEqual([
      ['SAMR', 2, 13],
      ['SAMR:expert', 4, 3],
    ]);
    expect(teams[0].items).toEqual(expect.arrayContaining([{ code: 'SAMR-001', specialty: 'registration', pool: 14 }]));
    expect(Math.min(...teams[0].items.map((item) => item.pool))).toBe(13);
    await expect(commitDraw(db, few.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) })).rejects.toThrow(/SAMR:expert: 3/);
    expect(await db.one(sql`SELECT count(*) AS n FROM draws WHERE task_id = ${few.id}`)).toEqual({ n: 0 });
  });

  it('team constraints end to end: no excluded pair (conflicts, previous team), caps, two certified officers, experts only beyond', async () => {
    const objects = await Promise.all([0, 1, 3, 4, 8, 9, 10, 11].map((i) => objectId(db, i)));
    // Conflicts declared by the inspector and by the object, and an earlier inspection's team.
    await db.exec(sql`INSERT INTO conflicts VALUES ('SZ-SAMR-01', ${objects[0]}, 'inspector'), ('SZ-SAMR-02', ${objects[0]}, 'object'), ('SZ-SAMR-03', ${objects[1]}, 'inspector'), ('SZ-SAMR-E1', ${objects[1]}, 'object')`);
    await db.exec(
      sql`INSERT INTO inspection_results (result_id, object_id, inspected_on, department_code, item_code, outcome_code, inspector_ids) VALUES
       ('R1', ${objects[2]}, '2024-05-01', 'SAMR', 'SAMR-001', 'NO_PROBLEM', ['SZ-SAMR-04', 'SZ-SAMR-05']),
       ('R0', ${objects[2]}, '2023-05-01', 'SAMR', 'SAMR-001', 'NO_PROBLEM', ['SZ-SAMR-06', 'SZ-SAMR-07'])`,
    );
    // One object that only one certified officer may visit: unstaffed, with the reason.
    await db.exec(
      sql`INSERT INTO conflicts SELECT inspector_id, ${objects[3]}, 'inspector' FROM (SELECT unnest(${`[${SAMR_OFFICERS.filter((id) => id !== 'SZ-SAMR-12').map((id) => `'${id}'`).join(',')}]`}::VARCHAR[]) AS inspector_id)`,
    );
    const task = await samrTask(db, plan, {
      counts: { A: 1000, B: 1000, C: 1000, D: 1000 }, // everyone eligible is drawn
      teamSpec: [{ department: 'SAMR', count: 2 }, { department: 'SAMR:expert', count: 1 }],
    });
    const draw = await drawTask(db, task);
    expect(draw.selection!.length).toBe(draw.populationSize);
    expect(draw.selection!.map((s) => s.objectId)).toEqual(expect.arrayContaining(objects));

    const exclusions = await db.query<{ object_id: string; inspector_id: string; reasons: string[] }>(
      sql`SELECT object_id, inspector_id, reasons FROM draw_exclusions WHERE draw_id = ${draw.id} AND object_id IN (${objects[0]}, ${objects[1]}, ${objects[2]}) ORDER BY object_id, inspector_id`,
    );
    expect(exclusions.map((e) => [objects.indexOf(e.object_id), e.inspector_id, e.reasons])).toEqual(
      [
        [0, 'SZ-SAMR-01', ['conflict_inspector']],
        [0, 'SZ-SAMR-02', ['conflict_object']],
        [1, 'SZ-SAMR-03', ['conflict_inspector']],
        [1, 'SZ-SAMR-E1', ['conflict_object']],
        [2, 'SZ-SAMR-04', ['previous_inspection']],
        [2, 'SZ-SAMR-05', ['previous_inspection']],
      ].sort((x, y) => String(objects[x[0] as number]).localeCompare(String(objects[y[0] as number])) || String(x[1]).localeCompare(String(y[1]))),
    );
    await expectTeamRules(db, draw);
    const unstaffed = draw.unstaffed!.filter((u) => u.objectId === objects[3]);
    expect(unstaffed).toEqual([{ objectId: objects[3], department: 'SAMR', reason: expect.stringMatching(/2 needed, [01] available/) }]); // 1, or 0 when SZ-SAMR-12 is already at its cap
    // Its expert is still assigned by the protocol, but the object counts as unstaffed and its task cannot start.
    expect(draw.counts.unstaffedObjects).toBeGreaterThanOrEqual(1);
    const loads = new Map<string, number>();
    for (const m of draw.teams!) if (m.department === 'SAMR') loads.set(m.inspectorId, (loads.get(m.inspectorId) ?? 0) + 1);
    const cap = draw.caps!.find((c) => c.department === 'SAMR')!;
    expect(cap).toEqual({ department: 'SAMR', count: 2, pool: 13, cap: Math.ceil((draw.selection!.length * 2) / 13) + 1 });
    expect(Math.max(...loads.values())).toBeLessThanOrEqual(cap.cap);
  });

  it('rotation: the team of an object’s latest earlier draw is excluded in the next draw', async () => {
    const first = await samrTask(db, plan, { kind: 'special', name: '第一轮专项', counts: { D: 1000 } });
    await approveTask(db, first.id, 'leader');
    const firstDraw = await drawTask(db, first);
    const second = await samrTask(db, plan, { kind: 'special', name: '第二轮专项', counts: { D: 1000 } });
    await approveTask(db, second.id, 'leader');
    const secondDraw = await drawTask(db, second, '另一个信标');
    const previousTeams = new Set(firstDraw.teams!.map((m) => `${m.objectId}/${m.inspectorId}`));
    expect(previousTeams.size).toBeGreaterThan(0);
    for (const m of secondDraw.teams!) expect(previousTeams.has(`${m.objectId}/${m.inspectorId}`)).toBe(false);
    const reasons = await db.query<{ n: number }>(sql`SELECT count(*) AS n FROM draw_exclusions WHERE draw_id = ${secondDraw.id} AND list_contains(reasons, 'previous_draw')`);
    expect(reasons[0].n).toBe(firstDraw.teams!.length);
    await expectTeamRules(db, secondDraw);
  });

  it('joint task: one draw, one visit per object, every department on every team, every item on one checklist', async () => {
    const task = await createTask(db, {
      planId: plan.id,
      kind: 'general',
      name: '市场监管、税务、生态环境联合抽查',
      items: ['SAMR-001', 'SAMR-002', 'TAX-001', 'MEE-001'],
      scope: { departments: ['SAMR'] },
      counts: { A: 10, B: 10, C: 10, D: 10 },
      ...WINDOW,
      createdBy: 'operator-samr',
    });
    expect(task.teamSpec).toEqual([
      { department: 'SAMR', count: 2 },
      { department: 'TAX', count: 1 },
      { department: 'MEE', count: 1 },
    ]);
    await acceptInvitations(db, task);
    const draw = await drawTask(db, task);
    expect(draw.checklist.map((c) => `${c.department}:${c.code}@${c.version}`)).toEqual(['SAMR:SAMR-001@1', 'SAMR:SAMR-002@2', 'TAX:TAX-001@1', 'MEE:MEE-001@1']);
    expect(draw.unstaffed).toEqual([]);
    const byObject = new Map<string, string[]>();
    for (const m of draw.teams!) byObject.set(m.objectId, [...(byObject.get(m.objectId) ?? []), m.department]);
    expect(byObject.size).toBe(draw.selection!.length);
    for (const departments of byObject.values()) expect(departments).toEqual(['SAMR', 'SAMR', 'TAX', 'MEE']);
    await expectTeamRules(db, draw);
    expect(await db.one(sql`SELECT count(*) AS n FROM draws`)).toEqual({ n: 1 });
  });
});
