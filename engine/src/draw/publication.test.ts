import { describe, expect, it } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { verifyAudit } from '../audit/chain.ts';
import { commitDraw, type DrawHeader } from './lifecycle.ts';
import { AFTER_WINDOW, declaredBeacon, NOW, samrTask, shenzhenPlan } from './lifecycle.fixture.ts';
import { drawnSamrDraw, IN_WINDOW, openResultsDirectory } from '../results/results.fixture.ts';
import { testDb } from '../testing/db.ts';
import { assertResultsPublishable, decideEarlyPublication, earlyPublicationsOf, withheldDraws } from './publication.ts';

describe('when results become public', () => {
  let db: Db;
  let draw: DrawHeader;
  testDb(async (t) => {
    db = t.db;
    draw = await drawnSamrDraw(db);
  }, openResultsDirectory);

  it('withholds a draw until the day after its window, unless a leader decided; the decision is audited', async () => {
    expect(await withheldDraws(db, IN_WINDOW)).toEqual([draw.id]);
    expect(await withheldDraws(db, new Date('2026-06-30T23:59:00+08:00'))).toEqual([draw.id]);
    expect(await withheldDraws(db, AFTER_WINDOW)).toEqual([]);
    await expect(assertResultsPublishable(db, draw.id, IN_WINDOW)).rejects.toMatchObject({ code: 'result.window_open', params: { windowEnd: '2026-06-30' } });
    await assertResultsPublishable(db, draw.id, AFTER_WINDOW);

    await expect(decideEarlyPublication(db, draw.id, { reason: ' ', actor: 'leader-li' })).rejects.toMatchObject({ code: 'draw.invalid' });
    const decision = await decideEarlyPublication(db, draw.id, { reason: '社会关注度高', actor: 'leader-li', now: IN_WINDOW });
    expect(decision).toEqual({ drawId: draw.id, reason: '社会关注度高', decidedBy: 'leader-li', decidedAt: IN_WINDOW });
    await expect(decideEarlyPublication(db, draw.id, { reason: '再次', actor: 'leader-li' })).rejects.toMatchObject({ code: 'draw.early_publication_exists' });
    expect(await earlyPublicationsOf(db, draw.taskId)).toEqual([decision]);
    expect(await withheldDraws(db, IN_WINDOW)).toEqual([]);
    await assertResultsPublishable(db, draw.id, IN_WINDOW);
    const entry = await db.one<{ actor: string; payload: string }>(sql`SELECT actor, payload::VARCHAR AS payload FROM audit_log WHERE action = 'draw.publish_early'`);
    expect(entry?.actor).toBe('leader-li');
    expect(JSON.parse(entry!.payload)).toMatchObject({ drawId: draw.id, reason: '社会关注度高', windowEnd: '2026-06-30' });
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('decides only on a drawn draw', async () => {
    const task = await samrTask(db, await shenzhenPlan(db), { name: '未抽取' });
    const committed = await commitDraw(db, task.id, { actor: 'op-wang', now: NOW, ...declaredBeacon(NOW) });
    await expect(decideEarlyPublication(db, committed.id, { reason: '尚未抽取', actor: 'leader-li' })).rejects.toMatchObject({ code: 'draw.not_run' });
    await expect(decideEarlyPublication(db, 'D2026-9999', { reason: '不存在', actor: 'leader-li' })).rejects.toMatchObject({ code: 'draw.not_found' });
  });
});
