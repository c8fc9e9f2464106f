// A results round trip through HTTP alone: the inspecting department's operator enters, corrects, reviews the free
// text and publishes; the public reads it redacted. Another department's operator is refused with 403.
import { sql } from '../db/sql.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { apiForBlock, holdClock, type App, type TestApi } from './test-support.ts';
import type { DrawHeader } from '../draw/lifecycle.ts';
import { WorkCalendar } from '../reference/load.ts';
import { publicationDueOn } from '../results/deadline.ts';
import { IN_WINDOW, resultsDb, staffedObject } from '../results/results.fixture.ts';

describe('results over HTTP', () => {
  let draw: DrawHeader;
  let db: Db;
  let app: App;
  let call: TestApi['call'];
  let drawId: string;
  let objectId: string;
  let inspectorName: string;

  apiForBlock((api) => ({ app, call } = api), async () => {
    const opened = await resultsDb();
    ({ db, draw } = opened);
    drawId = draw.id;
    objectId = (await staffedObject(db, drawId)).id;
    // An individual business whose name carries its operator's name.
    await db.exec(sql`UPDATE objects SET name = '深圳市福田区张三明便利店', entity_type = 'individual', legal_representative = '张三明' WHERE id = ${objectId}`);
    inspectorName = (await db.one<{ name: string }>(
      sql`SELECT i.name FROM draw_teams m JOIN inspectors i ON i.id = m.inspector_id WHERE m.draw_id = ${drawId} AND m.object_id = ${objectId} ORDER BY m.position LIMIT 1`,
    ))!.name;
    return opened;
  });
  afterEach(() => vi.useRealTimers());

  const at = holdClock;

  it('enter as the inspecting department, correct, review, publish, read redacted from the public route', async () => {
    at(IN_WINDOW);
    const resultUrl = `/api/results/${drawId}/${objectId}/SAMR-001`;

    const assigned = await call('operatorSAMR', 'GET', `/api/results/assignments?drawId=${drawId}&state=not_entered&limit=100`);
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json().assignments).toContainEqual(expect.objectContaining({ drawId, objectId, itemCode: 'SAMR-001', state: 'not_entered', dueIsLatest: true }));

    const findings = `${inspectorName}现场检查：经营者张三明未按时公示年度报告，供货商为某某商贸（商业秘密）`;
    const entry = { drawId, objectId, itemCode: 'SAMR-001', outcomeCode: 'NOT_DISCLOSED', findings, inspectedOn: '2026-05-13' };
    const refused = await call('operatorTAX', 'POST', '/api/results', entry);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/SAMR/);

    const entered = await call('operatorSAMR', 'POST', '/api/results', entry);
    expect(entered.statusCode).toBe(201);
    const calendar = await WorkCalendar.fromDb(db);
    expect(entered.json()).toMatchObject({ version: 1, departmentCode: 'SAMR', outcomeCode: 'NOT_DISCLOSED', findingsReview: 'pending', enteredBy: 't-op-samr', dueOn: publicationDueOn(calendar, '2026-05-13') });
    expect((await call('operatorSAMR', 'POST', '/api/results', entry)).statusCode).toBe(409);

    const corrected = await call('operatorSAMR', 'PUT', resultUrl, { outcomeCode: 'FIXED', reason: '当场已责令改正' });
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json()).toMatchObject({ version: 2, outcomeCode: 'FIXED' });
    expect((await call('operatorTAX', 'PUT', resultUrl, { outcomeCode: 'PENDING', reason: '他部门' })).statusCode).toBe(403);
    expect((await call('operatorSAMR', 'PUT', resultUrl, { outcomeCode: 'PENDING' })).statusCode).toBe(400);

    const published = await call('operatorSAMR', 'POST', `${resultUrl}/publish`);
    expect(published.statusCode).toBe(200);
    expect(published.json().publishedAt).toBe(IN_WINDOW.toISOString());

    // Published, free text not yet reviewed: the public sees the outcome, not the text.
    const first = await call('anonymous', 'GET', `/api/public/results?q=${objectId}`);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ total: 1, findings: 1 });
    expect(first.json().results[0]).toMatchObject({ objectId, entityName: '深圳市福田区张*明便利店', outcomeCode: 'FIXED', outcomeNameZh: '发现问题已责令改正', findings: null, departmentNameZh: '市场监督管理局' });

    const review = { decision: 'approved', publicText: `${inspectorName}现场检查：经营者张三明未按时公示年度报告`, note: '删去供货商（商业秘密）' };
    // four eyes: the operator who entered the result does not approve its free text
    const own = await call('operatorSAMR', 'POST', `${resultUrl}/review`, review);
    expect(own.statusCode).toBe(403);
    expect(own.json().error).toBe('result.four_eyes');
    const withPhone = await call('admin', 'POST', `${resultUrl}/review`, { ...review, publicText: `${review.publicText}，电话 13800138000` });
    expect(withPhone.statusCode).toBe(409);
    expect(withPhone.json().error).toBe('result.personal_data');
    const reviewed = await call('admin', 'POST', `${resultUrl}/review`, review);
    expect(reviewed.statusCode).toBe(200);
    expect(reviewed.json()).toMatchObject({ version: 4, findingsReview: 'approved', reviewedBy: 't-admin' });

    const search = await call('anonymous', 'GET', '/api/public/results?q=便利店&limit=10');
    expect(search.statusCode).toBe(200);
    const page = search.json();
    expect(page).toMatchObject({ total: 1, limit: 10, offset: 0, findings: 1, byOutcome: [{ code: 'FIXED', nameZh: '发现问题已责令改正', isFinding: true, results: 1 }] });
    const shown = page.results[0];
    expect(shown).toMatchObject({
      objectId,
      entityName: '深圳市福田区张*明便利店',
      entityType: 'individual',
      itemCode: 'SAMR-001',
      itemNameZh: '企业公示信息检查',
      departmentCode: 'SAMR',
      outcomeCode: 'FIXED',
      isFinding: true,
      findings: '***现场检查：经营者张*明未按时公示年度报告',
      inspectedOn: '2026-05-13',
      publishedAt: IN_WINDOW.toISOString(),
    });
    for (const secret of ['张三明', inspectorName, '商业秘密', '某某商贸', 'legalRepresentative', 'tier', 'inspector'])
      expect(search.body, secret).not.toContain(secret);
    // The search runs on the public name: the real name does not find (and so does not confirm) the entity.
    expect((await call('anonymous', 'GET', '/api/public/results?q=张三明')).json().total).toBe(0);
    expect((await call('anonymous', 'GET', `/api/public/results?q=${objectId.toLowerCase()}`)).json().total).toBe(1);

    const history = await call('operatorSAMR', 'GET', `${resultUrl}/history`);
    expect(history.statusCode).toBe(200);
    expect(history.json().history.map((h: { version: number; change: string; changedBy: string; reason: string | null }) => [h.version, h.change, h.changedBy, h.reason])).toEqual([
      [1, 'enter', 't-op-samr', null],
      [2, 'correct', 't-op-samr', '当场已责令改正'],
      [3, 'publish', 't-op-samr', null],
      [4, 'review', 't-admin', '删去供货商（商业秘密）'],
    ]);
    expect(history.json().history[1]).toMatchObject({ before: { outcomeCode: 'NOT_DISCLOSED' }, after: { outcomeCode: 'FIXED' }, changedAt: IN_WINDOW.toISOString() });
    expect((await call('operatorTAX', 'GET', `${resultUrl}/history`)).statusCode).toBe(403);
    expect((await call('leader', 'GET', `${resultUrl}/history`)).statusCode).toBe(200);
    expect((await call('operatorSAMR', 'POST', `${resultUrl}/publish`)).statusCode).toBe(409);
  });

  it('departments see only their own listings; unknown draws are 404; bodies are validated', async () => {
    at(IN_WINDOW);
    expect((await call('operatorTAX', 'GET', '/api/results/assignments?department=SAMR')).statusCode).toBe(403);
    expect((await call('operatorTAX', 'GET', '/api/results/assignments')).json()).toMatchObject({ total: 0 });
    expect((await call('leader', 'GET', '/api/results/assignments?department=SAMR')).json().total).toBe(draw.counts.selected * 2);
    // Ordered on the server by a column of the list; an unknown column is refused.
    const byName = (await call('leader', 'GET', '/api/results/assignments?department=SAMR&sort=objectName&direction=descending&limit=100')).json();
    const names = byName.assignments.map((a: { objectName: string }) => a.objectName);
    expect(names).toEqual([...names].sort((x: string, y: string) => (x < y ? 1 : x > y ? -1 : 0)));
    expect((await call('leader', 'GET', '/api/results/assignments?sort=inspectorIds')).statusCode).toBe(400);
    expect((await call('analyst', 'POST', '/api/results', {})).statusCode).toBe(403);
    const missing = await call('operatorSAMR', 'POST', '/api/results', { drawId: 'D2026-9999', objectId, itemCode: 'SAMR-001', outcomeCode: 'FIXED', inspectedOn: '2026-05-13' });
    expect(missing.statusCode).toBe(404);
    const badDate = await call('operatorSAMR', 'POST', '/api/results', { drawId, objectId, itemCode: 'SAMR-002', outcomeCode: 'FIXED', inspectedOn: '13/05/2026' });
    expect(badDate.statusCode).toBe(400);
    const unknownOutcome = await call('operatorSAMR', 'POST', '/api/results', { drawId, objectId, itemCode: 'SAMR-002', outcomeCode: 'GOOD', inspectedOn: '2026-05-13' });
    expect(unknownOutcome.statusCode).toBe(400);
    expect(unknownOutcome.json().message).toMatch(/outcomeCode = "GOOD"/);
  });

  it('the deadline report: 20 working days from inspection, overdue once passed', async () => {
    at(new Date('2026-08-03T09:00:00+08:00'));
    const report = await call('operatorSAMR', 'GET', `/api/results/deadlines?drawId=${drawId}`);
    expect(report.statusCode).toBe(200);
    const body = report.json();
    expect(body.today).toBe('2026-08-03');
    expect(body.counts.publishedOnTime).toBe(1);
    expect(body.counts.overdue).toBe(draw.counts.selected * 2 - 1);
    expect(body.overdue.every((a: { deadline: string; workingDaysLeft: number }) => a.deadline === 'overdue' && a.workingDaysLeft < 0)).toBe(true);
    expect((await call('operatorTAX', 'GET', '/api/results/deadlines?department=SAMR')).statusCode).toBe(403);
  });
});
