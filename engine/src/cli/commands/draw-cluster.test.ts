import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Db } from '../../db/duckdb.ts';
import { sql } from '../../db/sql.ts';
import { DIRECTORY_SQL } from '../../draw/lifecycle.fixture.ts';
import { formatShanghai, shanghaiDate } from '../../kernel/time.ts';
import { clickhouseAvailable } from '../../cluster/test-support.ts';
import { clusterCommand } from './cluster.ts';
import { drawCommand } from './draw.ts';
import { exportParquetCommand } from './export-parquet.ts';
import { planCommand } from './plan.ts';
import { taskCommand } from './task.ts';

// A national-style task from the command line, in-process as main.ts runs it: a local cluster, a population set
// generated into it, the draw committed, run and exported with --engine clickhouse, verified, replayed.
describe.skipIf(!clickhouseAvailable('draw-cluster.test.ts'))('cluster and draw --engine clickhouse commands', () => {
  let dir: string;
  let dbPath: string;
  let clusterDir: string;
  const today = shanghaiDate(new Date());
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fairdraw-cli-cluster-'));
    dbPath = join(dir, 'cli.duckdb');
    clusterDir = join(dir, 'cluster');
    const db = await Db.open({ path: dbPath, memoryLimit: '1GB', threads: 1 });
    await db.exec(sql.verbatim(readFileSync(DIRECTORY_SQL, 'utf8')));
    db.close();
  });
  afterAll(async () => {
    if (existsSync(join(clusterDir, 'cluster.json'))) await run('cluster', 'stop', '--dir', clusterDir);
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  /** Runs one command line (with --db where the command takes it); returns what it printed. */
  async function run(...args: string[]): Promise<string> {
    const program = new Command('fairdraw').exitOverride();
    for (const add of [planCommand, taskCommand, drawCommand, clusterCommand, exportParquetCommand]) add(program);
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void printed.push(parts.join(' ')));
    const noDb = (args[0] === 'draw' && args[1] === 'verify') || (args[0] === 'cluster' && args[1] !== 'load');
    await program.parseAsync(noDb ? args : [...args, '--db', dbPath], { from: 'user' });
    return printed.join('\n');
  }

  it('starts a cluster, loads the directory, writes Parquet by city', async () => {
    expect(await run('cluster', 'start', '--shards', '2', '--dir', clusterDir)).toContain('2 shards running');
    expect(await run('cluster', 'load', '--dir', clusterDir)).toMatch(/^loaded \d+ objects/);
    expect(await run('cluster', 'status', '--dir', clusterDir)).toMatch(/2 shards\nshard 0: .* objects \d+/);
    expect(await run('export-parquet', join(dir, 'parquet'))).toMatch(/objects/);
    expect(readdirSync(join(dir, 'parquet', 'objects')).every((d) => /^city_code=44\d{2}00$/.test(d))).toBe(true);
  });

  it('commits, runs and exports a task on a population set of the cluster; verify says verified, replay identical', async () => {
    expect(await run('cluster', 'generate', '--ids', '30000', '--set', 'national', '--dir', clusterDir)).toContain('set national: 30,000 ids');
    await run('plan', 'create', '--year', today.slice(0, 4), '--region', '440300', '--lead', 'SAMR', '--name', '全国抽查（模拟）');
    const spec = join(dir, 'task.json');
    writeFileSync(spec, JSON.stringify({ planId: `P${today.slice(0, 4)}-0001`, kind: 'general', name: '全国企业公示信息抽查', items: ['SAMR-001'], ratiosBp: { A: 50, B: 100, C: 300, D: 1000 }, windowStart: today, windowEnd: today }));
    await run('task', 'create', spec);
    const taskId = `T${today.slice(0, 4)}-0001`;
    // fd2: the beacon is declared at commit, due an hour later at the least; the clock moves to it rather than waiting.
    const due = new Date(Date.now() + 61 * 60_000);
    const declared = ['--beacon-source', '深证成份指数收盘价', '--beacon-due', formatShanghai(due)];
    await expect(run('draw', 'commit', taskId, ...declared, '--engine', 'clickhouse', '--dir', clusterDir)).rejects.toThrow(/--population SET/);
    expect(await run('draw', 'commit', taskId, ...declared, '--engine', 'clickhouse', '--population', 'national', '--dir', clusterDir)).toMatch(/committed +population 30,000/);
    const drawId = JSON.parse(await run('draw', 'list', '--json'))[0].id as string;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(due.getTime() + 60_000);
    await run('draw', 'beacon', drawId, '深证成指收盘 10234.56');
    await expect(run('draw', 'run', drawId)).rejects.toThrow(/--engine clickhouse/);
    expect(await run('draw', 'run', drawId, '--engine', 'clickhouse', '--dir', clusterDir)).toMatch(/drawn/);
    const out = join(dir, 'published');
    expect(await run('draw', 'export', drawId, out, '--auditor', '--engine', 'clickhouse', '--dir', clusterDir)).toContain('population 30,000');
    expect(await run('draw', 'verify', out)).toContain('fd2 verified');
    expect(await run('draw', 'replay', drawId, '--engine', 'clickhouse', '--out', join(dir, 'replay'), '--dir', clusterDir)).toContain('replay identical');
    expect(process.exitCode).toBe(0);
    vi.useRealTimers();
  });
});
