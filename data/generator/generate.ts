// Generates a synthetic province into a folder: entities, inspectors, credit, complaints, results (the source file
// formats) and truth.csv (hidden propensities). Streams blocks of entities in index order, optionally computed in
// worker threads, so memory stays bounded and the bytes depend only on (entities, seed, as-of, outbreaks, reference).
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DATA_DIR } from '../../engine/src/kernel/config.ts';
import { sql } from '../../engine/src/db/sql.ts';
import { BLOCK_FILES, EntityGenerator, HEADERS, type BlockFile } from './entities.ts';
import { buildInspectors, inspectorsCsv } from './inspectors.ts';
import { DEFAULT_AS_OF, buildModel, parseOutbreak, type ModelOptions, type Outbreak } from './model.ts';
import { loadReference } from './reference.ts';
import { parseDay } from './calendar.ts';
import type { WorkerInit, WorkerReply, WorkerRequest } from './worker.ts';

export { DEFAULT_AS_OF, OUTBREAK_DAYS } from './model.ts';

export const DEFAULT_REFERENCE_DIR = resolve(DATA_DIR, 'reference');
/** Entity count from which Parquet copies are written beside the CSV files. */
export const PARQUET_FROM_ENTITIES = 1_000_000;
const MAX_ENTITIES = 999_999_999; // ids embed the index in 9 digits

export interface GenerateOptions {
  entities: number;
  /** any text; a number is used as its decimal text */
  seed: string | number;
  outDir: string;
  /** YYYY-MM-DD; data covers the 3 years up to and including it */
  asOf?: string;
  /** DISTRICT:INDUSTRY:FACTOR texts or parsed outbreaks */
  outbreaks?: Array<string | Outbreak>;
  referenceDir?: string;
  /** worker threads computing blocks; 1 computes in this thread. Default: 2 (or the cores) from 200,000 entities */
  threads?: number;
  blockSize?: number;
  /** write .parquet copies; default from PARQUET_FROM_ENTITIES entities */
  parquet?: boolean;
  onProgress?: (entitiesDone: number) => void;
  /** called when the CSV files are complete and the Parquet copies start */
  onParquet?: () => void;
}

export interface GenerateSummary {
  out: string;
  entities: number;
  /** rows per written file */
  files: Record<string, number>;
  elapsedMs: number;
}

export const FILE_NAMES: Record<BlockFile | 'inspectors', string> = {
  entities: 'entities.csv',
  inspectors: 'inspectors.csv',
  credit: 'credit.csv',
  complaints: 'complaints.csv',
  results: 'results.csv',
  truth: 'truth.csv',
};

/** Writes chunks with backpressure: waits for 'drain' when the stream's buffer is full. */
class Sink {
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(path: string) {
    this.stream = createWriteStream(path, { highWaterMark: 4 << 20 });
    this.stream.on('error', (err) => (this.failure = err));
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (chunk.length === 0) return;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    this.stream.end();
    await once(this.stream, 'close');
    if (this.failure) throw this.failure;
  }
}

export async function generateProvince(options: GenerateOptions): Promise<GenerateSummary> {
  const started = Date.now();
  const entities = options.entities;
  if (!Number.isInteger(entities) || entities < 1 || entities > MAX_ENTITIES) {
    throw new Error(`--entities ${entities}: must be a whole number from 1 to ${MAX_ENTITIES.toLocaleString('en-US')}`);
  }
  const seed = String(options.seed);
  if (seed === '') throw new Error('--seed must not be empty');
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  let asOfProblem: string | undefined;
  try {
    if (parseDay(asOf) < parseDay('2000-01-01')) asOfProblem = 'must be 2000-01-01 or later';
  } catch (err) {
    asOfProblem = (err as Error).message;
  }
  if (asOfProblem) throw new Error(`--as-of '${asOf}': ${asOfProblem}`);
  const referenceDir = options.referenceDir ?? DEFAULT_REFERENCE_DIR;
  const reference = loadReference(referenceDir);
  // Entities carry district codes, or the city code where a city has no districts (Dongguan, Zhongshan).
  const parents = new Set(reference.regions.map((r) => r.parent_code));
  const entityRegionCodes = new Set(
    reference.regions.filter((r) => r.level === 'district' || (r.level === 'city' && !parents.has(r.code))).map((r) => r.code),
  );
  const modelOptions: ModelOptions = {
    entities,
    seed,
    asOf,
    outbreaks: (options.outbreaks ?? []).map((o) => (typeof o === 'string' ? parseOutbreak(o, entityRegionCodes) : o)),
  };
  const model = buildModel(reference, modelOptions);
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  // A Parquet copy left by an earlier run in this folder would no longer match the new CSV files.
  for (const name of Object.values(FILE_NAMES)) rmSync(join(outDir, name.replace(/\.csv$/, '.parquet')), { force: true });

  const { records, pool } = buildInspectors(model);
  const files: Record<string, number> = {};
  const inspectorsSink = new Sink(join(outDir, FILE_NAMES.inspectors));
  await inspectorsSink.write(inspectorsCsv(model, records));
  await inspectorsSink.close();
  files[FILE_NAMES.inspectors] = records.length;

  const sinks = Object.fromEntries(BLOCK_FILES.map((f) => [f, new Sink(join(outDir, FILE_NAMES[f]))])) as Record<BlockFile, Sink>;
  const rows = Object.fromEntries(BLOCK_FILES.map((f) => [f, 0])) as Record<BlockFile, number>;
  for (const f of BLOCK_FILES) await sinks[f].write(HEADERS[f] + '\n');

  const blockSize = options.blockSize ?? 32_768;
  const blockCount = Math.ceil(entities / blockSize);
  const threads = Math.max(1, Math.min(options.threads ?? (entities >= 200_000 ? Math.min(2, availableParallelism()) : 1), blockCount));
  const writeBlock = async (block: { bytes: Record<BlockFile, Uint8Array>; rows: Record<BlockFile, number> }) => {
    for (const f of BLOCK_FILES) {
      await sinks[f].write(block.bytes[f]);
      rows[f] += block.rows[f];
    }
  };

  try {
    if (threads === 1) {
      const generator = new EntityGenerator(model, pool);
      for (let b = 0; b < blockCount; b++) {
        const from = b * blockSize;
        const to = Math.min(entities, from + blockSize);
        const block = generator.block(from, to);
        await writeBlock({
          bytes: Object.fromEntries(BLOCK_FILES.map((f) => [f, block[f].view()])) as Record<BlockFile, Uint8Array>,
          rows: Object.fromEntries(BLOCK_FILES.map((f) => [f, block[f].rows])) as Record<BlockFile, number>,
        });
        options.onProgress?.(to);
      }
    } else {
      await runWorkers({ referenceDir, modelOptions, pool }, threads, blockCount, blockSize, entities, async (b, reply) => {
        await writeBlock(reply);
        options.onProgress?.(Math.min(entities, (b + 1) * blockSize));
      });
    }
  } finally {
    for (const f of BLOCK_FILES) await sinks[f].close();
  }
  for (const f of BLOCK_FILES) files[FILE_NAMES[f]] = rows[f];

  if (options.parquet ?? entities >= PARQUET_FROM_ENTITIES) {
    options.onParquet?.();
    const csvNames = Object.values(FILE_NAMES);
    for (const [name, count] of Object.entries(await writeParquet(outDir, csvNames))) files[name] = count;
  }
  return { out: outDir, entities, files, elapsedMs: Date.now() - started };
}

