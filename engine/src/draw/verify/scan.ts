// One streaming pass over a large population.csv: checks every line's shape, counts ids per stratum,
// finds an id on two lines, and, when the rows are strictly sorted (the published order), hashes them
// into the population digest. Module-level byte loops, no per-line objects: 18 M lines in a few seconds.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';

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
  firstLine: Map<string, { line: number; content: string }>;
  /** An id on two lines (same or different strata), found exactly. */
  repeated?: { id: string; first: { line: number; content: string }; second: { line: number; content: string } };
}

const NL = 0x0a;
const COMMA = 0x2c;
const TAB = 0x09;
const HEADER = 'stratum,id';
const MAX_LINE = 1 << 16;

const BAD_STRATUM = 1;
const BAD_ID = 2;
const HIGH = 4;

/**
 * Reads one line from `start`: out = [end (the "\n" or n), comma, flags, fingerprint low, fingerprint high].
 * The fingerprint is FNV-1a over the id's bytes in two lanes.
 */
function readLine(buf: Uint8Array, start: number, n: number, out: Int32Array): void {
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
  out[4] = hi;
}

/** Length of the common prefix of buf[start, start + length) and prev[0, prevLength). */
function commonPrefix(buf: Uint8Array, start: number, length: number, prev: Uint8Array, prevLength: number): number {
  const common = length < prevLength ? length : prevLength;
  let same = 0;
  while (same < common && buf[start + same] === prev[same]) same++;
  return same;
}

/**
 * 64-bit id fingerprints in one interleaved typed array (open addressing). A fingerprint seen twice marks
 * a suspect; a second pass compares those ids themselves, so the answer is exact.
 */
class FingerprintSet {
  private slots: Int32Array;
  private size = 0;
  readonly suspects = new Set<number>();

  constructor(expected: number) {
    let capacity = 1 << 16;
    while (capacity < expected * 1.6) capacity *= 2;
    this.slots = new Int32Array(capacity * 2);
  }

  add(lo: number, hi: number): void {
    if (lo === 0 && hi === 0) lo = 1; // (0, 0) marks an empty slot; merging it only adds a suspect
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    for (;;) {
      const at = slot << 1;
      const a = slots[at];
      const b = slots[at + 1];
      if (a === 0 && b === 0) {
        slots[at] = lo;
        slots[at + 1] = hi;
        if (++this.size * 10 > (slots.length >> 1) * 7) this.grow();
        return;
      }
      if (a === lo && b === hi) {
        this.suspects.add(lo);
        return;
      }
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0 || old[i + 1] !== 0) this.add(old[i], old[i + 1]);
  }
}

/** `chunkBytes` is the read size (tests make it tiny so lines split across chunks). */
export async function scanPopulation(path: string, chunkBytes = 1 << 24): Promise<PopulationScan> {
  const fingerprints = new FingerprintSet(Math.ceil(statSync(path).size / 20));
  const result = await pass(path, chunkBytes, fingerprints, new Set(), []);
  if (!result.problem && fingerprints.suspects.size > 0) {
    // Rare: some fingerprints met. A second pass collects those lines and compares the ids themselves.
    const lines: Array<{ line: number; content: string }> = [];
    await pass(path, chunkBytes, undefined, fingerprints.suspects, lines);
    const seen = new Map<string, { line: number; content: string }>();
    for (const at of lines) {
      const id = at.content.slice(at.content.indexOf(',') + 1);
      const first = seen.get(id);
      if (first) {
        result.repeated = { id, first, second: at };
        break;
      }
      seen.set(id, at);
    }
  }
  return result;
}

