// The outcomes page's tables and charts (Vega-Lite specs over GET /api/outcomes) and who may open it.
import type { VisualizationSpec } from 'vega-embed';
import type { OutcomeGroup, OutcomeResultRow, OutcomeResultsQuery, OutcomesReport } from '$engine/api/types';
import type { Column } from '$lib/export';
import { fmtDate, fmtDateTime, fmtInt, fmtPct } from '$lib/format';
import { t, type Lang } from '$lib/i18n.svelte';
import type { Role } from '$lib/session.svelte';

/** Who may open the outcomes page (the server refuses the others). */
export const OUTCOME_READERS: Role[] = ['admin', 'analyst', 'leader'];
export const TIERS = ['A', 'B', 'C', 'D'];

/** What the drill-down narrows the page's filters to (a chart click, the finding choice), and its page. */
export type Drill = Required<Pick<OutcomeResultsQuery, 'itemCode' | 'outcomeCode' | 'finding' | 'month'>> & { offset: number };
export const NO_DRILL: Drill = { itemCode: null, outcomeCode: null, finding: null, month: null, offset: 0 };

/** A group's name in the language shown; "unknown" for the null key (an industry or tier not recorded). */
export const groupName = (g: OutcomeGroup, lang: Lang) => (g.key === null ? t('outcomes.unknown') : ((lang === 'zh' ? g.nameZh : g.nameEn) ?? g.key));
export const tierName = (g: OutcomeGroup) => (g.key === null ? t('outcomes.unknown') : t('overview.tierName', { tier: g.key }));

/** A breakdown's table: the group, its results, findings and findings rate. */
export const groupColumns = (label: string, name: (g: OutcomeGroup) => string): Column<OutcomeGroup>[] => [
  { key: 'key', label, format: (_v, g) => name(g) },
  { key: 'results', label: t('outcomes.results'), numeric: true, format: fmtInt },
  { key: 'findings', label: t('outcomes.findings'), numeric: true, format: fmtInt },
  { key: 'findingsRate', label: t('outcomes.findingsRate'), numeric: true, format: (v) => fmtPct(v) },
];

export const problemColumns = (lang: Lang): Column<OutcomesReport['problemsByItem'][number]>[] => [
  { key: 'outcomeNameZh', label: t('outcomes.col.outcome'), format: (_v, p) => (lang === 'zh' ? p.outcomeNameZh : p.outcomeNameEn) },
  { key: 'itemNameZh', label: t('outcomes.col.item'), format: (_v, p) => `${p.itemCode} ${lang === 'zh' ? p.itemNameZh : p.itemNameEn}` },
  { key: 'results', label: t('outcomes.results'), numeric: true, format: fmtInt },
  { key: 'entities', label: t('outcomes.entities'), numeric: true, format: fmtInt },
];

/** The drill-down's published results, names in the language shown. */
export const drillColumns = (lang: Lang): Column<OutcomeResultRow>[] => [
  { key: 'entity_name', label: t('outcomes.col.entity') },
  { key: 'object_id', label: t('outcomes.col.code') },
  { key: 'city_name_zh', label: t('outcomes.col.city'), format: (_v, r) => (lang === 'zh' ? r.city_name_zh : r.city_name_en) ?? r.city_code },
  { key: 'industry_name_zh', label: t('outcomes.col.industry'), format: (_v, r) => (lang === 'zh' ? r.industry_name_zh : r.industry_name_en) ?? '—' },
  { key: 'tier', label: t('outcomes.col.tier'), format: (v) => (v ? t('overview.tierName', { tier: v }) : '—') },
  { key: 'item_name_zh', label: t('outcomes.col.item'), format: (_v, r) => `${r.item_code} ${lang === 'zh' ? r.item_name_zh : r.item_name_en}` },
  { key: 'department_name_zh', label: t('outcomes.col.department'), format: (_v, r) => (lang === 'zh' ? r.department_name_zh : r.department_name_en) },
  { key: 'outcome_name_zh', label: t('outcomes.col.outcome'), format: (_v, r) => (lang === 'zh' ? r.outcome_name_zh : r.outcome_name_en) },
  { key: 'findings', label: t('outcomes.col.findings'), format: (v) => v ?? '—' },
  { key: 'inspected_on', label: t('outcomes.col.inspectedOn'), format: fmtDate },
  { key: 'published_at', label: t('outcomes.col.publishedAt'), format: fmtDateTime },
];

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Fewer inspections than this make a rate too unsteady to compare: such bars are drawn lighter, and the legend says so. */
export const FEW_RESULTS = 10;

/** The legend's two entries: rates from enough results, and from fewer than FEW_RESULTS (a row's `basis` is one). */
export const fewResultsLabels = () => ({ enough: t('outcomes.basis.enough', { few: FEW_RESULTS }), few: t('outcomes.basis.few', { few: FEW_RESULTS }) });

/** Bars from fewer than FEW_RESULTS results lighter (by the row's `basis`), with a legend entry saying why. */
export function fewResultsOpacity(labels: { enough: string; few: string }, color: string) {
  return {
    field: 'basis',
    type: 'nominal',
    title: null,
    scale: { domain: [labels.enough, labels.few], range: [1, 0.3] },
    legend: { orient: 'bottom', direction: 'vertical', symbolType: 'square', symbolFillColor: color, labelLimit: 320 },
  };
}

