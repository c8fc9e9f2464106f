// The outcomes page's API shapes (GET /api/outcomes, /api/outcomes/results, /api/public/reference) and its charts.
import type { VisualizationSpec } from 'vega-embed';

// The answer of GET /api/outcomes: the engine's report with its freshness (type-only imports, erased from the bundle).
import type { OutcomeGroup, OutcomesReport as EngineOutcomesReport } from '../../../../../engine/src/coverage/outcomes.ts';
import type { Freshness } from '../../../../../engine/src/coverage/store.ts';

export type { OutcomeGroup };
export type OutcomesReport = EngineOutcomesReport & Freshness;

export interface OutcomeResultRow {
  result_id: string;
  draw_id: string;
  task_id: string;
  object_id: string;
  entity_name: string;
  city_code: string;
  city_name_zh: string | null;
  city_name_en: string | null;
  region_name_zh: string | null;
  industry_code: string | null;
  industry_name_zh: string | null;
  industry_name_en: string | null;
  tier: string | null;
  item_code: string;
  item_name_zh: string;
  item_name_en: string;
  department_code: string;
  department_name_zh: string;
  department_name_en: string;
  outcome_code: string;
  outcome_name_zh: string;
  outcome_name_en: string;
  is_finding: boolean;
  findings: string | null;
  inspected_on: string;
  published_at: string;
}

export interface Reference {
  departments: Array<{ code: string; nameZh: string; nameEn: string }>;
  regions: Array<{ code: string; nameZh: string; nameEn: string; level: 'province' | 'city' | 'district'; parentCode: string | null }>;
  industries: Array<{ code: string; nameZh: string; nameEn: string }>;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Findings rate per group as horizontal bars (label = name, tooltip with counts); `key` is kept for clicks. */
export function rateBarSpec(
  groups: OutcomeGroup[],
  label: (g: OutcomeGroup) => string,
  titles: { rate: string; results: string; findings: string },
  limit = 15,
): VisualizationSpec {
  const rows = groups.slice(0, limit).map((g) => ({ key: g.key, label: label(g), rate: g.findingsRate, results: g.results, findings: g.findings }));
  return {
    $schema: SCHEMA,
    width: 300,
    height: { step: 18 },
    data: { values: rows },
    mark: { type: 'bar', color: '#b91c1c', cursor: 'pointer' },
    encoding: {
      y: { field: 'label', type: 'nominal', title: null, sort: null, axis: { labelLimit: 180 } },
      x: { field: 'rate', type: 'quantitative', title: titles.rate, axis: { format: '.0%' }, scale: { domain: [0, 1] } },
      tooltip: [
        { field: 'label', title: ' ' },
        { field: 'rate', title: titles.rate, format: '.1%' },
        { field: 'findings', title: titles.findings, format: ',' },
        { field: 'results', title: titles.results, format: ',' },
      ],
    },
  } as VisualizationSpec;
}

/** Results per inspection month (bars) and the findings rate (line, right axis). */
export function trendSpec(months: OutcomeGroup[], titles: { month: string; rate: string; results: string; findings: string }): VisualizationSpec {
  const rows = months.map((m) => ({ month: m.key, results: m.results, findings: m.findings, rate: m.findingsRate }));
  return {
    $schema: SCHEMA,
    width: 560,
    height: 180,
    data: { values: rows },
    encoding: { x: { field: 'month', type: 'ordinal', title: titles.month, axis: { labelAngle: 0 } } },
    layer: [
      {
        mark: { type: 'bar', color: '#fecaca', tooltip: true },
        encoding: { y: { field: 'results', type: 'quantitative', title: titles.results }, tooltip: [{ field: 'month', title: titles.month }, { field: 'results', title: titles.results, format: ',' }, { field: 'findings', title: titles.findings, format: ',' }] },
      },
      {
        mark: { type: 'line', color: '#7f1d1d', point: true, tooltip: true },
        encoding: { y: { field: 'rate', type: 'quantitative', title: titles.rate, axis: { format: '.0%' } }, tooltip: [{ field: 'month', title: titles.month }, { field: 'rate', title: titles.rate, format: '.1%' }] },
      },
    ],
    resolve: { scale: { y: 'independent' } },
  } as VisualizationSpec;
}

/** The problems found most often: results per finding outcome code. */
export function problemsSpec(problems: OutcomesReport['problems'], lang: 'zh' | 'en', titles: { results: string; share: string }): VisualizationSpec {
  const rows = problems.map((p) => ({ key: p.outcomeCode, label: lang === 'zh' ? p.outcomeNameZh : p.outcomeNameEn, results: p.results, share: p.share }));
  return {
    $schema: SCHEMA,
    width: 300,
    height: { step: 20 },
    data: { values: rows },
    mark: { type: 'bar', color: '#7f1d1d', cursor: 'pointer' },
    encoding: {
      y: { field: 'label', type: 'nominal', title: null, sort: '-x', axis: { labelLimit: 220 } },
      x: { field: 'results', type: 'quantitative', title: titles.results },
      tooltip: [{ field: 'label', title: ' ' }, { field: 'results', title: titles.results, format: ',' }, { field: 'share', title: titles.share, format: '.1%' }],
    },
  } as VisualizationSpec;
}
