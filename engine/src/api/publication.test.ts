// Results become public after the draw's window has closed, or earlier by a leader's recorded decision: publishing in
// an open window is refused, the public route never lists a result of a withheld draw (not even one published before
// the rule existed), and the leader's decision is audited and shown on the task page.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { apiForBlock, holdClock, type TestApi } from './test-support.ts';
import { writePublicResult } from '../publish/snapshot.ts';
import { AFTER_WINDOW, IN_WINDOW, drawnSamrDraw, openResultsDirectory, staffedObject } from '../results/results.fixture.ts';

describe('results public after the window or by a leader\'s decision', () => {
  let db: Db;
  let call: TestApi['call'];
  let drawId: string;
  let taskId: string;
  let objectId: string;

  apiForBlock(
    (api, t) => {
      call = api.call;
      db = t.db;
    },
    async () => {
      const t = await openResultsDirectory();
      const draw = await drawnSamrDraw(t.db);
      drawId = draw.id;
      taskId = draw.taskId;
      objectId = (await staffedObject(t.db, drawId)).id;
      return t;
    },
  );
  afterEach(() => vi.useRealTimers());

  const publicTotal = async () => (await call('anonymous', 'GET', `/api/public/results?q=${objectId}`)).json().total as number;
  const enter = (itemCode: string) => call('operatorSAMR', 'POST', '/api/results', { drawId, objectId, itemCode, outcomeCode: 'NO_PROBLEM', findings: null, inspectedOn: '2026-05-13' });

  it('refuses publishing in the open window, hides a result published before the rule, and publishes after a leader decided', async () => {
    holdClock(IN_WINDOW);
    expect((await enter('SAMR-001')).statusCode).toBe(201);
    for (const [url, body] of [
      [`/api/results/${drawId}/${objectId}/SAMR-001/publish`, undefined],
      ['/api/results/publish', { drawId }],
    ] as const) {
      const refused = await call('operatorSAMR', 'POST', url, body);
      expect(refused.statusCode, url).toBe(409);
      expect(refused.json()).toMatchObject({ error: 'result.window_open', params: { windowEnd: '2026-06-30' } });
      expect(refused.json().message).toMatch(/runs to 2026-06-30/);
    }

    // A result published before this rule existed, while the window was open: written as the old publication did.
    const resultId = `${drawId}|${objectId}|SAMR-001`;
    await db.transaction(async (tx) => {
      await tx.exec(sql`UPDATE draw_results SET published_at = ${IN_WINDOW.toISOString()}::TIMESTAMPTZ, published_by = 't-op-samr' WHERE id = ${resultId}`);
      await writePublicResult(tx, resultId, { actor: 't-op-samr', now: IN_WINDOW });
    });
    expect(await publicTotal()).toBe(0);
    holdClock(AFTER_WINDOW);
    expect(await publicTotal()).toBe(1);
    holdClock(IN_WINDOW);
    expect(await publicTotal()).toBe(0);

    // Only a leader decides, with a reason.
    expect((await call('operatorSAMR', 'POST', `/api/draws/${drawId}/publish-early`, { reason: '社会关注度高' })).statusCode).toBe(403);
    expect((await call('leader', 'POST', `/api/draws/${drawId}/publish-early`, { reason: '' })).statusCode).toBe(400);
    const decided = await call('leader', 'POST', `/api/draws/${drawId}/publish-early`, { reason: '社会关注度高，检查结果提前公示' });
    expect(decided.statusCode, decided.body).toBe(201);
    expect(decided.json()).toMatchObject({ drawId, decidedBy: 't-leader', reason: '社会关注度高，检查结果提前公示', decidedAt: IN_WINDOW.toISOString() });
    expect((await call('leader', 'POST', `/api/draws/${drawId}/publish-early`, { reason: '再次决定' })).json()).toMatchObject({ error: 'draw.early_publication_exists' });
    const trail = (await call('admin', 'GET', `/api/audit?subject=${drawId}`)).json().entries;
    expect(trail.at(-1)).toMatchObject({ action: 'draw.publish_early', actor: 't-leader', payload: { drawId, reason: '社会关注度高，检查结果提前公示', windowEnd: '2026-06-30' } });
    expect((await call('operatorSAMR', 'GET', `/api/tasks/${taskId}`)).json().earlyPublications).toEqual([decided.json()]);

    expect(await publicTotal()).toBe(1);
    expect((await enter('SAMR-002')).statusCode).toBe(201);
    const published = await call('operatorSAMR', 'POST', `/api/results/${drawId}/${objectId}/SAMR-002/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(await publicTotal()).toBe(2);
  });
});
