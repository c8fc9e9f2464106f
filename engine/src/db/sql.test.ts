import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parsePlaceholders, sql, sqlFolder } from './sql.ts';
import { Db } from './duckdb.ts';

describe('sql tagged template', () => {
  it('turns every value into a positional parameter, never into text', () => {
    const name = "x'); DROP TABLE users; --";
    const q = sql`SELECT * FROM objects WHERE name = ${name} AND year = ${2026}`.toQuery();
    expect(q.text).toBe('SELECT * FROM objects WHERE name = $1 AND year = $2');
    expect(q.params).toEqual([name, 2026]);
  });

  it('splices nested pieces with their parameters, numbered in order', () => {
    const filter = sql`region_code = ${'440300'}`;
    const q = sql`SELECT ${1} AS a WHERE ${filter} AND tier = ${'D'}`.toQuery();
    expect(q.text).toBe('SELECT $1 AS a WHERE region_code = $2 AND tier = $3');
    expect(q.params).toEqual([1, '440300', 'D']);
  });

  it('quotes identifiers and literals in one place', () => {
    expect(sql`SELECT * FROM ${sql.id('my "t"')}`.text).toBe('SELECT * FROM "my ""t"""');
    expect(sql`COPY t TO ${sql.literal("/tmp/it's.csv")}`.text).toBe("COPY t TO '/tmp/it''s.csv'");
    expect(sql.literal(null).text).toBe('NULL');
    expect(sql.literal(true).text).toBe('TRUE');
    expect(() => sql.literal(Number.NaN)).toThrow(/finite/);
    // a file's text is taken as written: its $ signs are not placeholders
    expect(sql`CREATE TEMP TABLE t AS ${sql.verbatim("SELECT '$x' AS a;")}`.toQuery()).toEqual({ text: "CREATE TEMP TABLE t AS SELECT '$x' AS a;", params: [] });
  });

  it('joins pieces and leaves optional clauses empty', () => {
    const ids = ['a', 'b', 'c'].map((id) => sql`${id}`);
    expect(sql`WHERE id IN (${sql.join(ids)})${sql.empty}`.toQuery()).toEqual({ text: 'WHERE id IN ($1, $2, $3)', params: ['a', 'b', 'c'] });
    expect(sql.join([]).toQuery()).toEqual({ text: '', params: [] });
  });

  it('refuses an undefined value and .text on a statement with parameters', () => {
    expect(() => sql`SELECT ${undefined}`).toThrow(/undefined/);
    expect(() => sql`SELECT ${1}`.text).toThrow(/parameters/);
  });
});

describe('.sql files', () => {
  it('finds $name placeholders outside strings, quoted names and comments', () => {
    const parsed = parsePlaceholders(`SELECT '$notme', "$nor_me" -- $comment\n, $one /* $block */ FROM t WHERE a = $two AND b = 'it''s $x' AND c = $one`);
    expect(parsed.names).toEqual(['one', 'two', 'one']);
  });

  const dir = mkdtempSync(join(tmpdir(), 'fairdraw-sql-'));
  mkdirSync(join(dir, 'sql'));
  writeFileSync(join(dir, 'sql', 'pick.sql'), '-- one row per id\nSELECT id FROM $source WHERE year = $year AND id <> $skip ORDER BY id');
  const query = sqlFolder(pathToFileURL(join(dir, 'module.ts')).href);

  it('binds values and nested pieces to the placeholders', () => {
    const q = query('pick', { source: sql.id('objects'), year: 2026, skip: 'x' }).toQuery();
    expect(q.text).toBe('-- one row per id\nSELECT id FROM "objects" WHERE year = $1 AND id <> $2 ORDER BY id');
    expect(q.params).toEqual([2026, 'x']);
  });

  it('names a missing or unknown parameter', () => {
    expect(() => query('pick', { source: sql.id('t'), year: 1 })).toThrow('sql/pick.sql: no value for $skip');
    expect(() => query('pick', { source: sql.id('t'), year: 1, skip: 'x', yaer: 2 })).toThrow('sql/pick.sql: no placeholder $yaer');
  });
});

describe('statements on DuckDB', () => {
  let db: Db;
  beforeAll(async () => {
    db = await Db.open({ path: ':memory:', skipMigrate: true });
  });
  afterAll(() => db.close());

  it('runs with its parameters bound, so a hostile value stays a value', async () => {
    await db.exec(sql`CREATE TABLE t (id VARCHAR, n INTEGER)`);
    const evil = "'; DROP TABLE t; --";
    await db.exec(sql`INSERT INTO t VALUES (${evil}, ${1}), (${'b'}, ${2})`);
    expect(await db.query(sql`SELECT id, n FROM t WHERE n >= ${1} ORDER BY n`)).toEqual([
      { id: evil, n: 1 },
      { id: 'b', n: 2 },
    ]);
    expect(await db.one(sql`SELECT count(*) AS n FROM t WHERE id IN (${sql.join([evil, 'b'].map((v) => sql.literal(v)))})`)).toEqual({ n: 2 });
  });
});
