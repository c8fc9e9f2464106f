// The notebooks over HTTP: the list, a live read-only run with its cells, the HTML file, and names that are not
// notebooks (404, never a path). Run on a fresh database, the shipped notebooks must run without a single error.
import { describe, expect, it } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import type { Caller } from '../auth/test-support.ts';
import { apiForBlock, referenceDb, type TestApi } from './test-support.ts';

describe('notebooks over HTTP', () => {
  let db: Db;
  let api: TestApi;
  apiForBlock((opened, t) => ([api, db] = [opened, t.db]), referenceDb);

  const get = (caller: Caller, url: string) => api.call(caller, 'GET', url);

  it('lists the three notebooks with their titles', async () => {
    const response = await get('analyst', '/api/notebooks');
    expect(response.statusCode).toBe(200);
    expect(response.json().notebooks).toEqual([
      expect.objectContaining({ name: 'alert-review', file: 'notebooks/alert-review.md', title: '区域预警复核 Alert review', charts: 4 }),
      expect.objectContaining({ name: 'model-backtest', title: '风险模型回测 Model backtest', charts: 4 }),
      expect.objectContaining({ name: 'ratio-tuning', title: '抽查比例调校 Ratio tuning', charts: 4 }),
    ]);
  });

  it.each(['alert-review', 'model-backtest', 'ratio-tuning'])('runs %s read-only with every cell, chart specs and no error', async (name) => {
    const response = await get('leader', `/api/notebooks/${name}`);
    expect(response.statusCode).toBe(200);
    const run = response.json();
    expect(run).toMatchObject({ name, file: `notebooks/${name}.md`, rowLimit: 10_000, counts: { errors: 0, charts: 4 } });
    const errors = run.cells.filter((c: { error?: unknown }) => c.error).map((c: { error: { message: string } }) => c.error.message);
    expect(errors).toEqual([]);
    const chart = run.cells.find((c: { kind: string }) => c.kind === 'chart');
    expect(Object.keys(chart.spec.datasets)).toEqual(chart.dataNames);
    const sql = run.cells.find((c: { kind: string; hidden: boolean }) => c.kind === 'sql' && !c.hidden);
    expect(sql).toMatchObject({ columns: expect.any(Array), rows: expect.any(Array), elapsedMs: expect.any(Number), line: expect.any(Number) });
    expect(run.cells[0]).toMatchObject({ kind: 'markdown', line: 1, html: expect.stringContaining('<h1>') });
  });

  it('answers the same run as a self-contained HTML attachment', async () => {
    const response = await get('admin', '/api/notebooks/model-backtest/html');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="model-backtest.html"');
    expect(response.body).toContain('<title>风险模型回测 Model backtest · Fairdraw</title>');
    expect(response.body).toContain('vegaEmbed');
    expect(response.body).not.toMatch(/<script[^>]+src=/);
  });

  it('matches names against the listing only', async () => {
    const missing = await get('analyst', '/api/notebooks/README');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toContain("no notebook named 'README' (known: alert-review, model-backtest, ratio-tuning)");
    expect((await get('analyst', '/api/notebooks/..%2F..%2Fpackage.json')).statusCode).toBe(400);
    expect((await get('analyst', '/api/notebooks/%2Fetc%2Fpasswd/html')).statusCode).toBe(400);
    expect((await get('analyst', '/api/notebooks/ratio-tuning.md')).statusCode).toBe(404);
  });

  it('is closed to operators and to the public', async () => {
    expect((await get('operatorSAMR', '/api/notebooks')).statusCode).toBe(403);
    expect((await get('operatorTAX', '/api/notebooks/ratio-tuning')).statusCode).toBe(403);
    expect((await get('anonymous', '/api/notebooks/ratio-tuning/html')).statusCode).toBe(401);
  });

  // The results page's outcome select reads this small route (it lives beside the notebooks to share the app here).
  it('lists the standard outcome codes, problems found last', async () => {
    const response = await get('operatorSAMR', '/api/results/outcome-codes');
    expect(response.statusCode).toBe(200);
    const codes = response.json().codes as Array<{ code: string; nameZh: string; isFinding: boolean }>;
    expect(codes).toContainEqual({ code: 'NO_PROBLEM', nameZh: '未发现问题', nameEn: 'No problem found', isFinding: false });
    expect(codes).toContainEqual(expect.objectContaining({ code: 'FIXED', nameZh: '发现问题已责令改正', isFinding: true }));
    expect(codes.findIndex((c) => c.isFinding)).toBe(codes.filter((c) => !c.isFinding).length);
  });
});
