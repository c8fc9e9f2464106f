// The public portal's data (/api/public/..., no login): item list, plans, draws (commitment and digest at once;
// selection, teams and files once the inspection window has closed), published results (redacted) and the names the
// portal shows.
import { PUBLIC_FILES } from '../../draw/files.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { described, IsoDate, Query, Type } from '../../kernel/schema.ts';
import { DrawStatus } from '../../draw/schemas.ts';
import { PORTAL_DRAW_FILES, publicDraw, publicDrawFile, publicDrawZip, publicPlans, SEARCH_MAX_LIMIT, WITHHELD_DRAW_FILES } from '../../publish/portal.ts';
import { itemsInForce, publicDrawPage, PublicSearch } from '../../publish/portal-answers.ts';
import { PublicDrawDetail, PublicDrawPage, PublicItem, PublicPlan, ResultSearchPage } from '../../publish/schemas.ts';
import { referenceNames, ReferenceNames } from '../../reference/names.ts';
import { publishedHeads } from '../../audit/heads.ts';
import { PublishedHeadsPage } from '../../audit/trail.ts';
import { BinaryAnswer, errorAnswer, IdParam } from '../schemas.ts';
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
    summary: '抽取核验文件 A file of the draw\'s public package (fd2 §3: manifest.json from the commitment, selected.csv after the window; fd1 draws: fd1 §6 after the window)',
    description: `fd2：公众包 manifest.json、selected.csv；分层涉及风险等级的抽取不公开其他文件（403）。fd1：门户提供 ${PORTAL_DRAW_FILES.join('、')}；${WITHHELD_DRAW_FILES.join('、')} 含每个主体的风险等级，不公开（403）。 fd2: the public package, manifest.json and selected.csv; a draw with tier strata withholds every other file (403). fd1: ${PORTAL_DRAW_FILES.join(', ')}; ${WITHHELD_DRAW_FILES.join(', ')} carry each entity's risk tier and are withheld (403).`,
    params: Type.Object({ drawId: DrawId, file: Type.String({ enum: [...new Set([...PUBLIC_FILES, ...PORTAL_DRAW_FILES, ...WITHHELD_DRAW_FILES])] }) }),
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

  app.get('/public/draws/:drawId/package.zip', route(PUBLIC, {
    summary: '公众包下载 The draw\'s public package as one zip, the folder `fairdraw draw verify DIR` takes',
    description: 'fd2：承诺后为 manifest.json，检查窗口结束后加 selected.csv；分层不涉及风险等级的抽取在窗口结束后为全部六个文件。fd1 抽取的文件逐个下载（403）。 fd2: manifest.json from the commitment, selected.csv after the window; a draw whose strata are not confidential gives its six files after the window. fd1 draws: download the files one by one (403).',
    params: Type.Object({ drawId: DrawId }),
    response: {
      200: BinaryAnswer('zip：manifest.json, selected.csv（或六个文件 or the six files）', 'application/zip'),
      403: errorAnswer('fd1 抽取 fd1 draw'),
      404: noDraw,
    },
  }), async (request, reply) => {
    const zip = await publicDrawZip(app.db, request.params.drawId, new Date());
    reply.raw.once('close', zip.cleanup);
    return reply.type('application/zip').header('content-disposition', `attachment; filename="${zip.filename}"`).send(zip.stream);
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

  app.get('/public/audit-heads', route(PUBLIC, {
    summary: '审计链头 The audit chain\'s published heads, newest first: keep a copy and check it with `fairdraw audit verify --heads FILE`',
    description:
      '每次承诺、每次抽取及每天至少一次公布审计链的链头 {seq, hash}；保存一份副本，日后用它核对：链尾被删或链被改写后重算，都再也对不上已公布的链头。 ' +
      'A head {seq, hash} of the audit chain is published at every commitment, every draw and at least once a day; keep a copy and check against it later: a deleted tail or a chain recomputed after an edit no longer reaches a published head.',
    querystring: Query({
      limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
      offset: Type.Integer({ minimum: 0, default: 0 }),
    }),
    response: { 200: PublishedHeadsPage },
  }), async (request) => publishedHeads(app.db.path, request.query));

  app.get('/public/reference', route(PUBLIC, { summary: '名称对照 Names the portal shows: departments, regions (GB/T 2260), industries (GB/T 4754)', response: { 200: ReferenceNames } }), async () => referenceNames(app.db));
};
