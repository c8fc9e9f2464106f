// What leaders and the public see in aggregate: the year's coverage (/api/coverage), the published outcomes
// (/api/outcomes, /api/outcomes/results) and the reference names the public portal shows (/api/public/reference).
// Coverage and outcomes are computed in DuckDB once per data version (engine/src/coverage/store.ts) and served from memory.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { CoverageInputError } from '../../coverage/coverage.ts';
import { countOutcomeResults, OUTCOME_RESULTS_SQL, outcomeResultsParams, type OutcomeFilters } from '../../coverage/outcomes.ts';
import { CoverageStore } from '../../coverage/store.ts';
import { shanghaiDate } from '../../kernel/time.ts';
import { assertDepartment, departmentScope, HttpError } from '../plugins/auth.ts';
import { replyTable, tableResponse } from '../tabular.ts';

const LEADERS = ['admin', 'analyst', 'leader'] as const;

// ---- schemas ----

const int = { type: 'integer' } as const;
const rate = { type: ['number', 'null'], description: '比例 0..1；分母为 0 时为 null ratio 0..1, null when the denominator is 0' } as const;
const ints = (...names: string[]) => Object.fromEntries(names.map((n) => [n, int]));
const rates = (...names: string[]) => Object.fromEntries(names.map((n) => [n, rate]));

const yearQuery = { type: 'integer', minimum: 2000, maximum: 2100, description: '计划年度，默认今年（北京时间） plan year, default this year (Asia/Shanghai)' } as const;
const cityQuery = { type: 'string', pattern: '^\\d{4}00$', description: '地级市代码 prefecture-level city code, e.g. 440300' } as const;
const departmentQuery = { type: 'string', minLength: 1, maxLength: 32, description: '部门代码 department code, e.g. SAMR' } as const;
const industryQuery = { type: 'string', pattern: '^[A-T]$', description: '国民经济行业门类 GB/T 4754 section letter' } as const;
const tierQuery = { type: 'string', enum: ['A', 'B', 'C', 'D'], description: '风险等级（内部） risk tier (internal)' } as const;

const deadlineNames = ['resultsDue', 'resultsEntered', 'resultsPublished', 'publishedOnTime', 'publishedLate', 'overdue', 'open'];
const deadlineProperties = { ...ints(...deadlineNames), onTimeRate: { ...rate, description: '按时公开率：按时公开 / (按时 + 逾期公开 + 逾期未公开) published on time / (on time + late + overdue)' } };
const nameProperties = { code: { type: 'string' }, nameZh: { type: 'string' }, nameEn: { type: 'string' } };

const freshness = {
  computedAt: { type: 'string', format: 'date-time', description: '计算时间 when this answer was computed' },
  stale: { type: 'boolean', description: '数据已更新、新结果计算中（稍后刷新） the data changed and a new answer is being computed: ask again shortly' },
} as const;

