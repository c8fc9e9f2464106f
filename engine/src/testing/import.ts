// Test helper: a CSV given as text imported into a test database, as the CLI would import the file.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { importFile } from '../ingest/import.ts';
import type { TempDb } from './db.ts';

/** Writes `text` to `name` in the test database's folder and imports it as `kind`; the import must be written. */
export async function importText(t: TempDb, kind: string, name: string, text: string) {
  const file = resolve(t.dir, name);
  writeFileSync(file, text);
  const report = await importFile(t.db, { kind, file, actor: 'test' });
  expect(report.written).toBe(true);
  return report;
}
