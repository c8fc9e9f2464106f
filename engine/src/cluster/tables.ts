// Fairdraw's tables on the cluster: on each shard a MergeTree table holding that shard's rows (`*_local`), and over them
// a Distributed table placing every row by sipHash64(id) % shards, so one id always lives on one shard: a population's
// checks for repeated ids, and the inspector candidates of a selected object, need no other shard.
import { ch, type ChSql } from './ch-sql.ts';
import type { Cluster } from './connection.ts';

/** The tables, by what they hold; the names are fixed, only the database comes from configuration. */
export const TABLES = {
  /** The object directory: one row per object (entities from DuckDB, or a generated directory). */
  objects: 'objects',
  /** One row per (population, stratum, id): a draw's frozen population (population_id = draw id) or a named set. */
  population: 'population',
  /** Selected objects of one replay or run (run_id), placed like the population, for the inspector candidates. */
  picks: 'picks',
} as const;
export type TableName = (typeof TABLES)[keyof typeof TABLES];

const COLUMNS: Record<TableName, ChSql> = {
  objects: ch`id String, object_kind String, entity_type String, region_code String, city_code String, industry_code String, status String, tier String`,
  population: ch`population_id String, stratum String, id String`,
  picks: ch`run_id String, id String`,
};

/** Each table's MergeTree layout: populations and picks in one partition per draw or run, dropped as a whole. */
const LAYOUT: Record<TableName, ChSql> = {
  objects: ch`ORDER BY (city_code, id)`,
  population: ch`PARTITION BY population_id ORDER BY (population_id, stratum, id)`,
  picks: ch`PARTITION BY run_id ORDER BY (run_id, id)`,
};

/** `database.table_local`: one shard's rows. */
export function localTable(cluster: Cluster, table: TableName): ChSql {
  return ch`${ch.id(cluster.target.database)}.${ch.id(`${table}_local`)}`;
}

/** `database.table`: the Distributed table over every shard's rows. */
export function clusterTable(cluster: Cluster, table: TableName): ChSql {
  return ch`${ch.id(cluster.target.database)}.${ch.id(table)}`;
}

/** Creates the database and every table on every shard where missing (each shard can then take queries). */
export async function ensureTables(cluster: Cluster): Promise<void> {
  const database = ch.id(cluster.target.database);
  await cluster.onEachShard(ch`CREATE DATABASE IF NOT EXISTS ${database}`);
  for (const table of Object.values(TABLES)) {
    await cluster.onEachShard(ch`CREATE TABLE IF NOT EXISTS ${localTable(cluster, table)} (${COLUMNS[table]}) ENGINE = MergeTree ${LAYOUT[table]}`);
    await cluster.onEachShard(
      ch`CREATE TABLE IF NOT EXISTS ${clusterTable(cluster, table)} AS ${localTable(cluster, table)}
         ENGINE = Distributed(${ch.id(cluster.target.name)}, ${database}, ${ch.id(`${table}_local`)}, sipHash64(id))`,
    );
  }
}

/** Removes one population (or run's picks) from every shard: a partition drop, immediate and whole. */
export async function dropPartition(cluster: Cluster, table: 'population' | 'picks', id: string): Promise<void> {
  await cluster.onEachShard(ch`ALTER TABLE ${localTable(cluster, table)} DROP PARTITION ${id}`);
}

/** Rows of each table on each shard (active parts), for `cluster status`. */
export async function tableRows(cluster: Cluster): Promise<Array<Record<TableName, number>>> {
  const perShard = await cluster.rowsPerShard<{ table: string; rows: number }>(
    ch`SELECT table, sum(rows) AS rows FROM system.parts WHERE database = ${cluster.target.database} AND active GROUP BY table`,
  );
  return perShard.map((rows) => {
    const counts = Object.fromEntries(Object.values(TABLES).map((t) => [t, 0])) as Record<TableName, number>;
    for (const r of rows) {
      const name = r.table.replace(/_local$/, '') as TableName;
      if (name in counts) counts[name] = Number(r.rows);
    }
    return counts;
  });
}
