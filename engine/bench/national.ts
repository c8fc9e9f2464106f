// `npm run bench -- national [--ids 190000000] [--shards 2,4] [--pool-entities 2000000] [--no-verify] [--keep DIR]`:
// the national directory on loopback ClickHouse clusters. For each shard count: the ids generated straight into the
// cluster (a population set: ids and stratum tier|province, nothing else), then a national task's draw on it with the
// product's code path (commit: freeze, check, digest from the cluster's merged sort streamed into SHA-256; run:
// per-stratum smallest keys, inspector candidates ranked on the shards, assignment in Node), its replay, export and
// the independent verifier. Records live in a DuckDB file whose generated province (--pool-entities) supplies the
// inspectors. Each step: wall time, CPU of this process and of the ClickHouse servers, peak memory. Writes its rows
// into BENCHMARKS.md. Run it alone (flock /tmp/fairdraw-18m.lock): it keeps both cores busy for an hour.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase } from '../src/open.ts';
import { importFile } from '../src/ingest/import.ts';
import { createPlan } from '../src/draw/plans.ts';
import { createTask } from '../src/draw/tasks.ts';
import { commitDraw, enterBeacon, runDraw } from '../src/draw/lifecycle.ts';
import { exportDraw } from '../src/draw/export.ts';
import { verifyDraw } from '../src/draw/verify/verify.ts';
import { generateProvince } from '../../data/generator/generate.ts';
import { readClusterFile, startLocalCluster, stopLocalCluster } from '../src/cluster/local.ts';
import { Cluster, resolveCluster } from '../src/cluster/connection.ts';
import { ensureTables } from '../src/cluster/tables.ts';
import { generateNationalSet } from '../src/cluster/population.ts';
import { clusterEngine, clusterPopulation, clusterPopulationCsv } from '../src/cluster/draws.ts';
import { replayDraw } from '../src/cluster/replay.ts';
import { writeBenchmarkSection, type BenchmarkRow } from './benchmarks-md.ts';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const n = (x: number) => x.toLocaleString('en-US');
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** CPU milliseconds (user + system) the processes have used so far, from /proc (clock ticks of 10 ms). */
function cpuMsOf(pids: number[]): number {
  return pids.reduce((sum, pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return sum + (Number(fields[11]) + Number(fields[12])) * 10;
  }, 0);
}

/** Peak resident memory (VmHWM) of the processes, MB, summed. */
function peakMbOf(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024, 0);
}

const nodeCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Wall and CPU time of consecutive steps: each mark closes the step since the previous one. */
class Meter {
  private lastWall = performance.now();
  private lastNode = nodeCpuMs();
  private lastServers: number;
  readonly rows: Array<{ step: string; wallMs: number; nodeCpuMs: number; serverCpuMs: number; load: number; note: string }> = [];
  /** 1-minute load average when the step began: the machine may be shared. */
  private load = loadavg()[0];

  constructor(private readonly serverPids: number[]) {
    this.lastServers = cpuMsOf(serverPids);
  }

  /** Starts a new step now (drops what ran since the last mark). */
  reset(): void {
    this.load = loadavg()[0];
    this.lastWall = performance.now();
    this.lastNode = nodeCpuMs();
    this.lastServers = cpuMsOf(this.serverPids);
  }

  mark(step: string, note = ''): void {
    const wall = performance.now();
    const node = nodeCpuMs();
    const servers = cpuMsOf(this.serverPids);
    this.rows.push({ step, wallMs: wall - this.lastWall, nodeCpuMs: node - this.lastNode, serverCpuMs: servers - this.lastServers, load: this.load, note });
    console.log(`  ${step}: ${s(wall - this.lastWall)} wall, CPU ${s(node - this.lastNode)} Node + ${s(servers - this.lastServers)} ClickHouse${note ? ` (${note})` : ''}`);
    this.lastWall = wall;
    this.lastNode = node;
    this.lastServers = servers;
    this.load = loadavg()[0];
  }

  async time<T>(step: string, work: () => Promise<T>, note?: (result: T) => string): Promise<T> {
    this.reset();
    const result = await work();
    this.mark(step, note?.(result) ?? '');
    return result;
  }
}

