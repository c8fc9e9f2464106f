// The public portal's data (/api/public/..., no login): item list, plans, draws (commitment and digest at once;
// selection, teams and files once the inspection window has closed) and published results, redacted.
import type { FastifyPluginAsync } from 'fastify';
import { DrawNotFoundError } from '../../draw/plans.ts';
import { shanghaiDate } from '../../kernel/time.ts';
import {
  NotPublicError,
  PORTAL_DRAW_FILES,
  publicDraw,
  publicDrawFile,
  publicDraws,
  publicItems,
  publicPlans,
  searchPublicResults,
  SEARCH_MAX_LIMIT,
  WITHHELD_DRAW_FILES,
  type PublicDrawDetail,
  type PublicDrawSummary,
  type ResultSearchPage,
} from '../../publish/portal.ts';
import { keptSearchIndex } from '../../publish/search-index.ts';
import { AnswerCache, currentDataVersion } from '../answer-cache.ts';
import { errorResponse, HttpError } from '../plugins/auth.ts';
import { date, dateTime, nullableDateTime } from '../schemas.ts';

const TAGS = ['public'];
/** Search answers kept per data version (each at most 100 results). */
const SEARCH_ANSWERS_KEPT = 500;
const PUBLIC = 'public' as const;

const drawIdParam = { type: 'string', minLength: 1, maxLength: 64, description: '抽取编号 draw id, e.g. D2026-0001' } as const;
const notFound = { ...errorResponse, description: '没有这个抽取 No such draw' };

async function mapPortalErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DrawNotFoundError) throw new HttpError(404, 'not found', err.message);
    if (err instanceof NotPublicError) throw new HttpError(403, 'not public', err.message);
    throw err;
  }
}

const itemSchema = {
  type: 'object',
  required: ['code', 'version', 'departmentCode', 'kind', 'nameZh', 'nameEn', 'legalBasis', 'objectType', 'content', 'method', 'validFrom', 'validTo'],
  properties: {
    code: { type: 'string' },
    version: { type: 'integer' },
    departmentCode: { type: 'string' },
    departmentNameZh: { type: 'string' },
    departmentNameEn: { type: 'string' },
    kind: { type: 'string', enum: ['general', 'key'], description: '一般 general / 重点 key' },
    nameZh: { type: 'string' },
    nameEn: { type: 'string' },
    legalBasis: { type: 'string' },
    objectType: { type: 'string' },
    content: { type: 'string' },
    method: { type: 'string', enum: ['onsite', 'documents', 'online'] },
    defaultRatioBp: { type: 'integer', description: '默认抽查比例（基点） default ratio in basis points' },
    frequencyPerYear: { type: 'integer' },
    validFrom: date,
    validTo: { type: ['string', 'null'], format: 'date' },
  },
} as const;

const taskSchema = {
  type: 'object',
  required: ['id', 'kind', 'name', 'leadDepartment', 'departments', 'items', 'windowStart', 'windowEnd'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['general', 'key', 'special'] },
    name: { type: 'string' },
    leadDepartment: { type: 'string' },
    departments: { type: 'array', items: { type: 'string' } },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'version', 'departmentCode', 'nameZh', 'nameEn', 'method'],
        properties: { code: { type: 'string' }, version: { type: 'integer' }, departmentCode: { type: 'string' }, nameZh: { type: 'string' }, nameEn: { type: 'string' }, method: { type: 'string' } },
      },
    },
    scope: {
      type: 'object',
      properties: {
        regions: { type: 'array', items: { type: 'string' } },
        industries: { type: 'array', items: { type: 'string' } },
        entityTypes: { type: 'array', items: { type: 'string' } },
        objectKinds: { type: 'array', items: { type: 'string' } },
      },
    },
    windowStart: date,
    windowEnd: date,
  },
} as const;

const planSchema = {
  type: 'object',
  required: ['id', 'year', 'jurisdictionRegionCode', 'leadDepartment', 'name', 'createdAt', 'tasks'],
  properties: {
    id: { type: 'string' },
    year: { type: 'integer' },
    jurisdictionRegionCode: { type: 'string' },
    leadDepartment: { type: 'string' },
    name: { type: 'string' },
    createdAt: dateTime,
    tasks: { type: 'array', items: taskSchema },
  },
} as const;

