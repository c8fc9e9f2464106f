// Regional risk alerts (区域风险预警): complaint and finding rates per city and district x industry over a recent
// window against the same cell's own baseline, exact one-sided tests, Benjamini-Hochberg over the cells tested.
// DuckDB aggregates to region x industry x week in one GROUP BY — over the stored entity days (alert_entity_days,
// refreshed entity by entity) when they are up to date, else over the records; the tests run here on a few thousand cells.
import { listValue } from '@duckdb/node-api';
import { Db, type Queryable } from '../db/duckdb.ts';
import { sql, sqlFolder, type Sql } from '../db/sql.ts';
import { isFresh, refreshDerivedTable, type DerivedTableDef, type RefreshResult } from '../kernel/derived.ts';
import { benjaminiHochberg, binomialUpperTail, noncentralHypergeometricUpperTail } from './stats.ts';

const query = sqlFolder(import.meta.url);

/** alert_entity_days: each entity's complaints and visits per day (migration 007), refreshed entity by entity. */
export const ALERT_DAYS: DerivedTableDef = {
  name: 'alert_days',
  table: 'alert_entity_days',
  sources: ['objects', 'complaints', 'inspection_results'],
  rows: (entityFilter) => query('entity-days', { entity_filter: entityFilter }),
  referenceSql: sql`SELECT code, is_finding FROM outcome_codes ORDER BY code`,
};

/**
 * Brings alert_entity_days up to date when `q` is a database open for writing (its own transaction) and says whether
 * it reflects the records now; on a read-only database or a plain connection it only checks.
 */
export async function prepareAlertDays(q: Queryable): Promise<{ fresh: boolean; refresh: RefreshResult | null }> {
  if (q instanceof Db && !q.readOnly) {
    const refresh = await refreshDerivedTable(q, ALERT_DAYS);
    return { fresh: true, refresh };
  }
  return { fresh: await isFresh(q, ALERT_DAYS), refresh: null };
}

// Window and baseline totals per region (district, or city code) x industry from the weekly table.
// Grain: one row per kind x region_code x industry_code.
const cellTotalsSql = (weekly: Sql, windowWeeks: number) => sql`SELECT kind, region_code, industry_code,
    CAST(sum(events) FILTER (WHERE week_ago < ${windowWeeks}) AS INTEGER) AS window_events,
    CAST(sum(events) FILTER (WHERE week_ago >= ${windowWeeks}) AS INTEGER) AS baseline_events,
    CAST(sum(findings) FILTER (WHERE week_ago < ${windowWeeks}) AS INTEGER) AS window_findings,
    CAST(sum(findings) FILTER (WHERE week_ago >= ${windowWeeks}) AS INTEGER) AS baseline_findings
  FROM ${weekly} GROUP BY ALL`;

// The weekly rows behind the alert cells: every region of the cities concerned, in the industries concerned.
// Grain: one row per kind x region_code x industry_code x week_ago (weeks with events).
const alertWeeksSql = (weekly: Sql, keys: string[]) => sql`SELECT kind, region_code, industry_code, week_ago, events, findings
  FROM ${weekly} WHERE list_contains(${listValue(keys)}, kind || '|' || left(region_code, 4) || '|' || industry_code)`;

let weeklyTables = 0;

// The alerts' reference date: the latest complaint day (Asia/Shanghai), else the latest inspection. Grain: one row.
const ALERTS_AS_OF_SQL = sql`SELECT CAST(coalesce(
    (SELECT CAST(timezone('Asia/Shanghai', max(received_at)) AS DATE) FROM complaints),
    (SELECT max(inspected_on) FROM inspection_results)) AS VARCHAR) AS as_of`;

export interface AlertSettings {
  /** Recent window, weeks of 7 days ending on the reference date. */
  windowWeeks: number;
  /** Baseline: the weeks right before the window, same cell. */
  baselineWeeks: number;
  /** Benjamini-Hochberg false discovery rate: an alert needs q-value <= this. */
  q: number;
  /** Least complaints (or findings) in the window for an alert. */
  minObserved: number;
  /** Least complaints over the baseline weeks for a complaint alert (an expected value resting on fewer is too shaky). */
  minBaseline: number;
  /** Least inspection visits in the window, and over the baseline, for a cell's finding rate to be tested (and at least minObserved findings in both periods together). */
  minWindowVisits: number;
  minBaselineVisits: number;
  /**
   * Move each cell's expected value by the change from baseline to window in the rest of the province (growth, seasons,
   * a province-wide campaign), always leaving the cell itself out: 'industry' (default) — the same industry elsewhere,
   * or the rest of the province when that is too small; 'province' — the rest of the province; 'none'.
   */
  trend: TrendMode;
}

