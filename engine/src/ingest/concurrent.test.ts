// Imports write on a connection of their own, in turn with every other write: two imports and a transaction started
// together all commit, and the audit chain they append to stays whole (they once took the same sequence number).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { DATA_DIR } from '../kernel/config.ts';
import { tempDb } from '../testing/db.ts';
import { appendAudit, verifyAudit } from '../audit/chain.ts';
import { importFile } from './import.ts';

const FIXTURES = resolve(DATA_DIR, 'fixtures/import');

describe('concurrent writes', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeAll(async () => {
    t = await tempDb({ reference: true });
  });
  afterAll(() => t.cleanup());

  it('imports and transactions started together all commit, each with its own audit entry', async () => {
    const results = await Promise.all([
      importFile(t.db, { kind: 'entities', file: resolve(FIXTURES, 'entities.csv') }),
      importFile(t.db, { kind: 'inspectors', file: resolve(FIXTURES, 'inspectors.csv') }),
      ...Array.from({ length: 5 }, (_, i) => t.db.transaction((tx) => appendAudit(tx, { actor: 'test', action: 'test.write', subject: String(i), payload: {} }))),
    ]);
    expect(results.length).toBe(7);
    expect(await verifyAudit(t.db)).toEqual({ ok: true, entries: 7 });
  });
});
