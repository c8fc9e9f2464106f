import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { testDb } from '../testing/db.ts';
import { FIXTURES, scoresFixtureDb } from './notebooks.fixture.ts';
import { parseNotebook } from './parse.ts';
import { runNotebook, type NotebookRun, type SqlCellRun } from './run.ts';
import { HTML_TABLE_ROWS, renderNotebookHtml } from './render.ts';

describe('renderNotebookHtml', () => {
  let db: Db;
  let tiny: NotebookRun;
  let broken: NotebookRun;

  testDb(async (t) => {
    db = t.db;
    const load = (name: string) => parseNotebook(readFileSync(new URL(`${name}.md`, FIXTURES), 'utf8'), name, `data/fixtures/notebooks/${name}.md`);
    tiny = await runNotebook(db, load('tiny'));
    broken = await runNotebook(db, load('broken'));
  }, scoresFixtureDb, true);

  it('writes one document with the vega bundles inlined and no external reference', () => {
    const html = renderNotebookHtml(tiny);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>小笔记本 Tiny notebook · Fairdraw</title>');
    expect(html).toContain('.vega={}'); // vega.min.js's UMD wrapper
    expect(html).toContain('vegaLite={}'); // vega-lite.min.js
    expect(html).toContain('.vegaEmbed='); // vega-embed.min.js
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
  });

  it('holds the data: result tables and the chart spec with its dataset', () => {
    const html = renderNotebookHtml(tiny);
    expect(html).toMatch(/<table data-rows="4">/);
    expect(html).toContain('<th class="num" title="BIGINT">entities</th>');
    const specs = JSON.parse(/<script type="application\/json" id="notebook-specs">(.*?)<\/script>/s.exec(html)![1]);
    expect(Object.values(specs)).toEqual([expect.objectContaining({ datasets: { per_tier: tiny.cells.find((c): c is SqlCellRun => c.kind === 'sql' && c.name === 'per_tier')!.rows } })]);
    expect(html).toContain('data-testid="chart" data-chart=');
  });

  it('escapes text from the data and the prose', () => {
    const html = renderNotebookHtml(tiny);
    expect(html).toContain('&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    // Only the bundles', the spec's and the embed script's elements close a script.
    expect(html.match(/<\/script>/g)!.length).toBe(5);
  });

  it('shows each error with its file and line', () => {
    const html = renderNotebookHtml(broken);
    expect(broken.counts.errors).toBe(2);
    expect(html).toContain('data/fixtures/notebooks/broken.md:8: 笔记本只读，拒绝执行 notebooks are read-only: statement 1 of 1 (INSERT INTO fixture_scores VALUES (&#39;X&#39;, &#39;A&#39;, 0.5)) is not read-only (DuckDB statement type INSERT)');
    expect(html).toContain('data/fixtures/notebooks/broken.md:11: 图表引用了不存在的结果');
    expect(html).toContain('<strong>2 个错误 errors</strong>');
  });

  it('writes the file in one language when asked: prose, titles and its own words', async () => {
    const en = renderNotebookHtml(tiny, { lang: 'en' });
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('<title>Tiny notebook · Fairdraw</title>');
    const zh = renderNotebookHtml(tiny, { lang: 'zh' });
    expect(zh).toContain('<title>小笔记本 · Fairdraw</title>');
    expect(zh).toContain('<h1>小笔记本</h1>');
    // The English file's own words and prose carry no Chinese (the tiny notebook's data has none either).
    expect(en.slice(en.indexOf('<body>'), en.indexOf('<script type="application/json"'))).not.toMatch(/\p{Script=Han}/u);
  });

  it('shows the first rows of a long result and says how many there are', async () => {
    const long = await runNotebook(db, parseNotebook('```sql name=many\nSELECT range AS n FROM range(250)\n```', 'long'));
    const html = renderNotebookHtml(long);
    const table = /<table data-rows="250">.*?<\/table>/s.exec(html)![0];
    expect(table.match(/<tr>/g)!.length).toBe(HTML_TABLE_ROWS + 1);
    expect(html).toContain(`showing the first ${HTML_TABLE_ROWS} of 250 rows`);
  });
});