export const DEFAULT_ALERT_SETTINGS: Readonly<AlertSettings> = Object.freeze({
  windowWeeks: 8,
  baselineWeeks: 52,
  q: 0.01,
  minObserved: 10,
  minBaseline: 10,
  minWindowVisits: 20,
  minBaselineVisits: 50,
  trend: 'industry',
});

export type TrendMode = 'industry' | 'province' | 'none';
export const TREND_MODES: readonly TrendMode[] = ['industry', 'province', 'none'];
/** Below this many baseline complaints (or visits) in the rest of an industry, its trend falls back to the rest of the province's; below it there too, no adjustment. */
const MIN_TREND_BASELINE = 200;

export type AlertKind = 'complaints' | 'findings';
export type Severity = 'high' | 'medium' | 'low';
export interface Name {
  zh: string;
  en: string;
}

export interface WeekPoint {
  weekStart: string;
  weekEnd: string;
  period: 'baseline' | 'window';
  /** Complaints, or visits with a finding. */
  count: number;
  /** Inspection visits (finding alerts only). */
  visits?: number;
}

export interface RegionalAlert {
  kind: AlertKind;
  level: 'city' | 'district';
  regionCode: string;
  regionName: Name;
  cityCode: string;
  cityName: Name;
  /** GB/T 4754 section of the entities concerned. */
  industryCode: string;
  industryName: Name;
  window: Span;
  /** Complaints (or visits with findings) in the window. */
  observed: number;
  /** What the baseline predicts for the window. */
  expected: number;
  ratio: number;
  baselineCount: number;
  /**
   * What the expected value was moved by, from the rest of the industry (or the province): complaints, the ratio of
   * weekly rates window over baseline; findings, the odds ratio of a finding window over baseline. 1 = no adjustment.
   */
  trend?: number;
  /** Finding alerts: visits and rates behind observed and expected. */
  windowVisits?: number;
  baselineVisits?: number;
  windowRate?: number;
  baselineRate?: number;
  pValue: number;
  qValue: number;
  severity: Severity;
  /** Oldest week first: the baseline weeks, then the window weeks. */
  series: WeekPoint[];
}

export interface Span {
  from: string;
  to: string;
  weeks: number;
}

export interface AlertReport {
  /** null when there are no complaints and no inspections at all. */
  asOf: string | null;
  window: Span | null;
  baseline: Span | null;
  settings: AlertSettings;
  /** Province-wide complaints per week, window over baseline (1 = flat). */
  complaintTrend: number;
  cells: Record<AlertKind, { seen: number; tested: number; alerts: number }>;
  method: string;
  alerts: RegionalAlert[];
  /** Every cell tested, alert or not (with `includeTested`): for reviewing the method. */
  tested?: TestedCell[];
  /** What the weekly counts were read from: the stored entity days, or the records (read-only and not up to date). */
  input: 'entity-days' | 'records';
  /** How the stored entity days were brought up to date first (null when they were only checked). */
  refresh: RefreshResult | null;
  /** refresh: bringing the entity days up to date (within aggregate). */
  elapsedMs: { refresh: number; aggregate: number; test: number; total: number };
}

export interface TestedCell {
  kind: AlertKind;
  level: 'city' | 'district';
  regionCode: string;
  industryCode: string;
  observed: number;
  expected: number;
  baselineCount: number;
  pValue: number;
  qValue: number;
}

export interface AlertOptions extends Partial<AlertSettings> {
  /** Also return every tested cell with its p- and q-value. */
  includeTested?: boolean;
  /** Reference date YYYY-MM-DD; default: the latest complaint day in the data. */
  asOf?: string;
}

const MS_PER_DAY = 86_400_000;
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

type EventKind = 'complaints' | 'visits';

interface CellTotalsRow {
  kind: EventKind;
  region_code: string | null;
  industry_code: string;
  window_events: number;
  baseline_events: number;
  window_findings: number;
  baseline_findings: number;
}

interface WeekRow {
  kind: EventKind;
  region_code: string;
  industry_code: string;
  week_ago: number;
  events: number;
  findings: number;
}

interface Cell {
  kind: EventKind;
  level: 'city' | 'district';
  regionCode: string;
  industryCode: string;
  totals: PeriodTotals;
}

