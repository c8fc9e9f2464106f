// `npm run bench -- draw [--entities 18000000] [--task-entities 50000] [--pool 12] [--keep DIR] [--verify-duckdb]`: wall time of fd1 draws
// in DuckDB over a synthetic eligible population (the tiers drawn at 3/5/10/30%, then each ratio for every tier;
// digest, export, independent verify). Targets on the 2-core machine: the 18 M draw in 4 tiers at 3/5/10/30%
// <= 12 s, 50 k task <= 0.5 s, verify of the 18 M export <= 20 s.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Db } from '../src/db/duckdb.ts';
import { sql } from '../src/db/sql.ts';
import { assignTeams, selectObjects, sha256Hex, type Pair, type StratumSpec } from '../src/draw/fd1.ts';
import { checkPopulationSql, drawSelectionTable, populationDigestSql, selectObjectsSql } from '../src/draw/select-sql.ts';
import { copyPopulationCsv, writeDrawFiles } from '../src/draw/files.ts';
import { verifyDraw } from '../src/draw/verify/verify.ts';

/** One row per synthetic entity: tier A 40%, B 35%, C 18%, D 7%; 18-character USCC-shaped ids, unique by construction. */
const POPULATION_SQL = (n: number) => sql`
  CREATE OR REPLACE TABLE population AS
  SELECT CASE WHEN h < 40 THEN 'A' WHEN h < 75 THEN 'B' WHEN h < 93 THEN 'C' ELSE 'D' END AS stratum,
         '91' || (440103 + (i % 97) * 100)::VARCHAR || lpad(((i * 2654435761) % 10000000000)::VARCHAR, 10, '0') AS id
  FROM (SELECT i, hash(i) % 100 AS h FROM range(${n}) r(i))`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Wall time, and CPU time of the whole process (JS and DuckDB threads): on a shared machine the CPU figure says what the work costs. */
async function timed<T>(label: string, work: () => Promise<T> | T, figures: Array<Record<string, string>>, note = ''): Promise<T> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await work();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuS = ((used.user + used.system) / 1e6).toFixed(2);
  figures.push({ step: label, 'wall s': (ms / 1000).toFixed(2), 'cpu s': cpuS, note });
  console.log(`  ${label}: ${(ms / 1000).toFixed(2)} s wall, ${cpuS} s CPU${note ? ` (${note})` : ''}`);
  return result;
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/**
 * CPU milliseconds for one million SHA-256 hashes of key-sized text in JS: about 440 on this machine when
 * idle. On a busy machine CPU time inflates too (shared cores), so this figure scales the others.
 */
function calibrationCpuMs(): number {
  const cpu = process.cpuUsage();
  for (let i = 0; i < 1_000_000; i++) sha256Hex(`fd1|${i}|calibration|T-0|A|9144030000000${i}`);
  const used = process.cpuUsage(cpu);
  return Math.round((used.user + used.system) / 1000);
}
const TIERS = ['A', 'B', 'C', 'D'];

