// `npm run bench -- risk [--db PATH [--in-place]] [--entities N] [--day N] [--refit] [--backtest] [--direct-features]`:
// stage timings of the risk engine at scale, with the load average at each stage (the machine is shared).
// With --db it works on a copy of the database in the temp folder (--in-place: on the file itself, e.g. a copy kept
// from an earlier run, whose stored facts and scores are then already built); without, it synthesises N entities in
// SQL (engine/src/risk/synthetic.sql) in a temp file.
// Stages: the first full build of the stored facts and alert days (once per database); a score run with a new model
// version (every active entity's bin code written, one score and tier per bin code: risk_scores is their view); the
// scores read back through that view (tiers per city, as the score routes count them); the steady state — a rescore
// with the same version when nothing changed, after a day of imports (--day N complaints, N/5 results, N/5 complaints
// corrected, written with the same ledger entries an import makes) and on the next day (rolled back: the file stays at
// the model's date); the alerts before and after that day.
// Targets (2 cores): features + score + tiers <= 10 s at 18 M entities; alerts <= 3 s.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../src/kernel/config.ts';
import { openDatabase } from '../src/open.ts';
import type { Db, Queryable } from '../src/db/duckdb.ts';
import { sql, type Sql } from '../src/db/sql.ts';
import { synthesizeProvince } from '../src/risk/synthetic.ts';
import { computeFeatures, referenceDate, refreshFactsTable, UNORDERED } from '../src/risk/features.ts';
import { fitModel, loadModel, type FittedModel } from '../src/risk/model.ts';
import { scoreEntities, explain } from '../src/risk/score.ts';
import { rescoreEntities, type RescoreSummary } from '../src/risk/rescore.ts';
import { backtest } from '../src/risk/backtest.ts';
import { recordSourceWrite, refreshDerivedTable } from '../src/kernel/derived.ts';
import { ALERT_DAYS, addDays, computeAlerts } from '../src/alerts/alerts.ts';

interface Stage {
  stage: string;
  rows: number;
  elapsedMs: number;
  /** CPU time of this process (DuckDB's threads included): on a shared machine it shows the work apart from waiting. */
  cpuMs?: number;
  /** 1-minute load average when the stage started. */
  load: number;
  peakRssMb: number;
  note?: string;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return Math.round((u.user + u.system) / 1000);
};

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function timed<T>(stages: Stage[], stage: string, work: () => Promise<T>, rows: (r: T) => number, note?: (r: T) => string): Promise<T> {
  const load = loadavg()[0];
  const started = Date.now();
  const cpu = process.cpuUsage();
  const result = await work();
  stages.push({ stage, rows: rows(result), elapsedMs: Date.now() - started, cpuMs: cpuMs(cpu), load, peakRssMb: peakRssMb(), note: note?.(result) });
  return result;
}

const rescoreNote = (r: RescoreSummary) =>
  `${r.mode}${r.reason ? ` (${r.reason})` : ''}: facts ${r.facts.mode}${r.facts.reason ? ` (${r.facts.reason})` : ''} ${r.facts.entities}, recomputed ${r.recomputed}, written ${r.written}, removed ${r.removed}; ` +
  `features ${r.timingsMs.features} ms, candidates ${r.timingsMs.candidates} ms, score ${r.timingsMs.score} ms, write ${r.timingsMs.write} ms`;

/**
 * A day of records as Fairdraw's imports write them, each source in one transaction with its ledger entries
 * (recordSourceWrite): `complaints` new complaints and `complaints / 5` results on `day` for entities picked at random,
 * and `complaints / 5` existing complaints corrected in place (moved to `day`).
 */