interface PeriodTotals {
  windowEvents: number;
  baselineEvents: number;
  windowFindings: number;
  baselineFindings: number;
}
const emptyTotals = (): PeriodTotals => ({ windowEvents: 0, baselineEvents: 0, windowFindings: 0, baselineFindings: 0 });
function addTotals(t: PeriodTotals, inWindow: boolean, events: number, findings: number): void {
  if (inWindow) {
    t.windowEvents += events;
    t.windowFindings += findings;
  } else {
    t.baselineEvents += events;
    t.baselineFindings += findings;
  }
}
function sumTotals(all: Iterable<PeriodTotals>): PeriodTotals {
  const out = emptyTotals();
  for (const t of all) {
    addTotals(out, true, t.windowEvents, t.windowFindings);
    addTotals(out, false, t.baselineEvents, t.baselineFindings);
  }
  return out;
}
function minusTotals(a: PeriodTotals, b: PeriodTotals): PeriodTotals {
  return {
    windowEvents: a.windowEvents - b.windowEvents,
    baselineEvents: a.baselineEvents - b.baselineEvents,
    windowFindings: a.windowFindings - b.windowFindings,
    baselineFindings: a.baselineFindings - b.baselineFindings,
  };
}
/** Events per week in the window over events per week in the baseline; null when either is empty. */
function rateRatio(t: PeriodTotals, windowWeeks: number, baselineWeeks: number): number | null {
  if (t.windowEvents <= 0 || t.baselineEvents <= 0) return null;
  return t.windowEvents / windowWeeks / (t.baselineEvents / baselineWeeks);
}
/** Odds of a finding in the window over the odds in the baseline; null when a cell of the 2x2 table is empty. */
function oddsRatio(t: PeriodTotals): number | null {
  const a = t.windowFindings;
  const b = t.windowEvents - t.windowFindings;
  const c = t.baselineFindings;
  const d = t.baselineEvents - t.baselineFindings;
  if (a <= 0 || b <= 0 || c <= 0 || d <= 0) return null;
  return (a * d) / (b * c);
}

/** Severity from the size of the rise and the strength of the evidence. */
export function severityOf(ratio: number, qValue: number, qThreshold: number): Severity {
  if (ratio >= 3 && qValue <= qThreshold / 10) return 'high';
  if (ratio >= 2 || qValue <= qThreshold / 10) return 'medium';
  return 'low';
}

function validate(s: AlertSettings): void {
  const positiveInt = (field: keyof AlertSettings) => {
    const v = s[field] as number;
    if (!Number.isInteger(v) || v < 1) throw new Error(`${field}: ${JSON.stringify(v)} — must be a whole number >= 1`);
  };
  positiveInt('windowWeeks');
  positiveInt('baselineWeeks');
  for (const f of ['minObserved', 'minBaseline', 'minWindowVisits', 'minBaselineVisits'] as const) {
    if (!Number.isInteger(s[f]) || s[f] < 0) throw new Error(`${f}: ${JSON.stringify(s[f])} — must be a whole number >= 0`);
  }
  if (!(s.q > 0 && s.q < 1)) throw new Error(`q: ${JSON.stringify(s.q)} — a false discovery rate between 0 and 1, e.g. 0.01`);
}

/** Computes every alert as of the reference date. Reads only. */
export async function computeAlerts(q: Queryable, options: AlertOptions = {}): Promise<AlertReport> {
  const started = performance.now();
  const { asOf: asOfOption, includeTested: _includeTested, ...rest } = options;
  const settings: AlertSettings = { ...DEFAULT_ALERT_SETTINGS, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
  validate(settings);
  const asOf = asOfOption ?? (await q.one<{ as_of: string | null }>(ALERTS_AS_OF_SQL))?.as_of ?? null;
  const W = settings.windowWeeks;
  const B = settings.baselineWeeks;
  const weeks = W + B;
  if (asOf === null) return emptyReport(settings, started);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) throw new Error(`--as-of: ${JSON.stringify(asOf)} — a date YYYY-MM-DD`);
  const fromDate = addDays(asOf, -7 * weeks + 1);

  // One pass over the data into a temporary table (this connection only, dropped at the end), then small reads.
  const days = await prepareAlertDays(q);
  const refreshed = performance.now();
  const weekly = sql.id(`alerts_weekly_${process.pid}_${++weeklyTables}`);
  const weeklyRows = days.fresh
    ? query('weekly-from-days', { as_of: asOf, from_date: fromDate })
    : query('weekly-events', { as_of: asOf, from_date: fromDate, from_at: `${fromDate} 00:00:00+08:00`, to_at: `${addDays(asOf, 1)} 00:00:00+08:00` });
  await q.exec(sql`CREATE TEMP TABLE ${weekly} AS ${weeklyRows}`);
  try {
    const rows = await q.query<CellTotalsRow>(cellTotalsSql(weekly, W));
    const aggregated = performance.now();
    const report = await testCells(q, rows, { asOf, fromDate, settings, weekly, includeTested: options.includeTested ?? false });
    const tested = performance.now();
    return {
      ...report,
      input: days.fresh ? 'entity-days' : 'records',
      refresh: days.refresh,
      elapsedMs: { refresh: refreshed - started, aggregate: aggregated - started, test: tested - aggregated, total: tested - started },
    };
  } finally {
    await q.exec(sql`DROP TABLE IF EXISTS ${weekly}`);
  }
}

