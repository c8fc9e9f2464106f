// `npm run bench -- risk [--db PATH] [--entities N] [--backtest]`: stage timings of the risk engine at scale.
// With --db it measures an existing database (scoring runs in a transaction that is rolled back, so the file
// does not change); without, it synthesises N entities in SQL (engine/src/risk/synthetic.sql) in a temp file.
// Target: features + score + tiers (+ writing risk_scores) <= 10 s at 18 M entities on 2 cores.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../src/config.ts';
import { openDatabase } from '../src/open.ts';
import type { Db } from '../src/db/duckdb.ts';
import { synthesizeProvince } from '../src/risk/synthetic.ts';
import { computeFeatures, referenceDate, UNORDERED } from '../src/risk/features.ts';
import { fitModel, loadModel, type FittedModel } from '../src/risk/model.ts';
import { scoreEntities, explain } from '../src/risk/score.ts';
import { backtest } from '../src/risk/backtest.ts';

interface Stage {
  stage: string;
  rows: number;
  elapsedMs: number;
  /** CPU time of this process (DuckDB's threads included): on a shared machine it shows the work apart from waiting. */
  cpuMs?: number;
  peakRssMb: number;
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

async function timed<T>(stages: Stage[], stage: string, work: () => Promise<T>, rows: (r: T) => number): Promise<T> {
  const started = Date.now();
  const cpu = process.cpuUsage();
  const result = await work();
  stages.push({ stage, rows: rows(result), elapsedMs: Date.now() - started, cpuMs: cpuMs(cpu), peakRssMb: peakRssMb() });
  return result;
}

export async function run(args: string[]): Promise<void> {
  const dbFlag = option(args, '--db');
  const entities = Number((option(args, '--entities') ?? '1000000').replaceAll('_', ''));
  if (!dbFlag && !(Number.isInteger(entities) && entities > 0)) throw new Error(`--entities '${option(args, '--entities')}': expected a whole number`);
  if (dbFlag && !existsSync(resolve(dbFlag))) throw new Error(`--db ${dbFlag}: no such database file`);
  const dir = dbFlag ? null : mkdtempSync(join(tmpdir(), 'fairdraw-bench-risk-'));
  const stages: Stage[] = [];
  const db = await openDatabase({ path: dbFlag ? resolve(dbFlag) : join(dir!, 'risk.duckdb') });
  try {
    if (!dbFlag) await timed(stages, `synthesise ${entities.toLocaleString('en-US')} entities`, () => synthesizeProvince(db, { entities }), () => entities);
    const asOf = await referenceDate(db);
    if (!asOf) throw new Error('the database has no complaints or results to score from');
    const active = (await db.one<{ n: number }>("SELECT count(*) AS n FROM objects WHERE object_kind = 'entity' AND status = 'active'"))?.n ?? 0;

    // the model: the stored latest version when there is one (a fit is not part of the scoring budget)
    const stored = dbFlag && !args.includes('--refit') ? await loadModel(db) : null;
    const model: FittedModel = stored ?? (await timed(stages, 'fit (training set, WoE, IRLS)', () => fitModel(db, { asOf }), (m) => m.training.rows));

    const conn = await db.connection();
    try {
      await conn.exec(UNORDERED);
      await timed(stages, 'features alone (temp table)', () => computeFeatures(conn, { asOf: model.asOf, population: 'active', into: 'bench_features' }), (r) => r.rows);
      await conn.exec('DROP TABLE bench_features');
    } finally {
      conn.close();
    }
    const started = Date.now();
    const cpu = process.cpuUsage();
    const summary = await scoreEntities(db, model, { actor: 'bench', commit: !dbFlag });
    const total = Date.now() - started;
    const totalCpuMs = cpuMs(cpu);
    stages.push({ stage: 'features + bins + score', rows: summary.entities, elapsedMs: summary.timingsMs.score, peakRssMb: peakRssMb() });
    stages.push({ stage: 'tiers (histogram + cut-offs)', rows: summary.entities, elapsedMs: summary.timingsMs.tiers, peakRssMb: peakRssMb() });
    stages.push({ stage: 'write risk_scores', rows: summary.entities, elapsedMs: summary.timingsMs.write, peakRssMb: peakRssMb() });
    stages.push({ stage: 'score run total (one transaction)', rows: summary.entities, elapsedMs: total, cpuMs: totalCpuMs, peakRssMb: peakRssMb() });

    const sample = await db.query<{ object_id: string }>('SELECT object_id FROM risk_scores USING SAMPLE 5 ROWS');
    if (sample.length) {
      await timed(stages, `explain(objectId) x ${sample.length}`, async () => {
        for (const s of sample) await explain(db, s.object_id);
      }, () => sample.length);
    }
    if (args.includes('--backtest')) await timed(stages, 'backtest', () => backtest(db), (b) => b.test.entities);

    const alertsFile = resolve(REPO_ROOT, 'engine/bench/alerts.ts');
    let alerts: Record<string, number> | null = null;
    if (existsSync(alertsFile)) {
      const mod = (await import(pathToFileURL(alertsFile).href)) as { benchAlerts?: (db: Db) => Promise<Record<string, number>> };
      if (mod.benchAlerts) alerts = await mod.benchAlerts(db);
    }

    console.log(`\nrisk benchmark: ${active.toLocaleString('en-US')} active entities, as of ${model.asOf}${dbFlag ? ` (${dbFlag}, rolled back)` : ''}`);
    console.table(
      stages.map((s) => ({
        stage: s.stage,
        rows: s.rows,
        'wall s': (s.elapsedMs / 1000).toFixed(2),
        'rows/s': s.elapsedMs > 0 ? Math.round(s.rows / (s.elapsedMs / 1000)) : null,
        'cpu s': s.cpuMs === undefined ? '' : (s.cpuMs / 1000).toFixed(2),
        'peak RSS MB': s.peakRssMb,
      })),
    );
    const budget = summary.timingsMs.score + summary.timingsMs.tiers + summary.timingsMs.write;
    console.log(`features + score + tiers + write: ${(budget / 1000).toFixed(1)} s (target <= 10 s at 18 M entities)`);
    const load = loadavg()[0];
    if (load > 2.5) console.log(`note: load average ${load.toFixed(1)} on ${cpus().length} cores while measuring; wall times include waiting for the CPU (see 'cpu s').`);
    if (alerts) {
      console.log('alerts:');
      console.table(Object.entries(alerts).map(([figure, value]) => ({ figure, value })));
    }
  } finally {
    db.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
