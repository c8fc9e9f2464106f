// Plans, tasks and draws through HTTP alone: plan -> task -> commit -> beacon -> run -> detail -> export zip (the
// auditor package for admins; the lead operator gets the public package and a 403 for the auditor one) -> upload it to verify ("fd1 verified"; a tampered zip names the first mismatch), void keeping the record, the
// special-task approval, department limits (403), and the audit trail of the task.
import { sql } from '../db/sql.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { apiForBlock, holdClock, type App, type TestApi } from './test-support.ts';
import { headersFor, type Caller } from '../auth/test-support.ts';
import { BEACON_AT, BEACON_SOURCE, NOW, openDirectory, WINDOW } from '../draw/lifecycle.fixture.ts';
import { formatShanghai } from '../kernel/time.ts';

/** The beacon each commit declares (fd2 §1): due an hour after NOW. */
const DECLARED = { beaconSource: BEACON_SOURCE, beaconDue: formatShanghai(BEACON_AT) };
import { DRAW_FILES } from '../draw/files.ts';
import { multipartFile } from './routes/uploads.test-support.ts';
import { unzipToMemory, zipFromMemory } from '../draw/zip.test-support.ts';

const BEACON = '深证成指 2026-03-02 收盘 10234.56';

describe('plans, tasks and draws over HTTP', () => {
  let db: Db;
  let app: App;
  let call: TestApi['call'];
  let planId: string;

  apiForBlock((api, t) => {
    ({ app, call } = api);
    db = t.db;
  }, openDirectory);
  afterEach(() => vi.useRealTimers());

  /** Commit and draw happen on NOW (2026-03-01), before the fixture's window. */
  const atNow = () => holdClock(NOW);
  async function samrTask(caller: Caller = 'operatorSAMR', overrides: object = {}) {
    const response = await call(caller, 'POST', '/api/tasks', { planId, kind: 'general', name: '企业公示信息与食品经营抽查', items: ['SAMR-001', 'SAMR-002'], ...WINDOW, ...overrides });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  it('plan -> task -> commit -> beacon -> run -> detail -> export zip -> upload verify; a tampered zip names the first mismatch', async () => {
    atNow();
    const plan = await call('operatorSAMR', 'POST', '/api/plans', { year: 2026, jurisdictionRegionCode: '440300', leadDepartment: 'SAMR', name: '深圳市市场监管局 2026 年度抽查计划' });
    expect(plan.statusCode, plan.body).toBe(201);
    planId = plan.json().id;
    expect(plan.json()).toMatchObject({ year: 2026, leadDepartment: 'SAMR', createdBy: 't-op-samr' });
    expect((await call('operatorTAX', 'POST', '/api/plans', { year: 2026, jurisdictionRegionCode: '440300', leadDepartment: 'SAMR', name: 'x' })).statusCode).toBe(403);
    expect((await call('leader', 'GET', '/api/plans')).json().plans.map((p: { id: string }) => p.id)).toContain(planId);

    // A bad item is a 400 naming the field and value.
    const bad = await call('operatorSAMR', 'POST', '/api/tasks', { planId, kind: 'general', name: 'x', items: ['SAMR-999'], ...WINDOW });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/items\[0\].*SAMR-999/);

    const task = await samrTask();
    expect(task).toMatchObject({ kind: 'general', status: 'ready', leadDepartment: 'SAMR', departments: ['SAMR'], createdBy: 't-op-samr' });
    const listed = (await call('operatorSAMR', 'GET', '/api/tasks')).json().tasks;
    expect(listed.find((x: { id: string }) => x.id === task.id)).toMatchObject({ stage: 'ready', liveDraw: null, draws: 0 });

    const shown = (await call('analyst', 'GET', `/api/tasks/${task.id}`)).json();
    expect(shown.checklist.map((c: { code: string }) => c.code)).toEqual(['SAMR-001', 'SAMR-002']);
    expect(shown.teamSpec).toEqual([{ department: 'SAMR', count: 2 }]);
    expect(Object.keys(shown.ratiosInEffect)).toEqual(['A', 'B', 'C', 'D']);

    const committed = await call('operatorSAMR', 'POST', `/api/tasks/${task.id}/draws`, DECLARED);
    expect(committed.statusCode, committed.body).toBe(201);
    const draw = committed.json();
    expect(draw).toMatchObject({ taskId: task.id, status: 'committed', protocol: 'fd2', digest: 'salted', beaconSource: DECLARED.beaconSource, beaconDue: BEACON_AT.toISOString(), beacon: null });
    expect(draw.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(draw.populationDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(draw).not.toHaveProperty('secret');
    expect((await call('operatorSAMR', 'POST', `/api/tasks/${task.id}/draws`, DECLARED)).statusCode).toBe(409); // no second live draw
    expect((await call('operatorSAMR', 'POST', `/api/draws/${draw.id}/run`, {})).statusCode).toBe(409); // no beacon yet

    expect((await call('operatorSAMR', 'POST', `/api/draws/${draw.id}/beacon`, { beacon: '' })).statusCode).toBe(400);
    const early = await call('operatorSAMR', 'POST', `/api/draws/${draw.id}/beacon`, { beacon: BEACON });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: 'draw.beacon_not_due' });
    holdClock(BEACON_AT);
    const beaconed = await call('operatorSAMR', 'POST', `/api/draws/${draw.id}/beacon`, { beacon: BEACON });
    expect(beaconed.json()).toMatchObject({ status: 'beaconed', beacon: BEACON, beaconedBy: 't-op-samr' });
    const drawn = await call('operatorSAMR', 'POST', `/api/draws/${draw.id}/run`, {});
    expect(drawn.statusCode, drawn.body).toBe(200);
    expect(drawn.json()).toMatchObject({ status: 'drawn', grindProof: true, drawnBy: 't-op-samr' });
    expect((await call('operatorSAMR', 'POST', `/api/draws/${draw.id}/run`, {})).statusCode).toBe(409); // never re-run

    const detail = (await call('leader', 'GET', `/api/draws/${draw.id}?limit=1000`)).json();
    expect(detail).not.toHaveProperty('secret');
    expect(detail).not.toHaveProperty('seed');
    expect(detail.selection.total).toBe(detail.counts.selected);
    expect(detail.selection.rows).toHaveLength(detail.counts.selected);
    const members = detail.selection.rows.reduce((n: number, r: { team: unknown[] }) => n + r.team.length, 0);
    expect(members).toBe(detail.counts.teamMembers);
    expect(detail.selection.rows[0]).toMatchObject({ drawOrder: 1, rank: expect.any(Number), name: expect.stringMatching(/^测试主体/) });
    expect(detail.selection.rows[0].team[0]).toMatchObject({ department: 'SAMR', inspectorId: expect.stringMatching(/^SZ-SAMR-/), inspectorName: expect.stringMatching(/^检查员/) });
    expect(detail.unstaffed).toHaveLength(detail.counts.unstaffedObjects);
    const stored = await db.query<{ object_id: string; inspector_id: string }>(sql`SELECT object_id, inspector_id FROM draw_teams WHERE draw_id = ${draw.id} ORDER BY object_id, inspector_id`);
    const shownTeams = detail.selection.rows.flatMap((r: { objectId: string; team: Array<{ inspectorId: string }> }) => r.team.map((m) => ({ object_id: r.objectId, inspector_id: m.inspectorId })));
    expect(shownTeams.sort((a: { object_id: string; inspector_id: string }, b: { object_id: string; inspector_id: string }) => (a.object_id + a.inspector_id < b.object_id + b.inspector_id ? -1 : 1))).toEqual(stored);
    const page = (await call('leader', 'GET', `/api/draws/${draw.id}?limit=2&offset=1`)).json().selection;
    expect(page.rows.map((r: { objectId: string }) => r.objectId)).toEqual(detail.selection.rows.slice(1, 3).map((r: { objectId: string }) => r.objectId));

    const exported = await call('admin', 'GET', `/api/draws/${draw.id}/export?package=auditor`);
    expect(exported.statusCode, exported.body.slice(0, 200)).toBe(200);
    expect(exported.headers['content-type']).toBe('application/zip');
    expect(exported.headers['content-disposition']).toBe(`attachment; filename="${draw.id}-fd2-auditor.zip"`);
    const files = await unzipToMemory(exported.rawPayload);
    expect([...files.keys()].sort()).toEqual([...DRAW_FILES].sort());
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest).toMatchObject({ protocol: 'fd2', package: 'auditor', task_id: task.id, commitment: draw.commitment, beacon: BEACON });

    // The lead department's operator gets the public package only: asking for the auditor package is refused, and
    // the public zip carries no secret, seed, stratum label or key.
    const refusedAuditor = await call('operatorSAMR', 'GET', `/api/draws/${draw.id}/export?package=auditor`);
    expect(refusedAuditor.statusCode).toBe(403);
    expect(refusedAuditor.json()).toMatchObject({ error: 'draw.auditor_package_forbidden', params: { drawId: draw.id, role: 'operator' } });
    // The draw page tells each caller whether the auditor package is theirs, as the export answers it.
    for (const [caller, may] of [['admin', true], ['auditor', true], ['leader', false], ['analyst', false], ['operatorSAMR', false]] as const)
      expect((await call(caller, 'GET', `/api/draws/${draw.id}?limit=1`)).json().mayDownloadAuditorPackage, caller).toBe(may);
    const publicZip = await call('operatorSAMR', 'GET', `/api/draws/${draw.id}/export`);
    expect(publicZip.statusCode, publicZip.body.slice(0, 200)).toBe(200);
    expect(publicZip.headers['content-disposition']).toBe(`attachment; filename="${draw.id}-fd2-public.zip"`);
    const publicFiles = await unzipToMemory(publicZip.rawPayload);
    expect([...publicFiles.keys()]).toEqual(['manifest.json']); // the window has not closed: no selected.csv yet
    const publicText = [...publicFiles.values()].map((b) => b.toString('utf8')).join('\n');
    expect(JSON.parse(publicFiles.get('manifest.json')!.toString('utf8'))).toMatchObject({ protocol: 'fd2', package: 'public', commitment: draw.commitment });
    const keys = files.get('selection.csv')!.toString('utf8').trim().split('\n').slice(1).map((line) => line.split(',')[2]);
    for (const secretValue of [manifest.secret, manifest.seed, ...keys]) expect(publicText).not.toContain(secretValue);
    for (const field of ['"secret"', '"seed"', '"key"', '"rank"', '"stratum"']) expect(publicText).not.toContain(field);

    const upload = multipartFile(`${draw.id}-fd2.zip`, exported.rawPayload, 'application/zip');
    const verified = await app.inject({ method: 'POST', url: '/api/draws/verify', headers: { ...(await headersFor(db, 'operatorTAX')), ...upload.headers }, payload: upload.payload });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({ verified: true, message: 'fd2 verified' });
    expect(verified.json().checks.length).toBeGreaterThan(5);

    const teams = files.get('teams.csv')!.toString('utf8').split('\n');
    const [objectId, department, inspector] = teams[1].split(',');
    const other = inspector === 'SZ-SAMR-01' ? 'SZ-SAMR-02' : 'SZ-SAMR-01';
    teams[1] = `${objectId},${department},${other}`;
    const tampered = new Map(files).set('teams.csv', Buffer.from(teams.join('\n')));
    const badUpload = multipartFile('tampered.zip', await zipFromMemory(tampered), 'application/zip');
    const refused = await app.inject({ method: 'POST', url: '/api/draws/verify', headers: { ...(await headersFor(db, 'analyst')), ...badUpload.headers }, payload: badUpload.payload });
    expect(refused.statusCode).toBe(200);
    expect(refused.json().verified).toBe(false);
    expect(refused.json().firstMismatch).toMatchObject({ file: 'teams.csv', line: 2 });
    expect(refused.json().message).toContain('teams.csv line 2');

    // Not a zip of the six files: 400; not multipart: 415.
    const stray = multipartFile('stray.zip', await zipFromMemory(new Map(files).set('notes/readme.txt', Buffer.from('x'))));
    const strayAnswer = await app.inject({ method: 'POST', url: '/api/draws/verify', headers: { ...(await headersFor(db, 'analyst')), ...stray.headers }, payload: stray.payload });
    expect(strayAnswer.statusCode).toBe(400);
    expect((await call('analyst', 'POST', '/api/draws/verify', {})).statusCode).toBe(415);

    const badge = await call('operatorSAMR', 'GET', `/api/draws/${draw.id}/verify`);
    expect(badge.statusCode, badge.body).toBe(200);
    expect(badge.json()).toMatchObject({ drawId: draw.id, verified: true, message: 'fd2 verified' });

    // The trail of the task: every step, in chain order, by whom.
    const trail = (await call('operatorSAMR', 'GET', `/api/audit?subject=${task.id}`)).json();
    expect(trail).toMatchObject({ subject: task.id, subjectKind: 'task', taskId: task.id });
    expect(trail.entries.map((e: { action: string; actor: string }) => `${e.action} ${e.actor}`)).toEqual([
      'task.create t-op-samr',
      'draw.commit t-op-samr',
      'draw.beacon t-op-samr',
      'draw.run t-op-samr',
    ]);
    expect((await call('operatorTAX', 'GET', `/api/audit?subject=${task.id}`)).statusCode).toBe(403);
    expect((await call('operatorTAX', 'GET', `/api/audit?subject=${draw.id}`)).statusCode).toBe(403);
    expect((await call('operatorTAX', 'GET', '/api/audit')).statusCode).toBe(400);
    const chain = (await call('leader', 'GET', '/api/audit/verify')).json();
    expect(chain).toMatchObject({ ok: true });
    expect(chain.entries).toBeGreaterThanOrEqual(6);
  });

  it('void needs a reason and keeps the record; a new draw is a new record', async () => {
    atNow();
    const task = await samrTask('admin', { name: '作废测试' });
    const draw = (await call('operatorSAMR', 'POST', `/api/tasks/${task.id}/draws`, DECLARED)).json();
    expect((await call('operatorSAMR', 'POST', `/api/draws/${draw.id}/void`, {})).statusCode).toBe(400);
    expect((await call('operatorTAX', 'POST', `/api/draws/${draw.id}/void`, { reason: '他部门' })).statusCode).toBe(403);
    const voided = await call('operatorSAMR', 'POST', `/api/draws/${draw.id}/void`, { reason: '范围录入有误' });
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json()).toMatchObject({ status: 'voided', voidReason: '范围录入有误', voidedBy: 't-op-samr', voidedFrom: 'committed' });
    expect((await call('operatorSAMR', 'POST', `/api/draws/${draw.id}/void`, { reason: '再次' })).statusCode).toBe(409);

    const again = await call('operatorSAMR', 'POST', `/api/tasks/${task.id}/draws`, DECLARED);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).not.toBe(draw.id);
    const shown = (await call('operatorSAMR', 'GET', `/api/tasks/${task.id}`)).json();
    expect(shown.draws.map((d: { id: string; status: string }) => [d.id, d.status])).toEqual([
      [draw.id, 'voided'],
      [again.json().id, 'committed'],
    ]);
    expect(shown).toMatchObject({ stage: 'committed', liveDraw: { id: again.json().id, status: 'committed' } });
    expect((await call('analyst', 'GET', `/api/draws/${draw.id}`)).json()).toMatchObject({ status: 'voided', voidReason: '范围录入有误' });
  });

  it('a partner department sees a joint draw but only the lead department commits, records the beacon, runs or voids it', async () => {
    atNow();
    const task = await samrTask('operatorSAMR', { name: '联合抽查：牵头部门才可操作', items: ['SAMR-001', 'TAX-001'], teamSpec: [{ department: 'SAMR', count: 2 }, { department: 'TAX', count: 1 }] });
    expect(task.departments).toEqual(['SAMR', 'TAX']);
    const refused = await call('operatorTAX', 'POST', `/api/tasks/${task.id}/draws`, DECLARED);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'draw.not_lead_department' });
    expect((await call('operatorTAX', 'POST', `/api/tasks/${task.id}/invitations/TAX`, { decision: 'accept' })).statusCode).toBe(200);
    const draw = (await call('operatorSAMR', 'POST', `/api/tasks/${task.id}/draws`, DECLARED)).json();
    expect((await call('operatorTAX', 'GET', `/api/draws/${draw.id}`)).statusCode).toBe(200);
    holdClock(BEACON_AT);
    for (const [url, body] of [
      [`/api/draws/${draw.id}/beacon`, { beacon: BEACON }],
      [`/api/draws/${draw.id}/run`, {}],
      [`/api/draws/${draw.id}/void`, { reason: '伙伴部门不得作废' }],
    ] as const) {
      const response = await call('operatorTAX', 'POST', url, body);
      expect(response.statusCode, url).toBe(403);
      expect(response.json().message).toMatch(/lead department \(SAMR\)|牵头部门（SAMR）/);
    }
    expect((await call('admin', 'POST', `/api/draws/${draw.id}/void`, { reason: '管理员可作废' })).statusCode).toBe(200);
  });

  it("a TAX operator's task of SAMR items and a SAMR team waits for SAMR's acceptance, recorded and audited", async () => {
    atNow();
    const task = await samrTask('operatorTAX', {
      name: '税务牵头、市场监管事项',
      leadDepartment: 'TAX',
      items: ['TAX-001', 'SAMR-001', 'SAMR-002'],
      teamSpec: [{ department: 'TAX', count: 1 }, { department: 'SAMR', count: 2 }],
    });
    expect(task).toMatchObject({ leadDepartment: 'TAX', departments: ['TAX', 'SAMR'] });
    const shown = (await call('operatorSAMR', 'GET', `/api/tasks/${task.id}`)).json();
    expect(shown.invitations).toEqual([expect.objectContaining({ department: 'SAMR', status: 'pending', invitedBy: 't-op-tax', decidedBy: null })]);
    // SAMR's inbox asks for an answer; TAX's lists the task as waiting, not as ready to commit.
    const samrInbox = (await call('operatorSAMR', 'GET', '/api/inbox')).json().items;
    expect(samrInbox).toContainEqual(expect.objectContaining({ source: 'invitation', subject: task.id, href: `/tasks/${task.id}` }));
    expect((await call('operatorTAX', 'GET', '/api/inbox')).json().items).not.toContainEqual(expect.objectContaining({ source: 'ready_to_commit', subject: task.id }));

    const pending = await call('operatorTAX', 'POST', `/api/tasks/${task.id}/draws`, DECLARED);
    expect(pending.statusCode).toBe(409);
    expect(pending.json()).toMatchObject({ error: 'task.invitations_pending' });
    expect(pending.json().message).toMatch(/SAMR accepted the invitation/);
    // TAX cannot answer for SAMR.
    const forged = await call('operatorTAX', 'POST', `/api/tasks/${task.id}/invitations/SAMR`, { decision: 'accept' });
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ error: 'department.other' });

    const accepted = await call('operatorSAMR', 'POST', `/api/tasks/${task.id}/invitations/SAMR`, { decision: 'accept' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ department: 'SAMR', status: 'accepted', decidedBy: 't-op-samr' });
    expect((await call('operatorSAMR', 'POST', `/api/tasks/${task.id}/invitations/SAMR`, { decision: 'decline' })).json()).toMatchObject({ error: 'task.invitation_answered' });
    const committed = await call('operatorTAX', 'POST', `/api/tasks/${task.id}/draws`, DECLARED);
    expect(committed.statusCode, committed.body).toBe(201);
    const trail = (await call('admin', 'GET', `/api/audit?subject=${task.id}`)).json().entries.map((e: { action: string; actor: string }) => `${e.action} ${e.actor}`);
    expect(trail.slice(0, 3)).toEqual(['task.create t-op-tax', 'task.invite t-op-tax', 'task.invitation_accept t-op-samr']);
  });

  it('a declined department keeps the draw waiting until the lead withdraws its items and team', async () => {
    atNow();
    const task = await samrTask('operatorSAMR', { name: '联合抽查：税务拒绝', items: ['SAMR-001', 'TAX-001'], teamSpec: [{ department: 'SAMR', count: 2 }, { department: 'TAX', count: 1 }] });
    expect((await call('operatorTAX', 'POST', `/api/tasks/${task.id}/invitations/TAX`, { decision: 'decline' })).json()).toMatchObject({ status: 'declined', decidedBy: 't-op-tax' });
    const refused = await call('operatorSAMR', 'POST', `/api/tasks/${task.id}/draws`, DECLARED);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'task.invitation_declined' });
    expect((await call('operatorTAX', 'POST', `/api/tasks/${task.id}/departments/TAX/withdraw`)).json()).toMatchObject({ error: 'draw.not_lead_department' });
    expect((await call('operatorSAMR', 'POST', `/api/tasks/${task.id}/departments/SAMR/withdraw`)).statusCode).toBe(400);
    const withdrawn = await call('operatorSAMR', 'POST', `/api/tasks/${task.id}/departments/TAX/withdraw`);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json()).toMatchObject({ departments: ['SAMR'], teamSpec: [{ department: 'SAMR', count: 2 }] });
    const shown = (await call('operatorSAMR', 'GET', `/api/tasks/${task.id}`)).json();
    expect(shown.checklist.map((c: { code: string }) => c.code)).toEqual(['SAMR-001']);
    expect(shown.invitations).toEqual([expect.objectContaining({ department: 'TAX', status: 'declined' })]);
    // No longer a partner: TAX does not reach the task any more.
    expect((await call('operatorTAX', 'GET', `/api/tasks/${task.id}`)).statusCode).toBe(403);
    expect((await call('operatorSAMR', 'POST', `/api/tasks/${task.id}/draws`, DECLARED)).statusCode).toBe(201);
  });

  it('an operator of another department gets 403 on the task and its draw, and does not see them listed', async () => {
    atNow();
    const task = await samrTask('operatorSAMR', { name: '部门隔离测试' });
    const draw = (await call('operatorSAMR', 'POST', `/api/tasks/${task.id}/draws`, DECLARED)).json();
    for (const [method, url] of [
      ['GET', `/api/tasks/${task.id}`],
      ['GET', `/api/draws/${draw.id}`],
      ['GET', `/api/draws/${draw.id}/export`],
      ['GET', `/api/draws/${draw.id}/verify`],
      ['POST', `/api/draws/${draw.id}/beacon`],
      ['POST', `/api/tasks/${task.id}/draws`],
    ] as const) {
      const response = await call('operatorTAX', method, url, method === 'POST' ? (url.endsWith('/beacon') ? { beacon: BEACON } : DECLARED) : undefined);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().message).toMatch(/TAX/);
    }
    expect((await call('operatorTAX', 'GET', '/api/tasks')).json().tasks.map((x: { id: string }) => x.id)).not.toContain(task.id);
    expect((await call('operatorTAX', 'GET', '/api/draws')).json().draws.map((x: { id: string }) => x.id)).not.toContain(draw.id);
    expect((await call('operatorTAX', 'GET', '/api/tasks?department=SAMR')).statusCode).toBe(403);

    // A TAX-only task: the SAMR operator cannot create one nor open it; the TAX operator can.
    const taxSpec = { planId, kind: 'general', name: '发票使用检查', leadDepartment: 'TAX', items: ['TAX-001'], ...WINDOW };
    expect((await call('operatorSAMR', 'POST', '/api/tasks', taxSpec)).statusCode).toBe(403);
    const taxTask = (await call('admin', 'POST', '/api/tasks', taxSpec)).json();
    expect((await call('operatorSAMR', 'GET', `/api/tasks/${taxTask.id}`)).statusCode).toBe(403);
    expect((await call('operatorTAX', 'GET', `/api/tasks/${taxTask.id}`)).statusCode).toBe(200);
    expect((await call('operatorTAX', 'GET', '/api/tasks')).json().tasks.map((x: { id: string }) => x.id)).toContain(taxTask.id);
  });

  it('a special task: analysts propose only special tasks, a leader approves, then the draw may be committed', async () => {
    atNow();
    const spec = { planId, kind: 'special', name: '罗湖区餐饮投诉上升专项抽查', items: ['SAMR-002'], scope: { regions: ['440303'], industries: ['H'] }, ratiosBp: { A: 5000, B: 5000, C: 8000, D: 10000 }, ...WINDOW };
    expect((await call('analyst', 'POST', '/api/tasks', { ...spec, kind: 'general' })).statusCode).toBe(403);
    expect((await call('leader', 'POST', '/api/tasks', { ...spec, kind: 'general' })).statusCode).toBe(403);
    const created = await call('analyst', 'POST', '/api/tasks', spec);
    expect(created.statusCode, created.body).toBe(201);
    const task = created.json();
    expect(task).toMatchObject({ kind: 'special', status: 'awaiting_approval', createdBy: 't-analyst', scope: { regions: ['440303'], industries: ['H'] } });
    expect((await call('operatorSAMR', 'POST', `/api/tasks/${task.id}/draws`, DECLARED)).statusCode).toBe(409);
    expect((await call('operatorSAMR', 'POST', `/api/tasks/${task.id}/approve`)).statusCode).toBe(403);
    const approved = await call('leader', 'POST', `/api/tasks/${task.id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'ready', approvedBy: 't-leader' });
    expect((await call('leader', 'POST', `/api/tasks/${task.id}/approve`)).statusCode).toBe(409);
    const draw = await call('operatorSAMR', 'POST', `/api/tasks/${task.id}/draws`, DECLARED);
    expect(draw.statusCode, draw.body).toBe(201);
    expect((await call('admin', 'GET', `/api/tasks/x`)).statusCode).toBe(404);
  });

  it('a leader raises a special task from an alert: approved as the leader in the same step, the evidence kept internal, only the public name public', async () => {
    atNow();
    const alert = {
      alertId: 'complaints:440303:H', kind: 'complaints', regionCode: '440303', industryCode: 'H', asOf: '2026-02-27', windowFrom: '2026-01-03',
      windowTo: '2026-02-27', observed: 41, expected: 12.5, ratio: 3.28, qValue: 3.5e-12, severity: 'high',
    };
    const spec = { planId, kind: 'special', name: '专项抽查：罗湖区住宿和餐饮业 12345投诉 41 件，预期 12.5 件（q=3.5e-12）', items: ['SAMR-002'], scope: { regions: ['440303'], industries: ['H'] }, ratiosBp: { A: 3000, B: 3000, C: 3000, D: 3000 }, alert, ...WINDOW };
    const created = await call('leader', 'POST', '/api/tasks', spec);
    expect(created.statusCode, created.body).toBe(201);
    const task = created.json();
    expect(task).toMatchObject({ status: 'ready', createdBy: 't-leader', approvedBy: 't-leader', alertEvidence: alert, publicName: '2026年罗湖区住宿和餐饮业专项抽查' });
    const trail = (await call('admin', 'GET', `/api/audit?subject=${task.id}`)).json();
    expect(trail.entries.map((e: { action: string; actor: string }) => `${e.action} ${e.actor}`)).toEqual(['task.create t-leader', 'task.approve t-leader']);
    const plans = (await call('anonymous', 'GET', '/api/public/plans')).json();
    const shown = JSON.stringify(plans);
    expect(shown).toContain('2026年罗湖区住宿和餐饮业专项抽查');
    expect(shown).not.toContain('q=');
    expect(shown).not.toContain('41 件');
    // The lead department's operators find it in their inbox, ready to commit; another department's do not.
    const inbox = await call('operatorSAMR', 'GET', '/api/inbox');
    expect(inbox.statusCode, inbox.body).toBe(200);
    expect(inbox.json().items).toContainEqual({ source: 'ready_to_commit', subject: task.id, title: { zh: spec.name, en: spec.name }, href: `/tasks/${task.id}`, count: null, dueOn: null });
    expect((await call('operatorTAX', 'GET', '/api/inbox')).json().items.map((i: { subject: string }) => i.subject)).not.toContain(task.id);
    const draw = await call('operatorSAMR', 'POST', `/api/tasks/${task.id}/draws`, DECLARED);
    expect(draw.statusCode, draw.body).toBe(201);
    const publicDraw = (await call('anonymous', 'GET', `/api/public/draws/${draw.json().id}`)).json();
    expect(publicDraw.taskName).toBe('2026年罗湖区住宿和餐饮业专项抽查');
  });
});
