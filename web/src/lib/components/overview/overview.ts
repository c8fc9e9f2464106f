// The overview page's tables and charts (Vega-Lite specs over GET /api/coverage), and the Guangdong map.
import type { VisualizationSpec } from 'vega-embed';
import type { CityCoverage, DepartmentCoverage, Severity, TierCoverage } from '$engine/api/types';
import type { Column } from '$lib/export';
import { fmtBp, fmtInt, fmtPct } from '$lib/format';
import { t, type Lang } from '$lib/i18n.svelte';

type Ring = number[][];
interface CityFeature {
  type: 'Feature';
  properties: { code: string; name: string };
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

/** Twice the signed planar area of a ring in lon/lat (positive: counter-clockwise). */
function ringArea(ring: Ring): number {
  let area = 0;
  for (let i = 0; i < ring.length - 1; i++) area += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return area;
}

/** d3-geo (Vega's projections) reads rings on the sphere: an exterior ring must run clockwise, holes counter-clockwise,
 * or a city would be drawn as the whole world outside it. The decoded ECharts rings run either way. */
function rewind(polygon: Ring[]): Ring[] {
  return polygon.map((ring, i) => ((ringArea(ring) > 0) === (i > 0) ? ring : [...ring].reverse()));
}

/** The 21 cities' boundaries (data/geo/guangdong.json, 650 kB): its own chunk, fetched while the numbers load. */
export async function loadCityShapes(): Promise<CityFeature[]> {
  const geo = (await import('../../../../../data/geo/guangdong.json')).default as unknown as { features: CityFeature[] };
  return geo.features.map((f) => ({
    ...f,
    geometry:
      f.geometry.type === 'Polygon'
        ? { type: 'Polygon', coordinates: rewind(f.geometry.coordinates) }
        : { type: 'MultiPolygon', coordinates: f.geometry.coordinates.map(rewind) },
  }));
}

export const SEVERITY_LEVEL: Record<Severity, number> = { low: 1, medium: 2, high: 3 };

/** The highest alert severity per city code, from GET /api/alerts. */
export function alertLevels(alerts: Array<{ cityCode: string; severity: Severity }>): Map<string, number> {
  const levels = new Map<string, number>();
  for (const a of alerts) levels.set(a.cityCode, Math.max(levels.get(a.cityCode) ?? 0, SEVERITY_LEVEL[a.severity]));
  return levels;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export interface MapLabels {
  title: string;
  coverage: string;
  alert: string;
  alertLevels: [string, string, string, string];
  drawn: string;
  entities: string;
}

/**
 * Guangdong's 21 cities (offline boundaries, data/geo/guangdong.json) joined on the city code with the coverage rows;
 * coloured by coverage rate or by the highest alert level. Each shape's aria-label is its city code.
 */
export function mapSpec(shapes: unknown[], cities: CityCoverage[], mode: 'coverage' | 'alerts', levels: Map<string, number>, lang: Lang, labels: MapLabels, selected: string | null): VisualizationSpec {
  const rows = cities.map((c) => ({
    code: c.code,
    name: lang === 'zh' ? c.nameZh : c.nameEn,
    coverageRate: c.coverageRate ?? 0,
    entitiesDrawn: c.entitiesDrawn,
    entities: c.entities,
    alertLevel: levels.get(c.code) ?? 0,
    alertLabel: labels.alertLevels[levels.get(c.code) ?? 0],
    selected: c.code === selected,
  }));
  const color =
    mode === 'coverage'
      ? { field: 'coverageRate', type: 'quantitative', title: labels.coverage, scale: { scheme: 'reds', domainMin: 0 }, legend: { format: '.1%' } }
      : {
          field: 'alertLabel',
          type: 'ordinal',
          title: labels.alert,
          scale: { domain: labels.alertLevels, range: ['#e5e7eb', '#fde68a', '#fb923c', '#b91c1c'] },
        };
  return {
    $schema: SCHEMA,
    description: labels.title,
    width: 560,
    height: 400,
    projection: { type: 'mercator' },
    layer: [
      {
        data: { values: shapes },
        transform: [
          { calculate: 'datum.properties.code', as: 'code' },
          { lookup: 'code', from: { data: { values: rows }, key: 'code', fields: ['name', 'coverageRate', 'entitiesDrawn', 'entities', 'alertLevel', 'alertLabel', 'selected'] } },
        ],
        mark: { type: 'geoshape', cursor: 'pointer', stroke: 'white' },
        encoding: {
          color,
          stroke: { condition: { test: 'datum.selected', value: '#111827' }, value: 'white' },
          strokeWidth: { condition: { test: 'datum.selected', value: 2.5 }, value: 0.8 },
          description: { field: 'code' },
          tooltip: [
            { field: 'name', title: labels.title },
            { field: 'coverageRate', title: labels.coverage, format: '.2%' },
            { field: 'entitiesDrawn', title: labels.drawn, format: ',' },
            { field: 'entities', title: labels.entities, format: ',' },
            { field: 'alertLabel', title: labels.alert },
          ],
        },
      },
      {
        // each city's name at the middle of its outline, so the map reads without hovering
        data: { values: shapes.map((shape) => ({ code: (shape as CityShape).properties.code, ...labelPoint(shape as CityShape), name: rows.find((r) => r.code === (shape as CityShape).properties.code)?.name ?? '' })) },
        mark: { type: 'text', fontSize: 10, fontWeight: 600, fill: '#111827', stroke: 'white', strokeWidth: 2.5, strokeOpacity: 0.8, cursor: 'pointer' },
        encoding: { longitude: { field: 'lon', type: 'quantitative' }, latitude: { field: 'lat', type: 'quantitative' }, text: { field: 'name' }, description: { field: 'code' } },
      },
    ],
    config: { view: { stroke: null } },
  } as VisualizationSpec;
}

interface CityShape {
  properties: { code: string };
  geometry: { coordinates: unknown };
}

/** Where a city's name goes: the middle of its outline's bounding box (lon/lat). */
export function labelPoint(shape: CityShape): { lon: number; lat: number } {
  let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [lon, lat] = c as number[];
      [minLon, minLat, maxLon, maxLat] = [Math.min(minLon, lon), Math.min(minLat, lat), Math.max(maxLon, lon), Math.max(maxLat, lat)];
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  visit(shape.geometry.coordinates);
  return { lon: (minLon + maxLon) / 2, lat: (minLat + maxLat) / 2 };
}

/** Share of each tier's entities drawn this year against the yearly target share (a tick). */
export function tierSpec(tiers: TierCoverage[], labels: { tier: string; drawn: string; target: string; inspected: string }): VisualizationSpec {
  const rows = tiers.flatMap((row) => [
    { tier: row.tier, measure: labels.drawn, share: row.drawnShare ?? 0, count: row.drawn, target: row.targetBp / 10000 },
    { tier: row.tier, measure: labels.inspected, share: row.inspectedShare ?? 0, count: row.inspected, target: row.targetBp / 10000 },
  ]);
  return {
    $schema: SCHEMA,
    width: 320,
    height: 200,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'tier', type: 'nominal', title: labels.tier, axis: { labelAngle: 0 } },
          xOffset: { field: 'measure' },
          y: { field: 'share', type: 'quantitative', title: null, axis: { format: '.0%' } },
          color: { field: 'measure', type: 'nominal', title: null, scale: { range: ['#b91c1c', '#fca5a5'] }, legend: { orient: 'bottom' } },
          tooltip: [
            { field: 'tier', title: labels.tier },
            { field: 'measure', title: ' ' },
            { field: 'share', format: '.2%', title: '%' },
            { field: 'count', format: ',', title: '#' },
            { field: 'target', format: '.0%', title: labels.target },
          ],
        },
      },
      {
        mark: { type: 'tick', color: '#111827', thickness: 2, size: 40 },
        encoding: { x: { field: 'tier', type: 'nominal' }, y: { field: 'target', type: 'quantitative' }, tooltip: { field: 'target', format: '.0%', title: labels.target } },
      },
    ],
  } as VisualizationSpec;
}

