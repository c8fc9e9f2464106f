// `npm run bench -- province [--entities 18000000] [--keep DIR] [--plain-generate 2000000] [--plain-import 20000]`:
// a province from nothing to a verified draw on this machine: generate, import, score, tiers, alerts, a province-wide
// tiered draw, its export and independent verification, the coverage answers. Each step runs in a process of its own
// (its wall time, CPU time of every thread, peak memory), and so does the same job done the plain way a user might
// try first (a hand-written Node loop over the CSV, or the straightforward SQL), measured in the same run; where the
// plain way would take hours it runs on the first N rows and is scaled linearly, as its row says. Writes the rows into
// BENCHMARKS.md. Run it alone (flock /tmp/fairdraw-18m.lock): at 18 M it takes about half an hour and 30 GB of disk.
// Each step's marks are kept in the work folder as it ends (marks.json); with --resume and the same --work (or --keep)
// folder, a run that stopped goes on from the first step without marks, on the data the earlier steps left.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse';
import { REPO_ROOT } from '../src/kernel/config.ts';
import { openDatabase } from '../src/open.ts';
import type { Db } from '../src/db/duckdb.ts';
import { sql } from '../src/db/sql.ts';
import { generateProvince } from '../../data/generator/generate.ts';
import { importFile } from '../src/ingest/import.ts';
import { usccProblem } from '../src/reference/uscc.ts';
import { referenceDate } from '../src/risk/features.ts';
import { fitModel, loadModel } from '../src/risk/model.ts';
import { scoreEntities, scorePopulation } from '../src/risk/score.ts';
import { rescoreEntities } from '../src/risk/rescore.ts';
import { cutoffsFromHistogram, DEFAULT_TIER_SHARES } from '../src/risk/tiers.ts';
import { computeAlerts } from '../src/alerts/alerts.ts';
import { createPlan } from '../src/draw/plans.ts';
import { createTask } from '../src/draw/tasks.ts';
import { commitDraw, enterBeacon, listDraws, populationSource, runDraw } from '../src/draw/lifecycle.ts';
import { drawSelectionTable } from '../src/draw/select-sql.ts';
import { assignTeams, selectObjects, type StratumSpec } from '../src/draw/fd1.ts';
import { quota } from '../src/kernel/quota.ts';
import { exportDraw } from '../src/draw/export.ts';
import { readDrawFiles } from '../src/draw/files.ts';
import { verifyDraw } from '../src/draw/verify/verify.ts';
import { computeCoverage } from '../src/coverage/coverage.ts';
import { CoverageStore } from '../src/coverage/store.ts';
import { chainVerdict } from '../src/audit/trail.ts';
import { writeBenchmarkSection, type BenchmarkRow } from './benchmarks-md.ts';

const CLI = resolve(REPO_ROOT, 'engine/bin/fairdraw.js');
const IMPORT_REST = ['inspectors', 'credit', 'complaints', 'results'] as const;
/** The province-wide draw's dates (fixed, so the window is open whatever day the bench runs). */
const NOW = { commit: new Date('2026-03-01T10:00:00+08:00'), beaconDue: new Date('2026-03-02T15:00:00+08:00'), beacon: new Date('2026-03-02T16:00:00+08:00'), run: new Date('2026-03-02T17:00:00+08:00') };
/** Tiered selection at the demo policy's ratios (A 3%, B 5%, C 10%, D 30%) over the province-wide population. */
const TIER_RATIOS: StratumSpec[] = [
  { stratum: 'A', ratioBp: 300 },
  { stratum: 'B', ratioBp: 500 },
  { stratum: 'C', ratioBp: 1000 },
  { stratum: 'D', ratioBp: 3000 },
];
/**
 * The drawn task takes a fixed count per tier: its teams come from the province's whole pool, and the protocol's §5 ranks every
 * pool member for every selected object (objects x pool ikeys), so a 1.2 M-object draw with teams is out of reach.
 */
const TASK_COUNTS = { A: 500, B: 500, C: 500, D: 500 };

