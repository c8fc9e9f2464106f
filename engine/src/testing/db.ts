// Test helper: a fresh, migrated DuckDB file in a temporary folder, removed after the test.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { Db } from '../db/duckdb.ts';
import { loadReference } from '../reference/load.ts';

export type TempDb = Awaited<ReturnType<typeof tempDb>>;

/** `reference: true` also loads data/reference (regions, departments, items, ...); `copyOf` starts from a copy of that file. */
export async function tempDb(options: { reference?: boolean; copyOf?: string } = {}): Promise<{ db: Db; dir: string; path: string; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'fairdraw-test-'));
  const path = join(dir, 'test.duckdb');
  if (options.copyOf) copyFileSync(options.copyOf, path);
  const db = await Db.open({ path, memoryLimit: '1GB', threads: 1 });
  if (options.reference) await db.transaction((tx) => loadReference(tx));
  return {
    db,
    dir,
    path,
    cleanup() {
      try {
        db.close();
      } catch {
        // already closed by the test
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A describe block's database: `open` makes it (default a fresh tempDb) before each test, or once before all with
 * `perFile`, `use` takes what the tests need from it, and it is removed after.
 */
export function testDb<T extends TempDb>(use: (t: T) => unknown, open: () => Promise<T> = tempDb as () => Promise<T>, perFile = false): void {
  let t: T | undefined;
  (perFile ? beforeAll : beforeEach)(async () => {
    t = await open();
    await use(t);
  });
  (perFile ? afterAll : afterEach)(() => t?.cleanup());
}