/**
 * Farms blocks out to worker threads and hands replies to `write` strictly in block order, keeping at most
 * two blocks per worker in flight (bounded memory however fast the workers run).
 */
async function runWorkers(
  init: WorkerInit,
  threads: number,
  blockCount: number,
  blockSize: number,
  entities: number,
  write: (block: number, reply: WorkerReply) => Promise<void>,
): Promise<void> {
  const workers = Array.from({ length: threads }, () => new Worker(new URL('./worker.mjs', import.meta.url), { workerData: init }));
  const arrived = new Map<number, WorkerReply>();
  let failure: Error | undefined;
  // At most one waiter at a time (blocks are taken in order); no long-lived promise keeps replies alive.
  let waiter: { block: number; resolve: (reply: WorkerReply) => void; reject: (err: Error) => void } | undefined;
  const fail = (err: Error) => {
    failure ??= err;
    const w = waiter;
    waiter = undefined;
    w?.reject(failure);
  };
  for (const w of workers) {
    w.on('message', (reply: WorkerReply) => {
      if (waiter && waiter.block === reply.block) {
        const current = waiter;
        waiter = undefined;
        current.resolve(reply);
      } else arrived.set(reply.block, reply);
    });
    w.on('error', fail);
    w.on('exit', (code) => {
      if (code !== 0) fail(new Error(`generator worker stopped with exit code ${code}`));
    });
  }
  const take = (block: number): Promise<WorkerReply> => {
    if (failure) return Promise.reject(failure);
    const reply = arrived.get(block);
    if (reply) {
      arrived.delete(block);
      return Promise.resolve(reply);
    }
    return new Promise((resolve, reject) => (waiter = { block, resolve, reject }));
  };

  let next = 0;
  const send = () => {
    const block = next++;
    const from = block * blockSize;
    const request: WorkerRequest = { block, from, to: Math.min(entities, from + blockSize) };
    workers[block % threads].postMessage(request);
  };
  try {
    while (next < Math.min(blockCount, threads * 2)) send();
    for (let block = 0; block < blockCount; block++) {
      const reply = await take(block);
      if (next < blockCount) send();
      await write(block, reply);
    }
  } finally {
    for (const w of workers) w.removeAllListeners('exit');
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Copies each CSV to Parquet with every value kept as its CSV text, so both import identically. */
async function writeParquet(outDir: string, csvNames: readonly string[]): Promise<Record<string, number>> {
  const { DuckDBInstance } = await import('@duckdb/node-api'); // loaded only when Parquet is asked for
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '2GB', preserve_insertion_order: 'true' });
  const connection = await instance.connect();
  const counts: Record<string, number> = {};
  try {
    for (const name of csvNames) {
      const parquetName = name.replace(/\.csv$/, '.parquet');
      // COPY ... TO takes no parameter for its target: the path is written as a literal
      const copy = sql`COPY (SELECT * FROM read_csv(${join(outDir, name)}, all_varchar = true, header = true, delim = ',', quote = '"', escape = '"'))
        TO ${sql.literal(join(outDir, parquetName))} (FORMAT parquet, COMPRESSION zstd)`.toQuery();
      const reader = await connection.runAndReadAll(copy.text, copy.params);
      counts[parquetName] = Number(reader.getRows()[0]?.[0] ?? 0);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return counts;
}