/** One measured piece of work inside a step process. */
interface Mark {
  step: string;
  variant: 'fast' | 'plain';
  wallMs: number;
  cpuMs: number;
  /** Multiply by this for the whole province (a plain run on the first rows). */
  scale: number;
  note: string;
  peakRssMb?: number;
  /** The 1-minute load average when its step started (set by the parent: the machine may be shared). */
  load?: number;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const count = (text: string) => Number(text.replaceAll('_', ''));
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Inside a step process: times `work`, CPU of every thread of this process included. */
async function measure<T>(marks: Mark[], step: string, variant: Mark['variant'], work: () => Promise<T>, note: (r: T) => string = () => '', scale = 1): Promise<T> {
  const wall = performance.now();
  const cpu = cpuNow();
  const result = await work();
  marks.push({ step, variant, wallMs: performance.now() - wall, cpuMs: cpuNow() - cpu, scale, note: note(result) });
  return result;
}

interface Ctx {
  work: string;
  entities: number;
  plainGenerate: number;
  plainImport: number;
  data: string;
  dbPath: string;
}

const withDb = async <T>(ctx: Ctx, work: (db: Db) => Promise<T>): Promise<T> => {
  const db = await openDatabase({ path: ctx.dbPath });
  try {
    return await work(db);
  } finally {
    db.close();
  }
};

/** The generator's Parquet copy of a file (written from 1 M entities), else its CSV. */
function sourceFile(ctx: Ctx, kind: string): string {
  const parquet = join(ctx.data, `${kind}.parquet`);
  return existsSync(parquet) ? parquet : join(ctx.data, `${kind}.csv`);
}

/**
 * A hand-written import into a fresh database: csv-parse, the USCC check digit and known codes per row, one INSERT per
 * row, committed every 5,000 rows.
 */
async function plainImportEntities(db: Db, file: string, limit: number): Promise<number> {
  const regions = new Set((await db.query<{ code: string }>(sql`SELECT code FROM regions`)).map((r) => r.code));
  const parser = createReadStream(file).pipe(parse({ columns: true, to: limit }));
  let batch: Array<Record<string, string>> = [];
  let rows = 0;
  const flush = () =>
    db.transaction(async (tx) => {
      for (const r of batch) {
        await tx.exec(
          sql`INSERT INTO objects (id, object_kind, name, entity_type, legal_representative, region_code, industry_code, established_on, status, responsible_departments)
              VALUES (${r.uscc}, 'entity', ${r.name}, ${r.entity_type}, ${r.legal_representative || null}, ${r.region_code}, ${r.industry_code || null},
                      ${r.established_on || null}::DATE, ${r.status}, string_split(${r.responsible_departments}, ';'))`,
        );
      }
      rows += batch.length;
      batch = [];
    });
  for await (const r of parser as AsyncIterable<Record<string, string>>) {
    if (usccProblem(r.uscc) || !regions.has(r.region_code) || !['active', 'deregistered', 'revoked'].includes(r.status)) continue;
    batch.push(r);
    if (batch.length === 5_000) await flush();
  }
  await flush();
  return rows;
}

/** The steps; each runs in its own process and pushes its marks. */
const STEPS: Record<string, (ctx: Ctx, marks: Mark[]) => Promise<void>> = {
  async generate(ctx, marks) {
    // The CSV files and the Parquet copies are timed apart: the plain way writes CSV only.
    // (the generator writes Parquet copies from 1 M entities only)
    let csvDone: { wall: number; cpu: number } | null = null;
    const wall = performance.now();
    const cpu = cpuNow();
    const summary = await generateProvince({ entities: ctx.entities, seed: 7, outDir: ctx.data, onParquet: () => (csvDone = { wall: performance.now(), cpu: cpuNow() }) });
    const end = { wall: performance.now(), cpu: cpuNow() };
    const csv: { wall: number; cpu: number } = csvDone ?? end;
    marks.push({ step: 'generate the CSV files', variant: 'fast', wallMs: csv.wall - wall, cpuMs: csv.cpu - cpu, scale: 1, note: `2 worker threads; ${n(summary.files['complaints.csv'])} complaints, ${n(summary.files['results.csv'])} results` });
    if (csvDone) marks.push({ step: 'generate: Parquet copies', variant: 'fast', wallMs: end.wall - csv.wall, cpuMs: end.cpu - csv.cpu, scale: 1, note: 'DuckDB, every file' });
  },
  async 'generate-plain'(ctx, marks) {
    const out = join(ctx.work, 'plain-generate');
    await measure(marks, 'generate the CSV files', 'plain', () => generateProvince({ entities: ctx.plainGenerate, seed: 7, outDir: out, threads: 1, parquet: false }), () =>
      `one thread, CSV only, first ${n(ctx.plainGenerate)} entities`, ctx.entities / ctx.plainGenerate);
    rmSync(out, { recursive: true, force: true });
  },
  async 'import-entities'(ctx, marks) {
    await withDb(ctx, (db) =>
      measure(marks, 'import entities', 'fast', () => importFile(db, { kind: 'entities', file: sourceFile(ctx, 'entities'), actor: 'bench' }), (r) =>
        `${n(r.accepted)} rows from ${r.format}, validated, upserted`),
    );
  },
  async 'import-entities-plain'(ctx, marks) {
    const db = await openDatabase({ path: join(ctx.work, 'plain-import.duckdb') });
    try {
      await measure(marks, 'import entities', 'plain', () => plainImportEntities(db, join(ctx.data, 'entities.csv'), ctx.plainImport), (rows) =>
        `csv-parse loop, one INSERT per row, committed every 5,000 rows, first ${n(rows)} rows`, ctx.entities / ctx.plainImport);
    } finally {
      db.close();
      rmSync(join(ctx.work, 'plain-import.duckdb'), { force: true });
    }
  },
  async 'import-rest'(ctx, marks) {
    await withDb(ctx, async (db) => {
      for (const kind of IMPORT_REST) {
        await measure(marks, `import ${kind}`, 'fast', () => importFile(db, { kind, file: sourceFile(ctx, kind), actor: 'bench' }), (r) => `${n(r.accepted)} rows`);
      }
    });
  },
  async score(ctx, marks) {
    await withDb(ctx, async (db) => {
      const asOf = (await referenceDate(db))!;
      const model = await measure(marks, 'fit the scorecard', 'fast', () => fitModel(db, { asOf }), (m) => `${n(m.training.rows)} training rows`);
      await measure(marks, 'score every entity, tiers', 'fast', () => scoreEntities(db, model, { actor: 'bench' }), (s) =>
        `${n(s.entities)} entities; stored facts built (${s.facts.mode}), one score per bin code, tiers from the score histogram`);
      await measure(marks, 'score again, nothing changed', 'fast', () => rescoreEntities(db, { actor: 'bench', asOf: model.asOf }), (r) =>
        `${r.mode}: stored facts and bin codes kept, ${n(r.written)} rows written`);
    });
  },
  async 'score-plain'(ctx, marks) {
    await withDb(ctx, async (db) => {
      const model = (await loadModel(db))!;
      const conn = await db.connection();
      try {
        const scoreAll = async () => {
          const rows = await scorePopulation(conn, model.params, model.asOf, 'active', 'plain_scores');
          await conn.exec(sql`CREATE OR REPLACE TEMP TABLE plain_tiers AS SELECT object_id, CASE WHEN p <= 40 THEN 'A' WHEN p <= 75 THEN 'B' WHEN p <= 93 THEN 'C' ELSE 'D' END AS tier
                              FROM (SELECT object_id, ntile(100) OVER (ORDER BY score) AS p FROM plain_scores)`);
          return rows;
        };
        const note = (rows: number) => `${n(rows)} entities: features from the records per entity, score per entity, tiers by NTILE over all scores`;
        await measure(marks, 'score every entity, tiers', 'plain', scoreAll, note);
        await measure(marks, 'score again, nothing changed', 'plain', scoreAll, (rows) => `all again: ${note(rows)}`);
      } finally {
        conn.close();
      }
    });
  },
  async tiers(ctx, marks) {
    await withDb(ctx, async (db) => {
      const conn = await db.connection();
      try {
        await conn.exec(sql`CREATE TEMP TABLE scores AS SELECT object_id, score FROM risk_scores`);
        await measure(marks, 'tiers (cut and count by city)', 'fast', async () => {
          const buckets = await conn.query<{ score: number; count: number }>(sql`SELECT score, count(*)::DOUBLE AS count FROM scores GROUP BY score`);
          const { thresholds: t } = cutoffsFromHistogram(buckets, { mode: 'shares', shares: DEFAULT_TIER_SHARES });
          return conn.query(sql`SELECT left(o.region_code, 4) AS city,
                                  CASE WHEN s.score >= ${t.D} THEN 'D' WHEN s.score >= ${t.C} THEN 'C' WHEN s.score >= ${t.B} THEN 'B' ELSE 'A' END AS tier, count(*) AS n
                                FROM scores s JOIN objects o ON o.id = s.object_id GROUP BY ALL`);
        }, (rows) => `${rows.length} city x tier counts; thresholds from the histogram of scores`);
        await measure(marks, 'tiers (cut and count by city)', 'plain', () =>
          conn.query(sql`SELECT left(o.region_code, 4) AS city, CASE WHEN p <= 40 THEN 'A' WHEN p <= 75 THEN 'B' WHEN p <= 93 THEN 'C' ELSE 'D' END AS tier, count(*) AS n
                         FROM (SELECT object_id, ntile(100) OVER (ORDER BY score) AS p FROM scores) s JOIN objects o ON o.id = s.object_id GROUP BY ALL`),
        (rows) => `${rows.length} city x tier counts; NTILE(100) over every score`);
      } finally {
        conn.close();
      }
    });
  },
  async 'alerts-plain'(ctx, marks) {
    // On a connection of its own, computeAlerts reads the records (the stored entity days are not built yet).
    await withDb(ctx, async (db) => {
      const conn = await db.connection();
      try {
        await measure(marks, 'regional alerts', 'plain', () => computeAlerts(conn), (r) => `${r.input}: complaints and results aggregated per region x industry x week; ${r.alerts.length} alerts`);
      } finally {
        conn.close();
      }
    });
  },
  async alerts(ctx, marks) {
    await withDb(ctx, async (db) => {
      await measure(marks, 'regional alerts: first build of the entity days', 'fast', () => computeAlerts(db), (r) => `${r.input}, ${r.alerts.length} alerts`);
      await measure(marks, 'regional alerts', 'fast', () => computeAlerts(db), (r) => `${r.input} (maintained on import), ${r.alerts.length} alerts`);
    });
  },
  async 'draw-commit'(ctx, marks) {
    await withDb(ctx, async (db) => {
      const plan = await createPlan(db, { year: 2026, jurisdictionRegionCode: '440000', leadDepartment: 'SAMR', name: '全省抽查（基准）', createdBy: 'bench' });
      const task = await createTask(db, { planId: plan.id, kind: 'general', name: '全省企业公示信息分层抽查', items: ['SAMR-001'], counts: TASK_COUNTS, windowStart: '2026-03-02', windowEnd: '2026-04-30', createdBy: 'bench' });
      await measure(marks, 'province-wide tiered draw: commit', 'fast', () => commitDraw(db, task.id, { actor: 'bench', now: NOW.commit, beaconSource: '上证综合指数收盘价', beaconDue: NOW.beaconDue }), (d) =>
        `population ${n(d.populationSize)} frozen, checked and digested; pools frozen`);
    });
  },
  async 'draw-run'(ctx, marks) {
    await withDb(ctx, async (db) => {
      const [draw] = await listDraws(db, { status: 'committed' });
      await enterBeacon(db, draw.id, '上证综合指数 2026-03-02 收盘 3,456.78', { actor: 'bench', now: NOW.beacon });
      await measure(marks, 'province-wide tiered draw: run', 'fast', () => runDraw(db, draw.id, { actor: 'bench', now: NOW.run }), (d) =>
        `${n(d.counts.selected)} selected (${Object.values(TASK_COUNTS)[0]} per tier), ${n(d.counts.teamMembers)} team members from a pool of ${n(d.counts.pool)}`);
    });
  },
  async 'audit-verify'(ctx, marks) {
    await withDb(ctx, async (db) => {
      await measure(marks, 'audit verify: the chain, its published heads, the bound rows', 'fast', () => chainVerdict(db), (v) => {
        if (!v.ok) throw new Error(`audit verify failed on the province: ${JSON.stringify({ ...v.heads, rows: v.rows.problems.slice(0, 5) })}`);
        const rows = (c: typeof v.rows.bound) => c.draws + c.draw_selection + c.draw_results;
        return `${n(v.entries)} entries, ${v.heads.sources.reduce((k, h) => k + h.heads, 0)} heads, ${n(rows(v.rows.bound))} rows bound (draws, selection, results), ${n(rows(v.rows.unbound))} not bound`;
      });
    });
  },
  async 'draw-select'(ctx, marks) {
    await withDb(ctx, async (db) => {
      const [draw] = await listDraws(db, { status: 'drawn' });
      const seed = `${'0'.repeat(64)}|bench`;
      await measure(marks, 'tiered selection at 3/5/10/30% of the province', 'fast', () =>
        drawSelectionTable(db, { ...populationSource(draw.id), protocol: draw.protocol, seed, taskId: draw.taskId, strata: TIER_RATIOS, resultTable: 'fast_picks', populationChecked: true }),
      (r) => `${n(r.selected)} picks: each row hashed once, candidates under a key threshold ranked`);
      const quotas = new Map(TIER_RATIOS.map((s) => [s.stratum, 0]));
      for (const r of await db.query<{ stratum: string; n: number }>(sql`SELECT stratum, count(*) AS n FROM draw_population WHERE draw_id = ${draw.id} GROUP BY stratum`))
        quotas.set(r.stratum, quota(r.n, { ratioBp: TIER_RATIOS.find((s) => s.stratum === r.stratum)!.ratioBp! }));
      await measure(marks, 'tiered selection at 3/5/10/30% of the province', 'plain', () =>
        db.exec(sql`CREATE OR REPLACE TEMP TABLE plain_picks AS
          SELECT stratum, id, key, rank FROM (
            SELECT stratum, object_id AS id, sha256(${draw.protocol} || '|' || ${seed} || '|' || ${draw.taskId} || '|' || stratum || '|' || object_id) AS key,
                   row_number() OVER (PARTITION BY stratum ORDER BY key) AS rank
            FROM draw_population WHERE draw_id = ${draw.id})
          WHERE rank <= CASE stratum WHEN 'A' THEN ${quotas.get('A')!} WHEN 'B' THEN ${quotas.get('B')!} WHEN 'C' THEN ${quotas.get('C')!} ELSE ${quotas.get('D')!} END`),
      () => 'ROW_NUMBER() OVER (PARTITION BY stratum ORDER BY key) over every row');
      const differ = await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT stratum, id, key, rank FROM fast_picks EXCEPT SELECT stratum, id, key, rank FROM plain_picks)`);
      if (differ!.n !== 0) throw new Error(`the plain selection differs from the engine's in ${differ!.n} rows`);
    });
  },
  async export(ctx, marks) {
    await withDb(ctx, async (db) => {
      const [draw] = await listDraws(db, { status: 'drawn' });
      await measure(marks, 'export the six files', 'fast', () => exportDraw(db, draw.id, join(ctx.work, 'export'), { package: 'auditor' }), (r) => `population.csv ${n(r.populationRows)} rows`);
    });
  },
  async verify(ctx, marks) {
    await measure(marks, 'verify the draw independently', 'fast', () => verifyDraw(join(ctx.work, 'export')), (r) =>
      `${r.verdict ?? 'MISMATCH'}: population.csv scanned on worker threads in byte ranges, keys kept under each stratum's threshold`);
  },
  async 'verify-plain'(ctx, marks) {
    await measure(marks, 'verify the draw independently', 'plain', async () => {
      const files = readDrawFiles(join(ctx.work, 'export'));
      const strata = files.manifest.strata.map((s) => (s.count !== undefined ? { stratum: s.stratum, count: s.count } : { stratum: s.stratum, ratioBp: s.ratio_bp! }));
      const { protocol, seed, task_id: taskId } = files.manifest;
      const selected = selectObjects({ protocol, seed, taskId, population: files.population, strata });
      const teams = assignTeams({ protocol, seed, taskId, drawOrder: selected.drawOrder, teamSpec: files.manifest.teams, pools: files.pools, exclusions: files.exclusions });
      const same = JSON.stringify(selected.selection) === JSON.stringify(files.selection) && JSON.stringify(teams.teams) === JSON.stringify(files.teams);
      if (!same) throw new Error('the plain recomputation differs from the exported draw');
      return files.population.length;
    }, (rows) => `one thread: every file read into memory, ${n(rows)} keys computed and sorted per stratum, teams recomputed`);
  },
  async 'coverage-plain'(ctx, marks) {
    await withDb(ctx, async (db) => {
      const conn = await db.connection();
      try {
        await measure(marks, 'coverage answer (province, this year)', 'plain', () => computeCoverage(conn, { year: 2026, today: '2026-12-31' }), () => 'every answer built from the tables');
      } finally {
        conn.close();
      }
    });
  },
  async coverage(ctx, marks) {
    await withDb(ctx, async (db) => {
      const store = await CoverageStore.open(db);
      try {
        await measure(marks, 'coverage answer (province, this year): first', 'fast', () => store.coverage({ year: 2026, today: '2026-12-31' }), () => 'population and year tables built once');
        await measure(marks, 'coverage answer (province, this year)', 'fast', async () => {
          for (let i = 0; i < 20; i++) await store.coverage({ year: 2026, today: '2026-12-31' });
        }, () => 'kept until the data changes: mean of 20 answers', 1 / 20);
      } finally {
        await store.close();
      }
    });
  },
};