const drawSummaryProperties = {
  id: { type: 'string' },
  taskId: { type: 'string' },
  taskName: { type: 'string' },
  taskKind: { type: 'string', enum: ['general', 'key', 'special'] },
  departments: { type: 'array', items: { type: 'string' } },
  protocol: { type: 'string' },
  status: { type: 'string', enum: ['committed', 'beaconed', 'drawn', 'voided'] },
  commitment: { type: 'string', description: 'H(secret)，抽取前公开 published at commitment' },
  populationDigest: { type: 'string', description: '名单摘要 digest of the frozen population' },
  populationSize: { type: 'integer' },
  beacon: { type: ['string', 'null'] },
  grindProof: { type: ['boolean', 'null'] },
  committedAt: dateTime,
  beaconedAt: nullableDateTime,
  drawnAt: nullableDateTime,
  voidedAt: nullableDateTime,
  voidReason: { type: ['string', 'null'] },
  windowStart: date,
  windowEnd: date,
  published: { type: 'boolean', description: '检查窗口已结束：抽中名单、检查组和文件已公开 the window has closed: selection, teams and files are public' },
} as const;
const drawSummaryRequired = ['id', 'taskId', 'taskName', 'status', 'commitment', 'populationDigest', 'populationSize', 'committedAt', 'windowStart', 'windowEnd', 'published'];

const drawSummarySchema = { type: 'object', required: drawSummaryRequired, properties: drawSummaryProperties } as const;

/** The response schema is also the whitelist: fields not listed here never leave the server. */
const drawDetailSchema = {
  type: 'object',
  required: drawSummaryRequired,
  properties: {
    ...drawSummaryProperties,
    secret: { type: 'string', description: '窗口结束后公开 published once the window has closed' },
    seed: { type: ['string', 'null'] },
    strata: {
      type: 'array',
      description: '各分层的合计（不含任何主体的分层归属） per-stratum totals only, never which entity is in which stratum',
      items: {
        type: 'object',
        required: ['stratum', 'eligible'],
        properties: { stratum: { type: 'string' }, eligible: { type: 'integer' }, ratioBp: { type: 'integer' }, count: { type: 'integer' }, quota: { type: 'integer' } },
      },
    },
    selection: { type: 'array', items: { type: 'object', required: ['objectId'], properties: { objectId: { type: 'string' } } } },
    teams: {
      type: 'array',
      description: '检查人员仅列编号 inspectors by id only',
      items: {
        type: 'object',
        required: ['objectId', 'department', 'inspectorId', 'position'],
        properties: { objectId: { type: 'string' }, department: { type: 'string' }, inspectorId: { type: 'string' }, position: { type: 'integer' } },
      },
    },
    unstaffed: {
      type: 'array',
      items: {
        type: 'object',
        required: ['objectId', 'department', 'reason'],
        properties: { objectId: { type: 'string' }, department: { type: 'string' }, reason: { type: 'string' } },
      },
    },
    files: { type: 'array', items: { type: 'string' } },
  },
} as const;

const publicResultSchema = {
  type: 'object',
  required: ['resultId', 'objectId', 'entityName', 'itemCode', 'itemNameZh', 'departmentCode', 'departmentNameZh', 'outcomeCode', 'outcomeNameZh', 'isFinding', 'findings', 'inspectedOn', 'publishedAt'],
  properties: {
    resultId: { type: 'string' },
    drawId: { type: 'string' },
    taskId: { type: 'string' },
    taskName: { type: 'string' },
    objectId: { type: 'string', description: '统一社会信用代码 USCC' },
    entityName: { type: 'string', description: '个体工商户经营者姓名已遮蔽 individual businesses: the operator’s name masked' },
    entityType: { type: ['string', 'null'] },
    regionCode: { type: 'string' },
    regionNameZh: { type: ['string', 'null'] },
    itemCode: { type: 'string' },
    itemVersion: { type: 'integer' },
    itemNameZh: { type: 'string' },
    itemNameEn: { type: 'string' },
    departmentCode: { type: 'string' },
    departmentNameZh: { type: 'string' },
    departmentNameEn: { type: 'string' },
    outcomeCode: { type: 'string' },
    outcomeNameZh: { type: 'string' },
    outcomeNameEn: { type: 'string' },
    isFinding: { type: 'boolean' },
    findings: { type: ['string', 'null'], description: '经审核同意公开的文字说明 free text, only once an operator approved it' },
    inspectedOn: date,
    publishedAt: dateTime,
    updatedAt: dateTime,
  },
} as const;

