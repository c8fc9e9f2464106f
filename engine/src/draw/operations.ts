// Plans, tasks and draws as a signed-in caller asks for them: each step first checks who may take it (an analyst
// proposes special tasks only; an operator reaches the tasks and draws its department leads or takes part in), then
// runs the lifecycle step or reads the view.
import type { Db, Queryable } from '../db/duckdb.ts';
import { EngineError } from '../kernel/errors.ts';
import type { Principal, Role } from '../auth/roles.ts';
import { assertLeadDepartment, assertOwnDepartment, assertTaskDepartments, listingDepartment } from '../auth/departments.ts';
import { createPlan, DrawInputError, getPlan } from './plans.ts';
import { parseInstant } from '../kernel/time.ts';
import { approveTask, createTask, getTask, validateTaskSpec, withdrawDepartment } from './tasks.ts';
import { decideInvitation } from './invitations.ts';
import { decideEarlyPublication } from './publication.ts';
import { staffing } from './matching.ts';
import { commitDraw, enterBeacon, getDraw, listDraws, runDraw, voidDraw, type DrawDetail } from './lifecycle.ts';
import { drawPage, drawView, taskDetail, taskRows, type TaskRowFilter } from './views.ts';
import type { CommitBody, Draw, DrawPage, DrawStatus, EarlyPublication, Invitation, Plan, PlanBody, Task, TaskBody, TaskDetail, TaskRow, TeamStaffing } from './schemas.ts';

/** A task the caller may see; refused when an operator's department neither leads nor takes part in it. */
export async function taskFor(q: Queryable, caller: Principal, taskId: string): Promise<Task> {
  const task = await getTask(q, taskId);
  assertTaskDepartments(caller, task.departments);
  return task;
}

/** A draw (without its rows) the caller may see; the same department rule as its task. */
export async function drawFor(q: Queryable, caller: Principal, drawId: string): Promise<DrawDetail> {
  const draw = await getDraw(q, drawId, { rows: false });
  assertTaskDepartments(caller, draw.departments);
  return draw;
}

/** A new plan led by the caller's department (operators) or any department (admins). */
export async function createPlanAs(db: Db, caller: Principal, body: PlanBody): Promise<Plan> {
  assertTaskDepartments(caller, [body.leadDepartment]);
  return createPlan(db, { ...body, createdBy: caller.username });
}

/**
 * A new task. Operators create tasks for their own department; analysts propose special tasks only (a leader approves
 * them); a leader creates special tasks only, approved in the same step as the leader's own approval.
 */
export async function createTaskAs(db: Db, caller: Principal, body: TaskBody): Promise<Task> {
  if (caller.role === 'analyst' && body.kind !== 'special')
    throw new EngineError('forbidden', 'task.analyst_special_only', {
      zh: '数据分析员只能发起专项抽查任务（须领导审批）；一般和重点任务由部门操作员创建',
      en: 'analysts may only propose special tasks (a leader approves them); general and key tasks are created by department operators',
    });
  if (caller.role === 'leader' && body.kind !== 'special')
    throw new EngineError('forbidden', 'task.leader_special_only', {
      zh: '领导只能发起专项抽查任务（发起即审批）；一般和重点任务由部门操作员创建',
      en: 'leaders may only raise special tasks (approved as they are raised); general and key tasks are created by department operators',
    });
  const spec = { ...body, createdBy: caller.username };
  const checked = await validateTaskSpec(db, spec, await getPlan(db, spec.planId));
  assertTaskDepartments(caller, checked.departments);
  return createTask(db, spec, caller.role === 'leader' ? { approvedBy: caller.username } : {});
}

/** Who could staff the task as the caller is drafting it (before it is created): pools per team entry and per item. */
export async function staffingFor(db: Db, caller: Principal, body: TaskBody): Promise<TeamStaffing[]> {
  return staffing(db, await validateTaskSpec(db, { ...body, createdBy: caller.username }, await getPlan(db, body.planId)));
}

export function approveTaskAs(db: Db, caller: Principal, taskId: string): Promise<Task> {
  return approveTask(db, taskId, caller.username);
}

/** A partner department answers its invitation into a joint task: its own operators (or an admin), nobody else. */
export async function decideInvitationAs(db: Db, caller: Principal, taskId: string, department: string, decision: 'accept' | 'decline'): Promise<Invitation> {
  await taskFor(db, caller, taskId);
  assertOwnDepartment(caller, department);
  return decideInvitation(db, taskId, department, decision === 'accept' ? 'accepted' : 'declined', { actor: caller.username });
}

