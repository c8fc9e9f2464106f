// `npm run bench -- alerts [--db PATH | --entities N [--keep PATH] [--no-score]] [--runs 3]`: wall time of the regional
// alerts (one GROUP BY in DuckDB to region x industry x week, then the tests in TypeScript) and of the policy preview
// (needs risk scores: skipped with --no-score), with peak memory. Without --db a province is synthesised in SQL.
// The alerts read the stored entity days (alert_entity_days) when the database is writable (they are built on the
// first run, refreshed after) or when they are up to date; --db opens the file read-only, so an old file is read
// from the records: `npm run bench -- risk --db PATH` measures the stored path on a copy.
// Targets: alerts <= 3 s at 18 M entities; policy preview < 1 s at 200,000 entities (2 cores).
// `npm run bench -- alerts --false-alarms SEEDS [--entities 20000] [--plant D:I:F]`: generates and imports a province
// per seed and counts the alerts at the default settings: without --plant every alert is a false alarm.
// benchAlerts(db) is also called by engine/bench/risk.ts on its own database.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Db } from '../src/db/duckdb.ts';
import { sql } from '../src/db/sql.ts';
import { openDatabase } from '../src/open.ts';
import { computeAlerts, type AlertReport } from '../src/alerts/alerts.ts';
import { previewPolicy } from '../src/policy/preview.ts';
import { PolicyPreviewer } from '../src/policy/previewer.ts';
import { currentPolicy, savePolicy } from '../src/policy/policy.ts';
import { synthesizeProvince } from '../src/risk/synthetic.ts';
import { fitAndScore } from '../src/risk/index.ts';
import { importFile } from '../src/ingest/import.ts';
import { generateProvince } from '../../data/generator/generate.ts';

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function wholeNumber(flag: string, text: string): number {
  const n = Number(text.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} '${text}': expected a whole number >= 1`);
  return n;
}

// Rows the alerts read: complaints and results in the 60 weeks before the reference date, and all entities. Grain: one row.
// How big the inputs are: one row.
const INPUT_SIZES_SQL = sql`SELECT
    (SELECT count(*) FROM objects) AS entities,
    (SELECT count(*) FROM complaints) AS complaints,
    (SELECT count(*) FROM inspection_results) AS results,
    (SELECT count(*) FROM risk_scores) AS scored`;

/**
 * Runs the alerts `runs` times (the first one cold) and, when entities are scored, the policy preview; returns the
 * figures (milliseconds, counts, MB). Reads only.
 */
export async function benchAlerts(db: Db, options: { runs?: number } = {}): Promise<Record<string, number>> {
  const runs = options.runs ?? 3;
  const sizes = (await db.one<{ entities: number; complaints: number; results: number; scored: number }>(INPUT_SIZES_SQL))!;
  const figures: Record<string, number> = { entities: sizes.entities, complaints: sizes.complaints, results: sizes.results };
  let report: AlertReport | null = null;
  const totals: number[] = [];
  const aggregates: number[] = [];
  const tests: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    report = await computeAlerts(db);
    totals.push(performance.now() - started);
    aggregates.push(report.elapsedMs.aggregate);
    tests.push(report.elapsedMs.test);
    if (i === 0) {
      figures.alertsColdMs = Math.round(totals[0]);
      figures.alertsColdAggregateMs = Math.round(report.elapsedMs.aggregate);
      figures.alertsColdRefreshMs = Math.round(report.elapsedMs.refresh);
    }
  }
  const warm = totals.length > 1 ? totals.slice(1) : totals;
  figures.alertsMs = Math.round(Math.min(...warm));
  figures.alertsAggregateMs = Math.round(Math.min(...aggregates.slice(warm === totals ? 0 : 1)));
  figures.alertsTestMs = Math.round(Math.min(...tests.slice(warm === totals ? 0 : 1)));
  figures.fromStoredEntityDays = report!.input === 'entity-days' ? 1 : 0;
  figures.complaintCellsTested = report!.cells.complaints.tested;
  figures.findingCellsTested = report!.cells.findings.tested;
  figures.alerts = report!.alerts.length;
  if (sizes.scored > 0) {
    const previews: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await previewPolicy(db, { tierRatiosBp: { A: 300, B: 500, C: 1000, D: 3000 } });
      previews.push(performance.now() - started);
    }
    figures.policyPreviewColdMs = Math.round(previews[0]);
    figures.policyPreviewMs = Math.round(Math.min(...(previews.length > 1 ? previews.slice(1) : previews)));
  }
  // as the server answers /ratios: the load read once per data version, a slider's step is arithmetic over it, and
  // after a change to the data (here an analyst saving a policy version) the previous load stands in, marked stale;
  // only on a database open for writing (--db opens the file read-only)
  if (sizes.scored > 0 && !db.readOnly) {
    const previewer = new PolicyPreviewer(db);
    const timedPreview = async (ratios: Record<string, number>) => {
      const started = performance.now();
      const answer = await previewer.preview({ tierRatiosBp: ratios });
      return { ms: Math.round(performance.now() - started), stale: answer.load.stale };
    };
    figures.policyPreviewServedFirstMs = (await timedPreview({ D: 3000 })).ms;
    figures.policyPreviewServedSliderMs = (await timedPreview({ D: 3500 })).ms;
    const d = (await currentPolicy(db)).tierRatiosBp.D;
    await savePolicy(db, { tierRatiosBp: { D: d === 3000 ? 3100 : 3000 } }, { author: 'bench', reason: 'benchmark: a saved policy version changes the data version' });
    const afterWrite = await timedPreview({ D: 3200 });
    figures.policyPreviewServedAfterWriteMs = afterWrite.ms;
    figures.policyPreviewServedAfterWriteStale = afterWrite.stale ? 1 : 0;
    // the new load is read meanwhile: ask until it is there (the database is not closed under that read)
    const written = performance.now() - afterWrite.ms;
    while ((await timedPreview({ D: 3200 })).stale) await new Promise((resolve) => setTimeout(resolve, 100));
    figures.policyPreviewFreshAfterWriteMs = Math.round(performance.now() - written);
  }
  figures.peakRssMb = peakRssMb();
  return figures;
}

async function falseAlarms(args: string[]): Promise<void> {
  const seeds = wholeNumber('--false-alarms', option(args, '--false-alarms')!);
  const entities = wholeNumber('--entities', option(args, '--entities') ?? '20000');
  const plant = option(args, '--plant');
  const rows: Array<Record<string, unknown>> = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const dir = mkdtempSync(join(tmpdir(), 'fairdraw-bench-alerts-'));
    const db = await openDatabase({ path: join(dir, 'alerts.duckdb'), threads: 2 });
    try {
      const started = Date.now();
      await generateProvince({ entities, seed, outDir: join(dir, 'out'), outbreaks: plant ? [plant] : [] });
      for (const kind of ['entities', 'complaints', 'results']) await importFile(db, { kind, file: join(dir, 'out', `${kind}.csv`), actor: 'bench' });
      const prepared = Date.now() - started;
      const r = await computeAlerts(db);
      rows.push({
        seed,
        'generate+import s': (prepared / 1000).toFixed(1),
        'alerts ms': Math.round(r.elapsedMs.total),
        'complaint cells tested': r.cells.complaints.tested,
        'finding cells tested': r.cells.findings.tested,
        alerts: r.alerts.length,
        which: r.alerts.map((a) => `${a.kind}:${a.regionCode}:${a.industryCode} ${a.observed}/${a.expected.toFixed(1)} q=${a.qValue.toExponential(1)}`).join('; '),
      });
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`\nalerts over ${seeds} generated provinces of ${entities.toLocaleString('en-US')} entities${plant ? `, outbreak ${plant} planted` : ', nothing planted'} (default settings)`);
  console.table(rows);
  const withAlerts = rows.filter((r) => (r.alerts as number) > 0).length;
  const tested = rows.reduce((s, r) => s + (r['complaint cells tested'] as number) + (r['finding cells tested'] as number), 0);
  const alerts = rows.reduce((s, r) => s + (r.alerts as number), 0);
  console.log(
    plant
      ? `runs with an alert: ${withAlerts} of ${seeds}`
      : `false alarms: ${alerts} alerts in ${tested.toLocaleString('en-US')} cell tests; runs with any alert ${withAlerts} of ${seeds}`,
  );
}

export async function run(args: string[]): Promise<void> {
  if (option(args, '--false-alarms') !== undefined) return falseAlarms(args);
  const dbFlag = option(args, '--db');
  const keep = option(args, '--keep');
  const runs = wholeNumber('--runs', option(args, '--runs') ?? '3');
  if (dbFlag && !existsSync(resolve(dbFlag))) throw new Error(`--db ${dbFlag}: no such database file`);
  const entities = wholeNumber('--entities', option(args, '--entities') ?? '1000000');
  if (keep && existsSync(resolve(keep))) throw new Error(`--keep ${keep}: the file exists; bench it with --db ${keep}`);
  const dir = dbFlag || keep ? null : mkdtempSync(join(tmpdir(), 'fairdraw-bench-alerts-'));
  const path = dbFlag ? resolve(dbFlag) : keep ? resolve(keep) : join(dir!, 'alerts.duckdb');
  const db = await openDatabase({ path, readOnly: Boolean(dbFlag) });
  try {
    if (!dbFlag) {
      let started = Date.now();
      await synthesizeProvince(db, { entities });
      console.log(`synthesised ${entities.toLocaleString('en-US')} entities (engine/src/risk/synthetic.sql) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (!args.includes('--no-score')) {
        started = Date.now();
        await fitAndScore(db, { actor: 'bench', backtest: true });
        console.log(`scored and backtested in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
    }
    const figures = await benchAlerts(db, { runs });
    console.log(`\nalerts benchmark${dbFlag ? ` on ${dbFlag}` : ''} (${runs} runs; warm = best after the first)`);
    console.table(Object.entries(figures).map(([figure, value]) => ({ figure, value })));
    const rowsPerS = Math.round((figures.complaints + figures.results + figures.entities) / (figures.alertsMs / 1000));
    console.log(`alerts: ${(figures.alertsMs / 1000).toFixed(2)} s warm, ${(figures.alertsColdMs / 1000).toFixed(2)} s cold (target <= 3 s at 18 M entities); ${rowsPerS.toLocaleString('en-US')} input rows/s`);
    if (figures.policyPreviewMs !== undefined) console.log(`policy preview: ${figures.policyPreviewMs} ms warm, ${figures.policyPreviewColdMs} ms cold (target < 1 s at 200,000 entities)`);
  } finally {
    db.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
