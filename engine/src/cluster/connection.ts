// Talking to a ClickHouse cluster with the official client (@clickhouse/client, over HTTP). The first shard's address
// takes the queries on the Distributed tables, which fan out to every shard and merge; table definitions and
// shard-local copies go to each shard's own address. A local cluster is found through DIR/cluster.json, a real one
// through FAIRDRAW_CLICKHOUSE_URL (every shard's address), FAIRDRAW_CLICKHOUSE_CLUSTER and FAIRDRAW_CLICKHOUSE_DATABASE.
import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import type { Readable } from 'node:stream';
import { resolve } from 'node:path';
import { ch, type ChSql } from './ch-sql.ts';
import { readClusterFile } from './local.ts';

export const CLUSTER_ENV = {
  url: 'FAIRDRAW_CLICKHOUSE_URL',
  cluster: 'FAIRDRAW_CLICKHOUSE_CLUSTER',
  database: 'FAIRDRAW_CLICKHOUSE_DATABASE',
} as const;

/** Where the cluster is. */
export interface ClusterTarget {
  /** The remote_servers name the Distributed tables are defined over. */
  name: string;
  /** The database that holds Fairdraw's tables (created if missing). */
  database: string;
  /** One address per shard, in remote_servers order (http[s]://[user:password@]host:port). */
  shardUrls: string[];
  /** For messages: the folder or the environment it was read from. */
  source: string;
}

export const DEFAULT_DATABASE = 'fairdraw';

/** `--dir DIR` (a local cluster), else the environment; a message that says how to give one otherwise. */
export function resolveCluster(options: { dir?: string; env?: NodeJS.ProcessEnv } = {}): ClusterTarget {
  const env = options.env ?? process.env;
  if (options.dir) {
    const dir = resolve(options.dir);
    const file = readClusterFile(dir);
    return { name: file.name, database: DEFAULT_DATABASE, shardUrls: file.shards.map((s) => `http://127.0.0.1:${s.httpPort}`), source: dir };
  }
  const urls = (env[CLUSTER_ENV.url] ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  if (!urls.length)
    throw new Error(
      `no ClickHouse cluster given: pass --dir DIR for a local cluster (fairdraw cluster start --shards 2 --dir DIR), ` +
        `or set ${CLUSTER_ENV.url} to every shard's HTTP address (comma-separated, remote_servers order) and ${CLUSTER_ENV.cluster} to the cluster's name`,
    );
  return { name: env[CLUSTER_ENV.cluster] ?? 'fairdraw', database: env[CLUSTER_ENV.database] ?? DEFAULT_DATABASE, shardUrls: urls, source: CLUSTER_ENV.url };
}

/**
 * Settings every query takes: plain JSON numbers, no time limit. Sorts stay in memory: 18.16's external sort crashed the
 * server (a segmentation fault, reproduced at 5 M rows with a 50 MB threshold), so large sorts are cut into pieces by
 * their callers (population.ts) instead.
 */
const QUERY_SETTINGS: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 0,
  max_execution_time: 0,
  // A shard that sorts for minutes before its first block must not trip the entry server's 300 s read timeout.
  receive_timeout: 86_400,
  send_timeout: 86_400,
  // Headers now and then keep a long query's connection visibly alive (and quiet the client's warning about it).
  send_progress_in_http_headers: 1,
  http_headers_progress_interval_ms: '30000',
};

/** Inserts through a Distributed table wait until every shard holds its rows. */
const INSERT_SETTINGS: ClickHouseSettings = { ...QUERY_SETTINGS, insert_distributed_sync: 1 };

function client(url: string): ClickHouseClient {
  return createClient({ url, request_timeout: 24 * 3600_000, compression: { request: false, response: false }, clickhouse_settings: QUERY_SETTINGS });
}

export class Cluster {
  private constructor(
    readonly target: ClusterTarget,
    private readonly entry: ClickHouseClient,
    private readonly shardClients: ClickHouseClient[],
    /** The server's version, e.g. '18.16.1'. */
    readonly serverVersion: string,
  ) {}

