// Bounded input: an .xlsx part that unpacks too far or packs too well is refused before the workbook is parsed, and
// over-long cells and records are refused without being kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import yazl from 'yazl';
import { DATA_DIR } from '../kernel/config.ts';
import { openSource } from './source.ts';
import { MAX_RECORD_CHARS } from './limits.ts';
import { FORMATS, maxCharsOf } from './formats.ts';
import { rowValidator } from './validate.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fairdraw-limits-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A readable of `bytes` bytes of one repeated character: what a zip bomb packs. */
function repeated(bytes: number, char = 'a'): Readable {
  const block = Buffer.alloc(1024 * 1024, char);
  let left = bytes;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, block.length);
      left -= n;
      this.push(n === block.length ? block : block.subarray(0, n));
    },
  });
}

/** An .xlsx-shaped zip: the given parts, written out. */
async function zipFile(name: string, parts: Record<string, Readable | string>): Promise<string> {
  const path = join(dir, name);
  const zip = new yazl.ZipFile();
  for (const [part, content] of Object.entries(parts)) {
    if (typeof content === 'string') zip.addBuffer(Buffer.from(content), part);
    else zip.addReadStream(content, part);
  }
  zip.end();
  await new Promise<void>((done, fail) => zip.outputStream.pipe(createWriteStream(path)).on('close', done).on('error', fail));
  return path;
}

describe('xlsx parts', () => {
  it('refuses shared strings that unpack 1000 : 1 (a zip bomb) before parsing them', async () => {
    const path = await zipFile('bomb.xlsx', { '[Content_Types].xml': '<Types/>', 'xl/sharedStrings.xml': repeated(64 * 1024 ** 2) });
    const before = process.memoryUsage().rss;
    const started = Date.now();
    await expect(openSource(path)).rejects.toThrow(/bomb\.xlsx: .*part xl\/sharedStrings\.xml is packed \d+ : 1, more than 100 : 1 \(a zip bomb\)/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 ** 2);
  });

  it('refuses a part larger than its limit even when it packs like real XML', async () => {
    // 20 MiB of varied text packs about 2 : 1, within the ratio, but is more than a non-sheet part may hold
    const varied = Buffer.from(randomBytes(10 * 1024 * 1024).toString('hex'));
    const path = await zipFile('large.xlsx', { '[Content_Types].xml': '<Types/>', 'docProps/app.xml': Readable.from([varied]) });
    await expect(openSource(path)).rejects.toThrow(/part docProps\/app\.xml unpacks to 20 MiB, more than 16 MiB/);
  });

  it('still reads a real workbook', async () => {
    const source = await openSource(resolve(DATA_DIR, 'fixtures/import/entities.xlsx'));
    expect(source.header.length).toBeGreaterThan(5);
    await source.close();
  });
});

describe('cell and record lengths', () => {
  it('refuses a CSV record longer than the limit as a file problem, without holding it', async () => {
    const path = join(dir, 'long-record.csv');
    writeFileSync(path, `uscc,name\n91440300MA5F000001,${'名'.repeat(MAX_RECORD_CHARS + 10)}\n`);
    const read = async () => {
      for await (const _ of (await openSource(path)).rows());
    };
    await expect(read()).rejects.toThrow(/long-record\.csv: .*line 2: CSV syntax error: Max Record Size/);
  });

  it('rejects a cell longer than its column allows, naming the limit', () => {
    const def = FORMATS.entities;
    const name = def.fields.findIndex((f) => f.name === 'name');
    expect(maxCharsOf(def.fields[name])).toBe(200);
    const validate = rowValidator(def, { columnOf: def.fields.map((_, i) => i), refs: { regions: new Map(), departments: new Map(), industries: new Map(), items: new Map(), outcome_codes: new Map(), specialties: new Map() } as never });
    const cells = def.fields.map(() => '');
    cells[name] = '华'.repeat(201);
    const problems: Array<{ field: string; reason: string }> = [];
    validate(cells, 2, new Array(def.fields.length), problems as never);
    expect(problems.find((p) => p.field === 'name')?.reason).toBe("longer than 200 characters (the column's limit, docs/formats.md)");
  });
});
