// CSV rows from a file, streamed: UTF-8 bytes straight into csv-parse (checked as they pass), GBK/GB18030
// decoded by iconv-lite; rows in batches with the line each starts on.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import type { Hash } from 'node:crypto';
import { pipeline, Transform, type Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import { ImportFileError } from './errors.ts';
import { MAX_RECORD_CHARS } from './limits.ts';

export const ENCODINGS = ['utf8', 'gbk', 'gb18030'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export interface RowBatch {
  /** Line (CSV), worksheet row (xlsx) or data row number (Parquet) of each row. */
  lines: number[];
  rows: string[][];
}

const DETECT_BYTES = 64 * 1024;

export const isBlank = (cells: readonly string[]) => {
  for (const c of cells) if (c !== '' && c.trim() !== '') return false;
  return true;
};

/**
 * UTF-8 unless the first 64 KB are not valid UTF-8, then GB18030 (a superset of GBK, what Chinese Excel
 * and older government systems write). A sequence cut at the 64 KB boundary is not counted as invalid.
 */
export async function detectEncoding(file: string): Promise<Encoding> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(DETECT_BYTES);
    const { bytesRead } = await fh.read(head, 0, DETECT_BYTES, 0);
    const bytes = head.subarray(0, bytesRead);
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
      throw new ImportFileError(file, 'the file is UTF-16 text; save it as CSV UTF-8 (comma separated)', '文件为 UTF-16 编码，请另存为“CSV UTF-8（逗号分隔）”');
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
      return 'utf8';
    } catch {
      return 'gb18030';
    }
  } finally {
    await fh.close();
  }
}

const notUtf8 = (file: string) =>
  new ImportFileError(
    file,
    'the file is not valid UTF-8 throughout; if it is GBK/GB18030 pass --encoding gb18030',
    '文件中有不符合 UTF-8 的字节；如为 GBK/GB18030 编码，请加参数 --encoding gb18030',
  );

/** Where the last complete UTF-8 character of `bytes` ends (a sequence cut by the chunk boundary waits for the next chunk). */
function completeUtf8End(bytes: Buffer): number {
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 4); i--) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + length > bytes.length ? i : bytes.length;
  }
  return bytes.length;
}

/**
 * Passes UTF-8 bytes through unchanged (csv-parse works on bytes; decoding to a string first would be undone)
 * and fails on bytes past the detection window that are not UTF-8.
 */
function utf8Guard(file: string): Transform {
  let tail = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const bytes = tail.length ? Buffer.concat([tail, chunk]) : chunk;
      const end = completeUtf8End(bytes);
      if (!isUtf8(bytes.subarray(0, end))) return done(notUtf8(file));
      tail = Buffer.from(bytes.subarray(end));
      done(null, chunk);
    },
    flush(done) {
      done(tail.length ? notUtf8(file) : null);
    },
  });
}

function countNewlines(value: string): number {
  let n = 0;
  for (let at = value.indexOf('\n'); at >= 0; at = value.indexOf('\n', at + 1)) n++;
  return n;
}

/**
 * Yields a readable object stream's items in batches, pulling synchronously with read() and awaiting only
 * when the stream has nothing buffered: one await per batch instead of one per record.
 */
async function* pull<T>(stream: Readable, take: (item: T) => boolean): AsyncGenerator<void> {
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const poke = () => {
    wake?.();
    wake = undefined;
  };
  stream.on('readable', poke);
  stream.on('end', () => {
    ended = true;
    poke();
  });
  stream.on('error', (err) => {
    failure = err;
    poke();
  });
  for (;;) {
    let item: T | null;
    while ((item = stream.read() as T | null) !== null) if (take(item)) yield;
    if (failure) throw failure;
    if (ended) return;
    await new Promise<void>((resolve) => (wake = resolve));
  }
}

/** Every non-blank record of the file, the header included, in batches; the hash (if given) sees every byte. */
export async function* csvBatches(file: string, encoding: Encoding, batchRows: number, hash?: { update: Hash['update']; done(): void }): AsyncGenerator<RowBatch> {
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  if (hash) {
    input.on('data', (chunk) => hash.update(chunk as Buffer));
    input.on('end', () => hash.done());
  }
  const parser = parse({ relax_column_count: true, skip_empty_lines: false, bom: true, max_record_size: MAX_RECORD_CHARS });
  // UTF-8 bytes go to csv-parse as they are; GBK/GB18030 is decoded first (iconv-lite, streaming).
  const stages = encoding === 'utf8' ? [input, utf8Guard(file), parser] : [input, iconv.decodeStream(encoding), parser];
  // Errors reach the loop below through the parser, which pipeline destroys with them.
  (pipeline as (...streams: unknown[]) => void)(...stages, () => undefined);
  // Line numbers are counted here rather than taken from csv-parse's `info` snapshots, which cost
  // more than the parse itself: a record spans 1 line plus the line breaks inside its quoted cells.
  let line = 1;
  let batch: RowBatch = { lines: [], rows: [] };
  const take = (record: string[]) => {
    const at = line;
    line++;
    for (let i = 0; i < record.length; i++) if (record[i].length > 0 && record[i].includes('\n')) line += countNewlines(record[i]);
    if (isBlank(record)) return false;
    batch.lines.push(at);
    batch.rows.push(record);
    return batch.rows.length >= batchRows;
  };
  try {
    for await (const _ of pull(parser, take)) {
      yield batch;
      batch = { lines: [], rows: [] };
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    const csvError = err as CsvError & { lines?: number };
    if (csvError.code && csvError.code.startsWith('CSV_'))
      throw new ImportFileError(
        file,
        `line ${csvError.lines}: CSV syntax error: ${csvError.message}`,
        `第${csvError.lines}行：CSV 格式错误（${csvError.code}）`,
      );
    throw new ImportFileError(file, `cannot read the file: ${(err as Error).message}`, `无法读取文件：${(err as Error).message}`);
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (batch.rows.length) yield batch;
}