/** The DuckDB side: reference data, a generated province's inspectors (the pools), a plan. Returns the file. */
async function recordsDatabase(dir: string, poolEntities: number): Promise<string> {
  const province = join(dir, 'province');
  await generateProvince({ entities: poolEntities, seed: 7, outDir: province, parquet: false });
  const path = join(dir, 'records.duckdb');
  const db = await openDatabase({ path });
  try {
    const report = await importFile(db, { kind: 'inspectors', file: join(province, 'inspectors.csv'), actor: 'bench' });
    if (!report.written) throw new Error(`inspectors import rejected ${report.rejectedTotal} rows`);
    await createPlan(db, { year: 2026, jurisdictionRegionCode: '440000', leadDepartment: 'SAMR', name: '全国抽查（模拟）', createdBy: 'bench' });
  } finally {
    db.close();
  }
  rmSync(province, { recursive: true, force: true });
  return path;
}

const NOW = { commit: new Date('2026-03-01T10:00:00+08:00'), beaconDue: new Date('2026-03-02T15:00:00+08:00'), beacon: new Date('2026-03-02T16:00:00+08:00'), run: new Date('2026-03-02T17:00:00+08:00') };
/** The national task's ratios: picks in the hundreds of thousands, as a national spot check would be. */
const RATIOS_BP = { A: 5, B: 10, C: 30, D: 100 };

async function runShards(shards: number, ids: number, records: string, work: string, verify: boolean): Promise<BenchmarkRow[]> {
  const dir = join(work, `cluster-${shards}`);
  console.log(`\n${shards} shards, ${n(ids)} ids; load average ${loadavg()[0].toFixed(1)}`);
  await startLocalCluster({ dir, shards });
  const pids = readClusterFile(dir).shards.map((sh) => sh.pid!);
  const cluster = await Cluster.connect(resolveCluster({ dir }));
  const meter = new Meter(pids);
  const dbPath = join(work, `records-${shards}.duckdb`);
  copyFileSync(records, dbPath);
  const db = await openDatabase({ path: dbPath });
  let verified = 'not run (--no-verify)';
  let finished = false;
  try {
    await ensureTables(cluster);
    await meter.time(`generate ${n(ids)} ids into the cluster`, () => generateNationalSet(cluster, { setName: 'national', ids }), (r) => `${n(r.rows)} rows`);
    const task = await createTask(db, { planId: 'P2026-0001', kind: 'general', name: '全国企业公示信息抽查（模拟）', items: ['SAMR-001'], ratiosBp: RATIOS_BP, windowStart: '2026-03-02', windowEnd: '2026-04-30', createdBy: 'bench' });

    meter.reset();
    const committed = await commitDraw(db, task.id, {
      actor: 'bench',
      now: NOW.commit,
      beaconSource: '上证综合指数收盘价',
      beaconDue: NOW.beaconDue,
      population: clusterPopulation(cluster, 'national', {
        onStep: (step) => meter.mark({ freeze: 'commit: freeze the set as the draw population (copy on each shard)', check: 'commit: check labels, ids, each id once', digest: 'commit: digest (merged sort streamed into one SHA-256)' }[step] ?? step),
      }),
    });
    meter.mark('commit: pools, commitment, audit entry');
    await enterBeacon(db, committed.id, '上证综合指数 2026-03-02 收盘 3,456.78', { actor: 'bench', now: NOW.beacon });
    meter.reset();
    const drawn = await runDraw(db, committed.id, {
      actor: 'bench',
      now: NOW.run,
      engine: clusterEngine(cluster, {
        onStep: (step) => meter.mark({ selection: `run: selection, ${committed.strata.length} strata (each shard's smallest keys, merged)`, candidates: 'run: inspector candidates ranked on the shards' }[step] ?? step),
      }),
    });
    meter.mark('run: assignment in Node, exclusions, rows and audit entry in DuckDB', `${n(drawn.counts.selected)} selected, ${n(drawn.counts.teamMembers)} team members, pool ${n(drawn.counts.pool)}`);

    const replay = await meter.time('replay (digest, selection, candidates, assignment, compare)', () => replayDraw(db, cluster, committed.id, join(work, `replay-${shards}`)), (r) =>
      `${r.identical ? 'identical' : 'DIFFERS'}: digest ${s(r.elapsedMs.digest)}, selection ${s(r.elapsedMs.selection)}, candidates ${s(r.elapsedMs.candidates)}, assignment ${s(r.elapsedMs.assignment)}`,
    );
    if (!replay.identical) throw new Error(`replay of ${committed.id} differs: ${JSON.stringify(replay.files)}`);
    if (verify) {
      const out = join(work, `export-${shards}`);
      await meter.time('export (population.csv streamed from the cluster)', () => exportDraw(db, committed.id, out, { package: 'auditor', writePopulation: clusterPopulationCsv(cluster, committed.id) }), () =>
        `population.csv ${(statSync(join(out, 'population.csv')).size / 1e9).toFixed(1)} GB`,
      );
      const report = await meter.time('verify (fairdraw draw verify, independent)', () => verifyDraw(out), (r) => (r.ok ? 'fd1 verified' : `MISMATCH ${JSON.stringify(r.firstMismatch)}`));
      if (!report.ok) throw new Error(`verify failed: ${JSON.stringify(report.firstMismatch)}`);
      verified = 'fd1 verified';
      rmSync(out, { recursive: true, force: true });
    }
    const disk = execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0];
    const peak = `peak RSS: Node ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (the whole run so far), ClickHouse servers ${Math.round(peakMbOf(pids))} MB together; cluster data ${(Number(disk) / 1e9).toFixed(1)} GB on disk; ${verified}`;
    console.log(`  ${peak}`);
    finished = true;
    return [
      ...meter.rows.map((r) => ({
        step: `national, ${shards} shards: ${r.step}`,
        figure: `${s(r.wallMs)} wall; CPU ${s(r.nodeCpuMs)} Node + ${s(r.serverCpuMs)} ClickHouse${r.note ? `; ${r.note}` : ''}; load ${r.load.toFixed(1)}`,
      })),
      { step: `national, ${shards} shards: memory and disk`, figure: peak },
    ];
  } finally {
    db.close();
    await cluster.close();
    await stopLocalCluster(dir);
    // A failed run keeps the shards' data and logs (shard-K/server.err.log) for a look.
    if (finished) rmSync(dir, { recursive: true, force: true });
    else console.log(`  cluster data and logs kept in ${dir}`);
  }
}