/** Results due per department: published on time, late, overdue and still open, stacked. */
export function deadlineSpec(departments: DepartmentCoverage[], lang: Lang, states: { onTime: string; late: string; overdue: string; open: string }): VisualizationSpec {
  const rows = departments
    .filter((d) => d.resultsDue > 0)
    .flatMap((d) => {
      const name = lang === 'zh' ? d.nameZh : d.nameEn;
      return [
        { department: name, state: states.onTime, order: 1, results: d.publishedOnTime },
        { department: name, state: states.late, order: 2, results: d.publishedLate },
        { department: name, state: states.overdue, order: 3, results: d.overdue },
        { department: name, state: states.open, order: 4, results: d.open },
      ];
    });
  return {
    $schema: SCHEMA,
    width: 320,
    height: { step: 22 },
    data: { values: rows },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'department', type: 'nominal', title: null, sort: '-x' },
      x: { field: 'results', type: 'quantitative', stack: 'normalize', title: null, axis: { format: '.0%' } },
      color: {
        field: 'state',
        type: 'nominal',
        title: null,
        scale: { domain: [states.onTime, states.late, states.overdue, states.open], range: ['#15803d', '#f59e0b', '#b91c1c', '#cbd5e1'] },
        legend: { orient: 'bottom', columns: 2 },
      },
      order: { field: 'order' },
      tooltip: [{ field: 'department' }, { field: 'state' }, { field: 'results', format: ',' }],
    },
  } as VisualizationSpec;
}

