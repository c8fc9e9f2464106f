import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localShardStates, readClusterFile, shardConfigXml, startLocalCluster, stopLocalCluster, type LocalShard } from './local.ts';
import { Cluster, resolveCluster, withCluster } from './connection.ts';
import { ensureTables, tableRows } from './tables.ts';
import { ch } from './ch-sql.ts';
import { clickhouseAvailable } from './test-support.ts';

describe('local cluster configuration', () => {
  it('gives each shard its own ports and folders, listens on loopback only and lists every shard in the cluster', () => {
    const shards: LocalShard[] = [0, 1].map((index) => ({ index, httpPort: 8100 + index, tcpPort: 9100 + index, interserverPort: 9200 + index, pid: null, dir: `/data/shard-${index}` }));
    const xml = shardConfigXml(shards[1], shards, '/data/users.xml');
    expect(xml).toContain('<listen_host>127.0.0.1</listen_host>');
    expect(xml).toContain('<http_port>8101</http_port>');
    expect(xml).toContain('<path>/data/shard-1/data/</path>');
    expect(xml.match(/<shard><replica><host>127\.0\.0\.1<\/host><port>(\d+)<\/port><\/replica><\/shard>/g)).toEqual([
      '<shard><replica><host>127.0.0.1</host><port>9100</port></replica></shard>',
      '<shard><replica><host>127.0.0.1</host><port>9101</port></replica></shard>',
    ]);
  });

  it('finds a real cluster through the environment: every shard address, the cluster name, the database', () => {
    const target = resolveCluster({ env: { FAIRDRAW_CLICKHOUSE_URL: 'http://ch1:8123, https://u:p@ch2:8443', FAIRDRAW_CLICKHOUSE_CLUSTER: 'national' } });
    expect(target).toEqual({ name: 'national', database: 'fairdraw', shardUrls: ['http://ch1:8123', 'https://u:p@ch2:8443'], source: 'FAIRDRAW_CLICKHOUSE_URL' });
    expect(() => resolveCluster({ env: {} })).toThrow(/--dir DIR.*FAIRDRAW_CLICKHOUSE_URL/);
  });

  it('says how to start a cluster when the folder holds none', () => {
    expect(() => readClusterFile('/nonexistent/fairdraw-cluster')).toThrow(/fairdraw cluster start --shards N/);
  });
});

describe.skipIf(!clickhouseAvailable('local.test.ts'))('a local cluster of clickhouse-server processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fairdraw-local-'));
  afterAll(async () => {
    if (existsSync(join(dir, 'cluster.json'))) await stopLocalCluster(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts, answers through the Distributed tables, refuses a second start, stops and keeps its data for the next start', async () => {
    await startLocalCluster({ dir, shards: 2 });
    expect((await localShardStates(dir)).map((s) => s.answering)).toEqual([true, true]);
    await withCluster(dir, async (cluster) => {
      await ensureTables(cluster);
      await cluster.insertSelect(ch`INSERT INTO fairdraw.population SELECT 'set-a', 'ALL', concat('id', toString(number)) FROM numbers(1000)`);
      const perShard = await tableRows(cluster);
      expect(perShard.map((r) => r.population).reduce((a, b) => a + b)).toBe(1000);
      // sipHash64(id) places rows on both shards.
      expect(perShard.every((r) => r.population > 300)).toBe(true);
    });
    await expect(startLocalCluster({ dir, shards: 2 })).rejects.toThrow(/already runs/);
    expect((await stopLocalCluster(dir)).stopped).toBe(2);
    expect((await localShardStates(dir)).map((s) => s.running)).toEqual([false, false]);
    await expect(startLocalCluster({ dir, shards: 3 })).rejects.toThrow(/2-shard cluster's data/);
    await startLocalCluster({ dir, shards: 2 });
    await withCluster(dir, async (cluster) => {
      const [{ n }] = await cluster.rows<{ n: number }>(ch`SELECT count() AS n FROM fairdraw.population WHERE population_id = 'set-a'`);
      expect(n).toBe(1000);
    });
  });

  it('refuses addresses that do not match the named cluster', async () => {
    const [first] = resolveCluster({ dir }).shardUrls;
    await expect(Cluster.connect({ name: 'fairdraw', database: 'fairdraw', shardUrls: [first], source: 'test' })).rejects.toThrow(/has 2 shards, but 1 addresses/);
    await expect(Cluster.connect({ name: 'elsewhere', database: 'fairdraw', shardUrls: [first], source: 'test' })).rejects.toThrow(/no cluster named elsewhere/);
  });
});
