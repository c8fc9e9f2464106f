import { describe, expect, it } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { verifyAudit } from '../audit/chain.ts';
import { objectKey, populationDigest, selectObjects, sha256Hex } from './fd1.ts';
import { commitDraw, enterBeacon, getDraw, listDraws, listPublicDraws, publicView, runDraw, voidDraw } from './lifecycle.ts';
import { AFTER_WINDOW, directoryPerTest, NOW, samrTask } from './lifecycle.fixture.ts';
import { DrawInputError, DrawStateError, type Plan } from './plans.ts';
import type { Task } from './tasks.ts';

const BEACON = '深证成指 2026-03-02 收盘 10234.56';

describe('draw lifecycle', () => {
  let db: Db;
  let plan: Plan;
  let task: Task;
  directoryPerTest(async (fresh, shenzhen) => {
    db = fresh;
    plan = shenzhen;
    task = await samrTask(db, plan);
  });

  it('commit, beacon, draw: secret committed, digest of the frozen population, picks recomputable by fd1', async () => {
    const committed = await commitDraw(db, task.id, { actor: 'op-wang', now: NOW });
    expect(committed).toMatchObject({ id: 'D2026-0001', taskId: task.id, status: 'committed', protocol: 'fd1', beacon: null, policyVersion: 0, modelVersion: 1 });
    const population = await db.query<{ stratum: string; id: string }>(sql`SELECT stratum, object_id AS id FROM draw_population WHERE draw_id = ${committed.id}`);
    expect(committed.populationDigest).toBe(populationDigest(population));

    const secret = (await getDraw(db, committed.id, { rows: false })).secret;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(committed.commitment).toBe(sha256Hex(secret));

    const commitEntry = await db.one<{ payload: string }>(sql`SELECT payload::VARCHAR AS payload FROM audit_log WHERE action = 'draw.commit'`);
    const payload = JSON.parse(commitEntry!.payload);
    expect(payload).toMatchObject({ drawId: committed.id, commitment: committed.commitment, populationDigest: committed.populationDigest, populationSize: population.length });
    expect(commitEntry!.payload).not.toContain(secret);

    await enterBeacon(db, committed.id, BEACON, { actor: 'op-wang', now: NOW });
    const drawn = await runDraw(db, committed.id, { actor: 'op-wang', now: NOW });
    expect(drawn).toMatchObject({ status: 'drawn', beacon: BEACON, grindProof: true });
    const detail = await getDraw(db, drawn.id);
    expect(detail.seed).toBe(`${secret}|${BEACON}`);

    const again = selectObjects({ seed: detail.seed!, taskId: task.id, population, strata: detail.strata.map((s) => ({ stratum: s.stratum, ratioBp: s.ratio_bp })) });
    expect(detail.selection!.map((s) => s.objectId).sort()).toEqual(again.selection.map((s) => s.id).sort());
    expect(detail.selection!.map((s) => s.objectId)).toEqual(again.drawOrder);
    for (const s of detail.selection!) expect(s.key).toBe(objectKey(detail.seed!, task.id, s.stratum, s.objectId));
    expect(detail.strata.map((s) => s.quota)).toEqual(again.strata.map((s) => s.quota));
    expect(detail.caps).toEqual([{ department: 'SAMR', count: 2, pool: 13, cap: expect.any(Number) }]);
    expect(detail.teams!.length + detail.unstaffed!.length * 2).toBe(detail.selection!.length * 2);

    expect((await db.query<{ action: string }>(sql`SELECT action FROM audit_log ORDER BY seq`)).map((r) => r.action)).toEqual([
      'plan.create',
      'task.create',
      'draw.commit',
      'draw.beacon',
      'draw.run',
    ]);
    expect(await verifyAudit(db)).toMatchObject({ ok: true, entries: 5 });
    const run = JSON.parse((await db.one<{ payload: string }>(sql`SELECT payload::VARCHAR AS payload FROM audit_log WHERE action = 'draw.run'`))!.payload);
    const lines = detail.selection!.map((s) => `${s.stratum}\t${s.objectId}\t${s.key}\t${s.rank}\n`).join('');
    expect(run).toMatchObject({ drawId: drawn.id, selected: detail.selection!.length, teamMembers: detail.teams!.length, selectionDigest: sha256Hex(lines), grindProof: true });
  });

  it('no re-roll: a drawn draw cannot run again, a live draw blocks a new one, the beacon is entered once', async () => {
    const draw = await commitDraw(db, task.id, { actor: 'op', now: NOW });
    await expect(commitDraw(db, task.id, { actor: 'op', now: NOW })).rejects.toThrow(/no re-roll/);
    await expect(runDraw(db, draw.id, { actor: 'op', now: NOW })).rejects.toThrow(/no beacon yet/);
    await expect(enterBeacon(db, draw.id, '   ', { actor: 'op' })).rejects.toBeInstanceOf(DrawInputError);
    await enterBeacon(db, draw.id, BEACON, { actor: 'op', now: NOW });
    await expect(enterBeacon(db, draw.id, 'another value', { actor: 'op', now: NOW })).rejects.toBeInstanceOf(DrawStateError);
    await runDraw(db, draw.id, { actor: 'op', now: NOW });
    const before = await getDraw(db, draw.id);
    const err = await runDraw(db, draw.id, { actor: 'op', now: NOW }).catch((e) => e);
    expect(err).toBeInstanceOf(DrawStateError);
    expect(err.message).toMatch(/no re-roll/);
    const after = await getDraw(db, draw.id);
    expect(after.selection).toEqual(before.selection);
    expect(after.teams).toEqual(before.teams);
    expect(after.drawnAt).toEqual(before.drawnAt);
    expect((await db.query(sql`SELECT seq FROM audit_log WHERE action = 'draw.run'`)).length).toBe(1);
  });

  it('void keeps the record and its rows, visible with the reason; a new draw is a new record', async () => {
    const first = await commitDraw(db, task.id, { actor: 'op', now: NOW });
    await enterBeacon(db, first.id, BEACON, { actor: 'op', now: NOW });
    await runDraw(db, first.id, { actor: 'op', now: NOW });
    const rowsBefore = await getDraw(db, first.id);
    await expect(voidDraw(db, first.id, { reason: '', actor: 'op' })).rejects.toThrow(/reason/);
    const voided = await voidDraw(db, first.id, { reason: '任务范围错误：漏选福田区', actor: 'leader-li', now: NOW });
    expect(voided).toMatchObject({ status: 'voided', voidReason: '任务范围错误：漏选福田区', voidedBy: 'leader-li', voidedFrom: 'drawn' });
    await expect(voidDraw(db, first.id, { reason: '再次作废', actor: 'op' })).rejects.toBeInstanceOf(DrawStateError);
    await expect(runDraw(db, first.id, { actor: 'op' })).rejects.toThrow(/voided/);
    const rowsAfter = await getDraw(db, first.id);
    expect(rowsAfter.selection).toEqual(rowsBefore.selection);
    expect(rowsAfter.teams).toEqual(rowsBefore.teams);
    expect(rowsAfter.secret).toBe(rowsBefore.secret);

    const second = await commitDraw(db, task.id, { actor: 'op', now: NOW });
    expect(second.id).toBe('D2026-0002');
    expect(second.commitment).not.toBe(first.commitment);
    const listed = await listDraws(db, { taskId: task.id });
    expect(listed.map((d) => [d.id, d.status, d.voidReason])).toEqual([
      ['D2026-0001', 'voided', '任务范围错误：漏选福田区'],
      ['D2026-0002', 'committed', null],
    ]);
    expect(listed[0].counts.selected).toBe(rowsBefore.selection!.length);
    expect(await db.one(sql`SELECT count(*) AS n FROM draws`)).toEqual({ n: 2 });
  });

  it('a rehearsal without beacon only when asked: recorded beacon "" and not grind-proof', async () => {
    const draw = await commitDraw(db, task.id, { actor: 'op', now: NOW });
    const drawn = await runDraw(db, draw.id, { actor: 'op', allowNoBeacon: true, now: NOW });
    expect(drawn).toMatchObject({ status: 'drawn', beacon: '', grindProof: false });
    const detail = await getDraw(db, draw.id, { rows: false });
    expect(detail.seed).toBe(`${detail.secret}|`);
  });

  it('confidentiality: before the window closes only commitment, digest, size, times and beacon are public', async () => {
    const draw = await commitDraw(db, task.id, { actor: 'op', now: NOW });
    await enterBeacon(db, draw.id, BEACON, { actor: 'op', now: NOW });
    await runDraw(db, draw.id, { actor: 'op', now: NOW });
    const detail = await getDraw(db, draw.id);
    expect(detail.selection!.length).toBeGreaterThan(0);

    for (const now of [NOW, new Date('2026-06-30T23:59:59+08:00')]) {
      const hidden = publicView(detail, now);
      expect(hidden.published).toBe(false);
      expect(Object.keys(hidden).sort()).toEqual(
        ['id', 'taskId', 'taskName', 'taskKind', 'protocol', 'status', 'commitment', 'populationDigest', 'populationSize', 'beacon', 'grindProof', 'committedAt', 'beaconedAt', 'drawnAt', 'voidedAt', 'voidReason', 'windowStart', 'windowEnd', 'published'].sort(),
      );
      expect(JSON.stringify(hidden)).not.toContain(detail.secret);
      expect(JSON.stringify(hidden)).not.toContain(detail.selection![0].objectId);
    }
    // Asia/Shanghai dates decide: 16:00 UTC on the last day is already the next day in Shanghai.
    expect(publicView(detail, new Date('2026-06-30T16:00:00Z')).published).toBe(true);
    const shown = publicView(detail, AFTER_WINDOW);
    expect(shown).toMatchObject({ published: true, secret: detail.secret, seed: detail.seed });
    expect(shown.selection).toEqual(detail.selection);
    expect(shown.teams).toEqual(detail.teams);

    // A voided draw stays public with its reason, still under the same rule.
    await voidDraw(db, draw.id, { reason: '检查窗口调整', actor: 'op', now: NOW });
    const voided = publicView(await getDraw(db, draw.id), NOW);
    expect(voided).toMatchObject({ status: 'voided', voidReason: '检查窗口调整', published: false });
    expect(voided.selection).toBeUndefined();
    const [listedBefore] = await listPublicDraws(db, NOW);
    expect(listedBefore).toMatchObject({ id: draw.id, status: 'voided', voidReason: '检查窗口调整', published: false });
    expect(listedBefore.secret).toBeUndefined();
    const [listedAfter] = await listPublicDraws(db, AFTER_WINDOW);
    expect(listedAfter).toMatchObject({ published: true, secret: detail.secret });
  });

  it('a draw cannot be committed after its window has closed', async () => {
    await expect(commitDraw(db, task.id, { actor: 'op', now: AFTER_WINDOW })).rejects.toThrow(/window ended/);
  });
});