interface TestContext {
  asOf: string;
  fromDate: string;
  settings: AlertSettings;
  weekly: Sql;
  includeTested: boolean;
}

/** Rolls the totals up to cells, tests them, and reads the weekly series of the alert cells. */
async function testCells(q: Queryable, rows: CellTotalsRow[], ctx: TestContext): Promise<Omit<AlertReport, 'elapsedMs' | 'input' | 'refresh'>> {
  const { asOf, fromDate, settings } = ctx;
  const W = settings.windowWeeks;
  const B = settings.baselineWeeks;
  const weeks = W + B;
  const [regions, industries] = await Promise.all([
    q.query<{ code: string; name_zh: string; name_en: string }>(sql`SELECT code, name_zh, name_en FROM regions`),
    q.query<{ code: string; name_zh: string; name_en: string }>(sql`SELECT code, name_zh, name_en FROM industries`),
  ]);
  const regionName = new Map(regions.map((r) => [r.code, { zh: r.name_zh, en: r.name_en }]));
  const industryName = new Map(industries.map((r) => [r.code, { zh: r.name_zh, en: r.name_en }]));

  // Roll districts up into their city; Dongguan and Zhongshan (no districts) carry the city code itself.
  // Totals per kind and industry (window, baseline) give each cell the trend of the rest of its industry.
  const cells: Record<EventKind, Map<string, Cell>> = { complaints: new Map(), visits: new Map() };
  const totals: Record<EventKind, Map<string, PeriodTotals>> = { complaints: new Map(), visits: new Map() };
  const add = (row: CellTotalsRow, level: Cell['level'], regionCode: string) => {
    const key = `${level}|${regionCode}|${row.industry_code}`;
    let cell = cells[row.kind].get(key);
    if (!cell) cells[row.kind].set(key, (cell = { kind: row.kind, level, regionCode, industryCode: row.industry_code, totals: emptyTotals() }));
    addRow(cell.totals, row);
  };
  for (const row of rows) {
    const code = row.region_code;
    if (!code || code.endsWith('0000')) continue;
    let t = totals[row.kind].get(row.industry_code);
    if (!t) totals[row.kind].set(row.industry_code, (t = emptyTotals()));
    addRow(t, row);
    const city = `${code.slice(0, 4)}00`;
    add(row, 'city', city);
    if (code !== city) add(row, 'district', code);
  }
  const province = { complaints: sumTotals(totals.complaints.values()), visits: sumTotals(totals.visits.values()) };
  /**
   * The totals a cell is expected to move with, the cell itself left out: the rest of its industry when big enough,
   * else the rest of the province, else none (no adjustment).
   */
  const reference = (cell: Cell): PeriodTotals | null => {
    if (settings.trend === 'none') return null;
    const bigEnough = (t: PeriodTotals) => t.baselineEvents >= MIN_TREND_BASELINE && t.windowEvents > 0;
    if (settings.trend === 'industry') {
      const rest = minusTotals(totals[cell.kind].get(cell.industryCode) ?? emptyTotals(), cell.totals);
      if (bigEnough(rest)) return rest;
    }
    const rest = minusTotals(province[cell.kind], cell.totals);
    return bigEnough(rest) ? rest : null;
  };
  const provinceTrend = rateRatio(province.complaints, W, B) ?? 1;

  const windowSpan: Span = { from: addDays(asOf, -7 * W + 1), to: asOf, weeks: W };
  const baselineSpan: Span = { from: fromDate, to: addDays(asOf, -7 * W), weeks: B };
  const names = (cell: Cell) => {
    const cityCode = `${cell.regionCode.slice(0, 4)}00`;
    const unknownRegion = (code: string) => ({ zh: code, en: code });
    return {
      regionName: regionName.get(cell.regionCode) ?? unknownRegion(cell.regionCode),
      cityCode,
      cityName: regionName.get(cityCode) ?? unknownRegion(cityCode),
      industryName: industryName.get(cell.industryCode) ?? unknownRegion(cell.industryCode),
    };
  };

  // Complaints: given a cell's total n over window and baseline, the window's share is Binomial(n, p0) when the
  // cell's weekly rate moved like the rest of its industry (trend tau): the exact conditional test of two Poisson
  // rates, which also allows for the baseline rate being an estimate. n is the test's margin, so filtering cells on
  // it before Benjamini-Hochberg keeps the procedure valid; tau comes from other cells only.
  type Tested = { cell: Cell; pValue: number; observed: number; baselineCount: number; expected: number; extra?: Partial<RegionalAlert> };
  const complaintTests: Tested[] = [];
  for (const cell of cells.complaints.values()) {
    const own = cell.totals;
    const n = own.windowEvents + own.baselineEvents;
    if (n < settings.minObserved || n === 0) continue;
    const ref = reference(cell);
    const trend = (ref && rateRatio(ref, W, B)) ?? 1;
    const p0 = (W * trend) / (W * trend + B);
    complaintTests.push({
      cell,
      observed: own.windowEvents,
      baselineCount: own.baselineEvents,
      expected: (own.baselineEvents * W * trend) / B,
      pValue: binomialUpperTail(own.windowEvents, n, p0),
      extra: { trend },
    });
  }

  // Findings: visits with a finding in the window against the cell's baseline finding rate, moved by the rest of the
  // industry's change in the odds of a finding (theta): the exact conditional test of the odds ratio (Fisher's
  // noncentral hypergeometric; theta = 1 is Fisher's exact test). Margins (visits, findings) decide which cells are tested.
  const findingTests: Tested[] = [];
  for (const cell of cells.visits.values()) {
    const { windowEvents: n1, baselineEvents: n0, windowFindings: x1, baselineFindings: x0 } = cell.totals;
    if (n1 < settings.minWindowVisits || n0 < settings.minBaselineVisits || x0 + x1 < settings.minObserved) continue;
    const ref = reference(cell);
    const theta = (ref && oddsRatio(ref)) ?? 1;
    const baselineRate = x0 / n0;
    const baselineOdds = x0 / (n0 - x0);
    const expectedRate = x0 === n0 ? 1 : (baselineOdds * theta) / (1 + baselineOdds * theta);
    findingTests.push({
      cell,
      observed: x1,
      baselineCount: x0,
      expected: n1 * expectedRate,
      pValue: noncentralHypergeometricUpperTail(x1, n1, n0, x0 + x1, theta),
      extra: { windowVisits: n1, baselineVisits: n0, windowRate: x1 / n1, baselineRate, trend: theta },
    });
  }

  const alerts: RegionalAlert[] = [];
  const alertCells: Cell[] = [];
  const testedCells: TestedCell[] = [];
  const judge = (kind: AlertKind, tests: Tested[], minBaseline: number) => {
    const qValues = benjaminiHochberg(tests.map((t) => t.pValue));
    let count = 0;
    tests.forEach((t, i) => {
      const qValue = qValues[i];
      if (ctx.includeTested) {
        const { level, regionCode, industryCode } = t.cell;
        testedCells.push({ kind, level, regionCode, industryCode, observed: t.observed, expected: t.expected, baselineCount: t.baselineCount, pValue: t.pValue, qValue });
      }
      if (qValue > settings.q || t.observed < settings.minObserved || t.baselineCount < minBaseline || t.observed <= t.expected) return;
      const ratio = t.expected > 0 ? t.observed / t.expected : Number.POSITIVE_INFINITY;
      count++;
      alerts.push({
        kind,
        level: t.cell.level,
        regionCode: t.cell.regionCode,
        ...names(t.cell),
        industryCode: t.cell.industryCode,
        window: windowSpan,
        observed: t.observed,
        expected: t.expected,
        ratio,
        baselineCount: t.baselineCount,
        ...t.extra,
        pValue: t.pValue,
        qValue,
        severity: severityOf(ratio, qValue, settings.q),
        series: [],
      });
      alertCells.push(t.cell);
    });
    return count;
  };
  const complaintAlerts = judge('complaints', complaintTests, settings.minBaseline);
  const findingAlerts = judge('findings', findingTests, 0);
  const rank: Record<Severity, number> = { high: 0, medium: 1, low: 2 };

  // The weekly series behind each alert, read for the alert cells only.
  if (alertCells.length) {
    const keys = [...new Set(alertCells.map((c) => `${c.kind}|${c.regionCode.slice(0, 4)}|${c.industryCode}`))];
    const weekRows = await q.query<WeekRow>(alertWeeksSql(ctx.weekly, keys));
    alertCells.forEach((cell, i) => {
      const events = new Float64Array(weeks);
      const findings = new Float64Array(weeks);
      for (const r of weekRows) {
        if (r.kind !== cell.kind || r.industry_code !== cell.industryCode || r.week_ago < 0 || r.week_ago >= weeks) continue;
        if (cell.level === 'district' ? r.region_code !== cell.regionCode : r.region_code.slice(0, 4) !== cell.regionCode.slice(0, 4)) continue;
        events[r.week_ago] += r.events;
        findings[r.week_ago] += r.findings;
      }
      alerts[i].series = seriesOf(asOf, W, events, findings, alerts[i].kind);
    });
  }
  alerts.sort(
    (a, b) =>
      rank[a.severity] - rank[b.severity] ||
      a.qValue - b.qValue ||
      b.ratio - a.ratio ||
      (a.level === b.level ? 0 : a.level === 'district' ? -1 : 1) ||
      a.regionCode.localeCompare(b.regionCode) ||
      a.kind.localeCompare(b.kind),
  );

  return {
    asOf,
    window: windowSpan,
    baseline: baselineSpan,
    settings,
    complaintTrend: provinceTrend,
    cells: {
      complaints: { seen: cells.complaints.size, tested: complaintTests.length, alerts: complaintAlerts },
      findings: { seen: cells.visits.size, tested: findingTests.length, alerts: findingAlerts },
    },
    method: METHOD,
    alerts,
    ...(ctx.includeTested ? { tested: testedCells } : {}),
  };
}