/** The order the orchestrator runs the steps in (each after what it needs). */
const ORDER = [
  'generate', 'generate-plain', 'import-entities', 'import-entities-plain', 'import-rest', 'score', 'score-plain', 'tiers',
  'alerts-plain', 'alerts', 'draw-commit', 'draw-run', 'audit-verify', 'draw-select', 'export', 'verify', 'verify-plain', 'coverage-plain', 'coverage',
];

/** In a step process: runs one step and prints its marks as one JSON line. */
async function runStep(name: string, ctx: Ctx): Promise<void> {
  const marks: Mark[] = [];
  await STEPS[name](ctx, marks);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`@@marks ${JSON.stringify(marks.map((m) => ({ ...m, peakRssMb })))}`);
}

const s = (ms: number) => (ms < 1 ? `${Math.round(ms * 1000)} µs` : ms < 1000 ? `${ms.toFixed(ms < 10 ? 1 : 0)} ms` : `${(ms / 1000).toFixed(1)} s`);

function figureOf(m: Mark): string {
  const scaled = m.scale === 1 ? '' : m.scale < 1 ? ` (measured ${s(m.wallMs)} for ${Math.round(1 / m.scale)} answers)` : ` (measured ${s(m.wallMs)} wall on 1/${Math.round(m.scale)} of the rows, scaled x${m.scale.toFixed(m.scale >= 10 ? 0 : 1)})`;
  return `${s(m.wallMs * m.scale)} wall, ${s(m.cpuMs * m.scale)} CPU, peak ${n(m.peakRssMb ?? 0)} MB${scaled}`;
}