/** One pass: with `fingerprints` it records every id; otherwise it collects the lines whose fingerprint is a suspect. */
function pass(
  path: string,
  chunkBytes: number,
  fingerprints: FingerprintSet | undefined,
  suspects: Set<number>,
  suspectLines: Array<{ line: number; content: string }>,
): Promise<PopulationScan> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const eligible = new Map<string, number>();
    const firstLine = new Map<string, { line: number; content: string }>();
    const result: PopulationScan = { rows: 0, eligible, sorted: true, firstLine };
    const out = new Int32Array(5);
    // The previous row (comma already turned into a tab), for the order check and stratum runs.
    const previous = new Uint8Array(MAX_LINE);
    let previousLength = -1;
    let lineNo = 0;
    let stratumName = '';
    let stratumCount = 0;
    let carry: Buffer | undefined;
    let done = false;
    const flushStratum = () => {
      if (stratumCount > 0) eligible.set(stratumName, (eligible.get(stratumName) ?? 0) + stratumCount);
      stratumCount = 0;
    };
    const stream = createReadStream(path, { highWaterMark: chunkBytes });
    const finish = () => {
      if (done) return;
      done = true;
      flushStratum();
      if (result.sorted && !result.problem) result.digest = hash.digest('hex');
      resolve(result);
    };
    const fail = (buf: Buffer, start: number, end: number, reason: string): number => {
      result.problem = { line: lineNo, content: buf.toString('utf8', start, end), reason };
      stream.destroy();
      finish();
      return -1;
    };

    /** Handles the complete lines in `buf`; returns where the unfinished last line starts, or -1 after a problem. */
    const lines = (buf: Buffer): number => {
      const n = buf.length;
      let start = 0;
      let hashedFrom = -1;
      for (;;) {
        readLine(buf, start, n, out);
        const end = out[0];
        if (end === n) break; // unfinished line: carried into the next chunk
        const comma = out[1];
        const flags = out[2];
        lineNo++;
        if (lineNo === 1) {
          if (buf.toString('latin1', start, end) !== HEADER) return fail(buf, start, end, `the header must be "${HEADER}"`);
          start = end + 1;
          continue;
        }
        if (comma < 0) return fail(buf, start, end, 'expected "stratum,id"');
        if (comma === start) return fail(buf, start, end, 'the stratum is empty');
        if (comma === end - 1) return fail(buf, start, end, 'the id is empty');
        if (flags & BAD_STRATUM) return fail(buf, start, end, 'the stratum is not a label (printable ASCII, no space, comma or quote)');
        if (flags & BAD_ID) return fail(buf, start, end, 'the id holds a space, control character, comma, quote or "|"');
        if (flags & HIGH && !isUtf8(buf.subarray(comma + 1, end))) return fail(buf, start, end, 'the id is not valid UTF-8');
        const length = end - start;
        if (length >= MAX_LINE) return fail(buf, start, end, `the line is longer than ${MAX_LINE} bytes`);
        if (fingerprints) fingerprints.add(out[3], out[4]);
        else if (suspects.has(out[3] === 0 && out[4] === 0 ? 1 : out[3])) suspectLines.push({ line: lineNo, content: buf.toString('utf8', start, end) });

        // The digest's framing: TAB sorts below every label byte, so byte order of lines = (stratum, id) order.
        buf[comma] = TAB;
        if (hashedFrom < 0) hashedFrom = start;
        result.rows++;
        const same = commonPrefix(buf, start, length, previous, previousLength);
        if (same <= comma - start) {
          // A new stratum run (equal up to and including the tab means the same stratum).
          flushStratum();
          stratumName = buf.toString('latin1', start, comma);
          if (!firstLine.has(stratumName)) firstLine.set(stratumName, { line: lineNo, content: buf.toString('utf8', start, end).replace('\t', ',') });
        }
        stratumCount++;
        if (result.sorted && previousLength >= 0) {
          const common = length < previousLength ? length : previousLength;
          const after = same === common ? length > previousLength : buf[start + same] > previous[same];
          if (!after) {
            result.sorted = false;
            result.disorder = {
              line: lineNo,
              content: buf.toString('utf8', start, end).replace('\t', ','),
              previous: Buffer.from(previous.subarray(0, previousLength)).toString('utf8').replace('\t', ','),
            };
          }
        }
        for (let i = same; i < length; i++) previous[i] = buf[start + i];
        previousLength = length;
        start = end + 1;
      }
      if (result.sorted && hashedFrom >= 0) hash.update(buf.subarray(hashedFrom, start));
      return start;
    };

    stream.on('data', (data) => {
      if (done) return;
      let chunk = data as Buffer;
      if (carry) {
        // Finish the line split across chunks on its own, without copying the whole chunk.
        const nl = chunk.indexOf(NL);
        if (nl < 0) {
          carry = Buffer.concat([carry, chunk]);
          return;
        }
        const joined = Buffer.concat([carry, chunk.subarray(0, nl + 1)]);
        carry = undefined;
        if (lines(joined) < 0) return;
        chunk = chunk.subarray(nl + 1);
      }
      const rest = lines(chunk);
      if (rest >= 0 && rest < chunk.length) carry = Buffer.from(chunk.subarray(rest));
    });
    stream.on('error', reject);
    stream.on('end', () => {
      if (done) return;
      if (carry && carry.length > 0) result.problem = { line: lineNo + 1, content: carry.toString('utf8'), reason: 'the last line must end with "\\n"' };
      else if (lineNo === 0) result.problem = { line: 1, content: '', reason: `the header must be "${HEADER}"` };
      finish();
    });
  });
}
