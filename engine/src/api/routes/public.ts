// The public portal's data (/api/public/..., no login): item list, plans, draws (commitment and digest at once;
// selection, teams and files once the inspection window has closed), published results (redacted) and the names the
// portal shows.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { described, IsoDate, Query, Type } from '../../kernel/schema.ts';
import { DrawStatus } from '../../draw/schemas.ts';
import { PORTAL_DRAW_FILES, publicDraw, publicDrawFile, publicPlans, SEARCH_MAX_LIMIT, WITHHELD_DRAW_FILES } from '../../publish/portal.ts';
import { itemsInForce, publicDrawPage, PublicSearch } from '../../publish/portal-answers.ts';
import { PublicDrawDetail, PublicDrawPage, PublicItem, PublicPlan, ResultSearchPage } from '../../publish/schemas.ts';
import { referenceNames, ReferenceNames } from '../../reference/names.ts';
import { errorAnswer, IdParam } from '../schemas.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('public');
const PUBLIC = 'public' as const;
const DrawId = IdParam('抽取编号 draw id, e.g. D2026-0001');
const noDraw = errorAnswer('没有这个抽取 No such draw');
const Year = Type.Integer({ minimum: 2000, maximum: 2100 });

export const publicRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const search = new PublicSearch(app.db);
  app.addHook('onListen', async () => {
    search.warm().catch((err: unknown) => app.log.warn({ err }, 'public search index warm-up failed'));
  });

  app.get('/public/items', route(PUBLIC, {
    summary: '随机抽查事项清单 The item list in force',
    querystring: Query({
      department: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
      on: Type.Optional(described(IsoDate, '哪一天有效的清单，默认今天 in force on this day, default today')),
    }),
    response: { 200: Type.Object({ on: IsoDate, items: Type.Array(PublicItem) }) },
  }), async (request) => itemsInForce(app.db, request.query));

  app.get('/public/plans', route(PUBLIC, {
    summary: '年度抽查工作计划 Annual plans and their tasks',
    querystring: Query({ year: Type.Optional(Year) }),
    response: { 200: Type.Object({ plans: Type.Array(PublicPlan) }) },
  }), async (request) => ({ plans: await publicPlans(app.db, request.query) }));

  app.get('/public/draws', route(PUBLIC, {
    summary: '抽取列表 Draws: commitment and population digest from the moment of commitment',
    querystring: Query({
      taskId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      status: Type.Optional(DrawStatus),
      year: Type.Optional(Year),
      limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
      offset: Type.Integer({ minimum: 0, default: 0 }),
    }),
    response: { 200: PublicDrawPage },
  }), async (request) => publicDrawPage(app.db, request.query));

  app.get('/public/draws/:drawId', route(PUBLIC, {
    summary: '一次抽取 One draw: after the window closes also the secret, the selection (ids), teams (inspector ids) and files',
    params: Type.Object({ drawId: DrawId }),
    response: { 200: PublicDrawDetail, 404: noDraw },
  }), async (request) => publicDraw(app.db, request.params.drawId, new Date()));

  app.get('/public/draws/:drawId/files/:file', route(PUBLIC, {
    summary: '抽取核验文件 A published file of the draw (fd1 §6), once the window has closed',
    description: `门户提供 ${PORTAL_DRAW_FILES.join('、')}；${WITHHELD_DRAW_FILES.join('、')} 含每个主体的风险等级，不公开（403）。 The portal serves ${PORTAL_DRAW_FILES.join(', ')}; ${WITHHELD_DRAW_FILES.join(', ')} carry each entity's risk tier and are withheld (403).`,
    params: Type.Object({ drawId: DrawId, file: Type.String({ enum: [...PORTAL_DRAW_FILES, ...WITHHELD_DRAW_FILES] }) }),
    response: {
      200: Type.String({ description: '文件内容（JSON 或 CSV） The file (JSON or CSV)' }),
      403: errorAnswer('尚未公开或不公开 Not public (yet)'),
      404: noDraw,
    },
  }), async (request, reply) => {
    const { drawId, file } = request.params;
    const published = await publicDrawFile(app.db, drawId, file, new Date());
    return reply.type(published.contentType).header('content-disposition', `attachment; filename="${drawId}-${file}"`).send(published.body);
  });

  app.get('/public/results', route(PUBLIC, {
    summary: '抽查结果查询 Published results, searchable by entity name or code',
    description: '按主体名称（公开的、已遮蔽的名称）包含查询，或按统一社会信用代码精确查询；每页最多 100 条。 Name contains the text (the public, masked name) or the code equals it; at most 100 per page.',
    querystring: Query({
      q: Type.Optional(Type.String({ maxLength: 100, description: '主体名称或统一社会信用代码 entity name or USCC' })),
      department: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
      itemCode: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
      limit: Type.Integer({ minimum: 1, maximum: SEARCH_MAX_LIMIT, default: 20 }),
      offset: Type.Integer({ minimum: 0, default: 0 }),
    }),
    response: { 200: ResultSearchPage },
  }), async (request) => search.search(request.query));

  app.get('/public/reference', route(PUBLIC, { summary: '名称对照 Names the portal shows: departments, regions (GB/T 2260), industries (GB/T 4754)', response: { 200: ReferenceNames } }), async () => referenceNames(app.db));
};
