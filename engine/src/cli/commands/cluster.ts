// `fairdraw cluster start|stop|status|load|set|generate`: a ClickHouse cluster for the national directory. A local one
// (start/stop, `--dir DIR`) for tests and demos, or a real one named by FAIRDRAW_CLICKHOUSE_URL and _CLUSTER.
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { dbCommand } from '../options.ts';
import { localShardStates, startLocalCluster, stopLocalCluster } from '../../cluster/local.ts';
import { redact, resolveCluster, withCluster } from '../../cluster/connection.ts';
import { ensureTables, tableRows } from '../../cluster/tables.ts';
import { loadFromDuckDb, loadParquet } from '../../cluster/parquet.ts';
import { generateNationalSet, objectsSet, type SetStrata } from '../../cluster/population.ts';
import { progress } from '../progress.ts';

/** Every command that talks to a cluster takes this; without it the environment names the cluster. */
export const CLUSTER_DIR_OPTION = ['--dir <dir>', '本地集群目录 / a local cluster\'s folder (fairdraw cluster start); default: $FAIRDRAW_CLICKHOUSE_URL'] as const;

const n = (x: number) => x.toLocaleString('en-US');

function wholeNumber(flag: string, text: string): number {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${flag} '${text}': expected a whole number >= 1`);
  return value;
}

const SET_STRATA: SetStrata[] = ['tier', 'tier_city', 'city', 'none'];

export function clusterCommand(program: Command): void {
  const cluster = program
    .command('cluster')
    .description('ClickHouse 集群：全国名录与抽取 / a ClickHouse cluster for the national directory: start, load, draw on it');

  cluster
    .command('start')
    .description('在本机回环端口启动 N 个分片 / start N ClickHouse servers on loopback ports as one cluster, data under DIR')
    .requiredOption('--shards <n>', 'number of shards, e.g. 2')
    .requiredOption('--dir <dir>', 'folder for the shards\' data, logs and cluster.json')
    .option('--json', 'print JSON')
    .action(async (flags: { shards: string; dir: string; json?: boolean }) => {
      const file = await startLocalCluster({ dir: flags.dir, shards: wholeNumber('--shards', flags.shards) });
      await withCluster(flags.dir, ensureTables);
      if (flags.json) return void console.log(JSON.stringify(file, null, 2));
      for (const s of file.shards) console.log(`shard ${s.index}: http://127.0.0.1:${s.httpPort} (tcp ${s.tcpPort}, pid ${s.pid}) ${s.dir}`);
      console.log(`cluster ${file.name}: ${file.shards.length} shards running; use --dir ${flags.dir} with cluster, draw replay and draw --engine clickhouse`);
    });

  cluster
    .command('stop')
    .description('停止本地集群（数据保留） / stop the local cluster\'s servers; the data stays')
    .requiredOption('--dir <dir>', 'the folder given to cluster start')
    .action(async (flags: { dir: string }) => {
      const { stopped } = await stopLocalCluster(flags.dir);
      console.log(`stopped ${stopped} shard${stopped === 1 ? '' : 's'}`);
    });

  cluster
    .command('status')
    .description('分片、进程与各表行数 / shards, processes and rows per table')
    .option(...CLUSTER_DIR_OPTION)
    .option('--json', 'print JSON')
    .action(async (flags: { dir?: string; json?: boolean }) => {
      const target = resolveCluster({ dir: flags.dir });
      const processes = flags.dir ? await localShardStates(flags.dir) : null;
      if (processes && !processes.every((p) => p.answering)) {
        if (flags.json) return void console.log(JSON.stringify({ running: false, shards: processes }, null, 2));
        for (const p of processes) console.log(`shard ${p.index}: ${p.running ? (p.answering ? 'running' : 'not answering') : 'stopped'} (${p.dir})`);
        process.exitCode = 1;
        return;
      }
      const rows = await withCluster(flags.dir, async (c) => {
        await ensureTables(c);
        return { version: c.serverVersion, perShard: await tableRows(c) };
      });
      const shards = target.shardUrls.map((url, i) => ({ shard: i, url: redact(url), pid: processes?.[i].pid ?? null, rows: rows.perShard[i] }));
      if (flags.json) return void console.log(JSON.stringify({ running: true, cluster: target.name, database: target.database, version: rows.version, shards }, null, 2));
      console.log(`cluster ${target.name} (ClickHouse ${rows.version}), database ${target.database}, ${shards.length} shards`);
      for (const s of shards) console.log(`shard ${s.shard}: ${s.url}${s.pid ? ` pid ${s.pid}` : ''}  objects ${n(s.rows.objects)}, population rows ${n(s.rows.population)}`);
    });

  dbCommand(cluster, 'load')
    .description('载入名录与各次抽取的冻结总体 / load the object directory and every draw\'s frozen population (via Parquet by city), or a folder of Parquet files')
    .option('--parquet <dir>', 'load this folder instead: fairdraw export-parquet output, or a generator\'s output (entities.parquet)')
    .option('--keep-parquet <dir>', 'with --db: keep the Parquet files written on the way in this folder')
    .option(...CLUSTER_DIR_OPTION)
    .action(async (flags: { db?: string; parquet?: string; keepParquet?: string; dir?: string; json?: boolean }) => {
      const loaded = await withCluster(flags.dir, (c) =>
        flags.parquet ? loadParquet(c, flags.parquet) : withDb(flags.db, (db) => loadFromDuckDb(db, c, flags.keepParquet), { readOnly: true }),
      );
      if (flags.json) return void console.log(JSON.stringify(loaded, null, 2));
      console.log(
        `loaded ${n(loaded.objects)} objects and ${n(loaded.populationRows)} population rows of ${loaded.populations.length} draws ` +
          `(${loaded.source === 'generator' ? 'generated directory' : 'Parquet by city'}) in ${(loaded.elapsedMs / 1000).toFixed(1)} s`,
      );
    });

  cluster
    .command('set')
    .description('由已载入名录生成总体集合 / make a population set of the loaded directory\'s active objects, for draw commit --engine clickhouse')
    .argument('<name>', 'set name, e.g. gd-2026')
    .option('--strata <mode>', `stratum of each object: ${SET_STRATA.join(', ')}`, 'tier')
    .option(...CLUSTER_DIR_OPTION)
    .action(async (name: string, flags: { strata: string; dir?: string }) => {
      if (!SET_STRATA.includes(flags.strata as SetStrata)) throw new Error(`--strata must be one of ${SET_STRATA.join(', ')}, got ${flags.strata}`);
      const made = await withCluster(flags.dir, async (c) => {
        await ensureTables(c);
        return objectsSet(c, name, flags.strata as SetStrata);
      });
      console.log(`set ${name}: ${n(made.rows)} active objects${made.untiered ? `; ${n(made.untiered)} active objects without a tier left out (score them first)` : ''}`);
    });

  cluster
    .command('generate')
    .description('在集群内生成模拟全国名录 / generate a simulated national directory straight into the cluster as a population set (ids and stratum tier|province)')
    .requiredOption('--ids <n>', 'number of entities, e.g. 190000000')
    .option('--set <name>', 'population set name', 'national')
    .option(...CLUSTER_DIR_OPTION)
    .option('--json', 'print JSON')
    .action(async (flags: { ids: string; set: string; dir?: string; json?: boolean }) => {
      const ids = wholeNumber('--ids', flags.ids);
      const bar = progress('generate', ids, { quiet: flags.json });
      const started = performance.now();
      const made = await withCluster(flags.dir, async (c) => {
        await ensureTables(c);
        return generateNationalSet(c, { setName: flags.set, ids, onProgress: (done) => bar.tick(done) });
      });
      bar.done();
      const elapsedMs = Math.round(performance.now() - started);
      if (flags.json) return void console.log(JSON.stringify({ set: flags.set, ...made, elapsedMs }));
      console.log(`set ${flags.set}: ${n(made.rows)} ids in ${(elapsedMs / 1000).toFixed(1)} s`);
    });
}