export async function run(args: string[]): Promise<void> {
  const stepName = option(args, '--step');
  const entities = count(option(args, '--entities') ?? '18000000');
  const keep = option(args, '--keep');
  const work = option(args, '--work') ?? (keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'fairdraw-bench-province-')));
  const ctx: Ctx = {
    work,
    entities,
    plainGenerate: Math.min(entities, count(option(args, '--plain-generate') ?? '2000000')),
    plainImport: Math.min(entities, count(option(args, '--plain-import') ?? '20000')),
    data: join(work, 'data'),
    dbPath: join(work, 'province.duckdb'),
  };
  if (stepName) return runStep(stepName, ctx);

  mkdirSync(work, { recursive: true });
  const only = option(args, '--steps')?.split(',');
  // the marks of the steps that ended, kept as each one ends: --resume goes on after them
  const marksFile = join(work, 'marks.json');
  const done: Record<string, Mark[]> = args.includes('--resume') && existsSync(marksFile) ? JSON.parse(readFileSync(marksFile, 'utf8')) : {};
  const marks: Mark[] = [];
  try {
    console.log(`province benchmark: ${n(entities)} entities in ${work}${Object.keys(done).length ? `, resumed after ${Object.keys(done).join(', ')}` : ''}`);
    for (const name of ORDER) {
      if (only && !only.includes(name)) continue;
      if (done[name]) {
        marks.push(...done[name]);
        continue;
      }
      const load = loadavg()[0];
      // The plain recomputation holds the whole population in memory as JS objects.
      const heap = name === 'verify-plain' ? ['--max-old-space-size=16384'] : [];
      const child = spawnSync(process.execPath, [...heap, CLI, 'bench', 'province', '--step', name, '--work', work, '--entities', String(entities), '--plain-generate', String(ctx.plainGenerate), '--plain-import', String(ctx.plainImport)], {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, TZ: 'Asia/Shanghai' },
      });
      const line = child.stdout.split('\n').find((l) => l.startsWith('@@marks '));
      if (child.status !== 0 || !line) throw new Error(`step ${name} failed (exit ${child.status}): ${(child.stderr || child.stdout).slice(-2000)}`);
      const stepMarks = (JSON.parse(line.slice('@@marks '.length)) as Mark[]).map((m) => ({ ...m, load }));
      for (const m of stepMarks) console.log(`  ${m.variant.padEnd(5)} ${m.step}: ${figureOf(m)}${m.note ? `; ${m.note}` : ''} (load ${load.toFixed(1)})`);
      marks.push(...stepMarks);
      done[name] = stepMarks;
      writeFileSync(marksFile, JSON.stringify(done));
    }
    const rows: BenchmarkRow[] = [];
    for (const m of marks.filter((x) => x.variant === 'fast')) {
      const plain = marks.find((x) => x.variant === 'plain' && x.step === m.step);
      const ratio = plain ? `; plain way ${figureOf(plain)}: ${plain.note}; plain / Fairdraw ${((plain.wallMs * plain.scale) / (m.wallMs * m.scale)).toFixed(1)}x wall, ${((plain.cpuMs * plain.scale) / (m.cpuMs * m.scale)).toFixed(1)}x CPU` : '';
      rows.push({ step: `province ${n(entities)}: ${m.step}`, figure: `${figureOf(m)}${m.note ? `; ${m.note}` : ''}${ratio}` });
    }
    console.table(rows);
    const loads = marks.map((m) => m.load ?? 0);
    if (!only) {
      writeBenchmarkSection(
        'province',
        `Province benchmark (${n(entities)} entities)`,
        `\`npm run bench -- province --entities ${entities}\`: every step in a process of its own on one DuckDB file (2 threads, 4 GB memory limit), ` +
          `beside the same job done the plain way (a hand-written Node loop, or the straightforward SQL), measured in the same run. Plain ways that would take ` +
          `hours ran on the first rows and are scaled linearly (the row says so). The drawn task takes ${Object.values(TASK_COUNTS)[0]} entities per tier: the protocol's §5 ranks ` +
          `every pool member for every selected object, so teams for a province-wide draw of over a million objects are out of reach; the tiered selection at 3/5/10/30% is measured on the same frozen population. ` +
          `The 1-minute load average at the start of the steps ranged from ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)} on 2 cores.`,
        rows,
      );
    }
  } finally {
    if (!keep && !option(args, '--work')) rmSync(work, { recursive: true, force: true });
  }
}

