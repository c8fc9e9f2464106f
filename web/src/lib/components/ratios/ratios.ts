// The /ratios page's rules (a valid ratio, the key of one preview request), its version history's columns and the
// Vega-Lite specs of its backtest charts.
import type { VisualizationSpec } from 'vega-embed';
import type { Backtest, PolicyVersion, TierRatiosBp } from '$engine/api/types';
import type { Column } from '$lib/export';
import { fmtBp, fmtDateTime, fmtInt, fmtNum, fmtPct } from '$lib/format';
import { FEW_RESULTS, fewResultsOpacity } from '$lib/components/outcomes/outcomes';
import { i18n, t, tIn, type Lang } from '$lib/i18n.svelte';
import type { Role } from '$lib/session.svelte';

export const TIERS = ['A', 'B', 'C', 'D'] as const;

/** Who may open the ratios page; of them, leaders only read. */
export const RATIO_READERS: Role[] = ['admin', 'analyst', 'leader'];

/**
 * Every tier's ratio a whole number of basis points from the policy's floor (default 100 = 1%: every entity keeps a
 * known, non-zero chance of being drawn) to 10000 (100%).
 */
export const ratiosValid = (r: TierRatiosBp, floorBp: number) => TIERS.every((tier) => Number.isInteger(r[tier]) && r[tier] >= floorBp && r[tier] <= 10000);

/**
 * The top of a tier's slider: half again the highest ratio practice calls usual for it (A 7.5%, B 30%, C 90%, D 100%),
 * or the ratio itself when higher; a linear 0-100% slider left tiers A and B in its first few percent.
 */
export const sliderMaxBp = (practiceBp: readonly [number, number], ratioBp: number) => Math.min(10000, Math.max(Math.ceil((practiceBp[1] * 1.5) / 10) * 10, ratioBp || 0));

/** One change of a policy version in words: a tier's ratio in percent, any other setting as it is. */
export const changeText = (c: PolicyVersion['changes'][number]) =>
  c.field.startsWith('tierRatiosBp.') ? `${c.field.slice(-1)}: ${fmtBp(c.before)} → ${fmtBp(c.after)}` : `${c.field}: ${c.before ?? '—'} → ${c.after ?? '—'}`;

export const versionColumns = (): Column<PolicyVersion>[] => [
  { key: 'version', label: t('ratios.history.version'), numeric: true },
  { key: 'createdAt', label: t('ratios.history.time'), format: (v) => fmtDateTime(v) },
  { key: 'author', label: t('ratios.history.author') },
  { key: 'reason', label: t('ratios.history.reason') },
  { key: 'tierRatiosBp', label: t('ratios.history.ratios'), format: (v: TierRatiosBp) => TIERS.map((tier) => `${tier} ${fmtBp(v[tier])}`).join(' · ') },
  { key: 'changes', label: t('ratios.history.changes'), format: (v: PolicyVersion['changes']) => (v.length ? v.map(changeText).join('；') : '—') },
];

const TIER_COLORS = ['#16a34a', '#ca8a04', '#ea580c', '#b91c1c'];

/** Share of findings found against share inspected, by risk order and at random (the diagonal). */
export function liftCurveSpec(b: Backtest, labels: { inspected: string; found: string; model: string; random: string }): VisualizationSpec {
  const rows = [
    ...b.liftCurve.map((p) => ({ share: p.share, found: p.found, line: labels.model })),
    { share: 0, found: 0, line: labels.random },
    { share: 1, found: 1, line: labels.random },
  ];
  return {
    width: 'container',
    height: 240,
    data: { values: rows },
    mark: { type: 'line', interpolate: 'linear', point: false },
    encoding: {
      x: { field: 'share', type: 'quantitative', title: labels.inspected, axis: { format: '%' }, scale: { domain: [0, 1] } },
      y: { field: 'found', type: 'quantitative', title: labels.found, axis: { format: '%' }, scale: { domain: [0, 1] } },
      color: { field: 'line', type: 'nominal', title: null, scale: { range: ['#b91c1c', '#9ca3af'] }, legend: { orient: 'bottom-right' } },
      strokeDash: { field: 'line', type: 'nominal', legend: null, scale: { range: [[1, 0], [4, 4]] } },
      tooltip: [
        { field: 'share', type: 'quantitative', title: labels.inspected, format: '.0%' },
        { field: 'found', type: 'quantitative', title: labels.found, format: '.1%' },
      ],
    },
  } as VisualizationSpec;
}

/**
 * Backtest hit rate per tier (test year's inspections), labelled with the rate and its n (inspections); tiers with fewer
 * than FEW_RESULTS inspections are drawn lighter, with a legend entry saying why (as /outcomes draws its rates).
 */
