// Work on site over HTTP: the visit sheet of a selected object; the inspecting department attaches two photos to a result,
// leaders read them, other departments, analysts and the public do not; the result is published without them; audit
// verify binds the files to the chain.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { verifyAudit } from '../audit/chain.ts';
import { evidenceDir, evidenceFile, verifyEvidence } from '../audit/evidence.ts';
import { IN_WINDOW, resultsDb, staffedObject } from '../results/results.fixture.ts';
import { EVIDENCE_JPEG, EVIDENCE_PNG } from '../results/evidence.fixture.ts';
import { apiForBlock, holdClock, type TestApi } from './test-support.ts';
import { multipartFile } from './routes/uploads.test-support.ts';

describe('visit sheets and evidence over HTTP', () => {
  let db: Db;
  let call: TestApi['call'];
  let resultUrl: string;

  apiForBlock((api) => ({ call } = api), async () => {
    const opened = await resultsDb();
    db = opened.db;
    const objectId = (await staffedObject(db, opened.draw.id)).id;
    resultUrl = `/api/results/${opened.draw.id}/${objectId}/SAMR-001`;
    return opened;
  });
  afterEach(() => vi.useRealTimers());

  const upload = (caller: Parameters<TestApi['call']>[0], name: string, bytes: Buffer, query = '') => {
    const { payload, headers } = multipartFile(name, bytes, 'image/jpeg');
    return call(caller, 'POST', `${resultUrl}/evidence${query}`, payload, headers);
  };

  it('the visit sheet lists the entity, its team and every checklist item with legal basis, method and what to check', async () => {
    const [, drawId, objectId] = resultUrl.split('/').slice(2);
    const sheet = await call('operatorSAMR', 'GET', `/api/visits/${drawId}/${objectId}`);
    expect(sheet.statusCode).toBe(200);
    const body = sheet.json();
    const checklist = await db.query<{ item_code: string }>(sql`SELECT ti.item_code FROM task_items ti JOIN draws d ON d.task_id = ti.task_id WHERE d.id = ${drawId} ORDER BY ti.position`);
    expect(body.items.map((i: { code: string }) => i.code)).toEqual(checklist.map((c) => c.item_code));
    expect(body.items[0]).toMatchObject({ departmentCode: 'SAMR', departmentNameZh: '市场监督管理局', method: expect.stringMatching(/onsite|documents|online/), outcomeCode: null });
    expect(body.items[0].legalBasis).toMatch(/《.+》/);
    const team = await db.query<{ inspector_id: string }>(sql`SELECT inspector_id FROM draw_teams WHERE draw_id = ${drawId} AND object_id = ${objectId} ORDER BY department_code, position`);
    expect(body.team.map((m: { inspectorId: string }) => m.inspectorId)).toEqual(team.map((m) => m.inspector_id));
    expect(body.object).toMatchObject({ id: objectId, regionZh: expect.stringMatching(/市/) });
    expect(body.joint).toBe(false);

    expect((await call('operatorTAX', 'GET', `/api/visits/${drawId}/${objectId}`)).json().error).toBe('task.other_department');
    expect((await call('analyst', 'GET', `/api/visits/${drawId}/${objectId}`)).statusCode).toBe(403);
    expect((await call('leader', 'GET', `/api/visits/${drawId}/NOT-SELECTED`)).json().error).toBe('result.not_selected');
  });

  it('attaches two photos to an entered result, shows them inside only, and publishes the result without them', async () => {
    holdClock(IN_WINDOW);
    const [, drawId, objectId] = resultUrl.split('/').slice(2);
    expect((await upload('operatorSAMR', 'a.png', EVIDENCE_PNG)).json().error).toBe('result.not_entered');
    const entered = await call('operatorSAMR', 'POST', '/api/results', { drawId, objectId, itemCode: 'SAMR-001', outcomeCode: 'FIXED', inspectedOn: '2026-05-13' });
    expect(entered.statusCode).toBe(201);

    const first = await upload('operatorSAMR', '现场照片1.png', EVIDENCE_PNG, '?takenBy=%E5%BC%A0%E6%A3%80%E6%9F%A5&takenAt=2026-05-13T10:15:00%2B08:00');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ number: 1, mediaType: 'image/png', filename: '现场照片1.png', takenBy: '张检查', takenAt: '2026-05-13T02:15:00.000Z', addedBy: 't-op-samr' });
    const second = await upload('operatorSAMR', 'photo2.jpg', EVIDENCE_JPEG);
    expect(second.json()).toMatchObject({ number: 2, mediaType: 'image/jpeg', takenBy: 't-op-samr', takenAt: IN_WINDOW.toISOString() });

    // A text file named .jpg is refused by its content; another department may neither attach nor read.
    const fake = await upload('operatorSAMR', 'fake.jpg', Buffer.from('not a photo at all'));
    expect(fake.statusCode).toBe(400);
    expect(fake.json()).toMatchObject({ error: 'result.invalid', params: { field: 'file', value: 'fake.jpg' } });
    expect((await upload('operatorSAMR', 'late.png', EVIDENCE_PNG, '?takenAt=2027-01-01T00:00:00Z')).json().params).toMatchObject({ field: 'takenAt' });
    expect((await upload('operatorTAX', 'x.png', EVIDENCE_PNG)).statusCode).toBe(403);
    expect((await call('operatorTAX', 'GET', `${resultUrl}/evidence`)).json().error).toBe('result.evidence_forbidden');
    expect((await call('analyst', 'GET', `${resultUrl}/evidence`)).statusCode).toBe(403);
    expect((await call('anonymous', 'GET', `${resultUrl}/evidence/1`)).statusCode).toBe(401);

    const listed = await call('leader', 'GET', `${resultUrl}/evidence`);
    expect(listed.json().evidence.map((e: { number: number; sha256: string }) => e.number)).toEqual([1, 2]);
    const file = await call('operatorSAMR', 'GET', `${resultUrl}/evidence/1`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.rawPayload.equals(EVIDENCE_PNG)).toBe(true);
    expect((await call('leader', 'GET', `${resultUrl}/evidence/9`)).statusCode).toBe(404);

    // The audit entry carries each file's hash.
    const audited = await db.query<{ sha256: string }>(sql`SELECT payload->>'sha256' AS sha256 FROM audit_log WHERE action = 'result.evidence' ORDER BY seq`);
    expect(audited.map((a) => a.sha256)).toEqual(listed.json().evidence.map((e: { sha256: string }) => e.sha256));

    expect((await call('admin', 'POST', `${resultUrl}/publish`)).statusCode).toBe(200);
    const shown = await call('anonymous', 'GET', `/api/public/results?q=${objectId}`);
    expect(shown.json().total).toBe(1);
    for (const hidden of ['evidence', 'sha256', '现场照片', 'photo2', '张检查']) expect(shown.body).not.toContain(hidden);

    expect(await verifyEvidence(db)).toMatchObject({ ok: true, files: 2, problems: [] });
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('audit verify names a changed file, a missing file and an edited row', async () => {
    const evidence = (await call('leader', 'GET', `${resultUrl}/evidence`)).json().evidence as { id: string; sha256: string }[];
    const [png, jpeg] = evidence;
    const pngPath = evidenceFile(evidenceDir(db), png.sha256);
    const original = readFileSync(pngPath);
    writeFileSync(pngPath, Buffer.concat([original, Buffer.from([0])]));
    await db.exec(sql`UPDATE result_evidence SET sha256 = ${'0'.repeat(64)} WHERE id = ${jpeg.id}`);
    const verdict = await verifyEvidence(db);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([
      { evidenceId: png.id, sha256: png.sha256, problem: 'file_changed' },
      { evidenceId: jpeg.id, sha256: jpeg.sha256, problem: 'row_changed' },
    ]);
    writeFileSync(pngPath, original);
    await db.exec(sql`UPDATE result_evidence SET sha256 = ${jpeg.sha256} WHERE id = ${jpeg.id}`);
    expect((await verifyEvidence(db)).ok).toBe(true);
  });
});