const coverageSchema = {
  type: 'object',
  required: ['year', 'today', 'department', 'city', 'policy', 'headline', 'tiers', 'cities', 'departments', 'computedAt', 'stale'],
  properties: {
    ...freshness,
    year: int,
    today: { type: 'string', format: 'date', description: '判断期限所用的日期 the day deadlines are judged on' },
    department: { type: ['string', 'null'], description: '部门视图 the department view, or null' },
    city: { anyOf: [{ type: 'null' }, { type: 'object', properties: nameProperties }] },
    policy: { type: 'object', properties: { version: { ...int, description: '抽查比例版本（0 为默认） sampling policy version (0: the default)' }, frequencyPerYear: int } },
    headline: {
      type: 'object',
      properties: {
        ...ints('itemsInForce', 'itemsCovered', 'departmentsWithItems', 'departmentsTakingPart', 'tasks', 'jointTasks', 'entities', 'entitiesDrawn', 'entitiesInspected'),
        ...rates('departmentShare', 'jointTaskShare', 'drawnShare', 'inspectedShare', 'enteredRate'),
        itemCoverageRate: { ...rate, description: '全覆盖率：有任务的事项 / 有效事项 items with at least one task / items in force' },
        tasksByKind: { type: 'object', properties: ints('general', 'key', 'special') },
        draws: { type: 'object', properties: ints('drawn', 'voided', 'pending') },
        ...deadlineProperties,
      },
    },
    tiers: {
      type: 'array',
      description: '各风险等级抽中与检查的主体数，对照年度目标比例（内部） entities drawn and inspected per tier against the yearly target (internal)',
      items: {
        type: 'object',
        properties: {
          tier: { type: 'string', enum: ['A', 'B', 'C', 'D'] },
          ...ints('ratioBp', 'frequencyPerYear', 'targetBp', 'entities', 'target', 'drawn', 'inspected'),
          ...rates('drawnShare', 'inspectedShare', 'attainment'),
        },
      },
    },
    cities: {
      type: 'array',
      description: '21 个地级市（地图用） the 21 prefecture-level cities, for the map',
      items: {
        type: 'object',
        properties: {
          ...nameProperties,
          ...ints('entities', 'target', 'tasks', 'itemsCovered', 'entitiesDrawn', 'entitiesInspected'),
          coverageRate: { ...rate, description: '抽查覆盖率：本年抽中主体 / 在营主体 entities drawn this year / active entities' },
          ...rates('attainment', 'inspectedShare'),
          ...deadlineProperties,
        },
      },
    },
    departments: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          ...nameProperties,
          ...ints('itemsInForce', 'itemsCovered', 'tasks', 'leadTasks', 'jointTasks', 'entitiesDrawn', 'entitiesInspected'),
          itemCoverageRate: rate,
          ...deadlineProperties,
        },
      },
    },
  },
} as const;

const groupSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      key: { type: ['string', 'null'] },
      nameZh: { type: ['string', 'null'] },
      nameEn: { type: ['string', 'null'] },
      departmentCode: { type: 'string' },
      ...ints('results', 'findings', 'entities'),
      findingsRate: { type: 'number' },
    },
  },
} as const;

const problemProperties = {
  outcomeCode: { type: 'string' },
  outcomeNameZh: { type: 'string' },
  outcomeNameEn: { type: 'string' },
  ...ints('results', 'entities'),
} as const;

const outcomesSchema = {
  type: 'object',
  required: ['filters', 'totals', 'byItem', 'byDepartment', 'byCity', 'byIndustry', 'byTier', 'byMonth', 'problems', 'problemsByItem', 'computedAt', 'stale'],
  properties: {
    ...freshness,
    filters: {
      type: 'object',
      properties: { year: { type: ['integer', 'null'] }, city: { type: ['string', 'null'] }, department: { type: ['string', 'null'] }, industry: { type: ['string', 'null'] }, tier: { type: ['string', 'null'] } },
    },
    totals: {
      type: 'object',
      properties: {
        ...ints('results', 'findings', 'entities'),
        findingsRate: rate,
        firstInspectedOn: { type: ['string', 'null'], format: 'date' },
        lastInspectedOn: { type: ['string', 'null'], format: 'date' },
      },
    },
    byItem: groupSchema,
    byDepartment: groupSchema,
    byCity: groupSchema,
    byIndustry: groupSchema,
    byTier: groupSchema,
    byMonth: { ...groupSchema, description: '按检查月份 by inspection month, oldest first' },
    problems: { type: 'array', description: '最常发现的问题（结果代码） the problems found most often (outcome codes that are findings)', items: { type: 'object', properties: { ...problemProperties, share: { type: 'number' } } } },
    problemsByItem: {
      type: 'array',
      description: '按事项的问题（前 20） problems per item (top 20)',
      items: { type: 'object', properties: { ...problemProperties, itemCode: { type: 'string' }, itemNameZh: { type: 'string' }, itemNameEn: { type: 'string' } } },
    },
  },
} as const;

