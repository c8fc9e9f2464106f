// Draws on a ClickHouse cluster from the command line: `draw replay ID --engine clickhouse --out DIR`, and the
// `--engine clickhouse` of draw commit, run and export for a task whose population lives only on the cluster.
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { dbCommand } from '../options.ts';
import { withCluster, type Cluster } from '../../cluster/connection.ts';
import { replayDraw, type ReplayReport } from '../../cluster/replay.ts';
import { clusterEngine, clusterPopulation, clusterPopulationCsv } from '../../cluster/draws.ts';
import { CLUSTER_DIR_OPTION } from './cluster.ts';

export const ENGINE_OPTION = ['--engine <engine>', 'duckdb (default), or clickhouse: the population lives on a ClickHouse cluster (see --dir)'] as const;
export { CLUSTER_DIR_OPTION };

export interface EngineFlags {
  engine?: string;
  dir?: string;
}

/** Runs `work` with the cluster for `--engine clickhouse`, else with none (DuckDB). */
export async function withEngine<T>(flags: EngineFlags, work: (cluster: Cluster | undefined) => Promise<T>): Promise<T> {
  const engine = flags.engine ?? 'duckdb';
  if (engine !== 'duckdb' && engine !== 'clickhouse') throw new Error(`--engine must be duckdb or clickhouse, got ${engine}`);
  if (engine === 'duckdb') {
    if (flags.dir) throw new Error('--dir names a ClickHouse cluster: give it with --engine clickhouse');
    return work(undefined);
  }
  return withCluster(flags.dir, work);
}

/** Commit options for the cluster: the population set to freeze (required with --engine clickhouse). */
export function clusterCommitOptions(cluster: Cluster | undefined, set: string | undefined) {
  if (!cluster) {
    if (set) throw new Error('--population names a set on a ClickHouse cluster: give it with --engine clickhouse');
    return {};
  }
  if (!set) throw new Error('--engine clickhouse needs --population SET: the cluster\'s population set to draw from (fairdraw cluster generate or cluster set)');
  return { population: clusterPopulation(cluster, set) };
}

export const clusterRunOptions = (cluster: Cluster | undefined) => (cluster ? { engine: clusterEngine(cluster) } : {});

export const clusterExportOptions = (cluster: Cluster | undefined, drawId: string) => (cluster ? { writePopulation: clusterPopulationCsv(cluster, drawId) } : {});

function printReplay(r: ReplayReport): void {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`draw ${r.drawId} replayed on ${r.shards} shards: population ${r.populationRows.toLocaleString('en-US')} rows, ${r.selected.toLocaleString('en-US')} selected, ${r.teamMembers.toLocaleString('en-US')} team members`);
  console.log(`  population digest ${r.populationDigest.equal ? 'equal' : `DIFFERS: cluster ${r.populationDigest.cluster}, committed ${r.populationDigest.committed}`}`);
  for (const f of r.files) {
    const d = f.firstDifference;
    console.log(`  ${f.file}: ${f.rows.toLocaleString('en-US')} rows, ${f.equal ? 'identical to the draw\'s' : `DIFFERS at line ${d!.line}: replay ${JSON.stringify(d!.replay)}, draw ${JSON.stringify(d!.draw)}`}`);
  }
  if (r.unstaffed.replay !== r.unstaffed.draw) console.log(`  unstaffed objects DIFFER: replay ${r.unstaffed.replay}, draw ${r.unstaffed.draw}`);
  console.log(`  times: digest ${s(r.elapsedMs.digest)}, selection ${s(r.elapsedMs.selection)}, inspector candidates ${s(r.elapsedMs.candidates)}, assignment ${s(r.elapsedMs.assignment)} (${r.extendedRankings} rankings reached past the cluster's candidates)`);
  console.log(r.identical ? `重放一致 / replay identical: ${r.dir}` : `重放不一致 / replay differs: ${r.dir}`);
}

/** Adds `replay ID --engine clickhouse --out DIR` under the `draw` command. */
export function addReplayCommand(draw: Command): void {
  dbCommand(draw, 'replay')
    .description('在集群上重算一次抽取并逐行比对 / recompute a draw on the ClickHouse cluster from its frozen population and compare selection and teams row for row')
    .argument('<draw>', 'draw id')
    .requiredOption(...ENGINE_OPTION)
    .requiredOption('--out <dir>', 'folder for the replay\'s selection.csv and teams.csv')
    .option(...CLUSTER_DIR_OPTION)
    .action(async (id: string, flags: EngineFlags & { out: string; db?: string; json?: boolean }) => {
      if (flags.engine !== 'clickhouse') throw new Error(`draw replay recomputes a draw on a ClickHouse cluster: --engine clickhouse, got ${flags.engine}`);
      const report = await withEngine(flags, (cluster) => withDb(flags.db, (db) => replayDraw(db, cluster!, id, flags.out), { readOnly: true }));
      if (flags.json) console.log(JSON.stringify(report, null, 2));
      else printReplay(report);
      process.exitCode = report.identical ? 0 : 1;
    });
}