/** Oldest week first: week w covers as_of-7w-6 .. as_of-7w. */
function seriesOf(asOf: string, windowWeeks: number, events: Float64Array, findings: Float64Array, kind: AlertKind): WeekPoint[] {
  const out: WeekPoint[] = [];
  for (let w = events.length - 1; w >= 0; w--) {
    const point: WeekPoint = {
      weekStart: addDays(asOf, -7 * w - 6),
      weekEnd: addDays(asOf, -7 * w),
      period: w < windowWeeks ? 'window' : 'baseline',
      count: kind === 'complaints' ? events[w] : findings[w],
    };
    if (kind === 'findings') point.visits = events[w];
    out.push(point);
  }
  return out;
}

function addRow(t: PeriodTotals, row: CellTotalsRow): void {
  t.windowEvents += row.window_events ?? 0;
  t.baselineEvents += row.baseline_events ?? 0;
  t.windowFindings += row.window_findings ?? 0;
  t.baselineFindings += row.baseline_findings ?? 0;
}

export const METHOD =
  '投诉：各单元（地市/区县 × 行业）近期窗口与自身基线比较，精确条件检验（两泊松率比较，期望值按全省其余地区同行业趋势调整）；' +
  '发现率：优势比精确条件检验（Fisher 非中心超几何分布，按同行业趋势调整）；各类分别做 Benjamini-Hochberg 多重检验校正。 / ' +
  'Complaints: each cell (city or district x industry) in the recent window against its own baseline, exact conditional ' +
  "test of two Poisson rates (expected scaled by the same industry's trend in the rest of the province); finding rates: exact conditional test of the odds ratio (Fisher's noncentral hypergeometric, same trend adjustment); " +
  'Benjamini-Hochberg over the cells tested, per kind.';

function emptyReport(settings: AlertSettings, started: number): AlertReport {
  const elapsed = performance.now() - started;
  return {
    asOf: null,
    window: null,
    baseline: null,
    settings,
    complaintTrend: 1,
    cells: { complaints: { seen: 0, tested: 0, alerts: 0 }, findings: { seen: 0, tested: 0, alerts: 0 } },
    method: METHOD,
    alerts: [],
    input: 'records',
    refresh: null,
    elapsedMs: { refresh: 0, aggregate: elapsed, test: 0, total: elapsed },
  };
}