const outcomeResultRow = {
  type: 'object',
  properties: {
    result_id: { type: 'string' },
    draw_id: { type: 'string' },
    task_id: { type: 'string' },
    object_id: { type: 'string' },
    entity_name: { type: 'string', description: '公开名称（已遮蔽） the public, redacted name' },
    entity_type: { type: ['string', 'null'] },
    city_code: { type: 'string' },
    city_name_zh: { type: ['string', 'null'] },
    city_name_en: { type: ['string', 'null'] },
    region_code: { type: 'string' },
    region_name_zh: { type: ['string', 'null'] },
    industry_code: { type: ['string', 'null'] },
    industry_name_zh: { type: ['string', 'null'] },
    industry_name_en: { type: ['string', 'null'] },
    tier: { type: ['string', 'null'], description: '抽取时的风险等级（内部） tier drawn in (internal)' },
    item_code: { type: 'string' },
    item_name_zh: { type: 'string' },
    item_name_en: { type: 'string' },
    department_code: { type: 'string' },
    department_name_zh: { type: 'string' },
    department_name_en: { type: 'string' },
    outcome_code: { type: 'string' },
    outcome_name_zh: { type: 'string' },
    outcome_name_en: { type: 'string' },
    is_finding: { type: 'boolean' },
    findings: { type: ['string', 'null'], description: '经审核公开的文字说明 the reviewed public text' },
    inspected_on: { type: 'string', format: 'date' },
    due_on: { type: 'string', format: 'date' },
    published_at: { type: 'string', format: 'date-time' },
  },
} as const;

const outcomeFilterProperties = { year: yearQuery, city: cityQuery, department: departmentQuery, industry: industryQuery, tier: tierQuery } as const;

const codeName = { type: 'object', required: ['code', 'nameZh', 'nameEn'], properties: nameProperties } as const;
const referenceSchema = {
  type: 'object',
  required: ['departments', 'regions', 'industries'],
  properties: {
    departments: { type: 'array', items: codeName },
    regions: {
      type: 'array',
      description: '省、地级市、区县（GB/T 2260） province, cities and districts',
      items: { type: 'object', required: ['code', 'nameZh', 'nameEn', 'level'], properties: { ...nameProperties, level: { type: 'string', enum: ['province', 'city', 'district'] }, parentCode: { type: ['string', 'null'] } } },
    },
    industries: { type: 'array', items: codeName },
  },
} as const;

// ---- helpers ----

const thisYear = () => Number(shanghaiDate(new Date()).slice(0, 4));

function mapCoverageErrors(err: unknown): never {
  if (err instanceof CoverageInputError) throw new HttpError(400, 'invalid', err.message);
  throw err;
}

/** The department a coverage answer covers: an operator's own (asking for another is 403), else the one asked for or all. */
function coverageDepartment(request: FastifyRequest, asked: string | undefined): string | null {
  if (asked) assertDepartment(request, asked);
  return departmentScope(request) ?? asked ?? null;
}

type FiltersQuery = { year?: number; city?: string; department?: string; industry?: string; tier?: string };
const filtersOf = (q: FiltersQuery): OutcomeFilters => ({ year: q.year ?? thisYear(), city: q.city ?? null, department: q.department ?? null, industry: q.industry ?? null, tier: q.tier ?? null });

