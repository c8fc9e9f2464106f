// Draws (/api/draws, /api/tasks/:taskId/draws): the list, a draw's page, commit, beacon, run and void, and a leader's
// decision to publish a draw's results before its window closes. Operators see and change only draws of tasks their
// department leads or takes part in.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Query, Type } from '../../kernel/schema.ts';
import { commitDrawAs, decideEarlyPublicationAs, drawPageFor, drawsFor, enterBeaconAs, runDrawAs, voidDrawAs } from '../../draw/operations.ts';
import { CommitBody, DepartmentCode, Draw, DrawPage, DrawStatus, DRAW_PAGE_ROWS_MAX, EarlyPublication, EarlyPublicationBody } from '../../draw/schemas.ts';
import { requirePrincipal } from '../plugins/auth.ts';
import { errorAnswer, IdParam } from '../schemas.ts';
import { DEPARTMENT_WRITERS, EVERY_ROLE } from '../roles.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('draws');

export const DrawParams = Type.Object({ drawId: IdParam('抽取编号 draw id, e.g. D2026-0001') });
export const noDraw = errorAnswer('抽取不存在 No such draw');

export const drawRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/draws', route(EVERY_ROLE, {
    summary: '抽取列表 Draws: task, status, counts (operators: their department\'s)',
    querystring: Query({ taskId: Type.Optional(IdParam('任务编号 task id, e.g. T2026-0001')), status: Type.Optional(DrawStatus), department: Type.Optional(DepartmentCode) }),
    response: { 200: Type.Object({ draws: Type.Array(Draw) }) },
  }), async (request) => ({ draws: await drawsFor(app.db, requirePrincipal(request), request.query) }));

  app.get('/draws/:drawId', route(EVERY_ROLE, {
    summary: '抽取详情 A draw: header, strata, one page of the selection with teams, unstaffed objects with reasons',
    description: '内部页面：含检查人员姓名，不含秘密值。 Internal: inspectors are named; the secret is never shown here (it is in the export).',
    params: DrawParams,
    querystring: Query({
      limit: Type.Integer({ minimum: 1, maximum: DRAW_PAGE_ROWS_MAX, default: 200 }),
      offset: Type.Integer({ minimum: 0, default: 0 }),
    }),
    response: { 200: DrawPage, 404: noDraw },
  }), async (request) => drawPageFor(app.db, requirePrincipal(request), request.params.drawId, request.query));

  app.post('/tasks/:taskId/draws', route(DEPARTMENT_WRITERS, {
    summary: '承诺 Commit a draw: freeze the population and pools, publish H(secret), the population digest and the declared beacon (source, due time)',
    params: Type.Object({ taskId: IdParam('任务编号 task id, e.g. T2026-0001') }),
    body: CommitBody,
    response: {
      201: Draw,
      400: errorAnswer('信标来源为空，或信标时间早于承诺加最小间隔 No beacon source, or the beacon is due too early (draw.beacon_due_too_early)'),
      404: errorAnswer('任务不存在 No such task'),
      409: errorAnswer('待审批、已有抽取、窗口已过、人员库不足或无符合条件的对象 Awaiting approval, a live draw exists, window over, pool too small or nothing eligible'),
    },
  }), async (request, reply) => reply.code(201).send(await commitDrawAs(app.db, requirePrincipal(request), request.params.taskId, request.body)));

  app.post('/draws/:drawId/beacon', route(DEPARTMENT_WRITERS, {
    summary: '录入信标 Enter the public beacon value (verbatim, once, after the commitment)',
    params: DrawParams,
    body: Type.Object(
      {
        beacon: Type.String({ minLength: 1, maxLength: 500, description: '承诺之后才产生的公开值，如“深证成指 2026-03-02 收盘 10234.56” a public value that did not exist at commitment' }),
      },
      { additionalProperties: false },
    ),
    response: { 200: Draw, 404: noDraw, 409: errorAnswer('信标时间未到（draw.beacon_not_due），或信标已录入、抽取已完成或作废 The beacon is not due yet, or already entered, or the draw is drawn or voided') },
  }), async (request) => enterBeaconAs(app.db, requirePrincipal(request), request.params.drawId, request.body.beacon));

  app.post('/draws/:drawId/run', route(DEPARTMENT_WRITERS, {
    summary: '执行抽取 Run the draw, once: selection, exclusions, teams',
    params: DrawParams,
    body: Type.Unsafe<{ rehearsal?: boolean } | null>({
      type: ['object', 'null'],
      additionalProperties: false,
      properties: { rehearsal: { type: 'boolean', default: false, description: '无信标演练（记为非防操纵） rehearsal without beacon, recorded as not grind-proof' } },
    }),
    response: { 200: Draw, 404: noDraw, 409: errorAnswer('尚无信标、已抽取或已作废 No beacon yet, already drawn, or voided') },
  }), async (request) => runDrawAs(app.db, requirePrincipal(request), request.params.drawId, { rehearsal: request.body?.rehearsal === true }));

  app.post('/draws/:drawId/void', route(DEPARTMENT_WRITERS, {
    summary: '作废抽取 Void a draw with a reason; the record and its rows stay',
    params: DrawParams,
    body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500, description: '作废理由 why' }) }, { additionalProperties: false }),
    response: { 200: Draw, 404: noDraw, 409: errorAnswer('已作废 Already voided') },
  }), async (request) => voidDrawAs(app.db, requirePrincipal(request), request.params.drawId, request.body.reason));

  app.post('/draws/:drawId/publish-early', route(['leader'], {
    summary: '领导决定提前公开结果 A leader decides to publish a draw\'s results before its window closes, with the reason (audited)',
    params: DrawParams,
    body: EarlyPublicationBody,
    response: { 201: EarlyPublication, 404: noDraw, 409: errorAnswer('未完成抽取或已决定 Not drawn, or already decided') },
  }), async (request, reply) => reply.code(201).send(await decideEarlyPublicationAs(app.db, requirePrincipal(request), request.params.drawId, request.body.reason)));
};
