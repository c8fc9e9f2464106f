import { describe, expect, it } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { verifyAudit } from '../audit/chain.ts';
import { commitDraw } from './lifecycle.ts';
import { declaredBeacon, directoryPerTest, NOW, samrTask } from './lifecycle.fixture.ts';
import type { Plan } from './plans.ts';
import { decideInvitation, invitationsToAnswer, listInvitations, partnerDepartments, tasksAwaitingPartners } from './invitations.ts';
import { getTask, withdrawDepartment } from './tasks.ts';

describe('joint task invitations', () => {
  let db: Db;
  let plan: Plan;
  directoryPerTest((fresh, shenzhen) => ([db, plan] = [fresh, shenzhen]));

  const jointTask = () => samrTask(db, plan, { name: '联合抽查', items: ['SAMR-001', 'TAX-001', 'MEE-001'] });
  const commit = (taskId: string) => commitDraw(db, taskId, { actor: 'op-wang', now: NOW, ...declaredBeacon(NOW) });

  it('invites every partner department when a joint task is created, not the lead; a single-department task invites none', async () => {
    const task = await jointTask();
    expect(partnerDepartments(task)).toEqual(['TAX', 'MEE']);
    expect(await listInvitations(db, task.id)).toEqual([
      expect.objectContaining({ department: 'MEE', status: 'pending', invitedBy: task.createdBy, decidedBy: null, decidedAt: null }),
      expect.objectContaining({ department: 'TAX', status: 'pending', invitedBy: task.createdBy }),
    ]);
    const own = await samrTask(db, plan);
    expect(await listInvitations(db, own.id)).toEqual([]);
    expect(await tasksAwaitingPartners(db)).toEqual(new Set([task.id]));
    expect((await invitationsToAnswer(db, 'TAX')).map((i) => i.taskId)).toEqual([task.id]);
    expect(await invitationsToAnswer(db, 'SAMR')).toEqual([]);
  });

  it('commits only once every partner accepted; a decline blocks until the department is withdrawn; every answer audited', async () => {
    const task = await jointTask();
    await expect(commit(task.id)).rejects.toMatchObject({ code: 'task.invitations_pending', text: { en: expect.stringMatching(/TAX, MEE accepted/) } });
    await decideInvitation(db, task.id, 'TAX', 'accepted', { actor: 'op-tax', now: NOW });
    await expect(commit(task.id)).rejects.toMatchObject({ code: 'task.invitations_pending', text: { zh: expect.stringContaining('MEE') } });
    await decideInvitation(db, task.id, 'MEE', 'declined', { actor: 'op-mee', now: NOW });
    await expect(commit(task.id)).rejects.toMatchObject({ code: 'task.invitation_declined', text: { en: expect.stringMatching(/^MEE declined/) } });
    await expect(decideInvitation(db, task.id, 'MEE', 'accepted', { actor: 'op-mee' })).rejects.toMatchObject({ code: 'task.invitation_answered' });
    await expect(decideInvitation(db, task.id, 'SAMR', 'accepted', { actor: 'op-wang' })).rejects.toMatchObject({ code: 'draw.invalid' });

    await expect(withdrawDepartment(db, task.id, 'SAMR', { actor: 'op-wang' })).rejects.toMatchObject({ code: 'draw.invalid' });
    const withdrawn = await withdrawDepartment(db, task.id, 'MEE', { actor: 'op-wang', now: NOW });
    expect(withdrawn).toMatchObject({ departments: ['SAMR', 'TAX'], teamSpec: [{ department: 'SAMR', count: 2 }, { department: 'TAX', count: 1 }] });
    const stored = await getTask(db, task.id);
    expect(stored.items.map((i) => i.code)).toEqual(['SAMR-001', 'TAX-001']);
    expect(stored.departments).toEqual(['SAMR', 'TAX']);
    expect(await tasksAwaitingPartners(db)).toEqual(new Set());
    const draw = await commit(task.id);
    expect(draw.status).toBe('committed');
    await expect(withdrawDepartment(db, task.id, 'TAX', { actor: 'op-wang' })).rejects.toMatchObject({ code: 'task.live_draw_exists' });

    const actions = await db.query<{ action: string; actor: string }>(sql`SELECT action, actor FROM audit_log WHERE subject = ${task.id} ORDER BY seq`);
    expect(actions.map((a) => `${a.action} ${a.actor}`)).toEqual([
      `task.create ${task.createdBy}`,
      `task.invite ${task.createdBy}`,
      'task.invitation_accept op-tax',
      'task.invitation_decline op-mee',
      'task.withdraw_department op-wang',
    ]);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('counts a partner with no invitation on record as pending', async () => {
    const task = await jointTask();
    await db.exec(sql`DELETE FROM task_invitations WHERE task_id = ${task.id}`);
    await expect(commit(task.id)).rejects.toMatchObject({ code: 'task.invitations_pending' });
  });
});