const pct = (v: number | null) => fmtPct(v, 1);

/** Entities per risk tier against the yearly target share. */
export const tierColumns = (): Column<TierCoverage>[] => [
  { key: 'tier', label: t('overview.col.tier'), format: (v) => t('overview.tierName', { tier: v }) },
  { key: 'entities', label: t('overview.col.entities'), numeric: true, format: fmtInt },
  { key: 'targetBp', label: t('overview.col.targetRatio'), numeric: true, format: fmtBp },
  { key: 'target', label: t('overview.col.target'), numeric: true, format: fmtInt },
  { key: 'drawn', label: t('overview.col.drawn'), numeric: true, format: fmtInt },
  { key: 'drawnShare', label: t('overview.col.drawnShare'), numeric: true, format: (v) => fmtPct(v, 2) },
  { key: 'inspected', label: t('overview.col.inspected'), numeric: true, format: fmtInt },
  { key: 'attainment', label: t('overview.col.attainment'), numeric: true, format: pct },
];

/** Results due, entered, published on time or late, and overdue: the columns cities and departments share. */
const deadlineColumns = <R extends DepartmentCoverage | CityCoverage>(): Column<R>[] => [
  { key: 'resultsDue', label: t('overview.col.resultsDue'), numeric: true, format: fmtInt },
  { key: 'resultsEntered', label: t('overview.col.entered'), numeric: true, format: fmtInt },
  { key: 'publishedOnTime', label: t('overview.col.onTime'), numeric: true, format: fmtInt },
  { key: 'publishedLate', label: t('overview.col.late'), numeric: true, format: fmtInt },
  { key: 'overdue', label: t('overview.col.overdue'), numeric: true, format: fmtInt },
  { key: 'onTimeRate', label: t('overview.col.onTimeRate'), numeric: true, format: pct },
];

type Named = { nameZh: string; nameEn: string };

