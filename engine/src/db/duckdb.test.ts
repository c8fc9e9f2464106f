import { describe, it, expect } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { tempDb } from '../testing/db.ts';
import { Db } from './duckdb.ts';
import { sql } from './sql.ts';

describe('Db', () => {
  it('streams every row while other queries run on the shared connection meanwhile', async () => {
    const t = await tempDb();
    try {
      let rows = 0;
      for await (const chunk of t.db.stream<{ i: number }>(sql`SELECT i FROM range(100000) r(i)`)) {
        rows += chunk.length;
        await t.db.query(sql`SELECT 42 AS answer`);
      }
      expect(rows).toBe(100_000);
      const [bytes] = await Promise.all([t.db.arrow(sql`SELECT i FROM range(100000) r(i)`), t.db.query(sql`SELECT 1`), t.db.query(sql`SELECT 2`)]);
      expect(tableFromIPC(bytes).numRows).toBe(100_000);
    } finally {
      t.cleanup();
    }
  });

  it('maps BIGINT to number, DATE to YYYY-MM-DD and TIMESTAMPTZ to a Date in Asia/Shanghai', async () => {
    const t = await tempDb();
    try {
      const row = await t.db.one<{ n: number; d: string; ts: Date }>(
        sql`SELECT 12::BIGINT AS n, DATE '2026-11-28' AS d, TIMESTAMPTZ '2026-11-28 08:00:00+08' AS ts`,
      );
      expect(row).toEqual({ n: 12, d: '2026-11-28', ts: new Date('2026-11-28T00:00:00Z') });
    } finally {
      t.cleanup();
    }
  });

  it('gives each request a connection of its own: its temp tables are its own and are gone when the next request gets it', async () => {
    const t = await tempDb();
    try {
      const served = (work: () => Promise<unknown>) =>
        new Promise((resolve, reject) => {
          const connection = t.db.serveRequest(() => {
            work().then(resolve, reject).finally(() => connection.end());
          });
        });
      const tempIn = async (value: number) => {
        await t.db.exec(sql`CREATE TEMP TABLE mine AS SELECT ${value} AS v`);
        await new Promise((r) => setTimeout(r, 20)); // the other request creates its own meanwhile
        return (await t.db.one<{ v: number }>(sql`SELECT v FROM mine`))!.v;
      };
      expect(await Promise.all([served(() => tempIn(1)), served(() => tempIn(2))])).toEqual([1, 2]);
      const leftOver = () => t.db.query(sql`SELECT table_name FROM duckdb_tables() WHERE temporary`);
      await new Promise((r) => setTimeout(r, 20)); // returning a connection drops its temp tables first
      expect(await served(leftOver)).toEqual([]);
      expect(await leftOver()).toEqual([]); // outside any request: the shared connection, untouched by either
    } finally {
      t.cleanup();
    }
  });

  it('lets at most `connections` requests run statements at once; the others wait their turn', async () => {
    const t = await tempDb();
    t.db.close();
    const db = await Db.open({ path: t.path, connections: 2, threads: 1 });
    try {
      let running = 0;
      let most = 0;
      const request = () =>
        new Promise<void>((resolve, reject) => {
          const connection = db.serveRequest(() => {
            db.exec(sql`SELECT 1`)
              .then(async () => {
                most = Math.max(most, ++running);
                await new Promise((r) => setTimeout(r, 30));
                running--;
              })
              .then(resolve, reject)
              .finally(() => connection.end());
          });
        });
      await Promise.all(Array.from({ length: 6 }, request));
      expect(most).toBe(2);
    } finally {
      db.close();
      t.cleanup();
    }
  });

  it('reads a data-version probe again only after a write has gone through the Db', async () => {
    const t = await tempDb();
    try {
      await t.db.exec(sql`CREATE TABLE changes (n INTEGER)`);
      let reads = 0;
      const probe = t.db.untilNextWrite(async () => {
        reads++;
        return (await t.db.one<{ n: number }>(sql`SELECT count(*) AS n FROM changes`))!.n;
      });
      expect(await Promise.all([probe(), probe()])).toEqual([0, 0]);
      expect(await probe()).toBe(0);
      expect(reads).toBe(1);
      await t.db.transaction((tx) => tx.exec(sql`INSERT INTO changes VALUES (1)`));
      expect(await probe()).toBe(1);
      await t.db.exec(sql`INSERT INTO changes VALUES (2)`);
      expect(await probe()).toBe(2);
      const own = await t.db.connection();
      await own.exec(sql`INSERT INTO changes VALUES (3)`);
      own.close();
      expect(await probe()).toBe(3);
      expect(reads).toBe(4);
    } finally {
      t.cleanup();
    }
  });
});
