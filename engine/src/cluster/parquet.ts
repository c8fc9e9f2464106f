// Moving the directory to the cluster as Parquet. `exportParquet` writes the object directory and every draw's frozen
// population from DuckDB, partitioned by city (objects/city_code=440300/…, population/population_id=D2026-0001/
// city_code=440300/…). `loadParquet` puts such a folder, or a generator's output folder (entities.parquet), into the
// cluster. ClickHouse 18.16 reads no Parquet (its system.formats has none), so the files are read by DuckDB's Parquet
// reader in memory (no database file) and sent to the cluster as CSV through the Distributed tables.
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Db, type Queryable } from '../db/duckdb.ts';
import { sql, type Sql } from '../db/sql.ts';
import { ch } from './ch-sql.ts';
import type { Cluster } from './connection.ts';
import { clusterTable, dropPartition, ensureTables, localTable } from './tables.ts';

/** One row per object with the columns the cluster's `objects` table holds; tier '' when unscored. */
const OBJECTS_SELECT = sql`
  SELECT o.id, o.object_kind, coalesce(o.entity_type, '') AS entity_type, o.region_code,
         left(o.region_code, 4) || '00' AS city_code, coalesce(o.industry_code, '') AS industry_code, o.status,
         coalesce(r.tier, '') AS tier
  FROM objects o LEFT JOIN risk_scores r ON r.object_id = o.id`;

/** One row per frozen population row of every draw, with its object's city ('' for an object no longer listed). */
const POPULATION_SELECT = sql`
  SELECT p.draw_id AS population_id, p.stratum, p.object_id AS id, coalesce(left(o.region_code, 4) || '00', '') AS city_code
  FROM draw_population p LEFT JOIN objects o ON o.id = p.object_id`;

/** Column order of the cluster tables, as the CSV sent to them is written. */
const OBJECT_COLUMNS = sql`id, object_kind, entity_type, region_code, city_code, industry_code, status, tier`;
const POPULATION_COLUMNS = sql`population_id, stratum, id`;

/** A generator's entities file as `objects` rows: every generated entity, tier '' (scoring happens in DuckDB). */
const GENERATED_OBJECTS_SELECT = (file: string) => sql`
  SELECT uscc AS id, 'entity' AS object_kind, entity_type, region_code, left(region_code, 4) || '00' AS city_code,
         industry_code, status, '' AS tier
  FROM read_parquet(${sql.literal(file)})`;

const parquetCopy = (select: Sql, dir: string, partitionBy: Sql) =>
  sql`COPY (${select}) TO ${sql.literal(dir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (${partitionBy}), WRITE_PARTITION_COLUMNS true, OVERWRITE true)`;

export interface ParquetExport {
  dir: string;
  objects: number;
  populationRows: number;
  populations: number;
}

/** Writes objects/ and population/ under `dir` (each replaced), partitioned by city. */
export async function exportParquet(db: Queryable, dirArg: string): Promise<ParquetExport> {
  const dir = resolve(dirArg);
  mkdirSync(dir, { recursive: true });
  await db.exec(parquetCopy(OBJECTS_SELECT, join(dir, 'objects'), sql`city_code`));
  const counts = await db.one<{ objects: number; rows: number; populations: number }>(
    sql`SELECT (SELECT count(*) FROM objects) AS objects, count(*) AS rows, count(DISTINCT draw_id) AS populations FROM draw_population`,
  );
  if (counts!.rows > 0) await db.exec(parquetCopy(POPULATION_SELECT, join(dir, 'population'), sql`population_id, city_code`));
  else rmSync(join(dir, 'population'), { recursive: true, force: true });
  return { dir, objects: counts!.objects, populationRows: counts!.rows, populations: counts!.populations };
}

export interface ParquetLoad {
  source: 'export' | 'generator';
  objects: number;
  populationRows: number;
  /** Population ids loaded (draw ids), each replacing what the cluster held under that id. */
  populations: string[];
  elapsedMs: number;
}

