// The shapes of a year's coverage and of the published outcomes, declared once: the engine's types (Static<>) and the
// API's schemas. Rates are 0..1, null when their denominator is 0.
import { CodeName, DateTime, Nullable, Tier, Type, type Static, type TSchema } from '../kernel/schema.ts';

const int = Type.Integer();
const rate = (description = '比例 0..1；分母为 0 时为 null ratio 0..1, null when the denominator is 0') => Nullable(Type.Number(), { description });
const ints = <K extends string>(...names: K[]) => Object.fromEntries(names.map((n) => [n, int])) as Record<K, typeof int>;
const rates = <K extends string>(...names: K[]) => Object.fromEntries(names.map((n) => [n, rate()])) as Record<K, ReturnType<typeof rate>>;

/** Results due against the 20-working-day publication deadline. */
const deadlineProperties = {
  ...ints('resultsDue', 'resultsEntered', 'resultsPublished', 'publishedOnTime', 'publishedLate'),
  /** Not published and past the due date (including results never entered whose latest due date passed). */
  overdue: int,
  open: int,
  /** publishedOnTime / (publishedOnTime + publishedLate + overdue): of the results that had to be public by now. */
  onTimeRate: rate('按时公开率：按时公开 / (按时 + 逾期公开 + 逾期未公开) published on time / (on time + late + overdue)'),
};
export const DeadlineCounts = Type.Object(deadlineProperties);
export type DeadlineCounts = Static<typeof DeadlineCounts>;

export const CoverageHeadline = Type.Object({
  ...ints('itemsInForce', 'itemsCovered', 'departmentsWithItems', 'departmentsTakingPart', 'tasks', 'jointTasks'),
  /** Active market entities (of the city, or the province). */
  entities: int,
  ...ints('entitiesDrawn', 'entitiesInspected'),
  /** Left out of a draw because other departments' recognised results covered every item (结果互认): counted apart. */
  entitiesRecognised: int,
  ...rates('departmentShare', 'jointTaskShare', 'drawnShare', 'inspectedShare'),
  /** resultsEntered / resultsDue. */
  enteredRate: rate(),
  /** 全覆盖: items with at least one task / items in force. */
  itemCoverageRate: rate('全覆盖率：有任务的事项 / 有效事项 items with at least one task / items in force'),
  tasksByKind: Type.Object(ints('general', 'key', 'special')),
  draws: Type.Object(ints('drawn', 'voided', 'pending')),
  ...deadlineProperties,
});
export type CoverageHeadline = Static<typeof CoverageHeadline>;

export const TierCoverage = Type.Object({
  tier: Tier,
  /** The policy's ratio per round, rounds a year, and their product capped at 100%: the yearly target share. */
  ...ints('ratioBp', 'frequencyPerYear', 'targetBp', 'entities'),
  /** Entities the yearly target asks for (fd1's quota rule on the tier's entities). */
  target: int,
  ...ints('drawn', 'inspected'),
  ...rates('drawnShare', 'inspectedShare'),
  /** drawn / target. */
  attainment: rate(),
});
export type TierCoverage = Static<typeof TierCoverage>;

export const CityCoverage = Type.Object({
  ...CodeName.properties,
  ...ints('entities', 'target', 'tasks', 'itemsCovered', 'entitiesDrawn', 'entitiesInspected'),
  /** Share of the city's active entities drawn this year. */
  coverageRate: rate('抽查覆盖率：本年抽中主体 / 在营主体 entities drawn this year / active entities'),
  ...rates('attainment', 'inspectedShare'),
  ...deadlineProperties,
});
export type CityCoverage = Static<typeof CityCoverage>;

export const DepartmentCoverage = Type.Object({
  ...CodeName.properties,
  ...ints('itemsInForce', 'itemsCovered', 'tasks', 'leadTasks', 'jointTasks', 'entitiesDrawn', 'entitiesInspected'),
  itemCoverageRate: rate(),
  ...deadlineProperties,
});
export type DepartmentCoverage = Static<typeof DepartmentCoverage>;

export const CoverageReport = Type.Object({
  year: int,
  today: Type.String({ format: 'date', description: '判断期限所用的日期 the day deadlines are judged on' }),
  department: Nullable(Type.String(), { description: '部门视图 the department view, or null' }),
  city: Nullable(CodeName),
  policy: Type.Object({ version: Type.Integer({ description: '抽查比例版本（0 为默认） sampling policy version (0: the default)' }), frequencyPerYear: int }),
  headline: CoverageHeadline,
  monthAgo: Type.Object(
    {
      day: Type.String({ format: 'date' }),
      headline: CoverageHeadline,
    },
    { description: '上月同日（日终）的总体指标，用于显示本月变化 the headline as it stood at the end of the same day last month, for the change since' },
  ),
  tiers: Type.Array(TierCoverage, {
    description: '各风险等级抽中与检查的主体数，对照年度目标比例（内部） entities drawn and inspected per tier against the yearly target (internal)',
  }),
  /** Every city, for the department's view when one is set (the city scope does not narrow this list: the map needs all). */
  cities: Type.Array(CityCoverage, { description: '21 个地级市（地图用） the 21 prefecture-level cities, for the map' }),
  departments: Type.Array(DepartmentCoverage),
});
export type CoverageReport = Static<typeof CoverageReport>;

