// The /ratios page's API shapes (GET /api/policy, /api/policy/versions, /api/models, /api/models/:v/backtest,
// POST /api/policy/preview) and the Vega-Lite specs of its backtest charts.
import type { VisualizationSpec } from 'vega-embed';
import type { Json } from '../../../../../engine/src/api/json.ts';
import type * as Engine from '../../../../../engine/src/policy/policy.ts';
import type * as Preview from '../../../../../engine/src/policy/preview.ts';

export const TIERS = ['A', 'B', 'C', 'D'] as const;
export type Tier = (typeof TIERS)[number];
export type TierRatiosBp = Record<Tier, number>;

export type PolicySettings = Json<Engine.PolicySettings>;

export interface Policy extends PolicySettings {
  version: number;
  createdAt: string | null;
  author: string | null;
  reason: string | null;
}

export interface PolicyAnswer {
  policy: Policy;
  practiceRangeBp: Record<Tier, [number, number]>;
  warnings: string[];
}

export interface PolicyVersion extends Policy {
  changes: Array<{ field: string; before: number | null; after: number | null }>;
}

export type TierPreview = Json<Preview.TierPreview>;
export type PolicyPreview = Json<Preview.PolicyPreview>;

export interface ModelVersion {
  version: number;
  fittedAt: string;
  fittedBy: string;
  method: string;
  asOf: string;
  current: boolean;
  tierCounts?: Record<Tier, number>;
  metrics: {
    auc: number | null;
    hitRateByTier: Record<Tier, number | null> | null;
    liftAt: Record<string, number | null> | null;
    daysEarlier: number | null;
    truthSpearman: number | null;
    testYear: number | null;
    backtestSkipped?: string;
  };
}

export interface TierOutcome {
  tier: Tier;
  population: number;
  inspected: number;
  found: number;
  hitRate: number | null;
}

export interface Backtest {
  version: number;
  testYear: number | null;
  source: 'curve' | 'liftAt' | 'none';
  liftCurve: Array<{ share: number; found: number }>;
  auc: number | null;
  daysEarlier: number | null;
  tiers: TierOutcome[];
  test?: { entities: number; withFinding: number; hitRate: number; visits: number };
  backtestSkipped?: string;
}

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
  const rows = b.tiers.filter((t) => t.hitRate !== null).map((t) => ({ ...t }));
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
export const ratiosKey = (r: TierRatiosBp) => TIERS.map((t) => `${t}=${r[t]}`).join(',');
