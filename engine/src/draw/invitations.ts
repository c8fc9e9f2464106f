// Joint tasks by consent: a task that includes another department's items or team entries invites that department,
// whose operator accepts or declines (recorded and audited). The draw is committed only once every partner department
// still taking part has accepted; a department that declined is withdrawn from the task first (tasks.ts).
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { appendAudit } from '../audit/chain.ts';
import { DrawInputError, DrawNotFoundError, DrawStateError } from './plans.ts';
import type { Invitation, InvitationStatus, Task } from './schemas.ts';

interface InvitationRow {
  task_id: string;
  department: string;
  status: InvitationStatus;
  invited_by: string;
  invited_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
}

const toInvitation = (r: InvitationRow): Invitation => ({
  taskId: r.task_id,
  department: r.department,
  status: r.status,
  invitedBy: r.invited_by,
  invitedAt: r.invited_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
});

/** The departments a task needs the consent of: every participating department but the lead. */
export const partnerDepartments = (task: Pick<Task, 'departments' | 'leadDepartment'>): string[] => task.departments.filter((d) => d !== task.leadDepartment);

/** A task's invitations, in department order (a withdrawn department's stays on record). */
export async function listInvitations(q: Queryable, taskId: string): Promise<Invitation[]> {
  return (await q.query<InvitationRow>(sql`SELECT * FROM task_invitations WHERE task_id = ${taskId} ORDER BY department`)).map(toInvitation);
}

/** Invites every partner department of a task not invited yet (pending); call in the transaction that stores the task. */
export async function inviteIn(tx: Queryable, task: Pick<Task, 'id' | 'departments' | 'leadDepartment'>, options: { actor: string; now: Date }): Promise<void> {
  const invited = new Set((await listInvitations(tx, task.id)).map((i) => i.department));
  const departments = partnerDepartments(task).filter((d) => !invited.has(d));
  if (departments.length === 0) return;
  for (const department of departments)
    await tx.exec(
      sql`INSERT INTO task_invitations (task_id, department, status, invited_by, invited_at)
       VALUES (${task.id}, ${department}, 'pending', ${options.actor}, ${options.now.toISOString()}::TIMESTAMPTZ)`,
    );
  await appendAudit(tx, { actor: options.actor, action: 'task.invite', subject: task.id, payload: { taskId: task.id, departments, invitedAt: options.now.toISOString() } });
}

/** A partner department's answer, once: accepted lets its items and team into the draw, declined keeps the draw waiting until it is withdrawn. */
export async function decideInvitation(
  db: Db,
  taskId: string,
  department: string,
  decision: 'accepted' | 'declined',
  options: { actor: string; now?: Date },
): Promise<Invitation> {
  if (!options.actor?.trim()) throw new DrawInputError('actor', options.actor, '须记录答复人 / the person answering must be recorded');
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const task = await tx.one<{ departments: string[] }>(sql`SELECT departments FROM tasks WHERE id = ${taskId}`);
    if (!task) throw new DrawNotFoundError('task', taskId);
    const invitation = (await listInvitations(tx, taskId)).find((i) => i.department === department);
    if (!invitation || !task.departments.includes(department))
      throw new DrawInputError('department', department, `任务 ${taskId} 没有邀请该部门 / task ${taskId} has no invitation for this department`);
    if (invitation.status !== 'pending')
      throw new DrawStateError(
        'task.invitation_answered',
        taskId,
        invitation.status,
        `${department} 已于 ${invitation.decidedAt?.toISOString() ?? '?'} 由 ${invitation.decidedBy} 答复（${invitation.status}），不得更改 / ${department} already answered (${invitation.status}, by ${invitation.decidedBy})`,
      );
    await tx.exec(
      sql`UPDATE task_invitations SET status = ${decision}, decided_by = ${options.actor}, decided_at = ${now.toISOString()}::TIMESTAMPTZ
       WHERE task_id = ${taskId} AND department = ${department}`,
    );
    await appendAudit(tx, {
      actor: options.actor,
      action: decision === 'accepted' ? 'task.invitation_accept' : 'task.invitation_decline',
      subject: taskId,
      payload: { taskId, department, decision, decidedAt: now.toISOString() },
    });
    return { ...invitation, status: decision, decidedBy: options.actor, decidedAt: now };
  });
}

// Partner departments of each task, with their invitation's status (none on record counts as pending). Grain: one row
// per task and partner department.
const PARTNERS_SQL = sql`
WITH partners AS (SELECT id AS task_id, name AS task_name, unnest(departments) AS department, lead_department FROM tasks)
SELECT p.task_id, p.task_name, p.department, coalesce(i.status, 'pending') AS status
FROM partners p LEFT JOIN task_invitations i ON i.task_id = p.task_id AND i.department = p.department
WHERE p.department <> p.lead_department`;

/** Invitations still to answer, of one department (or every department: null), in task order. */
export async function invitationsToAnswer(q: Queryable, department: string | null): Promise<Array<{ taskId: string; taskName: string; department: string }>> {
  const rows = await q.query<{ task_id: string; task_name: string; department: string }>(
    sql`SELECT task_id, task_name, department FROM (${PARTNERS_SQL}) WHERE status = 'pending' AND (${department}::VARCHAR IS NULL OR department = ${department}) ORDER BY task_id, department`,
  );
  return rows.map((r) => ({ taskId: r.task_id, taskName: r.task_name, department: r.department }));
}

/** The tasks a partner department taking part has not accepted yet (pending or declined): not ready to commit. */
export async function tasksAwaitingPartners(q: Queryable): Promise<Set<string>> {
  return new Set((await q.query<{ task_id: string }>(sql`SELECT DISTINCT task_id FROM (${PARTNERS_SQL}) WHERE status <> 'accepted'`)).map((r) => r.task_id));
}

/**
 * Refuses a commit while a partner department taking part has not accepted: pending (`task.invitations_pending`) or
 * declined (`task.invitation_declined`, to be withdrawn first). A partner with no invitation on record counts as pending.
 */
export async function assertPartnersAccepted(q: Queryable, task: Task): Promise<void> {
  const status = new Map((await listInvitations(q, task.id)).map((i) => [i.department, i.status]));
  const declined = partnerDepartments(task).filter((d) => status.get(d) === 'declined');
  if (declined.length > 0)
    throw new DrawStateError(
      'task.invitation_declined',
      task.id,
      'invitation_declined',
      `${declined.join('、')} 拒绝参加联合任务 ${task.id}；须先移除其事项和人员，才能提交承诺 / ${declined.join(', ')} declined to take part in task ${task.id}: withdraw its items and team before the commitment`,
    );
  const pending = partnerDepartments(task).filter((d) => status.get(d) !== 'accepted');
  if (pending.length > 0)
    throw new DrawStateError(
      'task.invitations_pending',
      task.id,
      'invitations_pending',
      `联合任务 ${task.id} 须经 ${pending.join('、')} 的操作员接受邀请后才能提交承诺 / joint task ${task.id} is committed only after ${pending.join(', ')} accepted the invitation`,
    );
}
