import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { testDb, type TempDb } from '../testing/db.ts';
import { sql } from '../db/sql.ts';
import { appendAudit } from './chain.ts';
import { evidenceDir, evidenceFile, verifyEvidence } from './evidence.ts';

// Counts the stored files each check reads (every read of a file's bytes goes through createReadStream).
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return { ...actual, createReadStream: vi.fn(actual.createReadStream) };
});
const readStream = vi.mocked(fs.createReadStream);

describe('evidence files against their audited hash', () => {
  let t: TempDb;
  let photo: string;
  testDb(async (fresh: TempDb) => {
    t = fresh;
    for (const [n, bytes] of [[1, 'photo one'], [2, 'photo two']] as const) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const path = evidenceFile(evidenceDir(t.db), sha256);
      fs.mkdirSync(dirname(path), { recursive: true });
      fs.writeFileSync(path, bytes);
      if (n === 1) photo = path;
      await t.db.exec(sql`INSERT INTO result_evidence VALUES (${`r|${n}`}, 'r', ${sha256}, 'p.jpg', 'image/jpeg', 9, 'tester', now(), 'tester', now())`);
      await appendAudit(t.db, { actor: 'tester', action: 'result.evidence', subject: 'r', payload: { evidenceId: `r|${n}`, sha256 } });
    }
  });
  const evidenceReads = () => readStream.mock.calls.filter(([path]) => String(path).startsWith(evidenceDir(t.db))).length;
  beforeEach(() => {
    readStream.mockClear();
  });

  it('the quick check reads an unchanged file once per process, and catches a changed file on the next check', async () => {
    expect(await verifyEvidence(t.db, 'cached')).toEqual({ ok: true, files: 2, hashing: 'cached', problems: [] });
    expect(evidenceReads()).toBe(2);
    expect(await verifyEvidence(t.db, 'cached')).toMatchObject({ ok: true, files: 2 });
    expect(evidenceReads()).toBe(2);

    fs.writeFileSync(photo, 'photo ONE');
    fs.utimesSync(photo, new Date(), new Date(Date.now() + 5000));
    expect((await verifyEvidence(t.db, 'cached')).problems).toEqual([{ evidenceId: 'r|1', sha256: expect.any(String), problem: 'file_changed' }]);
    expect(evidenceReads()).toBe(3);
    fs.rmSync(photo);
    expect((await verifyEvidence(t.db, 'cached')).problems).toMatchObject([{ evidenceId: 'r|1', problem: 'file_missing' }]);
  });

  it('the full check (audit verify, restore) re-hashes every file every time', async () => {
    expect(await verifyEvidence(t.db)).toEqual({ ok: true, files: 2, hashing: 'full', problems: [] });
    expect(await verifyEvidence(t.db)).toMatchObject({ ok: true });
    expect(evidenceReads()).toBe(4);
  });
});
