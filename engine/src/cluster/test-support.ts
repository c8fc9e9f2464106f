// For tests: a local cluster in a temporary folder, and whether clickhouse-server is there at all (the tests skip,
// saying so, where it is not).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findClickhouseServer, startLocalCluster, stopLocalCluster } from './local.ts';
import { Cluster, resolveCluster } from './connection.ts';
import { ensureTables } from './tables.ts';

export const CLICKHOUSE_SERVER = findClickhouseServer();

/** Call at the top of a cluster test file: prints why its tests are skipped. Returns true when they can run. */
export function clickhouseAvailable(file: string): boolean {
  if (!CLICKHOUSE_SERVER) console.warn(`${file}: skipped: clickhouse-server is not installed (apt-get install -y clickhouse-server)`);
  return CLICKHOUSE_SERVER !== null;
}

export interface TestCluster {
  dir: string;
  cluster: Cluster;
  stop(): Promise<void>;
}

/** Starts `shards` servers in a new temporary folder, connects and creates the tables; stop() removes everything. */
export async function startTestCluster(shards: number): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'fairdraw-cluster-'));
  await startLocalCluster({ dir, shards });
  const cluster = await Cluster.connect(resolveCluster({ dir }));
  await ensureTables(cluster);
  return {
    dir,
    cluster,
    async stop() {
      await cluster.close();
      await stopLocalCluster(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