async function writeDayOfRecords(db: Db, day: string, complaints: number): Promise<number> {
  const results = Math.max(1, Math.floor(complaints / 5));
  const tag = `BENCH-${day}-${Date.now()}`;
  // (the sample is drawn before the filter: fewer rows than asked, counted as inserted; a sample size is a literal,
  // DuckDB takes no parameter in a sample clause)
  const inserted = async (tx: Queryable, write: Sql) => Number((await tx.one<{ Count: number }>(write))?.Count ?? 0);
  let written = 0;
  await db.transaction(async (tx) => {
    const rows = await inserted(
      tx,
      sql`INSERT INTO complaints (complaint_id, object_id, received_at, region_code, category, topic, substantiated)
       SELECT ${`${tag}-C`} || row_number() OVER (), id, CAST(${`${day} 10:00:00+08`} AS TIMESTAMPTZ), region_code, 'complaint', '基准测试', NULL
       FROM (SELECT id, region_code FROM objects WHERE object_kind = 'entity' AND status = 'active' USING SAMPLE ${sql.literal(complaints)} ROWS)`,
    );
    await recordSourceWrite(tx, 'complaints', { rowsAdded: rows, entitiesSql: sql`SELECT object_id FROM complaints WHERE complaint_id LIKE ${`${tag}-C%`}` });
    written += rows;
  });
  await db.transaction(async (tx) => {
    const rows = await inserted(
      tx,
      sql`INSERT INTO inspection_results (result_id, object_id, inspected_on, department_code, item_code, outcome_code, inspector_ids, task_ref)
       SELECT ${`${tag}-R`} || row_number() OVER (), id, ${day}::DATE, 'SAMR', 'SAMR-001', CASE WHEN random() < 0.25 THEN 'FIXED' ELSE 'NO_PROBLEM' END, ['BENCH'], NULL
       FROM (SELECT id FROM objects WHERE object_kind = 'entity' AND status = 'active' USING SAMPLE ${sql.literal(results)} ROWS)`,
    );
    await recordSourceWrite(tx, 'inspection_results', { rowsAdded: rows, entitiesSql: sql`SELECT object_id FROM inspection_results WHERE result_id LIKE ${`${tag}-R%`}` });
    written += rows;
  });
  await db.transaction(async (tx) => {
    await tx.exec(sql`CREATE OR REPLACE TEMP TABLE bench_corrected AS SELECT complaint_id, object_id FROM complaints
      WHERE object_id IS NOT NULL AND complaint_id NOT LIKE 'BENCH-%' USING SAMPLE ${sql.literal(results)} ROWS`);
    await recordSourceWrite(tx, 'complaints', { rowsAdded: 0, entitiesSql: sql`SELECT object_id FROM bench_corrected` });
    written += await inserted(tx, sql`UPDATE complaints SET received_at = CAST(${`${day} 09:00:00+08`} AS TIMESTAMPTZ) WHERE complaint_id IN (SELECT complaint_id FROM bench_corrected)`);
    await tx.exec(sql`DROP TABLE bench_corrected`);
  });
  return written;
}