export async function run(args: string[]): Promise<void> {
  const ids = Number((option(args, '--ids') ?? '190000000').replaceAll('_', ''));
  const shardCounts = (option(args, '--shards') ?? '2,4').split(',').map(Number);
  const poolEntities = Number((option(args, '--pool-entities') ?? '2000000').replaceAll('_', ''));
  const keep = option(args, '--keep');
  const work = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'fairdraw-bench-national-'));
  try {
    console.log(`national benchmark: ${n(ids)} ids on ${shardCounts.join(' and ')} shards; inspectors from a ${n(poolEntities)}-entity province`);
    const records = await recordsDatabase(work, poolEntities);
    const rows: BenchmarkRow[] = [];
    for (const shards of shardCounts) rows.push(...(await runShards(shards, ids, records, work, !args.includes('--no-verify'))));
    console.table(rows);
    writeBenchmarkSection(
      'national',
      `National directory on a loopback ClickHouse cluster (${n(ids)} ids)`,
      `\`npm run bench -- national --ids ${ids} --shards ${shardCounts.join(',')}\`: Debian's clickhouse-server 18.16, every shard a server on this one machine ` +
        `(so shards share its cores and disk: the figures show the cluster's overheads, not a multi-machine speed-up). The ids are generated in the cluster ` +
        `(valid 18-character codes; stratum tier|province, 124 strata). A national task at ${Object.entries(RATIOS_BP).map(([t, bp]) => `${t} ${bp} bp`).join(', ')} ` +
        `is committed, drawn, replayed, exported and verified through the product's code path (engine/src/cluster); its inspector pools are the SAMR officers of a ` +
        `${n(poolEntities)}-entity generated province. Each row ends with the 1-minute load average when the step began: on a shared machine the CPU figures say what the work costs.`,
      rows,
    );
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}
