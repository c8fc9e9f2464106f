import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Db } from '../../db/duckdb.ts';
import { sql } from '../../db/sql.ts';
import { notebookCommand } from './notebook.ts';

const FIXTURES = fileURLToPath(new URL('../../../../data/fixtures/notebooks/', import.meta.url));

// The command runs in-process against a real database file, opened read-only as main.ts would.
describe('notebook command', () => {
  let dir: string;
  let dbPath: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fairdraw-notebook-'));
    dbPath = join(dir, 'nb.duckdb');
    const db = await Db.open({ path: dbPath, memoryLimit: '1GB', threads: 1 });
    await db.exec(sql`CREATE TABLE fixture_scores (object_id VARCHAR, tier VARCHAR, score DOUBLE)`);
    await db.exec(sql`INSERT INTO fixture_scores SELECT 'E' || i, ['A', 'B', 'C', 'D'][1 + i % 4], (i % 10) / 10.0 FROM range(40) r(i)`);
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  async function run(...args: string[]): Promise<{ out: string; err: string }> {
    const program = new Command('fairdraw').exitOverride();
    notebookCommand(program);
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void err.push(parts.join(' ')));
    await program.parseAsync(args, { from: 'user' });
    return { out: out.join('\n'), err: err.join('\n') };
  }

  it('lists the notebooks of a folder with their titles', async () => {
    const { out } = await run('notebook', 'list', '--dir', FIXTURES);
    expect(out).toMatch(/^broken +2 sql, 1 charts +Broken notebook\ntiny +3 sql, 1 charts +小笔记本 Tiny notebook$/);
  });

  it('lists the three shipped notebooks', async () => {
    const names = JSON.parse((await run('notebook', 'list', '--json')).out).map((e: { name: string }) => e.name);
    expect(names).toEqual(['alert-review', 'model-backtest', 'ratio-tuning']);
  });

  it('renders a file holding the inlined vega bundle and the data, and prints the timing', async () => {
    const out = join(dir, 'tiny.html');
    const printed = await run('notebook', 'render', 'tiny', '--dir', FIXTURES, '--db', dbPath, '--out', out);
    expect(printed.out).toMatch(/sql +line +5 +per_tier +4 rows +\d+ ms/);
    expect(printed.out).toMatch(/wrote .*tiny\.html \(\d+ KB\): 3 queries, 1 charts, 9 rows; run \d+ ms, total \d+ ms/);
    expect(process.exitCode).toBeUndefined();
    const html = readFileSync(out, 'utf8');
    expect(html).toContain(readFileSync(join(fileURLToPath(new URL('../../../../node_modules/vega/build/', import.meta.url)), 'vega.min.js'), 'utf8').slice(0, 2000));
    expect(html).toContain('"per_tier":[{"tier":"A","entities":10,"mean_score":0.4}');
  });

  it('still writes the file when cells fail, prints each error with its line and exits 1', async () => {
    const out = join(dir, 'broken.html');
    const printed = await run('notebook', 'render', 'broken', '--dir', FIXTURES, '--db', dbPath, '--out', out, '--json');
    expect(JSON.parse(printed.out)).toMatchObject({ name: 'broken', queries: 2, charts: 1, errors: [expect.stringContaining('broken.md:8: '), expect.stringContaining('broken.md:11: ')] });
    expect(printed.err).toContain('is not read-only (DuckDB statement type INSERT)');
    expect(process.exitCode).toBe(1);
    expect(readFileSync(out, 'utf8')).toContain('<h1>Broken notebook</h1>');
  });

  it('renders a notebook given by its path, so one can be checked before it is added', async () => {
    const out = join(dir, 'by-path.html');
    const printed = await run('notebook', 'render', join(FIXTURES, 'tiny.md'), '--db', dbPath, '--out', out, '--json');
    expect(JSON.parse(printed.out)).toMatchObject({ name: 'tiny', queries: 3, charts: 1, rows: 9, errors: [] });
  });

  it('names the notebooks it knows when asked for another', async () => {
    await expect(run('notebook', 'render', '../etc/passwd', '--dir', FIXTURES, '--db', dbPath, '--out', join(dir, 'x.html'))).rejects.toThrow(
      "no notebook named '../etc/passwd' (known: broken, tiny)",
    );
  });
});
