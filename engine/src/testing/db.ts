// Test helper: a fresh, migrated DuckDB file in a temporary folder, removed after the test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Db } from '../db/duckdb.ts';
import { loadReference } from '../reference/load.ts';

/** `reference: true` also loads data/reference (regions, departments, items, ...). */
export async function tempDb(options: { reference?: boolean } = {}): Promise<{ db: Db; dir: string; path: string; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'fairdraw-test-'));
  const path = join(dir, 'test.duckdb');
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
