// Fuzzing every importer: each kind's valid fixture with random cells replaced (odd text, control characters,
// over-long values, quotes and separators), rows dropped and columns reordered, imported as CSV. Every input must be
// refused cleanly (an ImportFileError) or imported correctly (the rows counted as accepted are the rows added), the
// database must be unchanged whenever nothing was written, and memory must stay bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DATA_DIR } from '../kernel/config.ts';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { tempDb } from '../testing/db.ts';
import { KINDS, FORMATS, type Kind } from './formats.ts';
import { importFile, ImportFileError } from './import.ts';

const FIXTURES = resolve(DATA_DIR, 'fixtures/import');
/** Runs per importer in CI; a longer run: FAIRDRAW_FUZZ_RUNS=500. */
const RUNS = Number(process.env.FAIRDRAW_FUZZ_RUNS ?? 15);
// every table an import writes, and the audit log
const WRITTEN_TABLES = ['objects', 'inspectors', 'conflicts', 'credit_records', 'complaints', 'inspection_results', 'items', 'audit_log'];

const tricky = fc.constantFrom(
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  '2026-02-30',
  '9999-12-31',
  'true',
  '"',
  '""',
  ',',
  ';;',
  '、',
  '\u0000',
  '\u0007bell',
  '\r\n',
  '=1+1',
  '名'.repeat(201),
  'x'.repeat(2_001),
  'y'.repeat(70_000),
  '91440300MA5F000001',
  'SAMR',
  '440305',
);
const cellValue = fc.oneof(tricky, fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.integer().map(String));

const mutation = (rows: number, columns: number) =>
  fc.record({
    cells: fc.array(fc.record({ row: fc.nat(rows - 1), column: fc.nat(columns - 1), value: cellValue }), { maxLength: 6 }),
    dropRows: fc.array(fc.nat(rows - 1), { maxLength: 2 }),
    reverseColumns: fc.boolean(),
    dropColumn: fc.option(fc.nat(columns - 1), { nil: undefined }),
    skipInvalid: fc.boolean(),
  });

const quote = (cell: string) => `"${cell.replaceAll('"', '""')}"`;

async function tableSnapshot(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of WRITTEN_TABLES) out[table] = JSON.stringify(await db.query(sql`SELECT * FROM ${sql.id(table)} ORDER BY ALL`));
  return out;
}
const countOf = async (db: Db, table: string) => (await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.id(table)}`))!.n;

describe('import fuzzing', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let dir: string;
  let rssBefore: number;
  beforeAll(async () => {
    t = await tempDb({ reference: true });
    dir = mkdtempSync(join(tmpdir(), 'fairdraw-fuzz-'));
    // the entities and inspectors the other files refer to
    for (const kind of ['entities', 'inspectors'] as const) expect((await importFile(t.db, { kind, file: join(FIXTURES, `${kind}.csv`) })).written).toBe(true);
    rssBefore = process.memoryUsage().rss;
  });
  afterAll(() => {
    t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(KINDS.map((kind) => [kind]))('%s: every input is refused cleanly or imported correctly', async (kind: Kind) => {
    const [header, ...body] = parse(readFileSync(join(FIXTURES, `${kind}.csv`), 'utf8'), { relax_column_count: true }) as string[][];
    let run = 0;
    await fc.assert(
      fc.asyncProperty(mutation(body.length, header.length), async (m) => {
        const rows = body.map((r) => [...r]);
        for (const { row, column, value } of m.cells) rows[row][column] = value;
        let table = [header, ...rows.filter((_, i) => !m.dropRows.includes(i))];
        if (m.dropColumn !== undefined) table = table.map((r) => r.filter((_, i) => i !== m.dropColumn));
        if (m.reverseColumns) table = table.map((r) => [...r].reverse());
        const file = join(dir, `${kind}-${run++}.csv`);
        writeFileSync(file, table.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n');

        const before = await tableSnapshot(t.db);
        const targetBefore = await countOf(t.db, FORMATS[kind].table);
        let written = false;
        try {
          const report = await importFile(t.db, { kind, file, skipInvalid: m.skipInvalid, actor: 'fuzz' });
          written = report.written;
          expect(report.rows).toBe(table.length - 1 - table.slice(1).filter((r) => r.every((c) => c.trim() === '')).length);
          if (written) {
            expect(report.accepted + report.updated + report.unchanged + report.rejectedRows).toBe(report.rows);
            expect(await countOf(t.db, FORMATS[kind].table)).toBe(targetBefore + report.accepted);
          } else expect(report.rejectedRows).toBeGreaterThan(0);
        } catch (err) {
          if (!(err instanceof ImportFileError)) throw err;
        } finally {
          rmSync(file, { force: true });
        }
        if (!written) expect(await tableSnapshot(t.db)).toEqual(before);
      }),
      { numRuns: RUNS },
    );
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(512 * 1024 ** 2);
  });
});