export function hitRateSpec(b: Backtest, labels: { tier: string; hitRate: string; inspected: string; found: string; enough: string; few: string }): VisualizationSpec {
  const rows = b.tiers
    .filter((tier) => tier.hitRate !== null)
    .map((tier) => ({ ...tier, text: `${fmtPct(tier.hitRate)} n=${fmtInt(tier.inspected)}`, basis: tier.inspected < FEW_RESULTS ? labels.few : labels.enough }));
  return {
    width: 'container',
    height: 240,
    data: { values: rows },
    encoding: {
      x: { field: 'tier', type: 'nominal', title: labels.tier, sort: [...TIERS], axis: { labelAngle: 0 } },
      y: { field: 'hitRate', type: 'quantitative', title: labels.hitRate, axis: { format: '%' } },
    },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          color: { field: 'tier', type: 'nominal', legend: null, scale: { domain: [...TIERS], range: TIER_COLORS } },
          opacity: fewResultsOpacity(labels, '#6b7280'),
          tooltip: [
            { field: 'tier', type: 'nominal', title: labels.tier },
            { field: 'hitRate', type: 'quantitative', title: labels.hitRate, format: '.1%' },
            { field: 'inspected', type: 'quantitative', title: labels.inspected, format: ',' },
            { field: 'found', type: 'quantitative', title: labels.found, format: ',' },
          ],
        },
      },
      { mark: { type: 'text', dy: -6, baseline: 'bottom', fontSize: 10 }, encoding: { text: { field: 'text', type: 'nominal' } } },
    ],
  } as VisualizationSpec;
}

/** The tier ratios as `A=300,...`: the key of one preview request. */
export const ratiosKey = (r: TierRatiosBp) => TIERS.map((tier) => `${tier}=${r[tier]}`).join(',');

/** One ranking on the backtest's test year: the model, the logistic regression on its features, the best single feature. */
export interface RankingRow {
  method: string;
  auc: number | null;
  lift5: number | null;
  lift10: number | null;
  lift20: number | null;
}

/** The model beside its baselines, on the same test year and tested entities (none for versions that kept none). */
export function baselineRows(b: Backtest, labels: { model: string; logistic: string; best: string }): RankingRow[] {
  if (!b.baselines || !b.liftAt) return [];
  const row = (method: string, r: { auc: number | null; liftAt: Record<'0.05' | '0.1' | '0.2', number | null> }): RankingRow => ({
    method,
    auc: r.auc,
    lift5: r.liftAt['0.05'],
    lift10: r.liftAt['0.1'],
    lift20: r.liftAt['0.2'],
  });
  const best = b.baselines.bestFeature;
  return [row(labels.model, { auc: b.auc, liftAt: b.liftAt }), row(labels.logistic, b.baselines.logistic), row(`${labels.best}: ${i18n.lang === 'zh' ? best.label.zh : best.label.en}`, best)];
}

type AucGain = NonNullable<NonNullable<Backtest['baselines']>['logistic']['gain']>;

/** The model's AUC gain over the logistic regression in words: the signed difference, its interval and what it tells. */
export function gainText(gain: AucGain, lang: Lang = i18n.lang): string {
  const signed = (x: number) => `${x >= 0 ? '+' : '−'}${fmtNum(Math.abs(x), 4)}`;
  const verdict = gain.low > 0 ? 'ratios.bt.gainAbove' : gain.high < 0 ? 'ratios.bt.gainBelow' : 'ratios.bt.gainUnclear';
  const figures = { difference: signed(gain.difference), low: signed(gain.low), high: signed(gain.high), replicates: fmtInt(gain.replicates), rows: fmtInt(gain.rows) };
  return [tIn(lang, 'ratios.bt.gain', figures), tIn(lang, verdict)].join(lang === 'zh' ? '' : ' ');
}

/** A rate's interval in percent, e.g. "[7.4%, 10.0%]". */
export const intervalText = (low: number | null | undefined, high: number | null | undefined) => (low == null || high == null ? '—' : `[${fmtPct(low)}, ${fmtPct(high)}]`);

/** A bias in percentile points with its sign, e.g. "+2.2". */
const points = (x: number | null) => (x === null ? '—' : `${x > 0 ? '+' : ''}${fmtNum(x * 100, 1)}`);

type Segment = NonNullable<Backtest['segments']>[number];

export const segmentColumns = (): Column<Segment>[] => [
  { key: 'label', label: t('ratios.seg.segment'), format: (v: Segment['label']) => (i18n.lang === 'zh' ? v.zh : v.en), wrap: true },
  { key: 'population', label: t('ratios.bt.population'), numeric: true, format: (v) => fmtNum(v, 0) },
  { key: 'tested', label: t('ratios.bt.inspected'), numeric: true, format: (v) => fmtNum(v, 0) },
  { key: 'meanPercentile', label: t('ratios.seg.percentile'), numeric: true, format: (v) => fmtNum(v * 100, 1) },
  { key: 'observed', label: t('ratios.seg.observed'), numeric: true, format: (v) => fmtPct(v) },
  { key: 'bias', label: t('ratios.seg.bias'), numeric: true, format: (v, row) => `${points(v)} [${points(row.biasLow)}, ${points(row.biasHigh)}]` },
  { key: 'showsBias', label: t('ratios.seg.verdict'), format: (v: boolean) => (v ? t('ratios.seg.biased') : t('ratios.seg.within')) },
];
