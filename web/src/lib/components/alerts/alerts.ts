// The /alerts page's rules: who may open it, the settings it starts from, the special-draw link, and the evidence
// chart's Vega-Lite spec.
import type { VisualizationSpec } from 'vega-embed';
import type { Alert, AlertEvidence } from '$engine/api/types';
import type { AlertSettings } from '$lib/api';
import type { Role } from '$lib/session.svelte';
import { t } from '$lib/i18n.svelte';
import { fmtNum } from '$lib/format';
import { FEW_RESULTS } from '$lib/components/outcomes/outcomes';

/** Who may open the alerts page (the server refuses the others). */
export const ALERT_READERS: Role[] = ['admin', 'analyst', 'leader'];

/** The settings the page opens with: an 8-week window, q = 1%, at least 10 observed. */
export const DEFAULT_ALERT_SETTINGS: Required<AlertSettings> = { windowWeeks: 8, q: 0.01, minObserved: 10 };

/** The ratio a special draw starts from (30% of the region x industry's entities); the leader confirms or changes it on /tasks/new. */
export const SPECIAL_DRAW_RATIO_BP = 3000;

/** "深圳市南山区" for a district, "东莞市" for a city (zh); "Nanshan, Shenzhen" (en). */
export function regionLabel(a: Pick<Alert, 'level' | 'regionName' | 'cityName'>, lang: 'zh' | 'en'): string {
  if (a.level === 'city') return a.regionName[lang];
  return lang === 'zh' ? `${a.cityName.zh}${a.regionName.zh}` : `${a.regionName.en}, ${a.cityName.en}`;
}

const fixed = (x: number | null, digits: number) => (x === null ? '—' : x.toFixed(digits));
/** A q-value as the page writes it: two significant digits, scientific below 0.001. */
export const qText = (q: number) => (q < 0.001 ? q.toExponential(1) : q.toPrecision(2));

/** The reason a special task carries: the alert in words, Chinese first. */
export function specialDrawReason(a: Alert): string {
  const kindZh = a.kind === 'complaints' ? '12345投诉' : '检查发现问题';
  const kindEn = a.kind === 'complaints' ? '12345 complaints' : 'inspections with findings';
  return (
    `区域风险预警：${regionLabel(a, 'zh')} × ${a.industryName.zh}，${a.window.from}至${a.window.to} ${kindZh} ${a.observed} 件，预期 ${fixed(a.expected, 1)} 件（${fixed(a.ratio, 1)} 倍，q=${qText(a.qValue)}）` +
    ` / Regional risk alert: ${regionLabel(a, 'en')} x ${a.industryName.en}, ${kindEn} ${a.window.from} to ${a.window.to}: ${a.observed} against ${fixed(a.expected, 1)} expected (x${fixed(a.ratio, 1)}, q=${qText(a.qValue)})`
  );
}

/**
 * /tasks/new pre-filled for a special task on the alert's region and industry with a raised ratio and the items that
 * concern the industry; `alert` names the alert, whose statistics the task keeps.
 */
export function specialDrawHref(a: Alert, ratioBp = SPECIAL_DRAW_RATIO_BP): string {
  const params: Array<[string, string]> = [
    ['kind', 'special'],
    ['region', a.regionCode],
    ['industry', a.industryCode],
    ['ratioBp', String(ratioBp)],
    ...a.items.map((code): [string, string] => ['item', code]),
    ['alert', a.id],
    ['reason', specialDrawReason(a)],
  ];
  return `/tasks/new?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}

/** What a special task keeps of the alert it answers: its statistics, as of the report's date. */
export function evidenceOf(a: Alert, asOf: string): AlertEvidence {
  return {
    alertId: a.id, kind: a.kind, regionCode: a.regionCode, industryCode: a.industryCode, asOf, windowFrom: a.window.from, windowTo: a.window.to,
    observed: a.observed, expected: a.expected, ratio: a.ratio, qValue: a.qValue, severity: a.severity,
  };
}

/** Alert data older than this many days is flagged stale: the alerts compare weekly windows, two weeks is a missed update. */
export const STALE_AFTER_DAYS = 14;

/** Whole days from `asOf` to `today` (both YYYY-MM-DD). */
export function dataAgeDays(asOf: string, today: string): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${asOf}T00:00:00Z`)) / 86_400_000);
}

