// The population scan of scan.ts spread over worker threads, one byte range each, for files of millions of
// rows: every range hashes its rows' keys with node:crypto (OpenSSL), while this thread hashes the digest.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { findRepeated, type PopulationScan, type RangeJob, type RangeScan } from './scan.ts';
import type { WorkerReply, WorkerRequest } from './population-worker.ts';

export interface ParallelScan extends PopulationScan {
  /** Per stratum given a threshold: the rows whose key is below it, as "key,id", in key order. */
  low: Map<string, string[]>;
}

export interface KeyRequest {
  /** The key prefix: fd1 or fd2. */
  protocol: string;
  seed: string;
  taskId: string;
  /** [stratum, threshold]: rows of the stratum whose key is below the threshold (hex prefix; "g" for all) are kept. */
  thresholds: Array<[string, string]>;
}

const NL = 0x0a;
const COMMA = 0x2c;
const TAB = 0x09;
const WORKER_MODULE = new URL('./population-worker.ts', import.meta.url).href;
/** Idle workers are kept this long for the next scan, then stopped. */
const IDLE_MS = 10_000;

/**
 * A worker runs TypeScript through tsx like the rest of the engine; the bootstrap registers tsx inside
 * the worker (a worker does not inherit a loader registered at run time). That costs a few hundred
 * milliseconds per thread, so threads are kept a little while for the next scan.
 */
