// The /ratios page's rules (a valid ratio, the key of one preview request), its version history's columns and the
// Vega-Lite specs of its backtest charts.
import type { VisualizationSpec } from 'vega-embed';
import type { Backtest, PolicyVersion, TierRatiosBp } from '$engine/api/types';
import type { Column } from '$lib/export';
import { fmtBp, fmtDateTime } from '$lib/format';
import { t } from '$lib/i18n.svelte';
import type { Role } from '$lib/session.svelte';

export const TIERS = ['A', 'B', 'C', 'D'] as const;

/** Who may open the ratios page; of them, leaders only read. */
export const RATIO_READERS: Role[] = ['admin', 'analyst', 'leader'];

/** Every tier's ratio a whole number of basis points from 0 to 10000 (100%). */
export const ratiosValid = (r: TierRatiosBp) => TIERS.every((tier) => Number.isInteger(r[tier]) && r[tier] >= 0 && r[tier] <= 10000);

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

/** Backtest hit rate per tier (test year's inspections), labelled with the rate. */
export function hitRateSpec(b: Backtest, labels: { tier: string; hitRate: string; inspected: string; found: string }): VisualizationSpec {
  const rows = b.tiers.filter((tier) => tier.hitRate !== null).map((tier) => ({ ...tier }));
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
          tooltip: [
            { field: 'tier', type: 'nominal', title: labels.tier },
            { field: 'hitRate', type: 'quantitative', title: labels.hitRate, format: '.1%' },
            { field: 'inspected', type: 'quantitative', title: labels.inspected, format: ',' },
            { field: 'found', type: 'quantitative', title: labels.found, format: ',' },
          ],
        },
      },
      { mark: { type: 'text', dy: -6, baseline: 'bottom' }, encoding: { text: { field: 'hitRate', type: 'quantitative', format: '.1%' } } },
    ],
  } as VisualizationSpec;
}

/** The tier ratios as `A=300,...`: the key of one preview request. */
export const ratiosKey = (r: TierRatiosBp) => TIERS.map((tier) => `${tier}=${r[tier]}`).join(',');