/** How unlikely the rise is by chance, in words: the q-value read as a person would say it. */
function chanceWords(q: number): string {
  if (q < 0.001) return t('alerts.plain.chance.none');
  if (q < 0.01) return t('alerts.plain.chance.unlikely');
  return t('alerts.plain.chance.possible');
}

/** The alert's statistics in plain words ("41 complaints where about 12 are usual: 3.3 times...") and the figures behind them for hover. */
export function plainStatistics(a: Pick<Alert, 'kind' | 'observed' | 'expected' | 'ratio' | 'qValue' | 'pValue'>): { words: string; figures: string } {
  const what = a.kind === 'complaints' ? t('alerts.plain.complaints') : t('alerts.plain.findings');
  const times = a.ratio === null ? t('alerts.plain.fromNothing') : t('alerts.plain.times', { ratio: fmtNum(a.ratio, 1) });
  return {
    words: t('alerts.plain.words', { observed: fmtNum(a.observed, 0), what, expected: fmtNum(a.expected, 0), times, chance: chanceWords(a.qValue) }),
    figures: t('alerts.plain.figures', { observed: a.observed, expected: fmtNum(a.expected, 2), ratio: a.ratio === null ? '∞' : fmtNum(a.ratio, 2), p: qText(a.pValue), q: qText(a.qValue) }),
  };
}

/**
 * The weekly series (count), the expected count and its 95% band, the recent window shaded. A finding-rate alert's
 * weeks carry their visits (n): weeks with fewer than FEW_RESULTS visits are drawn as lighter points.
 */
export function evidenceSpec(a: Alert, labels: { week: string; count: string; expected: string; band: string; window: string; visits: string }): VisualizationSpec {
  const rows = a.series.map((w) => ({ ...w, few: w.visits !== undefined && w.visits < FEW_RESULTS }));
  const visitsTip = a.kind === 'findings' ? [{ field: 'visits', type: 'quantitative', title: labels.visits }] : [];
  const x = { field: 'weekStart', type: 'temporal', title: labels.week, axis: { format: '%Y-%m', tickCount: { interval: 'month', step: 2 }, labelOverlap: true } };
  return {
    width: 'container',
    height: 280,
    layer: [
      {
        data: { values: [{ from: a.window.from, to: a.window.to, label: labels.window }] },
        mark: { type: 'rect', color: '#fde68a', opacity: 0.45 },
        encoding: { x: { field: 'from', type: 'temporal' }, x2: { field: 'to' }, tooltip: [{ field: 'label', type: 'nominal', title: labels.window }] },
      },
      {
        data: { values: rows },
        mark: { type: 'area', color: '#93c5fd', opacity: 0.45, interpolate: 'step-after' },
        encoding: { x, y: { field: 'low', type: 'quantitative', title: labels.count }, y2: { field: 'high' } },
      },
      {
        data: { values: rows },
        mark: { type: 'line', color: '#1d4ed8', strokeDash: [5, 3], interpolate: 'step-after' },
        encoding: { x, y: { field: 'expected', type: 'quantitative' } },
      },
      {
        data: { values: rows },
        mark: { type: 'line', color: '#b91c1c' },
        encoding: { x, y: { field: 'count', type: 'quantitative' } },
      },
      {
        data: { values: rows },
        mark: { type: 'point', color: '#b91c1c', filled: true, size: 28 },
        encoding: {
          x,
          y: { field: 'count', type: 'quantitative' },
          opacity: { condition: { test: 'datum.few', value: 0.3 }, value: 1 },
          tooltip: [
            ...visitsTip,
            { field: 'weekStart', type: 'temporal', title: labels.week, format: '%Y-%m-%d' },
            { field: 'count', type: 'quantitative', title: labels.count },
            { field: 'expected', type: 'quantitative', title: labels.expected, format: '.1f' },
            { field: 'low', type: 'quantitative', title: `${labels.band} ↓` },
            { field: 'high', type: 'quantitative', title: `${labels.band} ↑` },
          ],
        },
      },
    ],
  } as VisualizationSpec;
}
