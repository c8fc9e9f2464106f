// Streaming passes over a large population.csv, whole or by byte range (one range per worker thread):
// every line's shape, ids per stratum, the order, 64-bit id fingerprints to find an id on two lines, and
// optionally the digest and the object keys under a threshold. Byte loops, no per-line objects.
import { createHash, hash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';

export interface LineAt {
  line: number;
  content: string;
}

export interface PopulationScan {
  rows: number;
  eligible: Map<string, number>;
  /** Rows strictly increasing by (stratum, id): sorted and no pair twice. */
  sorted: boolean;
  /** H(stratum + "\t" + id + "\n" ...) over the file's rows; the digest only when `sorted`. */
  digest?: string;
  /** First line out of order (or repeating the previous pair). */
  disorder?: { line: number; content: string; previous: string };
  problem?: { line: number; content: string; reason: string };
  /** The first line of each stratum, for reporting a stratum the manifest does not list. */
  firstLine: Map<string, LineAt>;
  /** An id on two lines (same or different strata), found exactly. */
  repeated?: { id: string; first: LineAt; second: LineAt };
}

/** One byte range of population.csv; it starts at a line start and ends after a "\n" (or at the end of the file). */
export interface RangeJob {
  path: string;
  start: number;
  end: number;
  /** The range starts at byte 0, so its first line is the header. */
  header: boolean;
  chunkBytes: number;
  /** Hash the rows ("," read as "\t") into the digest: only for one range over the whole file. */
  digest: boolean;
  /** About how many rows the range holds (sizes the fingerprint logs). */
  expectedRows: number;
  /** Fingerprints are logged in this many partitions (one per worker), by partitionOf. */
  partitions: number;
  /**
   * Object keys H(protocol + "|" + seed + "|" + task_id + "|" + stratum + "|" + id): for each listed stratum,
   * rows whose key is below the threshold (a hex prefix; "g" keeps all) are kept as "key,id".
   */
  keys?: { protocol: string; seed: string; taskId: string; thresholds: Array<[string, string]> };
  /** Hashed before the rows into the digest: "" (plain), or the secret and "\n" (fd2's salted digest). */
  salt?: string;
}

/** What a range scan found; line numbers count from the range's first line (1). */
export interface RangeScan {
  lines: number;
  rows: number;
  eligible: Array<[string, number]>;
  firstLine: Array<[string, LineAt]>;
  problem?: { line: number; content: string; reason: string };
  sorted: boolean;
  disorder?: { line: number; content: string; previous: string };
  digest?: string;
  /** The first and last rows, "stratum\tid", to check the order across ranges. */
  firstRow?: Uint8Array;
  lastRow?: Uint8Array;
  /** Per stratum with a threshold: the kept rows as "key,id", sorted. */
  low: Array<[string, string[]]>;
}

const NL = 0x0a;
const COMMA = 0x2c;
const TAB = 0x09;
const HEADER = 'stratum,id';
const MAX_LINE = 1 << 16;

const BAD_STRATUM = 1;
const BAD_ID = 2;
const HIGH = 4;

/** Growable list of 64-bit id fingerprints as (lo, hi) pairs of a FNV-1a hash in two lanes. */
class PairList {
  data: Int32Array;
  length = 0;
  constructor(expectedPairs = 1 << 15) {
    this.data = new Int32Array(Math.max(1 << 10, Math.ceil(expectedPairs * 1.05)) * 2);
  }
  push(lo: number, hi: number): void {
    if (this.length + 2 > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = lo;
    this.data[this.length++] = hi;
  }
  done(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** The suspect key of a fingerprint: its low half ((0, 0) counts as 1, like an empty slot would). */
const suspectKey = (lo: number, hi: number) => (lo === 0 && hi === 0 ? 1 : lo);
/** A hex threshold as a string of byte values ("g", above every key, as a character above every byte). */
function thresholdBytes(hex: string): string {
  if (hex === 'g') return '\u0100';
  if (!/^[0-9a-f]*$/.test(hex)) throw new Error(`threshold ${JSON.stringify(hex)} must be lowercase hex or "g"`);
  return Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex').toString('latin1');
}

/** Which partition (worker) looks for repeats of a fingerprint. */
const partitionOf = (hi: number, count: number) => (hi >>> 0) % count;

/**
 * Fingerprints that occur more than once, as suspect keys. The pairs are first spread into buckets by
 * their top bits (sequential passes), then each bucket, small enough for the cache, goes through a
 * little open-addressing set: far faster than one big table whose every probe misses the cache.
 * A suspect is not yet a repeat: a second pass compares the ids themselves.
 */
export function repeatedFingerprints(lists: Int32Array[]): Set<number> {
  const suspects = new Set<number>();
  let total = 0;
  for (const list of lists) total += list.length >> 1;
  if (total < 2) return suspects;
  let bits = 0;
  while (bits < 16 && total >> bits > 2048) bits++;
  const buckets = 1 << bits;
  const shift = 32 - bits;
  const bucketOf = (lo: number) => (bits === 0 ? 0 : lo >>> shift);
  const starts = new Int32Array(buckets + 1);
  for (const list of lists) for (let i = 0; i < list.length; i += 2) starts[bucketOf(list[i]) + 1]++;
  for (let b = 0; b < buckets; b++) starts[b + 1] += starts[b];
  const fill = starts.slice(0, buckets);
  const spread = new Int32Array(total * 2);
  for (const list of lists) {
    for (let i = 0; i + 1 < list.length; i += 2) {
      const at = fill[bucketOf(list[i])]++ << 1;
      spread[at] = list[i];
      spread[at + 1] = list[i + 1];
    }
  }
  let largest = 0;
  for (let b = 0; b < buckets; b++) largest = Math.max(largest, starts[b + 1] - starts[b]);
  let capacity = 16;
  while (capacity < largest * 2) capacity *= 2;
  const slots = new Int32Array(capacity * 2);
  for (let b = 0; b < buckets; b++) {
    const from = starts[b];
    const to = starts[b + 1];
    if (to - from < 2) continue;
    let size = 16;
    while (size < (to - from) * 2) size *= 2;
    const mask = size - 1;
    slots.fill(0, 0, size * 2);
    for (let r = from; r < to; r++) {
      let lo = spread[r << 1];
      const hi = spread[(r << 1) + 1];
      if (lo === 0 && hi === 0) lo = 1; // (0, 0) marks an empty slot; merging it only adds a suspect
      let slot = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask;
      for (;;) {
        const at = slot << 1;
        const a = slots[at];
        const c = slots[at + 1];
        if (a === 0 && c === 0) {
          slots[at] = lo;
          slots[at + 1] = hi;
          break;
        }
        if (a === lo && c === hi) {
          suspects.add(lo);
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
  }
  return suspects;
}

/** Everything a pass carries from line to line (one object, so the hot loop reads fields, not closures). */
class RangeState {
  lines = 0;
  rows = 0;
  sorted = true;
  problem: RangeScan['problem'];
  disorder: RangeScan['disorder'];
  readonly eligible = new Map<string, number>();
  readonly firstLine = new Map<string, LineAt>();
  /** The previous row, "stratum\tid". */
  readonly previous = new Uint8Array(MAX_LINE);
  previousLength = -1;
  firstRow: Uint8Array | undefined;
  stratumName = '';
  stratumCount = 0;
  // The current stratum's threshold (undefined: no keys for it) and kept rows. The hashed text is built in
  // `text`: the stratum's key prefix, then each row's id bytes; `views` holds one view of it per length.
  threshold: string | undefined;
  kept: string[] = [];
  text = Buffer.alloc(0);
  prefixLength = 0;
  views: Buffer[] = [];
  readonly low = new Map<string, string[]>();
  readonly out = new Int32Array(4);

  constructor(
    readonly job: RangeJob,
    /** One fingerprint log per partition. */
    readonly fingerprints: PairList[],
    /** Second pass: collect the lines whose fingerprint is a suspect instead of fingerprinting. */
    readonly suspects: Set<number> | undefined,
    readonly suspectLines: LineAt[],
    readonly keyPrefixes: Map<string, string>,
    readonly thresholds: Map<string, string>,
  ) {}

  flushStratum(): void {
    if (this.stratumCount > 0) this.eligible.set(this.stratumName, (this.eligible.get(this.stratumName) ?? 0) + this.stratumCount);
    this.stratumCount = 0;
  }

  enterStratum(name: string): void {
    this.flushStratum();
    this.stratumName = name;
    this.threshold = this.thresholds.get(name);
    if (this.threshold !== undefined) {
      const prefix = this.keyPrefixes.get(name)!;
      const length = Buffer.byteLength(prefix);
      if (this.text.length < length + MAX_LINE) {
        this.text = Buffer.alloc(length + MAX_LINE);
        this.views = [];
      }
      this.prefixLength = this.text.write(prefix, 0, 'utf8');
      let kept = this.low.get(name);
      if (!kept) this.low.set(name, (kept = []));
      this.kept = kept;
    }
  }
}

/**
 * Reads one line from `start`: out = [end (the "\n" or n), comma, flags, fingerprint low]; returns the
 * fingerprint's high half. The fingerprint is FNV-1a over the id's bytes in two lanes.
 */
function readLine(buf: Uint8Array, start: number, n: number, out: Int32Array): number {
  let comma = -1;
  let flags = 0;
  let lo = 0x811c9dc5 | 0;
  let hi = 0x050c5d1f;
  let end = start;
  for (; end < n; end++) {
    const b = buf[end];
    if (b === NL) break;
    if (b === COMMA) {
      if (comma >= 0) flags |= BAD_ID;
      else comma = end;
    } else if (comma < 0) {
      if (b < 0x21 || b > 0x7e || b === 0x22) flags |= BAD_STRATUM;
    } else {
      if (b <= 0x20 || b === 0x7f || b === 0x22 || b === 0x7c) flags |= BAD_ID;
      else if (b >= 0x80) flags |= HIGH;
      lo = Math.imul(lo ^ b, 0x01000193);
      hi = Math.imul(hi ^ b, 0x01000193) ^ (hi >>> 15);
    }
  }
  out[0] = end;
  out[1] = comma;
  out[2] = flags;
  out[3] = lo;
  return hi;
}

/** Length of the common prefix of buf[start, start + length) and prev[0, prevLength). */
function commonPrefix(buf: Uint8Array, start: number, length: number, prev: Uint8Array, prevLength: number): number {
  const common = length < prevLength ? length : prevLength;
  let same = 0;
  while (same < common && buf[start + same] === prev[same]) same++;
  return same;
}

function fail(st: RangeState, buf: Buffer, start: number, end: number, reason: string): number {
  st.problem = { line: st.lines, content: buf.toString('utf8', start, end), reason };
  return -1;
}

/**
 * Handles the complete lines of buf[0, n); returns where the unfinished last line starts, or -1 after a
 * problem. Turns each row's comma into a tab in place (the digest's framing).
 */
function scanLines(st: RangeState, buf: Buffer, n: number): number {
  const out = st.out;
  const previous = st.previous;
  let start = 0;
  for (;;) {
    const hi = readLine(buf, start, n, out);
    const end = out[0];
    if (end === n) return start; // unfinished line: carried into the next read
    const comma = out[1];
    const flags = out[2];
    const lo = out[3];
    st.lines++;
    if (st.lines === 1 && st.job.header) {
      if (buf.toString('latin1', start, end) !== HEADER) return fail(st, buf, start, end, `the header must be "${HEADER}"`);
      start = end + 1;
      continue;
    }
    if (comma < 0) return fail(st, buf, start, end, 'expected "stratum,id"');
    if (comma === start) return fail(st, buf, start, end, 'the stratum is empty');
    if (comma === end - 1) return fail(st, buf, start, end, 'the id is empty');
    if (flags & BAD_STRATUM) return fail(st, buf, start, end, 'the stratum is not a label (printable ASCII, no space, comma or quote)');
    if (flags & BAD_ID) return fail(st, buf, start, end, 'the id holds a space, control character, comma, quote or "|"');
    if (flags & HIGH && !isUtf8(buf.subarray(comma + 1, end))) return fail(st, buf, start, end, 'the id is not valid UTF-8');
    const length = end - start;
    if (length >= MAX_LINE) return fail(st, buf, start, end, `the line is longer than ${MAX_LINE} bytes`);
    if (st.suspects) {
      if (st.suspects.has(suspectKey(lo, hi))) st.suspectLines.push({ line: st.lines, content: buf.toString('utf8', start, end) });
    } else {
      const logs = st.fingerprints;
      (logs.length === 1 ? logs[0] : logs[partitionOf(hi, logs.length)]).push(lo, hi);
    }

    buf[comma] = TAB; // TAB sorts below every label byte, so byte order of lines = (stratum, id) order
    st.rows++;
    const same = commonPrefix(buf, start, length, previous, st.previousLength);
    if (same <= comma - start) {
      // A new stratum run (equal up to and including the tab means the same stratum).
      const name = buf.toString('latin1', start, comma);
      st.enterStratum(name);
      if (!st.firstLine.has(name)) st.firstLine.set(name, { line: st.lines, content: buf.toString('utf8', start, end).replace('\t', ',') });
    }
    st.stratumCount++;
    if (st.threshold !== undefined) {
      // The id's UTF-8 bytes go straight after the prefix: no string per row. The key comes back as a string
      // of byte values (half the garbage of hex, the same order); kept rows get hex and their id as text.
      const text = st.text;
      const total = st.prefixLength + end - comma - 1;
      for (let i = comma + 1, o = st.prefixLength; i < end; i++, o++) text[o] = buf[i];
      const view = st.views[total] ?? (st.views[total] = text.subarray(0, total));
      const key = hash('sha256', view, 'binary');
      if (key < st.threshold) st.kept.push(Buffer.from(key, 'binary').toString('hex') + ',' + buf.toString('utf8', comma + 1, end));
    }
    if (st.previousLength < 0) {
      st.firstRow = Uint8Array.prototype.slice.call(buf, start, end);
    } else if (st.sorted) {
      const common = length < st.previousLength ? length : st.previousLength;
      const after = same === common ? length > st.previousLength : buf[start + same] > previous[same];
      if (!after) {
        st.sorted = false;
        st.disorder = {
          line: st.lines,
          content: buf.toString('utf8', start, end).replace('\t', ','),
          previous: Buffer.from(previous.subarray(0, st.previousLength)).toString('utf8').replace('\t', ','),
        };
      }
    }
    for (let i = same; i < length; i++) previous[i] = buf[start + i];
    st.previousLength = length;
    start = end + 1;
  }
}

/**
 * One pass over a byte range, returning what it found and every row's id fingerprint. Synchronous: it
 * runs in a worker thread, or where blocking is fine. With `suspects` it only collects the lines whose
 * fingerprint is one of them.
 */
export function scanRange(job: RangeJob, suspects?: Set<number>): { scan: RangeScan; fingerprints: Int32Array[]; suspectLines: LineAt[] } {
  const partitions = Math.max(1, job.partitions);
  const fingerprints = Array.from({ length: partitions }, () => new PairList(suspects ? 0 : job.expectedRows / partitions));
  const keyPrefixes = new Map<string, string>();
  const thresholds = new Map<string, string>();
  for (const [stratum, threshold] of job.keys?.thresholds ?? []) {
    keyPrefixes.set(stratum, job.keys!.protocol + '|' + job.keys!.seed + '|' + job.keys!.taskId + '|' + stratum + '|');
    thresholds.set(stratum, thresholdBytes(threshold));
  }
  const suspectLines: LineAt[] = [];
  const st = new RangeState(job, fingerprints, suspects, suspectLines, keyPrefixes, thresholds);
  const digest = job.digest ? createHash('sha256').update(job.salt ?? '', 'utf8') : undefined;

  const chunkBytes = Math.max(1, job.chunkBytes);
  const buf = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(1, job.end - job.start)) + MAX_LINE + 1);
  let carry = 0;
  let position = job.start;
  const fd = openSync(job.path, 'r');
  try {
    for (;;) {
      const want = Math.min(chunkBytes, job.end - position);
      const got = want > 0 ? readSync(fd, buf, carry, want, position) : 0;
      position += got;
      if (got === 0) {
        if (carry > 0) {
          // Only the last range can end inside a line: the splitter cuts after a "\n".
          st.lines++;
          st.problem = { line: st.lines, content: buf.toString('utf8', 0, carry), reason: 'the last line must end with "\\n"' };
        } else if (st.lines === 0 && job.header) {
          st.problem = { line: 1, content: '', reason: `the header must be "${HEADER}"` };
        }
        break;
      }
      const n = carry + got;
      const linesBefore = st.lines;
      const rest = scanLines(st, buf, n);
      if (rest < 0) break;
      if (digest && st.sorted) {
        // The header is the first line of the first read; it is not part of the digest.
        const from = job.header && linesBefore === 0 && st.lines > 0 ? buf.indexOf(NL) + 1 : 0;
        if (rest > from) digest.update(buf.subarray(from, rest));
      }
      carry = n - rest;
      if (carry > MAX_LINE) {
        st.lines++;
        st.problem = { line: st.lines, content: buf.toString('utf8', rest, rest + 200), reason: `the line is longer than ${MAX_LINE} bytes` };
        break;
      }
      if (carry > 0 && rest > 0) buf.copyWithin(0, rest, n);
    }
  } finally {
    closeSync(fd);
  }
  st.flushStratum();
  const low: Array<[string, string[]]> = [];
  for (const [stratum, kept] of st.low) low.push([stratum, kept.sort()]);
  return {
    scan: {
      lines: st.lines,
      rows: st.rows,
      eligible: [...st.eligible],
      firstLine: [...st.firstLine],
      problem: st.problem,
      sorted: st.sorted,
      disorder: st.disorder,
      digest: digest && st.sorted && !st.problem ? digest.digest('hex') : undefined,
      firstRow: st.firstRow,
      lastRow: st.previousLength >= 0 ? st.previous.slice(0, st.previousLength) : undefined,
      low,
    },
    fingerprints: fingerprints.map((log) => log.done()),
    suspectLines,
  };
}

/** The first id on two of the given lines (lines in file order), if any. */
function firstRepeated(lines: LineAt[]): PopulationScan['repeated'] {
  const seen = new Map<string, LineAt>();
  for (const at of lines) {
    const id = at.content.slice(at.content.indexOf(',') + 1);
    const first = seen.get(id);
    if (first) return { id, first, second: at };
    seen.set(id, at);
  }
  return undefined;
}

/** Rare: some fingerprints met. A second pass collects those lines and compares the ids themselves. */
export function findRepeated(path: string, suspects: Set<number>, chunkBytes = 1 << 24): PopulationScan['repeated'] {
  const size = statSync(path).size;
  const job: RangeJob = { path, start: 0, end: size, header: true, chunkBytes, digest: false, expectedRows: 0, partitions: 1 };
  return firstRepeated(scanRange(job, suspects).suspectLines);
}

/** The whole file in one pass on this thread, digest (after `salt`) included. `chunkBytes` is the read size (tests make it tiny). */
export async function scanPopulation(path: string, chunkBytes = 1 << 24, salt = ''): Promise<PopulationScan> {
  const size = statSync(path).size;
  const job: RangeJob = {
    path,
    start: 0,
    end: size,
    header: true,
    chunkBytes,
    digest: true,
    salt,
    expectedRows: Math.ceil(size / 20),
    partitions: 1,
  };
  const { scan, fingerprints } = scanRange(job);
  const suspects = scan.problem ? new Set<number>() : repeatedFingerprints(fingerprints);
  const result: PopulationScan = {
    rows: scan.rows,
    eligible: new Map(scan.eligible),
    sorted: scan.sorted,
    digest: scan.digest,
    disorder: scan.disorder,
    problem: scan.problem,
    firstLine: new Map(scan.firstLine),
  };
  if (suspects.size > 0) result.repeated = findRepeated(path, suspects, chunkBytes);
  return result;
}
