// Risk scores (/api/scores): tier counts per city, district or industry and a page of scored entities (JSON, or Arrow
// when asked), and one entity's score with its explanation.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Query, StringEnum, Tier, Type } from '../../kernel/schema.ts';
import { scoreExplanation, scorePage, tierCounts } from '../../risk/score-views.ts';
import { SCORE_GROUPINGS, ScoreExplanation, ScorePage, TierCountTable } from '../../risk/schemas.ts';
import { errorAnswer } from '../schemas.ts';
import { replyTable, tableResponse } from '../tabular.ts';
import { LEADERS } from '../roles.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('risk');
const RegionQuery = Type.String({ pattern: '^[0-9]{6}$', description: '地区代码：省、地市（含其区县）或区县 region code: province, city (with its districts) or district' });
const IndustryQuery = Type.String({ pattern: '^[A-T]$', description: '行业门类 GB/T 4754 section A-T' });

export const scoreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/scores/tiers', route(LEADERS, {
    summary: '各地市、区县或行业的风险等级分布 Tier counts per city, district or industry (aggregated in DuckDB)',
    querystring: Query({ by: StringEnum(SCORE_GROUPINGS), region: Type.Optional(RegionQuery), industry: Type.Optional(IndustryQuery) }),
    response: { 200: tableResponse(TierCountTable) },
  }), async (request, reply) => replyTable(request, reply, app.db, tierCounts(request.query.by, request.query)));

  app.get('/scores', route(LEADERS, {
    summary: '风险评分列表（分页，高分在前） Scored entities, highest score first, filtered by region, industry and tier, one page at a time',
    querystring: Query({
      region: Type.Optional(RegionQuery),
      industry: Type.Optional(IndustryQuery),
      tier: Type.Optional(Tier),
      limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
      offset: Type.Integer({ minimum: 0, maximum: 100_000_000, default: 0 }),
    }),
    response: { 200: tableResponse(ScorePage) },
  }), async (request, reply) => replyTable(request, reply, app.db, await scorePage(app.db, request.query, request.query)));

  app.get('/scores/:objectId', route(LEADERS, {
    summary: '主体风险评分及原因 One entity\'s score and tier, and why: each feature\'s contribution (zh, en)',
    params: Type.Object({ objectId: Type.String({ minLength: 1, maxLength: 64, description: '统一社会信用代码 USCC' }) }),
    response: { 200: ScoreExplanation, 404: errorAnswer('无此主体或尚未评分 Unknown entity, or not scored') },
  }), async (request) => scoreExplanation(app.db, request.params.objectId));
};