const iso = (d: Date | null) => d?.toISOString() ?? null;
function drawSummaryJson(d: PublicDrawSummary) {
  return { ...d, committedAt: d.committedAt.toISOString(), beaconedAt: iso(d.beaconedAt), drawnAt: iso(d.drawnAt), voidedAt: iso(d.voidedAt) };
}
const drawDetailJson = (d: PublicDrawDetail) => ({ ...d, ...drawSummaryJson(d) });

export const publicRoutes: FastifyPluginAsync = async (app) => {
  // Searches are answered from an index of published results kept in memory (search-index.ts), and each answer is
  // kept per data version: a common word (有限公司) that matches most results is counted once per change.
  const searchIndex = keptSearchIndex(app.db);
  const searches = new AnswerCache<ResultSearchPage>(SEARCH_ANSWERS_KEPT);
  app.addHook('onListen', async () => {
    searchIndex().catch((err: unknown) => app.log.warn({ err }, 'public search index warm-up failed'));
  });
  app.get<{ Querystring: { department?: string; on?: string } }>(
    '/public/items',
    {
      config: { access: PUBLIC },
      schema: {
        tags: TAGS,
        summary: '随机抽查事项清单 The item list in force',
        querystring: {
          type: 'object',
          properties: { department: { type: 'string', minLength: 1, maxLength: 32 }, on: { ...date, description: '哪一天有效的清单，默认今天 in force on this day, default today' } },
        },
        response: { 200: { type: 'object', required: ['on', 'items'], properties: { on: date, items: { type: 'array', items: itemSchema } } } },
      },
    },
    async (request) => {
      const on = request.query.on ?? shanghaiDate(new Date());
      return { on, items: await publicItems(app.db, { on, department: request.query.department }) };
    },
  );

  app.get<{ Querystring: { year?: number } }>(
    '/public/plans',
    {
      config: { access: PUBLIC },
      schema: {
        tags: TAGS,
        summary: '年度抽查工作计划 Annual plans and their tasks',
        querystring: { type: 'object', properties: { year: { type: 'integer', minimum: 2000, maximum: 2100 } } },
        response: { 200: { type: 'object', required: ['plans'], properties: { plans: { type: 'array', items: planSchema } } } },
      },
    },
    async (request) => {
      const plans = await publicPlans(app.db, { year: request.query.year });
      return { plans: plans.map((p) => ({ ...p, createdAt: p.createdAt.toISOString() })) };
    },
  );

  app.get<{ Querystring: { taskId?: string; status?: 'committed' | 'beaconed' | 'drawn' | 'voided'; year?: number; limit: number; offset: number } }>(
    '/public/draws',
    {
      config: { access: PUBLIC },
      schema: {
        tags: TAGS,
        summary: '抽取列表 Draws: commitment and population digest from the moment of commitment',
        querystring: {
          type: 'object',
          properties: {
            taskId: { type: 'string', minLength: 1, maxLength: 64 },
            status: { type: 'string', enum: ['committed', 'beaconed', 'drawn', 'voided'] },
            year: { type: 'integer', minimum: 2000, maximum: 2100 },
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['total', 'draws'],
            properties: { total: { type: 'integer' }, draws: { type: 'array', items: drawSummarySchema } },
          },
        },
      },
    },
    async (request) => {
      const { taskId, status, year, limit, offset } = request.query;
      const draws = await publicDraws(app.db, { taskId, status, year, now: new Date() });
      return { total: draws.length, draws: draws.slice(offset, offset + limit).map(drawSummaryJson) };
    },
  );

  app.get<{ Params: { drawId: string } }>(
    '/public/draws/:drawId',
    {
      config: { access: PUBLIC },
      schema: {
        tags: TAGS,
        summary: '一次抽取 One draw: after the window closes also the secret, the selection (ids), teams (inspector ids) and files',
        params: { type: 'object', required: ['drawId'], properties: { drawId: drawIdParam } },
        response: { 200: drawDetailSchema, 404: notFound },
      },
    },
    async (request) => drawDetailJson(await mapPortalErrors(() => publicDraw(app.db, request.params.drawId, new Date()))),
  );

  app.get<{ Params: { drawId: string; file: string } }>(
    '/public/draws/:drawId/files/:file',
    {
      config: { access: PUBLIC },
      schema: {
        tags: TAGS,
        summary: '抽取核验文件 A published file of the draw (fd1 §6), once the window has closed',
        description: `门户提供 ${PORTAL_DRAW_FILES.join('、')}；${WITHHELD_DRAW_FILES.join('、')} 含每个主体的风险等级，不公开（403）。 The portal serves ${PORTAL_DRAW_FILES.join(', ')}; ${WITHHELD_DRAW_FILES.join(', ')} carry each entity's risk tier and are withheld (403).`,
        params: {
          type: 'object',
          required: ['drawId', 'file'],
          properties: { drawId: drawIdParam, file: { type: 'string', enum: [...PORTAL_DRAW_FILES, ...WITHHELD_DRAW_FILES] } },
        },
        response: {
          200: { description: '文件内容（JSON 或 CSV） The file (JSON or CSV)', type: 'string' },
          403: { ...errorResponse, description: '尚未公开或不公开 Not public (yet)' },
          404: notFound,
        },
      },
    },
    async (request, reply) => {
      const file = await mapPortalErrors(() => publicDrawFile(app.db, request.params.drawId, request.params.file, new Date()));
      return reply.type(file.contentType).header('content-disposition', `attachment; filename="${request.params.drawId}-${request.params.file}"`).send(file.body);
    },
  );

  app.get<{ Querystring: { q?: string; department?: string; itemCode?: string; limit: number; offset: number } }>(
    '/public/results',
    {
      config: { access: PUBLIC },
      schema: {
        tags: TAGS,
        summary: '抽查结果查询 Published results, searchable by entity name or code',
        description: '按主体名称（公开的、已遮蔽的名称）包含查询，或按统一社会信用代码精确查询；每页最多 100 条。 Name contains the text (the public, masked name) or the code equals it; at most 100 per page.',
        querystring: {
          type: 'object',
          properties: {
            q: { type: 'string', maxLength: 100, description: '主体名称或统一社会信用代码 entity name or USCC' },
            department: { type: 'string', minLength: 1, maxLength: 32 },
            itemCode: { type: 'string', minLength: 1, maxLength: 32 },
            limit: { type: 'integer', minimum: 1, maximum: SEARCH_MAX_LIMIT, default: 20 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['total', 'limit', 'offset', 'findings', 'byOutcome', 'results'],
            properties: {
              total: { type: 'integer' },
              limit: { type: 'integer' },
              offset: { type: 'integer' },
              findings: { type: 'integer', description: '发现问题的结果数（全部匹配） results with a finding, over all matches' },
              byOutcome: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['code', 'nameZh', 'nameEn', 'isFinding', 'results'],
                  properties: { code: { type: 'string' }, nameZh: { type: 'string' }, nameEn: { type: 'string' }, isFinding: { type: 'boolean' }, results: { type: 'integer' } },
                },
              },
              results: { type: 'array', items: publicResultSchema },
            },
          },
        },
      },
    },
    async (request) => {
      const { q, department, itemCode, limit, offset } = request.query;
      const key = JSON.stringify([q?.trim() ?? '', department ?? '', itemCode ?? '', limit, offset]);
      const { answer: page } = await searches.get(await currentDataVersion(app.db), key, async () => searchPublicResults(app.db, request.query, await searchIndex()));
      return { ...page, results: page.results.map((r) => ({ ...r, publishedAt: r.publishedAt.toISOString(), updatedAt: r.updatedAt.toISOString() })) };
    },
  );
};
