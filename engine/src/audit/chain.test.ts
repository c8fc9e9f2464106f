import { describe, it, expect } from 'vitest';
import { testDb } from '../testing/db.ts';
import { appendAudit, verifyAudit, canonicalJson } from './chain.ts';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';

describe('audit chain', () => {
  let db: Db;
  testDb(async (fresh) => {
    db = fresh.db;
    for (let i = 1; i <= 5; i++) await appendAudit(db, { actor: 'tester', action: 'test.step', subject: `s${i}`, payload: { i, note: '步骤' } });
  });

  it('canonical JSON sorts keys and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: null, c: 'x' }] })).toBe('{"a":[2,{"c":"x","d":null}],"b":1}');
  });

  it('verifies an intact chain', async () => {
    expect(await verifyAudit(db)).toEqual({ ok: true, entries: 5 });
  });

  it('detects an edited entry', async () => {
    await db.exec(sql`UPDATE audit_log SET payload = '{"i":3,"note":"changed"}' WHERE seq = 3`);
    expect(await verifyAudit(db)).toMatchObject({ ok: false, seq: 3, problem: expect.stringContaining('edited') });
  });

  it('detects a deleted entry', async () => {
    await db.exec(sql`DELETE FROM audit_log WHERE seq = 2`);
    expect(await verifyAudit(db)).toMatchObject({ ok: false, seq: 3 });
  });

  it('detects reordered entries', async () => {
    await db.exec(sql`UPDATE audit_log SET seq = CASE seq WHEN 2 THEN 4 WHEN 4 THEN 2 ELSE seq END WHERE seq IN (2, 4)`);
    expect(await verifyAudit(db)).toMatchObject({ ok: false, seq: 2 });
  });

  it('detects a truncated tail only through the recorded head, and a rewritten tail hash', async () => {
    await db.exec(sql`UPDATE audit_log SET hash = repeat('a', 64) WHERE seq = 5`);
    expect(await verifyAudit(db)).toMatchObject({ ok: false, seq: 5 });
  });
});
