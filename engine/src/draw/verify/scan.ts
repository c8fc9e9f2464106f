// One streaming pass over a large population.csv: checks every line's shape, counts ids per stratum,
// and, when the rows are strictly sorted (the published order), hashes them into the population digest.
// Plain byte loops, no per-line objects: 18 M lines must pass in a second or two.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
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
}

const NL = 0x0a;
const COMMA = 0x2c;
const TAB = 0x09;
const QUOTE = 0x22;
const BAR = 0x7c;
const HEADER = 'stratum,id';
const MAX_LINE = 1 << 16;

export function scanPopulation(path: string): Promise<PopulationScan> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const eligible = new Map<string, number>();
    const result: PopulationScan = { rows: 0, eligible, sorted: true };
    let carry: Buffer = Buffer.alloc(0);
    let lineNo = 0;
    // The previous row (comma already turned into a tab), for the order check and stratum runs.
    const previous = new Uint8Array(MAX_LINE);
    let previousLength = -1;
    let stratumName = '';
    let stratumCount = 0;
    let done = false;
    const flushStratum = () => {
      if (stratumCount > 0) eligible.set(stratumName, (eligible.get(stratumName) ?? 0) + stratumCount);
      stratumCount = 0;
    };
    const stream = createReadStream(path, { highWaterMark: 1 << 22 });
    const finish = () => {
      if (done) return;
      done = true;
      flushStratum();
      if (result.sorted && !result.problem) result.digest = hash.digest('hex');
      resolve(result);
    };
    const fail = (buf: Buffer, start: number, end: number, reason: string) => {
      result.problem = { line: lineNo, content: buf.toString('utf8', start, end), reason };
      stream.destroy();
      finish();
    };

    /** Handles the complete lines in `buf`; returns where the unfinished last line starts, or -1 after a problem. */
    const lines = (buf: Buffer): number => {
      const n = buf.length;
      let start = 0;
      let hashedFrom = -1;
      for (;;) {
        let comma = -1;
        let badStratum = false;
        let badId = false;
        let high = false;
        let end = start;
        for (; end < n; end++) {
          const b = buf[end];
          if (b === NL) break;
          if (b === COMMA) {
            if (comma >= 0) badId = true;
            else comma = end;
          } else if (comma < 0) {
            if (b < 0x21 || b > 0x7e || b === QUOTE) badStratum = true;
          } else if (b <= 0x20 || b === 0x7f || b === QUOTE || b === BAR) {
            badId = true;
          } else if (b >= 0x80) {
            high = true;
          }
        }
        if (end === n) break; // unfinished line: carried into the next chunk
        lineNo++;
        if (lineNo === 1) {
          if (buf.toString('latin1', start, end) !== HEADER) {
            fail(buf, start, end, `the header must be "${HEADER}"`);
            return -1;
          }
          start = end + 1;
          continue;
        }
        if (comma < 0) return (fail(buf, start, end, 'expected "stratum,id"'), -1);
        if (comma === start) return (fail(buf, start, end, 'the stratum is empty'), -1);
        if (comma === end - 1) return (fail(buf, start, end, 'the id is empty'), -1);
        if (badStratum) return (fail(buf, start, end, 'the stratum is not a label (printable ASCII, no space, comma or quote)'), -1);
        if (badId) return (fail(buf, start, end, 'the id holds a space, control character, comma, quote or "|"'), -1);
        if (high && !isUtf8(buf.subarray(comma + 1, end))) return (fail(buf, start, end, 'the id is not valid UTF-8'), -1);
        const length = end - start;
        if (length >= MAX_LINE) return (fail(buf, start, end, `the line is longer than ${MAX_LINE} bytes`), -1);

        // The digest's framing: TAB sorts below every label byte, so byte order of lines = (stratum, id) order.
        buf[comma] = TAB;
        if (hashedFrom < 0) hashedFrom = start;
        result.rows++;
        let same = 0;
        const common = Math.min(length, previousLength);
        while (same < common && buf[start + same] === previous[same]) same++;
        const sameStratum = same > comma - start; // equal up to and including the tab
        if (!sameStratum) {
          flushStratum();
          stratumName = buf.toString('latin1', start, comma);
        }
        stratumCount++;
        if (result.sorted && previousLength >= 0) {
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
      const chunk = data as Buffer;
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const rest = lines(buf);
      if (rest >= 0) carry = Buffer.from(buf.subarray(rest));
    });
    stream.on('error', reject);
    stream.on('end', () => {
      if (done) return;
      if (carry.length > 0) result.problem = { line: lineNo + 1, content: carry.toString('utf8'), reason: 'the last line must end with "\\n"' };
      else if (lineNo === 0) result.problem = { line: 1, content: '', reason: `the header must be "${HEADER}"` };
      finish();
    });
  });
}