/** What the store adds to an answer: when it was computed and whether a newer one is being computed. */
const freshnessProperties = {
  computedAt: Type.String({ format: 'date-time', description: '计算时间 when this answer was computed' }),
  /** True when the data changed since and the recomputation has not finished yet. */
  stale: Type.Boolean({ description: '数据已更新、新结果计算中（稍后刷新） the data changed and a new answer is being computed: ask again shortly' }),
};
export const Freshness = Type.Object(freshnessProperties);
export type Freshness = Static<typeof Freshness>;

const withFreshness = <T extends { properties: Record<string, TSchema> }>(report: T) => Type.Object({ ...freshnessProperties, ...report.properties } as T['properties'] & typeof freshnessProperties);

export const CoverageAnswer = withFreshness(CoverageReport);
export type CoverageAnswer = Static<typeof CoverageAnswer>;

// ---- outcomes ----

export const OutcomeGroup = Type.Object({
  /** Item code, department code, city code, industry letter, tier A..D or month YYYY-MM; null: unknown industry or tier. */
  key: Nullable(Type.String()),
  nameZh: Nullable(Type.String()),
  nameEn: Nullable(Type.String()),
  /** The item's department (items only). */
  departmentCode: Type.Optional(Type.String()),
  ...ints('results', 'findings', 'entities'),
  findingsRate: Type.Number(),
});
export type OutcomeGroup = Static<typeof OutcomeGroup>;

const problemProperties = { outcomeCode: Type.String(), outcomeNameZh: Type.String(), outcomeNameEn: Type.String(), ...ints('results', 'entities') };
export const OutcomeProblem = Type.Object({
  ...problemProperties,
  /** Share of all findings in the scope. */
  share: Type.Number(),
});
export type OutcomeProblem = Static<typeof OutcomeProblem>;

export const ItemProblem = Type.Object({ ...problemProperties, itemCode: Type.String(), itemNameZh: Type.String(), itemNameEn: Type.String() });
export type ItemProblem = Static<typeof ItemProblem>;

export const OutcomesReport = Type.Object({
  filters: Type.Object({
    /** The plan year of the results' tasks; null: every year. */
    year: Nullable(Type.Integer()),
    city: Nullable(Type.String()),
    department: Nullable(Type.String()),
    industry: Nullable(Type.String()),
    tier: Nullable(Type.String()),
  }),
  totals: Type.Object({
    ...ints('results', 'findings', 'entities'),
    findingsRate: rate(),
    firstInspectedOn: Nullable(Type.String({ format: 'date' })),
    lastInspectedOn: Nullable(Type.String({ format: 'date' })),
  }),
  byItem: Type.Array(OutcomeGroup),
  byDepartment: Type.Array(OutcomeGroup),
  byCity: Type.Array(OutcomeGroup),
  byIndustry: Type.Array(OutcomeGroup),
  byTier: Type.Array(OutcomeGroup),
  /** Oldest month first. */
  byMonth: Type.Array(OutcomeGroup, { description: '按检查月份 by inspection month, oldest first' }),
  /** Finding outcome codes, most frequent first. */
  problems: Type.Array(OutcomeProblem, { description: '最常发现的问题（结果代码） the problems found most often (outcome codes that are findings)' }),
  /** Finding outcome x item, most frequent first (at most 20). */
  problemsByItem: Type.Array(ItemProblem, { description: '按事项的问题（前 20） problems per item (top 20)' }),
});
export type OutcomesReport = Static<typeof OutcomesReport>;

export const OutcomesAnswer = withFreshness(OutcomesReport);
export type OutcomesAnswer = Static<typeof OutcomesAnswer>;

/** One published result of the drill-down (a row of JSON, or of the Arrow stream). */
export const OutcomeResultRow = Type.Object({
  result_id: Type.String(),
  draw_id: Type.String(),
  task_id: Type.String(),
  object_id: Type.String(),
  entity_name: Type.String({ description: '公开名称（已遮蔽） the public, redacted name' }),
  entity_type: Nullable(Type.String()),
  city_code: Type.String(),
  city_name_zh: Nullable(Type.String()),
  city_name_en: Nullable(Type.String()),
  region_code: Type.String(),
  region_name_zh: Nullable(Type.String()),
  industry_code: Nullable(Type.String()),
  industry_name_zh: Nullable(Type.String()),
  industry_name_en: Nullable(Type.String()),
  tier: Nullable(Type.String({ description: '抽取时的风险等级（内部） tier drawn in (internal)' })),
  item_code: Type.String(),
  item_name_zh: Type.String(),
  item_name_en: Type.String(),
  department_code: Type.String(),
  department_name_zh: Type.String(),
  department_name_en: Type.String(),
  outcome_code: Type.String(),
  outcome_name_zh: Type.String(),
  outcome_name_en: Type.String(),
  is_finding: Type.Boolean(),
  findings: Nullable(Type.String({ description: '经审核公开的文字说明 the reviewed public text' })),
  inspected_on: Type.String({ format: 'date' }),
  due_on: Type.String({ format: 'date' }),
  published_at: DateTime,
});
export type OutcomeResultRow = Static<typeof OutcomeResultRow>;

/** GET /api/outcomes/results as JSON: one page of the drill-down beside the total. */
export const OutcomeResultsPage = Type.Object({ total: int, limit: int, offset: int, rows: Type.Array(OutcomeResultRow) });
export type OutcomeResultsPage = Static<typeof OutcomeResultsPage>;