export const coverageRoutes: FastifyPluginAsync = async (app) => {
  const store = await CoverageStore.open(app.db);
  app.addHook('onClose', () => store.close());
  // A listening server computes this year's province views in the background: the first leader need not wait for them.
  app.addHook('onListen', async () => {
    const warm = (work: Promise<unknown>) => work.catch((err: unknown) => app.log.warn({ err }, 'coverage warm-up failed'));
    warm(store.coverage({ year: thisYear(), today: shanghaiDate(new Date()) }));
    warm(store.outcomes(filtersOf({})));
  });

  app.get<{ Querystring: { year?: number; department?: string; city?: string } }>(
    '/coverage',
    {
      config: { access: [...LEADERS, 'operator'] },
      schema: {
        tags: ['coverage'],
        summary: '年度覆盖情况 Coverage of a year: items with a task (全覆盖), departments, joint tasks, entities per tier against target, results on time; by city and department',
        description:
          '部门操作员只看到本部门视图（本部门参与的任务、本部门的事项和结果），请求其他部门为 403。city 限定到一个地级市；cities 始终列出全部 21 个地级市。按数据版本缓存。 ' +
          "Operators get their own department's view (the tasks it takes part in, its items and results); asking for another department is 403. " +
          'city narrows the answer to one prefecture-level city; cities always lists all 21. Cached per data version.',
        querystring: { type: 'object', properties: { year: yearQuery, department: departmentQuery, city: cityQuery } },
        response: { 200: coverageSchema },
      },
    },
    async (request) => {
      const { year, department, city } = request.query;
      const scope = { year: year ?? thisYear(), today: shanghaiDate(new Date()), department: coverageDepartment(request, department), city: city ?? null };
      return store.coverage(scope).catch(mapCoverageErrors);
    },
  );

  app.get<{ Querystring: FiltersQuery }>(
    '/outcomes',
    {
      config: { access: [...LEADERS] },
      schema: {
        tags: ['outcomes'],
        summary: '公示结果统计 Published outcomes: findings rate by item, department, city, industry, tier and month; the problems found most often',
        description: '只统计已公开的结果；年度为任务所属计划的年度。 Published results only; the year is the plan year of their task.',
        querystring: { type: 'object', properties: outcomeFilterProperties },
        response: { 200: outcomesSchema },
      },
    },
    async (request) => store.outcomes(filtersOf(request.query)),
  );

  app.get<{ Querystring: FiltersQuery & { itemCode?: string; outcomeCode?: string; finding?: boolean; month?: string; limit: number; offset: number } }>(
    '/outcomes/results',
    {
      config: { access: [...LEADERS] },
      schema: {
        tags: ['outcomes'],
        summary: '公示结果明细 Drill-down: published results matching the filters, newest publication first, paged',
        querystring: {
          type: 'object',
          properties: {
            ...outcomeFilterProperties,
            itemCode: { type: 'string', minLength: 1, maxLength: 32 },
            outcomeCode: { type: 'string', minLength: 1, maxLength: 32 },
            finding: { type: 'boolean', description: 'true 只看发现问题的结果 true: findings only; false: none found' },
            month: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: '检查月份 inspection month YYYY-MM' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
        response: { 200: tableResponse(outcomeResultRow, { total: int, limit: int, offset: int }) },
      },
    },
    async (request, reply) => {
      const { itemCode, outcomeCode, finding, month, limit, offset } = request.query;
      const query = { ...filtersOf(request.query), itemCode, outcomeCode, finding, month, limit, offset };
      return store.withOutcomes(async (q) => {
        const total = await countOutcomeResults(q, query);
        return replyTable(request, reply, q, OUTCOME_RESULTS_SQL, outcomeResultsParams(query), { total, limit, offset });
      });
    },
  );

  app.get(
    '/public/reference',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public'],
        summary: '名称对照 Names the portal shows: departments, regions (GB/T 2260), industries (GB/T 4754)',
        response: { 200: referenceSchema },
      },
    },
    async () => {
      const departments = await app.db.query<{ code: string; nameZh: string; nameEn: string }>('SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM departments ORDER BY code');
      const regions = await app.db.query('SELECT code, name_zh AS "nameZh", name_en AS "nameEn", level, parent_code AS "parentCode" FROM regions ORDER BY code');
      const industries = await app.db.query('SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM industries ORDER BY code');
      return { departments, regions, industries };
    },
  );
};
