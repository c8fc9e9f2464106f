// Results entry for department operators (/api/results/...): assignments, enter, correct, history, review of the
// free text, publish, and the deadline report. Writes are the inspecting department's (谁检查、谁录入、谁公开), or an admin's.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Nullable, Query, Type } from '../../kernel/schema.ts';
import { correctResult, enterResult, publishResult, reviewFindings } from '../../results/results.ts';
import { assignmentsFor, deadlinesFor, historyFor, publishDrawResultsAs } from '../../results/operations.ts';
import {
  AssignmentPage,
  AssignmentSort,
  AssignmentState,
  DeadlineReport,
  DrawResult,
  FindingsDecision,
  ResultCorrection,
  ResultEntryBody,
  ResultHistory,
  ResultKey,
  SortDirection,
} from '../../results/schemas.ts';
import { requirePrincipal } from '../plugins/auth.ts';
import { errorAnswer } from '../schemas.ts';
import { DEPARTMENT_WRITERS, EVERY_ROLE } from '../roles.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('results');
const DepartmentQuery = Type.String({ minLength: 1, maxLength: 32, description: '部门代码；部门操作员只能查本部门 department code; operators: their own only' });
const DueSoonDays = Type.Integer({ minimum: 0, maximum: 60, default: 5, description: '临近期限的工作日数 working days that count as due soon' });
const notEntered = errorAnswer('尚未录入 Not entered');

export const resultRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/results/assignments', route(EVERY_ROLE, {
    summary: '待检查与待录入 Objects and items assigned to a department, with result state and due date',
    description: '已完成抽取的抽取中，检查组含本部门人员的抽中对象 × 本部门的事项。 Drawn draws: every selected object whose team holds the department, times its items.',
    querystring: Query({
      department: Type.Optional(DepartmentQuery),
      drawId: Type.Optional(ResultKey.properties.drawId),
      state: Type.Optional(AssignmentState),
      limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
      offset: Type.Integer({ minimum: 0, default: 0 }),
      sort: Type.Optional(AssignmentSort),
      direction: Type.Optional(SortDirection),
      dueSoonDays: DueSoonDays,
    }),
    response: { 200: AssignmentPage },
  }), async (request) => assignmentsFor(app.db, requirePrincipal(request), request.query));

  app.get('/results/deadlines', route(EVERY_ROLE, {
    summary: '公开期限报告 Deadline report: overdue and due-soon results (20 working days from inspection)',
    querystring: Query({ department: Type.Optional(DepartmentQuery), drawId: Type.Optional(ResultKey.properties.drawId), dueSoonDays: DueSoonDays }),
    response: { 200: DeadlineReport },
  }), async (request) => deadlinesFor(app.db, requirePrincipal(request), request.query));

  app.post('/results', route(DEPARTMENT_WRITERS, {
    summary: '录入结果 Enter the result of one drawn object and item (the inspecting department only)',
    body: ResultEntryBody,
    response: {
      201: DrawResult,
      404: errorAnswer('抽取、抽中对象或事项不存在 No such draw, selected object or checklist item'),
      409: errorAnswer('已录入，或抽取未完成 Already entered, or the draw is not drawn'),
    },
  }), async (request, reply) => {
    const { drawId, objectId, itemCode, ...entry } = request.body;
    return reply.code(201).send(await enterResult(app.db, { drawId, objectId, itemCode }, entry, { actor: requirePrincipal(request) }));
  });

  app.put('/results/:drawId/:objectId/:itemCode', route(DEPARTMENT_WRITERS, {
    summary: '更正结果 Correct a result: a new version, the old kept with who, when and why',
    params: ResultKey,
    body: ResultCorrection,
    response: { 200: DrawResult, 404: notEntered },
  }), async (request) => correctResult(app.db, request.params, request.body, { actor: requirePrincipal(request) }));

  app.get('/results/:drawId/:objectId/:itemCode/history', route(EVERY_ROLE, { summary: '结果及修改历史 A result and its full history', params: ResultKey, response: { 200: ResultHistory, 404: notEntered } }), async (request) => historyFor(app.db, requirePrincipal(request), request.params));

  app.post('/results/:drawId/:objectId/:itemCode/review', route(DEPARTMENT_WRITERS, {
    summary: '审核文字说明 Review the free text: approve it (optionally edited) for release, or withhold it',
    params: ResultKey,
    body: FindingsDecision,
    response: { 200: DrawResult, 404: notEntered, 409: errorAnswer('没有文字说明 No free text') },
  }), async (request) => reviewFindings(app.db, request.params, request.body, { actor: requirePrincipal(request) }));

  app.post('/results/:drawId/:objectId/:itemCode/publish', route(DEPARTMENT_WRITERS, {
    summary: '公开结果 Publish a result on the portal (redacted)',
    params: ResultKey,
    response: { 200: DrawResult, 404: notEntered, 409: errorAnswer('已公开 Already published') },
  }), async (request) => publishResult(app.db, request.params, { actor: requirePrincipal(request) }));

  app.post('/results/publish', route(DEPARTMENT_WRITERS, {
    summary: '批量公开 Publish every entered, unpublished result of a draw for the department',
    body: Type.Object({ drawId: ResultKey.properties.drawId, department: Type.Optional(Nullable(DepartmentQuery)) }, { additionalProperties: false }),
    response: { 200: Type.Object({ published: Type.Array(DrawResult) }), 404: errorAnswer('抽取不存在 No such draw') },
  }), async (request) => publishDrawResultsAs(app.db, requirePrincipal(request), request.body));
};
