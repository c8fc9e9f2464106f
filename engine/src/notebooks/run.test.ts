import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDb } from '../testing/db.ts';
import { FIXTURES, scoresFixtureDb } from './notebooks.fixture.ts';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { parseNotebook } from './parse.ts';
import { runNotebook, statementSpans, type ChartCellRun, type SqlCellRun } from './run.ts';

const fence = '```';

describe('runNotebook', () => {
  let db: Db;
  testDb((t) => (db = t.db), scoresFixtureDb, true);

  const run = (source: string, options = {}) => runNotebook(db, parseNotebook(source, 'test'), options);
  const sqlCells = (r: Awaited<ReturnType<typeof run>>) => r.cells.filter((c): c is SqlCellRun => c.kind === 'sql');
  const tableCount = async () => (await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM fixture_scores`))!.n;

  it('runs sql cells, queries named results, and inlines them into charts', async () => {
    const result = await runNotebook(db, parseNotebook(readFileSync(new URL('tiny.md', FIXTURES), 'utf8'), 'tiny'));
    expect(result.counts).toEqual({ queries: 3, charts: 1, rows: 9, errors: 0 });
    const [perTier, top, labels] = sqlCells(result);
    expect(perTier.columns).toEqual([
      { name: 'tier', type: 'VARCHAR', numeric: false },
      { name: 'entities', type: 'BIGINT', numeric: true },
      { name: 'mean_score', type: 'DOUBLE', numeric: true },
    ]);
    expect(perTier.rows).toEqual([
      { tier: 'A', entities: 10, mean_score: 0.4 },
      { tier: 'B', entities: 10, mean_score: 0.5 },
      { tier: 'C', entities: 10, mean_score: 0.4 },
      { tier: 'D', entities: 10, mean_score: 0.5 },
    ]);
    expect(top.rowCount).toBe(4);
    expect(labels.rows).toEqual([{ label: '</script><b>x</b>', on_day: '2026-05-13', at: '2026-05-13T00:00:00.000Z' }]);
    const chart = result.cells.find((c): c is ChartCellRun => c.kind === 'chart')!;
    expect(chart.error).toBeNull();
    expect(chart.spec).toMatchObject({ $schema: expect.stringContaining('vega-lite/v6'), data: { name: 'per_tier' }, datasets: { per_tier: perTier.rows } });
    const prose = result.cells.filter((c) => c.kind === 'markdown');
    expect(prose[0]).toMatchObject({ html: expect.stringContaining('<h1>小笔记本 Tiny notebook</h1>') });
    expect(prose.map((c) => (c.kind === 'markdown' ? c.html : '')).join('')).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(prose.map((c) => (c.kind === 'markdown' ? c.html : '')).join('')).not.toContain('<script>');
  });

  it.each([
    ['INSERT', `INSERT INTO fixture_scores VALUES ('X', 'A', 0.5)`],
    ['UPDATE', `UPDATE fixture_scores SET score = 1`],
    ['DELETE', `DELETE FROM fixture_scores`],
    ['COPY', `COPY fixture_scores TO '/tmp/fairdraw-notebook-leak.csv'`],
    ['ATTACH', `ATTACH ':memory:' AS other`],
    ['CREATE', `CREATE TABLE leak AS SELECT 1`],
    ['DROP', `DROP TABLE fixture_scores`],
    ['SET', `SET threads = 1`],
    ['SET', `PRAGMA threads = 1`],
    ['EXPLAIN', `EXPLAIN ANALYZE DELETE FROM fixture_scores`],
    ['CALL', `CALL duckdb_tables()`],
  ])('refuses %s statements with the notebook, line and statement', async (type, statement) => {
    const result = await run(`# t\n\n${fence}sql\n-- a comment line\n${statement}\n${fence}\n`);
    const [cell] = sqlCells(result);
    expect(cell.error).toEqual({ line: 5, message: expect.stringContaining(`notebooks/test.md:5: 笔记本只读，拒绝执行 notebooks are read-only: statement 1 of 1 (`) });
    expect(cell.error!.message).toContain(`is not read-only (DuckDB statement type ${type})`);
    expect(await tableCount()).toBe(40);
  });

  it('refuses a whole cell when any statement in it writes, and names that statement', async () => {
    const result = await run(`${fence}sql\nSELECT 1;\n\nDELETE FROM fixture_scores;\n${fence}`);
    const [cell] = sqlCells(result);
    expect(cell.error!.message).toMatch(/^notebooks\/test.md:4: .*statement 2 of 2 \(DELETE FROM fixture_scores\) is not read-only \(DuckDB statement type DELETE\)/);
    expect(cell.rows).toEqual([]);
    expect(await tableCount()).toBe(40);
    const two = await run(`${fence}sql\nSELECT 1;\nSELECT 2\n${fence}`);
    expect(sqlCells(two)[0].error!.message).toMatch(/:3: .*a sql cell runs one statement; 2 found/);
  });

  it('allows DESCRIBE, SUMMARIZE, SHOW and read-only PRAGMAs', async () => {
    const source = ['DESCRIBE fixture_scores', 'SUMMARIZE fixture_scores', 'SHOW TABLES', "PRAGMA table_info('fixture_scores')", 'FROM fixture_scores LIMIT 1']
      .map((sql) => `${fence}sql\n${sql}\n${fence}`)
      .join('\n');
    const cells = sqlCells(await run(source));
    expect(cells.map((c) => c.error)).toEqual([null, null, null, null, null]);
    expect(cells.map((c) => c.rowCount > 0)).toEqual([true, true, true, true, true]);
  });

  it('caps the rows and says so', async () => {
    const [cell] = sqlCells(await run(`${fence}sql\nSELECT * FROM range(5000)\n${fence}`, { rowLimit: 2100 }));
    expect(cell).toMatchObject({ rowCount: 2100, capped: true, rowLimit: 2100 });
    const [exact] = sqlCells(await run(`${fence}sql\nSELECT * FROM range(2100)\n${fence}`, { rowLimit: 2100 }));
    expect(exact).toMatchObject({ rowCount: 2100, capped: false });
  });

  it('keeps going after a failed cell: later cells and earlier named results still work', async () => {
    const source = [
      `${fence}sql name=base`,
      'SELECT tier, count(*) AS n FROM fixture_scores GROUP BY tier',
      fence,
      `${fence}sql name=bad`,
      "SELECT CAST('x' AS INTEGER) AS broken",
      fence,
      `${fence}sql name=helper hidden`,
      'SELECT * FROM base WHERE tier <> $$D$$',
      fence,
      `${fence}sql name=after`,
      'SELECT count(*) AS tiers FROM helper',
      fence,
      `${fence}vega-lite`,
      '{"data": {"name": "bad"}, "mark": "bar", "encoding": {"x": {"field": "broken", "type": "quantitative"}}}',
      fence,
      `${fence}vega-lite`,
      '{"data": {"name": "base"}, "mark": "bar", "encoding": {"x": {"field": "tier", "type": "nominal"}, "y": {"field": "count", "type": "quantitative"}}}',
      fence,
    ].join('\n');
    const result = await run(source);
    const [base, bad, helper, after] = sqlCells(result);
    expect(base.rowCount).toBe(4);
    expect(bad.error).toEqual({ line: 5, message: expect.stringContaining('notebooks/test.md:5: SQL 执行出错 the query failed: Conversion Error') });
    expect(helper).toMatchObject({ hidden: true, rows: [], rowCount: 3, error: null, columns: [{ name: 'tier' }, { name: 'n' }] });
    expect(after.rows).toEqual([{ tiers: 3 }]);
    const [chartOfBad, chartOfBase] = result.cells.filter((c): c is ChartCellRun => c.kind === 'chart');
    expect(chartOfBad.error!.message).toContain("notebooks/test.md:13: 图表引用的结果出错 the chart uses result 'bad', whose query failed (line 5)");
    expect(chartOfBase.error!.message).toContain("the chart encodes field 'count', not a column of 'base' (columns: tier, n)");
    expect(result.counts.errors).toBe(3);
  });

  it('refuses a result name that would hide a table', async () => {
    const [cell] = sqlCells(await run(`${fence}sql name=fixture_scores\nSELECT 1\n${fence}`));
    expect(cell.error!.message).toContain("result name 'fixture_scores' is the name of a table or view");
  });

  it('reports a parse error on the line of the statement', async () => {
    const [cell] = sqlCells(await run(`text\n\n${fence}sql\nSELEC 1\n${fence}`));
    expect(cell.error!.message).toMatch(/^notebooks\/test.md:4: SQL 无法解析 the SQL does not parse: Parser Error/);
  });

  it('interrupts a statement that runs too long', async () => {
    const [cell] = sqlCells(await run(`${fence}sql\nSELECT sum(a.range * b.range) FROM range(100000) a, range(100000) b\n${fence}`, { timeoutMs: 200 }));
    expect(cell.error!.message).toContain('the query ran longer than 200 ms and was stopped');
  });

  it('leaves no temporary tables behind and keeps each named result in its query order', async () => {
    const result = await run(`${fence}sql name=left_over\nSELECT range AS a FROM range(3000) ORDER BY a DESC\n${fence}\n${fence}sql\nSELECT min(a) AS low, count(*) AS n FROM left_over\n${fence}`);
    const [kept, read] = sqlCells(result);
    expect(kept.rows.slice(0, 2)).toEqual([{ a: 2999 }, { a: 2998 }]);
    expect(read.rows).toEqual([{ low: 0, n: 3000 }]);
    expect(await db.query(sql`SELECT table_name FROM duckdb_tables() WHERE table_name = 'left_over'`)).toEqual([]);
  });
});

describe('statementSpans', () => {
  it('skips semicolons in strings, identifiers, comments and dollar quotes', () => {
    const sql = `SELECT ';' AS "a;b" -- c;\n/* d; */ FROM t;\n SELECT $x$;$x$`;
    expect(statementSpans(sql).map(({ start, end }) => sql.slice(start, end))).toEqual([`SELECT ';' AS "a;b" -- c;\n/* d; */ FROM t`, 'SELECT $x$;$x$']);
  });
});
