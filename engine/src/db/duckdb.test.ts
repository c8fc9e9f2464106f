import { describe, it, expect } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { tempDb } from '../testing/db.ts';

describe('Db', () => {
  it('streams every row while other queries run on the shared connection meanwhile', async () => {
    const t = await tempDb();
    try {
      let rows = 0;
      for await (const chunk of t.db.stream<{ i: number }>('SELECT i FROM range(100000) r(i)')) {
        rows += chunk.length;
        await t.db.query('SELECT 42 AS answer');
      }
      expect(rows).toBe(100_000);
      const [bytes] = await Promise.all([t.db.arrow('SELECT i FROM range(100000) r(i)'), t.db.query('SELECT 1'), t.db.query('SELECT 2')]);
      expect(tableFromIPC(bytes).numRows).toBe(100_000);
    } finally {
      t.cleanup();
    }
  });

  it('maps BIGINT to number, DATE to YYYY-MM-DD and TIMESTAMPTZ to a Date in Asia/Shanghai', async () => {
    const t = await tempDb();
    try {
      const row = await t.db.one<{ n: number; d: string; ts: Date }>(
        `SELECT 12::BIGINT AS n, DATE '2026-11-28' AS d, TIMESTAMPTZ '2026-11-28 08:00:00+08' AS ts`,
      );
      expect(row).toEqual({ n: 12, d: '2026-11-28', ts: new Date('2026-11-28T00:00:00Z') });
    } finally {
      t.cleanup();
    }
  });
});