export async function run(args: string[]): Promise<void> {
  const dbFlag = option(args, '--db');
  const inPlace = args.includes('--in-place');
  const entities = Number((option(args, '--entities') ?? '1000000').replaceAll('_', ''));
  const dayComplaints = Number(option(args, '--day') ?? '5000');
  if (!dbFlag && !(Number.isInteger(entities) && entities > 0)) throw new Error(`--entities '${option(args, '--entities')}': expected a whole number`);
  if (!(Number.isInteger(dayComplaints) && dayComplaints > 0)) throw new Error(`--day '${option(args, '--day')}': expected a whole number of complaints`);
  if (dbFlag && !existsSync(resolve(dbFlag))) throw new Error(`--db ${dbFlag}: no such database file`);
  const dir = inPlace ? null : mkdtempSync(join(tmpdir(), 'fairdraw-bench-risk-'));
  const stages: Stage[] = [];
  let path = dbFlag ? resolve(dbFlag) : join(dir!, 'risk.duckdb');
  if (dbFlag && !inPlace) {
    const copy = join(dir!, 'risk.duckdb');
    const load = loadavg()[0];
    const started = Date.now();
    copyFileSync(path, copy);
    stages.push({ stage: `copy ${dbFlag}`, rows: 0, elapsedMs: Date.now() - started, load, peakRssMb: peakRssMb() });
    path = copy;
  }
  const db = await openDatabase({ path });
  try {
    if (!dbFlag) await timed(stages, `synthesise ${entities.toLocaleString('en-US')} entities`, () => synthesizeProvince(db, { entities }), () => entities);
    const asOf = await referenceDate(db);
    if (!asOf) throw new Error('the database has no complaints or results to score from');
    const active = (await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM objects WHERE object_kind = 'entity' AND status = 'active'`))?.n ?? 0;

    // the model: the stored latest version when there is one (a fit is not part of the scoring budget)
    const stored = args.includes('--refit') ? null : await loadModel(db);
    const model: FittedModel = stored ?? (await timed(stages, 'fit (training set, WoE, IRLS)', () => fitModel(db, { asOf }), (m) => m.training.rows));

    if (args.includes('--direct-features')) {
      const conn = await db.connection();
      try {
        await conn.exec(UNORDERED);
        await timed(stages, 'features from the records (no stored facts; temp table)', () => computeFeatures(conn, { asOf: model.asOf, population: 'active', into: 'bench_features' }), (r) => r.rows);
        await conn.exec(sql`DROP TABLE bench_features`);
      } finally {
        conn.close();
      }
    }
    const note = (r: { mode: string; reason?: string; entities: number | 'all' }) => `${r.mode}${r.reason ? ` (${r.reason})` : ''}, entities ${r.entities}`;
    await timed(stages, 'stored facts: build (first time) or refresh', () => refreshFactsTable(db, model.asOf), (r) => r.rows, note);
    await timed(stages, 'alert days: build (first time) or refresh', () => refreshDerivedTable(db, ALERT_DAYS), (r) => r.rows, note);

    const summary = await timed(stages, 'score run, new version: every entity written', () => scoreEntities(db, model, { actor: 'bench' }), (s) => s.entities, (s) =>
      `facts ${s.timingsMs.features} ms (${s.facts.mode}), score (bin codes written) ${s.timingsMs.score} ms, tiers ${s.timingsMs.tiers} ms, codes and state ${s.timingsMs.write} ms`,
    );
    await timed(stages, 'risk_scores read back: tiers per city', () => db.query(
      sql`SELECT left(o.region_code, 4) || '00' AS city, count(*) FILTER (WHERE s.tier = 'D') AS d, count(*) AS n, avg(s.score) AS mean_score
       FROM risk_scores s JOIN objects o ON o.id = s.object_id GROUP BY 1`), (rows) => rows.length);
    const rescored = await timed(stages, 'rescore, same version, nothing changed', () => rescoreEntities(db, { actor: 'bench', asOf: model.asOf }), (r) => r.entities, rescoreNote);

    const sample = await db.query<{ object_id: string }>(sql`SELECT object_id FROM risk_scores USING SAMPLE 5 ROWS`);
    if (sample.length) {
      await timed(stages, `explain(objectId) x ${sample.length}`, async () => {
        for (const s of sample) await explain(db, s.object_id);
      }, () => sample.length);
    }
    const alertsBefore = await timed(stages, 'alerts, nothing changed', () => computeAlerts(db), (r) => r.cells.complaints.tested + r.cells.findings.tested, (r) => `${r.input}, ${r.alerts.length} alerts`);

    const written = await timed(stages, `a day of records on ${model.asOf} (not in the budget)`, () => writeDayOfRecords(db, model.asOf, dayComplaints), (n) => n);
    const afterDay = await timed(stages, `rescore after the day's ${written} records`, () => rescoreEntities(db, { actor: 'bench', asOf: model.asOf }), (r) => r.entities, rescoreNote);
    const alertsAfter = await timed(stages, "alerts after the day's records", () => computeAlerts(db), (r) => r.cells.complaints.tested + r.cells.findings.tested, (r) =>
      `${r.input}, days ${r.refresh?.mode}${r.refresh?.reason ? ` (${r.refresh.reason})` : ''} ${r.refresh?.entities} in ${Math.round(r.elapsedMs.refresh)} ms, ${r.alerts.length} alerts`,
    );
    // rolled back, so that the file stays at the model's date for the next run
    const nextDay = await timed(stages, `rescore on the next day (${addDays(model.asOf, 1)}; rolled back)`, () => rescoreEntities(db, { actor: 'bench', asOf: addDays(model.asOf, 1), commit: false }), (r) => r.entities, rescoreNote);
    if (args.includes('--backtest')) await timed(stages, 'backtest', () => backtest(db), (b) => b.test.entities);

    const alertsFile = resolve(REPO_ROOT, 'engine/bench/alerts.ts');
    let alerts: Record<string, number> | null = null;
    if (existsSync(alertsFile)) {
      const mod = (await import(pathToFileURL(alertsFile).href)) as { benchAlerts?: (db: Db) => Promise<Record<string, number>> };
      if (mod.benchAlerts) alerts = await mod.benchAlerts(db);
    }

    console.log(`\nrisk benchmark: ${active.toLocaleString('en-US')} active entities, as of ${model.asOf}${dbFlag ? ` (${dbFlag}${inPlace ? ', in place' : ', on a copy'})` : ''}; ${cpus().length} cores`);
    console.table(
      stages.map((s) => ({
        stage: s.stage,
        rows: s.rows,
        'wall s': (s.elapsedMs / 1000).toFixed(2),
        'cpu s': s.cpuMs === undefined ? '' : (s.cpuMs / 1000).toFixed(2),
        load: s.load.toFixed(1),
        'peak RSS MB': s.peakRssMb,
      })),
    );
    for (const s of stages) if (s.note) console.log(`  ${s.stage}: ${s.note}`);
    const t = summary.timingsMs;
    const run = stages.find((s) => s.stage.startsWith('score run'))!;
    console.log(
      `\nscore run with a new version: features ${(t.features / 1000).toFixed(1)} s + score, every entity's bin code written ${(t.score / 1000).toFixed(1)} s + tiers ${(t.tiers / 1000).toFixed(1)} s` +
        ` + score and tier per code, model and state ${(t.write / 1000).toFixed(1)} s = ${((t.features + t.score + t.tiers + t.write) / 1000).toFixed(1)} s;` +
        ` ${(run.elapsedMs / 1000).toFixed(1)} s with the commit, after which every reader of risk_scores sees it (target <= 10 s at 18 M entities; load ${run.load.toFixed(1)})`,
    );
    for (const [label, r] of [['nothing changed', rescored], [`after the day's records`, afterDay], ['on the next day', nextDay]] as const) {
      console.log(`steady state, ${label}: features + score + tiers + write ${(r.timingsMs.total / 1000).toFixed(1)} s (${r.mode}; target <= 10 s at 18 M entities)`);
    }
    console.log(`alerts: ${(alertsBefore.elapsedMs.total / 1000).toFixed(2)} s with nothing changed, ${(alertsAfter.elapsedMs.total / 1000).toFixed(2)} s after the day's records (target <= 3 s)`);
    if (alerts) {
      console.log('alerts benchmark (engine/bench/alerts.ts):');
      console.table(Object.entries(alerts).map(([figure, value]) => ({ figure, value })));
    }
  } finally {
    db.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
