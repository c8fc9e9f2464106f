// What leaders see in aggregate: the year's coverage (/api/coverage), the published outcomes (/api/outcomes) and their
// drill-down (/api/outcomes/results). Computed in DuckDB once per data version (engine/src/coverage/store.ts) and served
// from memory.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Query, Type } from '../../kernel/schema.ts';
import { shanghaiDate } from '../../kernel/time.ts';
import { coverageFor, outcomeFilters, outcomeResults, outcomesFor, thisYear } from '../../coverage/answers.ts';
import { CoverageAnswer, OutcomeResultsPage, OutcomesAnswer } from '../../coverage/schemas.ts';
import { CoverageStore } from '../../coverage/store.ts';
import { requirePrincipal } from '../plugins/auth.ts';
import { replyTable, tableResponse } from '../tabular.ts';
import { LEADERS } from '../roles.ts';
import { routesTagged } from '../route.ts';

const coverageRoute = routesTagged('coverage');
const outcomesRoute = routesTagged('outcomes');

const YearQuery = Type.Integer({ minimum: 2000, maximum: 2100, description: '计划年度，默认今年（北京时间） plan year, default this year (Asia/Shanghai)' });
const CityQuery = Type.String({ pattern: '^\\d{4}00$', description: '地级市代码 prefecture-level city code, e.g. 440300' });
const DepartmentQuery = Type.String({ minLength: 1, maxLength: 32, description: '部门代码 department code, e.g. SAMR' });
const outcomeFilterProperties = {
  year: Type.Optional(YearQuery),
  city: Type.Optional(CityQuery),
  department: Type.Optional(DepartmentQuery),
  industry: Type.Optional(Type.String({ pattern: '^[A-T]$', description: '国民经济行业门类 GB/T 4754 section letter' })),
  tier: Type.Optional(Type.String({ enum: ['A', 'B', 'C', 'D'], description: '风险等级（内部） risk tier (internal)' })),
};

export const coverageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const store = await CoverageStore.open(app.db);
  app.addHook('onClose', () => store.close());
  // A listening server computes this year's province views in the background: the first leader need not wait for them.
  app.addHook('onListen', async () => {
    const warm = (work: Promise<unknown>) => work.catch((err: unknown) => app.log.warn({ err }, 'coverage warm-up failed'));
    warm(store.coverage({ year: thisYear(), today: shanghaiDate() }));
    warm(store.outcomes(outcomeFilters({})));
  });

  app.get('/coverage', coverageRoute([...LEADERS, 'operator'], {
    summary: '年度覆盖情况 Coverage of a year: items with a task (全覆盖), departments, joint tasks, entities per tier against target, results on time; by city and department',
    description:
      '部门操作员只看到本部门视图（本部门参与的任务、本部门的事项和结果），请求其他部门为 403。city 限定到一个地级市；cities 始终列出全部 21 个地级市。按数据版本缓存。 ' +
      "Operators get their own department's view (the tasks it takes part in, its items and results); asking for another department is 403. " +
      'city narrows the answer to one prefecture-level city; cities always lists all 21. Cached per data version.',
    querystring: Query({ year: Type.Optional(YearQuery), department: Type.Optional(DepartmentQuery), city: Type.Optional(CityQuery) }),
    response: { 200: CoverageAnswer },
  }), async (request) => coverageFor(store, requirePrincipal(request), request.query));

  app.get('/outcomes', outcomesRoute(LEADERS, {
    summary: '公示结果统计 Published outcomes: findings rate by item, department, city, industry, tier and month; the problems found most often',
    description: '只统计已公开的结果；年度为任务所属计划的年度。 Published results only; the year is the plan year of their task.',
    querystring: Query(outcomeFilterProperties),
    response: { 200: OutcomesAnswer },
  }), async (request) => outcomesFor(store, request.query));

  app.get('/outcomes/results', outcomesRoute(LEADERS, {
    summary: '公示结果明细 Drill-down: published results matching the filters, newest publication first, paged',
    querystring: Query({
      ...outcomeFilterProperties,
      itemCode: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
      outcomeCode: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
      finding: Type.Optional(Type.Boolean({ description: 'true 只看发现问题的结果 true: findings only; false: none found' })),
      month: Type.Optional(Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: '检查月份 inspection month YYYY-MM' })),
      limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
      offset: Type.Integer({ minimum: 0, default: 0 }),
    }),
    response: { 200: tableResponse(OutcomeResultsPage) },
  }), async (request, reply) => outcomeResults(store, request.query, (q, table) => replyTable(request, reply, q, table)));
};