/** Reads Parquet with DuckDB in memory and writes it as a header-less CSV (RFC 4180 quoting, which ClickHouse reads). */
async function parquetToCsv(reader: Queryable, select: Sql, path: string): Promise<void> {
  await reader.exec(sql`COPY (${select}) TO ${sql.literal(path)} (FORMAT csv, HEADER false)`);
}

/**
 * Loads a folder into the cluster: an `exportParquet` folder (objects replace the cluster's directory, each draw's
 * population replaces that draw's) or a generator's output folder (its entities.parquet replaces the directory).
 */
export async function loadParquet(cluster: Cluster, dirArg: string): Promise<ParquetLoad> {
  const started = performance.now();
  const dir = resolve(dirArg);
  const generated = join(dir, 'entities.parquet');
  const exported = existsSync(join(dir, 'objects'));
  if (!existsSync(generated) && !exported)
    throw new Error(`${dir} holds neither objects/ (fairdraw export-parquet) nor entities.parquet (fairdraw generate, from 1,000,000 entities or with Parquet)`);
  await ensureTables(cluster);
  const reader = await Db.open({ path: ':memory:', skipMigrate: true });
  const work = mkdtempSync(join(tmpdir(), 'fairdraw-cluster-load-'));
  try {
    const objectsCsv = join(work, 'objects.csv');
    const objectsSelect = exported
      ? sql`SELECT ${OBJECT_COLUMNS} FROM read_parquet(${sql.literal(join(dir, 'objects', '**', '*.parquet'))}, hive_partitioning = false)`
      : sql`SELECT ${OBJECT_COLUMNS} FROM (${GENERATED_OBJECTS_SELECT(generated)})`;
    await parquetToCsv(reader, objectsSelect, objectsCsv);
    await cluster.onEachShard(ch`TRUNCATE TABLE ${localTable(cluster, 'objects')}`);
    await cluster.insert(clusterTable(cluster, 'objects'), createReadStream(objectsCsv), 'CSV');

    let populations: string[] = [];
    if (exported && existsSync(join(dir, 'population'))) {
      const files = sql`read_parquet(${sql.literal(join(dir, 'population', '**', '*.parquet'))}, hive_partitioning = false)`;
      populations = (await reader.query<{ id: string }>(sql`SELECT DISTINCT population_id AS id FROM ${files} ORDER BY id`)).map((r) => r.id);
      const populationCsv = join(work, 'population.csv');
      await parquetToCsv(reader, sql`SELECT ${POPULATION_COLUMNS} FROM ${files}`, populationCsv);
      for (const id of populations) await dropPartition(cluster, 'population', id);
      await cluster.insert(clusterTable(cluster, 'population'), createReadStream(populationCsv), 'CSV');
    }
    const [objects] = await cluster.rows<{ n: number }>(ch`SELECT count() AS n FROM ${clusterTable(cluster, 'objects')}`);
    const [rows] = populations.length
      ? await cluster.rows<{ n: number }>(ch`SELECT count() AS n FROM ${clusterTable(cluster, 'population')} WHERE has(${populations}, population_id)`)
      : [{ n: 0 }];
    return { source: exported ? 'export' : 'generator', objects: Number(objects.n), populationRows: Number(rows.n), populations, elapsedMs: Math.round(performance.now() - started) };
  } finally {
    reader.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** `cluster load --db PATH`: exports the database's directory and populations to Parquet (kept in `keepDir` if given), then loads them. */
export async function loadFromDuckDb(db: Queryable, cluster: Cluster, keepDir?: string): Promise<ParquetLoad & { parquet: ParquetExport }> {
  const dir = keepDir ? resolve(keepDir) : mkdtempSync(join(tmpdir(), 'fairdraw-parquet-'));
  try {
    const parquet = await exportParquet(db, dir);
    return { ...(await loadParquet(cluster, dir)), parquet };
  } finally {
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  }
}