  /** Connects and checks that the named cluster has as many shards as addresses were given. */
  static async connect(target: ClusterTarget): Promise<Cluster> {
    const shardClients = target.shardUrls.map(client);
    const cluster = new Cluster(target, shardClients[0], shardClients, '');
    try {
      const [{ version }] = await cluster.rows<{ version: string }>(ch`SELECT version() AS version`);
      const [{ shards }] = await cluster.rows<{ shards: number }>(ch`SELECT uniqExact(shard_num) AS shards FROM system.clusters WHERE cluster = ${target.name}`);
      if (shards === 0) throw new Error(`the server at ${redact(target.shardUrls[0])} has no cluster named ${target.name} in its remote_servers`);
      if (shards !== target.shardUrls.length)
        throw new Error(`cluster ${target.name} has ${shards} shards, but ${target.shardUrls.length} addresses were given (${target.source}): give one address per shard`);
      return new Cluster(target, shardClients[0], shardClients, version);
    } catch (err) {
      await Promise.all(shardClients.map((c) => c.close()));
      throw err;
    }
  }

  get shardCount(): number {
    return this.shardClients.length;
  }

  /** A statement without an answer (DDL, INSERT ... SELECT) on the entry server. */
  async command(statement: ChSql, settings: ClickHouseSettings = {}): Promise<void> {
    await this.entry.command({ query: statement.text, clickhouse_settings: settings });
  }

  /** The same statement on every shard's own server, at once: table definitions, shard-local copies and drops. */
  async onEachShard(statement: ChSql): Promise<void> {
    await Promise.all(this.shardClients.map((c) => c.command({ query: statement.text })));
  }

  /** Rows as objects (JSONEachRow), for small answers. */
  async rows<T>(query: ChSql, settings: ClickHouseSettings = {}): Promise<T[]> {
    return (await this.entry.query({ query: query.text, format: 'JSONEachRow', clickhouse_settings: settings })).json<T>();
  }

  /** Each shard's own answer to a query on its local tables, in shard order. */
  async rowsPerShard<T>(query: ChSql): Promise<T[][]> {
    return Promise.all(this.shardClients.map(async (c) => (await c.query({ query: query.text, format: 'JSONEachRow' })).json<T>()));
  }

  /** The answer's bytes as the server writes them; the query names its FORMAT. */
  async bytes(query: ChSql, settings: ClickHouseSettings = {}): Promise<Readable> {
    return (await this.entry.exec({ query: query.text, clickhouse_settings: settings })).stream;
  }

  /** The lines of a small answer in a raw format (TabSeparatedRaw), each row whole: the answer must end in a newline. */
  async lines(query: ChSql, settings: ClickHouseSettings = {}): Promise<string[]> {
    let text = '';
    for await (const chunk of await this.bytes(query, settings)) text += (chunk as Buffer).toString('utf8');
    if (text === '') return [];
    if (!text.endsWith('\n')) throw new Error(`the cluster's answer ended without a newline: ${text.slice(-300)}`);
    return text.slice(0, -1).split('\n');
  }

  /** Inserts rows given as a byte stream in `format` (TabSeparated or header-less CSV, one line per row) through the entry server. */
  async insert(table: ChSql, rows: Readable, format: 'TabSeparated' | 'CSV' = 'TabSeparated'): Promise<void> {
    await this.entry.insert({ table: table.text, values: rows, format, clickhouse_settings: INSERT_SETTINGS });
  }

  /** INSERT ... SELECT through a Distributed table, waiting until every shard holds its rows. */
  async insertSelect(statement: ChSql): Promise<void> {
    await this.command(statement, INSERT_SETTINGS);
  }

  async close(): Promise<void> {
    await Promise.all(this.shardClients.map((c) => c.close()));
  }
}

/** An address without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** Connects to the cluster `--dir DIR` or the environment names, runs `work`, and closes the connections. */
export async function withCluster<T>(dir: string | undefined, work: (cluster: Cluster) => Promise<T>): Promise<T> {
  const cluster = await Cluster.connect(resolveCluster({ dir }));
  try {
    return await work(cluster);
  } finally {
    await cluster.close();
  }
}