export interface RateTitles {
  rate: string;
  results: string;
  findings: string;
  /** The legend's two entries: rates from enough results, and from fewer than FEW_RESULTS. */
  enough: string;
  few: string;
}

/**
 * Findings rate per group as horizontal bars, each labelled with its rate and its n (results); bars from fewer than
 * FEW_RESULTS results are lighter, with a legend entry saying why. `key` is kept for clicks.
 */
export function rateBarSpec(groups: OutcomeGroup[], label: (g: OutcomeGroup) => string, titles: RateTitles, limit = 15): VisualizationSpec {
  const rows = groups.slice(0, limit).map((g) => ({
    key: g.key,
    label: label(g),
    rate: g.findingsRate,
    results: g.results,
    findings: g.findings,
    text: `${fmtPct(g.findingsRate)}  n=${fmtInt(g.results)}`,
    basis: g.results < FEW_RESULTS ? titles.few : titles.enough,
  }));
  return {
    $schema: SCHEMA,
    height: { step: 20 },
    data: { values: rows },
    encoding: {
      y: { field: 'label', type: 'nominal', title: null, sort: null, axis: { labelLimit: 160 } },
      x: { field: 'rate', type: 'quantitative', title: titles.rate, axis: { format: '.0%', tickCount: 5 } },
      tooltip: [
        { field: 'label', title: ' ' },
        { field: 'rate', title: titles.rate, format: '.1%' },
        { field: 'findings', title: titles.findings, format: ',' },
        { field: 'results', title: titles.results, format: ',' },
      ],
    },
    layer: [
      {
        mark: { type: 'bar', color: '#b91c1c', cursor: 'pointer' },
        encoding: {
          opacity: fewResultsOpacity(titles, '#b91c1c'),
        },
      },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 11, color: '#374151' }, encoding: { text: { field: 'text' } } },
    ],
  } as VisualizationSpec;
}

/** The months from the first to the last of `months` ('YYYY-MM'), with none left out. */
export function monthRange(months: string[]): string[] {
  const sorted = [...months].sort();
  if (sorted.length === 0) return [];
  const range: string[] = [];
  let [year, month] = sorted[0].split('-').map(Number);
  const last = sorted[sorted.length - 1];
  for (let m = sorted[0]; m <= last; m = `${year}-${String(month).padStart(2, '0')}`) {
    range.push(m);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return range;
}

/**
 * Results per inspection month (bars) and the findings rate (line, right axis). A month without results is still on
 * the axis, with no bar and a break in the line, so a gap shows as a gap.
 */
export function trendSpec(months: OutcomeGroup[], titles: { month: string; rate: string; results: string; findings: string }): VisualizationSpec {
  const byMonth = new Map(months.filter((m) => m.key !== null).map((m) => [m.key as string, m]));
  const rows = monthRange([...byMonth.keys()]).map((month) => {
    const m = byMonth.get(month);
    return { month, results: m?.results ?? null, findings: m?.findings ?? null, rate: m?.findingsRate ?? null };
  });
  return {
    $schema: SCHEMA,
    height: 180,
    data: { values: rows },
    encoding: { x: { field: 'month', type: 'ordinal', title: titles.month, sort: null, axis: { labelAngle: 0, labelOverlap: true } } },
    layer: [
      {
        mark: { type: 'bar', color: '#fecaca', tooltip: true },
        encoding: {
          y: { field: 'results', type: 'quantitative', title: titles.results, axis: { format: ',d', tickMinStep: 1 } },
          tooltip: [{ field: 'month', title: titles.month }, { field: 'results', title: titles.results, format: ',' }, { field: 'findings', title: titles.findings, format: ',' }],
        },
      },
      {
        mark: { type: 'line', color: '#7f1d1d', point: true, tooltip: true },
        encoding: {
          y: { field: 'rate', type: 'quantitative', title: titles.rate, axis: { format: '.0%' } },
          tooltip: [{ field: 'month', title: titles.month }, { field: 'rate', title: titles.rate, format: '.1%' }, { field: 'results', title: 'n', format: ',' }],
        },
      },
    ],
    resolve: { scale: { y: 'independent' } },
  } as VisualizationSpec;
}

/** The problems found most often: results per finding outcome code. */
export function problemsSpec(problems: OutcomesReport['problems'], lang: Lang, titles: { results: string; share: string }): VisualizationSpec {
  const rows = problems.map((p) => ({ key: p.outcomeCode, label: lang === 'zh' ? p.outcomeNameZh : p.outcomeNameEn, results: p.results, share: p.share }));
  return {
    $schema: SCHEMA,
    height: { step: 20 },
    data: { values: rows },
    mark: { type: 'bar', color: '#7f1d1d', cursor: 'pointer' },
    encoding: {
      y: { field: 'label', type: 'nominal', title: null, sort: '-x', axis: { labelLimit: 220 } },
      x: { field: 'results', type: 'quantitative', title: titles.results, axis: { format: ',d', tickMinStep: 1 } },
      tooltip: [{ field: 'label', title: ' ' }, { field: 'results', title: titles.results, format: ',' }, { field: 'share', title: titles.share, format: '.1%' }],
    },
  } as VisualizationSpec;
}