export async function run(args: string[]): Promise<void> {
  const entities = Number(option(args, '--entities') ?? 18_000_000);
  const taskEntities = Number(option(args, '--task-entities') ?? 50_000);
  const poolSize = Number(option(args, '--pool') ?? 12);
  const keep = option(args, '--keep');
  const dir = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'fairdraw-bench-draw-'));
  const db = await Db.open({ path: join(dir, 'draw-bench.duckdb'), skipMigrate: true });
  const figures: Array<Record<string, string>> = [];
  const secret = sha256Hex('bench secret');
  const seed = `${secret}|SSE Composite Index close 2025-09-01: 3875.53`;
  const taskId = 'T-BENCH-0001';
  try {
    console.log(`fd1 draw benchmark: ${entities.toLocaleString('en-US')} eligible entities, DuckDB threads 2, load average ${loadavg()[0].toFixed(1)}`);
    console.log(`  calibration: 1 M SHA-256 in JS took ${calibrationCpuMs()} ms CPU (about 440 ms on this machine when idle)`);
    await timed('generate population', () => db.exec(POPULATION_SQL(entities)), figures, 'not part of any target');
    await timed('check population (labels, ids, duplicates)', () => checkPopulationSql(db, { populationTable: 'population' }), figures, 'included in each draw below');

    // The target: one draw over the four tiers at 3/5/10/30% (A 3%, B 5%, C 10%, D 30%), population checks included.
    const tiered: StratumSpec[] = TIERS.map((stratum, i) => ({ stratum, ratioBp: [300, 500, 1000, 3000][i] }));
    const tieredResult = await timed(
      'draw, tiers at 3/5/10/30% (selection table)',
      () => drawSelectionTable(db, { populationTable: 'population', seed, taskId, strata: tiered, resultTable: 'picked_tiered' }),
      figures,
    );
    figures[figures.length - 1].note = `${tieredResult.selected.toLocaleString('en-US')} picks, ${tieredResult.widenings} widenings; target <= 12 s`;
    await db.exec(sql`DROP TABLE picked_tiered`);
    await timed(
      'draw, tiers at 3/5/10/30%, population checked at commit',
      () => drawSelectionTable(db, { populationTable: 'population', seed, taskId, strata: tiered, resultTable: 'picked_tiered', populationChecked: true }),
      figures,
      'populationChecked: the lifecycle checks the frozen rows at commit',
    );
    await db.exec(sql`DROP TABLE picked_tiered`);

    // Every tier at one ratio: how the draw scales with the number of picks (the 3% draw is exported below).
    let drawOrderCount = 0;
    for (const ratioBp of [300, 500, 1000, 3000]) {
      const strata: StratumSpec[] = TIERS.map((stratum) => ({ stratum, ratioBp }));
      const result = await timed(
        `draw ${ratioBp / 100}% in every tier (selection table)`,
        () => drawSelectionTable(db, { populationTable: 'population', seed, taskId, strata, resultTable: `picked_${ratioBp}` }),
        figures,
      );
      figures[figures.length - 1].note = `${result.selected.toLocaleString('en-US')} picks, ${result.widenings} widenings`;
      if (ratioBp === 300) drawOrderCount = result.selected;
      else await db.exec(sql`DROP TABLE ${sql.id(`picked_${ratioBp}`)}`);
    }
    const digest = await timed('population digest (DuckDB sort + COPY + hash)', () => populationDigestSql(db, { populationTable: 'population' }), figures);

    // A 50,000-entity task: the whole path a task of ordinary size takes.
    console.log(`\n${taskEntities.toLocaleString('en-US')}-entity task`);
    await db.exec(sql`CREATE OR REPLACE TABLE task_population AS SELECT * FROM population LIMIT ${taskEntities}`);
    const taskStrata = [
      { stratum: 'A', ratioBp: 300 },
      { stratum: 'B', ratioBp: 500 },
      { stratum: 'C', ratioBp: 1000 },
      { stratum: 'D', ratioBp: 3000 },
    ];
    const taskSelection = await timed(
      'task draw in DuckDB (selectObjectsSql, picks read into JS)',
      () => selectObjectsSql(db, { populationTable: 'task_population', seed, taskId, strata: taskStrata }),
      figures,
      'target <= 0.5 s',
    );
    const taskPairs = await db.query<Pair>(sql`SELECT stratum, id FROM task_population`);
    const inJs = await timed('task draw in JS (selectObjects)', () => selectObjects({ seed, taskId, population: taskPairs, strata: taskStrata }), figures, 'same picks');
    if (JSON.stringify(inJs) !== JSON.stringify(taskSelection)) throw new Error('selectObjects and selectObjectsSql disagree on the task draw');
    const taskPools = {
      SAMR: Array.from({ length: 60 }, (_, i) => `SAMR-${i}`),
      HEALTH: Array.from({ length: 20 }, (_, i) => `HEALTH-${i}`),
    };
    await timed(
      'task teams (SAMR 2 of 60 + HEALTH 1 of 20)',
      () =>
        assignTeams({
          seed,
          taskId,
          drawOrder: taskSelection.drawOrder,
          teamSpec: [
            { department: 'SAMR', count: 2 },
            { department: 'HEALTH', count: 1 },
          ],
          pools: taskPools,
          exclusions: taskSelection.drawOrder.slice(0, 200).map((o, i) => [o, `SAMR-${i % 60}`] as [string, string]),
        }),
      figures,
      `${taskSelection.drawOrder.length} objects`,
    );

    // Export and verify the 3% draw of the whole population.
    console.log(`\nexport and verify the ${entities.toLocaleString('en-US')}-entity 3% draw`);
    const out = join(dir, 'export');
    const selection = await timed(
      'read picks into JS',
      () => db.query<{ stratum: string; id: string; key: string; rank: number }>(sql`SELECT stratum, id, key, rank FROM picked_300 ORDER BY draw_order`),
      figures,
      `${drawOrderCount.toLocaleString('en-US')} rows`,
    );
    const pools = { SAMR: Array.from({ length: poolSize }, (_, i) => `SAMR-${String(i).padStart(3, '0')}`) };
    const teams = await timed(
      `teams (SAMR 2 of ${poolSize})`,
      () =>
        assignTeams({
          seed,
          taskId,
          drawOrder: selection.map((s) => s.id),
          teamSpec: [{ department: 'SAMR', count: 2 }],
          pools,
          exclusions: selection.slice(0, 1000).map((s, i) => [s.id, pools.SAMR[i % poolSize]] as [string, string]),
        }),
      figures,
      `${(selection.length * poolSize).toLocaleString('en-US')} ikeys at most`,
    );
    const copied = await timed('population.csv (DuckDB COPY + digest)', () => copyPopulationCsv(db, { populationTable: 'population' }, join(out, 'population.csv')), figures);
    if (copied.digest !== digest.digest) throw new Error(`population.csv digest ${copied.digest} differs from populationDigestSql ${digest.digest}`);
    const strataRows = await db.query<{ stratum: string; eligible: number }>(sql`SELECT stratum, count(*) AS eligible FROM population GROUP BY stratum ORDER BY stratum`);
    const quotas = new Map((await db.query<{ stratum: string; n: number }>(sql`SELECT stratum, count(*) AS n FROM picked_300 GROUP BY stratum`)).map((r) => [r.stratum, r.n]));
    await timed(
      'other five files (writeDrawFiles)',
      () =>
        writeDrawFiles(out, {
          protocol: 'fd1',
          taskId,
          commitment: sha256Hex(secret),
          secret,
          beacon: seed.slice(secret.length + 1),
          seed,
          populationDigest: digest.digest,
          strata: strataRows.map((r) => ({ stratum: r.stratum, eligible: r.eligible, ratioBp: 300, quota: quotas.get(r.stratum) ?? 0 })),
          caps: teams.caps,
          committedAt: new Date(Date.now() - 60_000),
          drawnAt: new Date(),
          pools,
          exclusions: selection.slice(0, 1000).map((s, i) => [s.id, pools.SAMR[i % poolSize]] as [string, string]),
          selection,
          teams: teams.teams,
        }),
      figures,
    );
    db.close();
    const sizeMb = Math.round(statSync(join(out, 'population.csv')).size / 1024 / 1024);
    const report = await timed(
      'verify (independent; node:crypto on worker threads above 2 MB)',
      () => verifyDraw(out),
      figures,
      `population.csv ${sizeMb} MB; target <= 20 s`,
    );
    if (!report.ok) throw new Error(`verify failed: ${report.firstMismatch?.file} ${report.firstMismatch?.line}: ${report.firstMismatch?.detail}`);
    console.log(`  verify: ${report.checks.length} checks, engine ${report.engine}, fd1 verified; steps (ms): ${JSON.stringify(report.phasesMs)}`);
    if (args.includes('--verify-duckdb')) {
      const viaDuckdb = await timed('verify with the DuckDB engine (--engine duckdb)', () => verifyDraw(out, { engine: 'duckdb' }), figures, 'for comparison; not the default');
      if (!viaDuckdb.ok) throw new Error(`verify (duckdb) failed: ${viaDuckdb.firstMismatch?.detail}`);
      console.log(`  verify (duckdb): steps (ms): ${JSON.stringify(viaDuckdb.phasesMs)}`);
    }
  } finally {
    try {
      db.close();
    } catch {
      // already closed
    }
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `\nfd1 draw benchmark: ${entities.toLocaleString('en-US')} entities, peak RSS ${peakRssMb()} MB, load average now ${loadavg()[0].toFixed(1)} (2 cores), calibration now ${calibrationCpuMs()} ms`,
  );
  console.table(figures);
}
