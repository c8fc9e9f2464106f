// Inspection tasks (/api/tasks): the list with each task's stage, a task's page, create (operators for their
// department, analysts special tasks only), a leader's approval of a special task, and a joint task's invitations
// (a partner department accepts or declines; the lead withdraws a department before the draw).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { described, Query, Type } from '../../kernel/schema.ts';
import { approveTaskAs, createTaskAs, decideInvitationAs, staffingFor, taskPageFor, taskRowsFor, withdrawDepartmentAs } from '../../draw/operations.ts';
import { DepartmentCode, Invitation, InvitationDecision, Task, TaskBody, TaskDetail, TaskKind, TaskRow, TaskStatus, TeamStaffing, Year } from '../../draw/schemas.ts';
import { requirePrincipal } from '../plugins/auth.ts';
import { errorAnswer, IdParam } from '../schemas.ts';
import { EVERY_ROLE } from '../roles.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('draws');
/** Analysts may propose special tasks (from a regional alert), a leader approves them before any draw; a leader's own special task is approved as it is created. */
const TASK_CREATORS = ['admin', 'analyst', 'leader', 'operator'] as const;
const APPROVERS = ['admin', 'leader'] as const;

const TaskParams = Type.Object({ taskId: IdParam('任务编号 task id, e.g. T2026-0001') });
const DepartmentParams = Type.Object({ taskId: IdParam('任务编号 task id, e.g. T2026-0001'), department: DepartmentCode });
/** Department operators act for their own department; admins for any. */
const DEPARTMENT_ACTORS = ['admin', 'operator'] as const;
const noTask = errorAnswer('任务不存在 No such task');

export const taskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/tasks', route(EVERY_ROLE, {
    summary: '抽查任务列表 Tasks (operators: those their department leads or takes part in)',
    querystring: Query({
      planId: Type.Optional(IdParam('计划编号 plan id, e.g. P2026-0001')),
      year: Type.Optional(Year),
      kind: Type.Optional(TaskKind),
      status: Type.Optional(TaskStatus),
      department: Type.Optional(described(DepartmentCode, '只列该部门牵头或参与的；部门操作员只能查本部门 only tasks this department takes part in; operators: their own only')),
    }),
    response: { 200: Type.Object({ tasks: Type.Array(TaskRow) }) },
  }), async (request) => ({ tasks: await taskRowsFor(app.db, requirePrincipal(request), request.query) }));

  app.post('/tasks', route(TASK_CREATORS, {
    summary: '新建抽查任务 Create a task (operators: for their department; analysts: special tasks only, a leader approves them; leaders: special tasks only, approved at once)',
    description:
      '缺省比例取现行抽查比例政策（抽取时）；专项任务须领导审批后才能抽取。 Ratios left out come from the sampling policy in force at commit; a special task needs a leader\'s approval before its draw.',
    body: TaskBody,
    response: { 201: Task, 404: errorAnswer('计划不存在 No such plan') },
  }), async (request, reply) => reply.code(201).send(await createTaskAs(app.db, requirePrincipal(request), request.body)));

  app.post('/tasks/staffing', route(TASK_CREATORS, {
    summary: '检查力量预检 Who could staff a drafted task: each team entry\'s inspector pool for all its items together and for each item alone (nothing is saved)',
    description: '抽取时人员库少于每组所需人数会被拒绝（task.pool_too_small）；提交前据此指出是哪个事项的专长不足。 A draw refuses a pool smaller than one team (task.pool_too_small); this says beforehand which item narrows it.',
    body: TaskBody,
    response: { 200: Type.Object({ teams: Type.Array(TeamStaffing) }), 404: errorAnswer('计划不存在 No such plan') },
  }), async (request) => ({ teams: await staffingFor(app.db, requirePrincipal(request), request.body) }));

  app.get('/tasks/:taskId', route(EVERY_ROLE, {
    summary: '任务详情 A task: checklist, team specification, scope, strata and ratios in effect, its draws',
    params: TaskParams,
    response: { 200: TaskDetail, 404: noTask },
  }), async (request) => taskPageFor(app.db, requirePrincipal(request), request.params.taskId));

  app.post('/tasks/:taskId/approve', route(APPROVERS, {
    summary: '领导审批专项任务 A leader approves a special task before its draw',
    params: TaskParams,
    response: { 200: Task, 404: noTask, 409: errorAnswer('不是待审批的专项任务 Not a special task awaiting approval') },
  }), async (request) => approveTaskAs(app.db, requirePrincipal(request), request.params.taskId));

  app.post('/tasks/:taskId/invitations/:department', route(DEPARTMENT_ACTORS, {
    summary: '参与部门答复联合任务邀请 A partner department accepts or declines its invitation into a joint task (its own operators)',
    description: '所有参与部门接受前不能提交承诺；拒绝的部门须由牵头部门移除后才能提交。 No commitment until every partner department accepted; a department that declined is withdrawn by the lead first.',
    params: DepartmentParams,
    body: InvitationDecision,
    response: { 200: Invitation, 404: noTask, 409: errorAnswer('已答复 Already answered') },
  }), async (request) => {
    const { taskId, department } = request.params;
    return decideInvitationAs(app.db, requirePrincipal(request), taskId, department, request.body.decision);
  });

  app.post('/tasks/:taskId/departments/:department/withdraw', route(DEPARTMENT_ACTORS, {
    summary: '移除参与部门 The lead department withdraws a partner department (its items and team) before the draw',
    params: DepartmentParams,
    response: { 200: Task, 404: noTask, 409: errorAnswer('已有抽取 The task already has a draw') },
  }), async (request) => withdrawDepartmentAs(app.db, requirePrincipal(request), request.params.taskId, request.params.department));
};
