import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDb, type TempDb } from '../testing/db.ts';
import { sql } from '../db/sql.ts';
import { appendAudit, verifyAudit } from './chain.ts';
import { rewriteChainFrom } from './test-support.ts';
import { appendHead, chainHead, checkHeads, headsFileOf, publishedHeads, readHeads, recordDailyHead } from './heads.ts';

describe('audit heads outside the database', () => {
  let t: TempDb;
  let file: string;
  testDb(async (fresh: TempDb) => {
    t = fresh;
    file = headsFileOf(t.path)!;
    // 40 entries; a head published after entry 20 (a day's head) and after entry 40 (a draw's)
    for (let i = 1; i <= 40; i++) {
      await appendAudit(t.db, { actor: 'tester', action: 'test.step', subject: `s${i}`, payload: { i } });
      if (i === 20) appendHead(file, (await chainHead(t.db))!, 'daily', new Date('2026-12-01T12:00:00+08:00'));
    }
    appendHead(file, (await chainHead(t.db))!, 'draw', new Date('2026-12-02T12:00:00+08:00'));
  });

  it('appends one JSON line a head, dated in Asia/Shanghai, and serves them newest first', async () => {
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ date: '2026-12-01', seq: 20, reason: 'daily' });
    expect(Object.keys(lines[1])).toEqual(['date', 'seq', 'hash', 'at', 'reason']);
    expect(publishedHeads(t.path, { limit: 1, offset: 0 })).toMatchObject({ total: 2, heads: [{ seq: 40, reason: 'draw' }] });
    expect(await checkHeads(t.db, readHeads(file), file)).toEqual([]);
  });

  it('publishes one daily head a day', async () => {
    const day = new Date('2026-12-03T09:00:00+08:00');
    expect(await recordDailyHead(t.db, day)).toMatchObject({ date: '2026-12-03', seq: 40, reason: 'daily' });
    expect(await recordDailyHead(t.db, new Date('2026-12-03T23:59:00+08:00'))).toBeNull();
    expect(await recordDailyHead(t.db, new Date('2026-12-04T00:01:00+08:00'))).toMatchObject({ date: '2026-12-04' });
  });

  it('catches the last 3 entries deleted, which the chain alone does not', async () => {
    await t.db.exec(sql`DELETE FROM audit_log WHERE seq > 37`);
    expect(await verifyAudit(t.db)).toEqual({ ok: true, entries: 37 });
    const problems = await checkHeads(t.db, readHeads(file), file);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'tail_deleted', seq: 37, head: { seq: 40, date: '2026-12-02' } });
    expect(problems[0].message).toContain('tail deleted after seq 37 (head of 2026-12-02');
  });

  it('catches entry 17 edited and every hash after it recomputed, through a copy someone kept', async () => {
    const copy = join(t.dir, 'kept.json');
    writeFileSync(copy, JSON.stringify(publishedHeads(t.path, { limit: 100, offset: 0 })));
    await rewriteChainFrom(t.db, 17, { i: 17, note: 'rewritten' });
    expect(await verifyAudit(t.db)).toEqual({ ok: true, entries: 40 });
    // the operator who rewrote the chain also "republishes" the file beside the database: the kept copy still catches it
    writeFileSync(file, '');
    expect(await checkHeads(t.db, readHeads(file), file)).toEqual([]);
    const problems = await checkHeads(t.db, readHeads(copy), copy);
    expect(problems).toEqual([expect.objectContaining({ kind: 'rewritten', seq: 20, head: expect.objectContaining({ date: '2026-12-01' }) })]);
    expect(problems[0].message).toContain('entries rewritten at or before seq 20 (head of 2026-12-01)');
  });

  it('skips a last line cut short by a crash, and refuses a heads file that is not heads', () => {
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"date":"2026-12-0`, { flag: 'w' });
    expect(readHeads(file)).toHaveLength(2);
    writeFileSync(file, '{"seq": 1, "hash": "x"}\n');
    expect(() => readHeads(file)).toThrow(/64 hex/);
  });
});