export const cityColumns = (name: (x: Named) => string): Column<CityCoverage>[] => [
  { key: 'nameZh', label: t('overview.col.city'), format: (_v, c) => name(c) },
  { key: 'entities', label: t('overview.col.entities'), numeric: true, format: fmtInt },
  { key: 'tasks', label: t('overview.col.tasks'), numeric: true, format: fmtInt },
  { key: 'itemsCovered', label: t('overview.col.items'), numeric: true, format: fmtInt },
  { key: 'entitiesDrawn', label: t('overview.col.drawn'), numeric: true, format: fmtInt },
  { key: 'coverageRate', label: t('overview.coverageRate'), numeric: true, format: (v) => fmtPct(v, 2) },
  { key: 'attainment', label: t('overview.col.attainment'), numeric: true, format: pct },
  ...deadlineColumns<CityCoverage>(),
];

export const departmentColumns = (name: (x: Named) => string): Column<DepartmentCoverage>[] => [
  { key: 'nameZh', label: t('overview.col.department'), format: (_v, d) => name(d) },
  { key: 'itemsInForce', label: t('overview.col.itemsInForce'), numeric: true, format: fmtInt },
  { key: 'itemsCovered', label: t('overview.col.items'), numeric: true, format: fmtInt },
  { key: 'itemCoverageRate', label: t('overview.col.itemCoverage'), numeric: true, format: pct },
  { key: 'tasks', label: t('overview.col.tasks'), numeric: true, format: fmtInt },
  { key: 'jointTasks', label: t('overview.col.jointTasks'), numeric: true, format: fmtInt },
  { key: 'entitiesDrawn', label: t('overview.col.drawn'), numeric: true, format: fmtInt },
  ...deadlineColumns<DepartmentCoverage>(),
];

/** Departments with something this year (items covered, tasks, entities drawn, results due) and those with nothing, kept apart so rows of zeros fold away. */
export function splitIdle(departments: DepartmentCoverage[]): [DepartmentCoverage[], DepartmentCoverage[]] {
  const busy = (d: DepartmentCoverage) => d.itemsCovered > 0 || d.tasks > 0 || d.entitiesDrawn > 0 || d.resultsDue > 0;
  return [departments.filter(busy), departments.filter((d) => !busy(d))];
}

/**
 * The targets the rules themselves set for the headline figures: every item in force covered (全覆盖), every department
 * with items taking part, every result public within its 20 working days. Entities drawn are held against the tiers'
 * yearly targets (kpiDrawnTarget). The joint-task share has no fixed target and is shown without one.
 */
export const KPI_TARGETS = { itemCoverageRate: 1, departmentShare: 1, onTimeRate: 1 } as const;

/** How a figure stands against its target: good from 95% of it, short from 80%, else behind; null without a figure or target. */
export function kpiStatus(value: number | null, target: number | null): 'good' | 'short' | 'behind' | null {
  if (value === null || target === null || target <= 0) return null;
  const reached = value / target;
  return reached >= 0.95 ? 'good' : reached >= 0.8 ? 'short' : 'behind';
}

/** A figure's change since last month, in words: rates in percentage points (one decimal), counts as whole numbers;
 * null when either month has no figure. `up` says whether it rose (the colour follows the target's direction: all the
 * overview's figures are better higher). */
export function kpiChange(now: number | null, before: number | null, kind: 'rate' | 'count'): { text: string; up: boolean | null } | null {
  if (now === null || before === null) return null;
  const delta = kind === 'rate' ? Math.round((now - before) * 1000) / 10 : Math.round(now - before);
  if (delta === 0) return { text: t('overview.kpi.unchanged'), up: null };
  const signed = `${delta > 0 ? '+' : '−'}${kind === 'rate' ? Math.abs(delta).toFixed(1) : fmtInt(Math.abs(delta))}`;
  return { text: t('overview.kpi.change', { change: kind === 'rate' ? t('overview.kpi.pp', { n: signed }) : signed }), up: delta > 0 };
}

/** Entities the tiers' yearly targets ask for together (null when no tier has one). */
export function kpiDrawnTarget(tiers: TierCoverage[]): number | null {
  const total = tiers.reduce((sum, x) => sum + x.target, 0);
  return total > 0 ? total : null;
}