/** The lead department (or an admin) takes a partner department (one that declined, say) out of a task before its draw. */
export async function withdrawDepartmentAs(db: Db, caller: Principal, taskId: string, department: string): Promise<Task> {
  assertLeadDepartment(caller, (await taskFor(db, caller, taskId)).leadDepartment);
  return withdrawDepartment(db, taskId, department, { actor: caller.username });
}

/** A leader records the decision to publish a draw's results before its window closes (the route admits leaders only). */
export function decideEarlyPublicationAs(db: Db, caller: Principal, drawId: string, reason: string): Promise<EarlyPublication> {
  return decideEarlyPublication(db, drawId, { reason, actor: caller.username });
}

/** The task list the caller may see, each task with its stage; an operator sees its own department's only. */
export function taskRowsFor(q: Queryable, caller: Principal, filter: TaskRowFilter): Promise<TaskRow[]> {
  return taskRows(q, { ...filter, department: listingDepartment(caller, filter.department) });
}

export async function taskPageFor(q: Queryable, caller: Principal, taskId: string): Promise<TaskDetail> {
  return taskDetail(q, await taskFor(q, caller, taskId));
}

/** Draws the caller may see, by task, status or department. */
export async function drawsFor(q: Queryable, caller: Principal, filter: { taskId?: string; status?: DrawStatus; department?: string }): Promise<Draw[]> {
  const department = listingDepartment(caller, filter.department) ?? undefined;
  return (await listDraws(q, { taskId: filter.taskId, status: filter.status, department })).map(drawView);
}

export async function drawPageFor(q: Queryable, caller: Principal, drawId: string, page: { limit: number; offset: number }): Promise<DrawPage> {
  return { ...(await drawPage(q, await drawFor(q, caller, drawId), page)), mayDownloadAuditorPackage: mayDownloadAuditorPackage(caller) };
}

/** Who may download a draw's auditor package (secret, strata, keys): auditors and admins; operators never see tiers. */
const AUDITOR_PACKAGE_ROLES: readonly Role[] = ['auditor', 'admin'];

export function mayDownloadAuditorPackage(caller: Principal): boolean {
  return AUDITOR_PACKAGE_ROLES.includes(caller.role);
}

/** A draw the caller may act on: its task's lead department's operators, or an admin. */
async function drawToActOn(q: Queryable, caller: Principal, drawId: string): Promise<DrawDetail> {
  const draw = await drawFor(q, caller, drawId);
  assertLeadDepartment(caller, (await getTask(q, draw.taskId)).leadDepartment);
  return draw;
}

/** Commits a task's draw with its declared beacon (fd2 §1): the event's name and when its value exists. */
export async function commitDrawAs(db: Db, caller: Principal, taskId: string, body: CommitBody): Promise<Draw> {
  assertLeadDepartment(caller, (await taskFor(db, caller, taskId)).leadDepartment);
  const beaconDue = parseInstant(body.beaconDue);
  if (!beaconDue)
    throw new DrawInputError('beaconDue', body.beaconDue, '须为带时区的时间，如 2026-03-02T15:00+08:00 / must be a time with its offset, e.g. 2026-03-02T15:00+08:00');
  return drawView(await commitDraw(db, taskId, { actor: caller.username, beaconSource: body.beaconSource, beaconDue }));
}

export async function enterBeaconAs(db: Db, caller: Principal, drawId: string, beacon: string): Promise<Draw> {
  await drawToActOn(db, caller, drawId);
  return drawView(await enterBeacon(db, drawId, beacon, { actor: caller.username }));
}

/** Runs the draw, once; a rehearsal may run without a beacon (recorded as not grind-proof). */
export async function runDrawAs(db: Db, caller: Principal, drawId: string, options: { rehearsal: boolean }): Promise<Draw> {
  await drawToActOn(db, caller, drawId);
  return drawView(await runDraw(db, drawId, { actor: caller.username, allowNoBeacon: options.rehearsal }));
}

export async function voidDrawAs(db: Db, caller: Principal, drawId: string, reason: string): Promise<Draw> {
  await drawToActOn(db, caller, drawId);
  return drawView(await voidDraw(db, drawId, { reason, actor: caller.username }));
}