function startWorker(): Worker {
  const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(WORKER_MODULE)});`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
  worker.on('exit', () => {
    const at = idle.indexOf(worker);
    if (at >= 0) idle.splice(at, 1);
  });
  return worker;
}

const idle: Worker[] = [];
let idleTimer: NodeJS.Timeout | undefined;

function takeWorker(): Worker {
  const worker = idle.pop() ?? startWorker();
  worker.ref();
  return worker;
}

/** Back to the idle list, where it does not keep the process alive. */
function giveBack(worker: Worker): void {
  worker.unref();
  idle.push(worker);
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    for (const w of idle.splice(0)) void w.terminate();
  }, IDLE_MS);
  idleTimer.unref();
}

/** Line starts that cut the file into about `count` ranges (fewer when lines are long or the file is small). */
export function splitPoints(path: string, size: number, count: number): number[] {
  const starts = [0];
  const fd = openSync(path, 'r');
  try {
    const window = Buffer.allocUnsafe(1 << 16);
    for (let i = 1; i < count; i++) {
      let at = Math.max(starts[starts.length - 1] + 1, Math.floor((size * i) / count)) - 1;
      let start = -1;
      while (at < size && start < 0) {
        const got = readSync(fd, window, 0, window.length, at);
        if (got === 0) break;
        const nl = window.subarray(0, got).indexOf(NL);
        if (nl >= 0) start = at + nl + 1;
        else at += got;
      }
      if (start < 0 || start >= size) break;
      if (start > starts[starts.length - 1]) starts.push(start);
    }
  } finally {
    closeSync(fd);
  }
  return starts;
}

/** H(rows with "," read as "\t"), the header line skipped: the digest when the file turns out sorted and sound. */
function digestRows(path: string, salt: string): { digest: Promise<string>; cancel: () => void } {
  const stream = createReadStream(path, { highWaterMark: 1 << 24 });
  const digest = new Promise<string>((resolve, reject) => {
    const hash = createHash('sha256').update(salt, 'utf8');
    let inHeader = true;
    stream
      .on('data', (data) => {
        let chunk = data as Buffer;
        if (inHeader) {
          const nl = chunk.indexOf(NL);
          if (nl < 0) return;
          inHeader = false;
          chunk = chunk.subarray(nl + 1);
        }
        for (let i = chunk.indexOf(COMMA); i !== -1; i = chunk.indexOf(COMMA, i + 1)) chunk[i] = TAB;
        hash.update(chunk);
      })
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
  digest.catch(() => undefined);
  return { digest, cancel: () => stream.destroy() };
}

const rowText = (row: Uint8Array) => Buffer.from(row).toString('utf8').replace('\t', ',');

/** Merges lists that are each sorted (JS string order) into one sorted list. */
function mergeSorted(lists: string[][]): string[] {
  let merged: string[] = [];
  for (const list of lists) {
    if (merged.length === 0) {
      merged = list;
      continue;
    }
    const out = new Array<string>(merged.length + list.length);
    let i = 0;
    let j = 0;
    let o = 0;
    while (i < merged.length && j < list.length) out[o++] = merged[i] < list[j] ? merged[i++] : list[j++];
    while (i < merged.length) out[o++] = merged[i++];
    while (j < list.length) out[o++] = list[j++];
    merged = out;
  }
  return merged;
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (err: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // awaited later, or not at all when the scan stops early
  return { promise, resolve, reject };
}

interface RangeRun {
  scanned: Promise<{ scan: RangeScan; parts: Array<Int32Array | null> }>;
  suspects: Promise<number[]>;
  sendFingerprints(lists: Int32Array[]): void;
  /** Stops the worker unless it finished its job (then it went back to the idle list). */
  release(): Promise<void>;
}

function runRange(request: Extract<WorkerRequest, { type: 'scan' }>): RangeRun {
  const worker = takeWorker();
  const scanned = deferred<{ scan: RangeScan; parts: Array<Int32Array | null> }>();
  const suspects = deferred<number[]>();
  let finished = false;
  const fail = (err: Error) => {
    scanned.reject(err);
    suspects.reject(err);
  };
  const onMessage = (reply: WorkerReply) => {
    if (reply.type === 'scanned') scanned.resolve({ scan: reply.scan, parts: reply.parts });
    else if (reply.type === 'failed') fail(new Error(`population scan worker ${request.index}: ${reply.message}`));
    else {
      finished = true;
      detach();
      giveBack(worker);
      suspects.resolve(reply.suspects);
    }
  };
  const onExit = (code: number) => fail(new Error(`population scan worker ${request.index} stopped early (exit code ${code})`));
  const detach = () => {
    worker.off('message', onMessage);
    worker.off('error', fail);
    worker.off('exit', onExit);
  };
  worker.on('message', onMessage);
  worker.on('error', fail);
  worker.on('exit', onExit);
  worker.postMessage(request satisfies WorkerRequest);
  return {
    scanned: scanned.promise,
    suspects: suspects.promise,
    sendFingerprints: (lists) => worker.postMessage({ type: 'fingerprints', lists } satisfies WorkerRequest, lists.map((l) => l.buffer as ArrayBuffer)),
    release: async () => {
      if (finished) return;
      detach();
      await worker.terminate();
    },
  };
}

/**
 * Scans population.csv on `workers` threads (default: the machine's cores, at most 4). Line numbers in
 * the result are the file's; the digest is set when the rows are sorted and sound.
 */
export async function scanPopulationParallel(
  path: string,
  keys: KeyRequest,
  options: { workers?: number; chunkBytes?: number; /** digest salt, see RangeJob */ salt?: string } = {},
): Promise<ParallelScan> {
  const size = statSync(path).size;
  const wanted = Math.max(1, options.workers ?? Math.min(4, availableParallelism()));
  const starts = splitPoints(path, size, wanted);
  const count = starts.length;
  const runs = starts.map((start, index) => {
    const end = index + 1 < count ? starts[index + 1] : size;
    const job: RangeJob = {
      path,
      start,
      end,
      header: index === 0,
      chunkBytes: options.chunkBytes ?? 1 << 24,
      digest: false,
      expectedRows: Math.ceil((end - start) / 20),
      partitions: count,
      keys,
    };
    return runRange({ type: 'scan', job, index });
  });
  const { digest, cancel } = digestRows(path, options.salt ?? '');
  try {
    const ranges = await Promise.all(runs.map((r) => r.scanned));
    const result: ParallelScan = { rows: 0, eligible: new Map(), sorted: true, firstLine: new Map(), low: new Map() };
    let linesBefore = 0;
    let previousLast: Uint8Array | undefined;
    for (const { scan } of ranges) {
      if (scan.problem) {
        result.problem = { ...scan.problem, line: linesBefore + scan.problem.line };
        return result;
      }
      result.rows += scan.rows;
      for (const [stratum, n] of scan.eligible) result.eligible.set(stratum, (result.eligible.get(stratum) ?? 0) + n);
      for (const [stratum, at] of scan.firstLine) if (!result.firstLine.has(stratum)) result.firstLine.set(stratum, { line: linesBefore + at.line, content: at.content });
      if (result.sorted && scan.firstRow && previousLast && Buffer.compare(previousLast, scan.firstRow) >= 0) {
        result.sorted = false;
        result.disorder = { line: linesBefore + 1, content: rowText(scan.firstRow), previous: rowText(previousLast) };
      }
      if (result.sorted && !scan.sorted) {
        result.sorted = false;
        result.disorder = { ...scan.disorder!, line: linesBefore + scan.disorder!.line };
      }
      if (scan.lastRow) previousLast = scan.lastRow;
      linesBefore += scan.lines;
    }
    // Each worker looks for repeats in its partition of the fingerprints, the other ranges' included.
    runs.forEach((run, i) => run.sendFingerprints(ranges.map((r) => r.parts[i]).filter((p): p is Int32Array => p !== null)));
    const suspects = new Set((await Promise.all(runs.map((r) => r.suspects))).flat());
    if (suspects.size > 0) result.repeated = findRepeated(path, suspects);

    const lowByStratum = new Map<string, string[][]>();
    for (const { scan } of ranges) {
      for (const [stratum, kept] of scan.low) {
        let lists = lowByStratum.get(stratum);
        if (!lists) lowByStratum.set(stratum, (lists = []));
        lists.push(kept);
      }
    }
    for (const [stratum, lists] of lowByStratum) result.low.set(stratum, mergeSorted(lists));
    if (result.sorted) result.digest = await digest;
    return result;
  } finally {
    cancel();
    await Promise.all(runs.map((r) => r.release()));
  }
}
