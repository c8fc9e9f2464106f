// Auditors' attestations over HTTP on a real DuckDB file: an auditor downloads the auditor package, has the server
// verify the draw ('dashboard') and uploads the package the CLI exported ('upload'); both record the same package
// hash. Nobody else attests, an auditor changes nothing else, a package of another draw is refused naming the field,
// a tampered package is recorded as a failure, and the public draw page lists attestations without the auditor's name.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { headersFor } from '../auth/test-support.ts';
import { commitDraw, enterBeacon, runDraw } from '../draw/lifecycle.ts';
import { BEACON_AT, declaredBeacon, NOW, openDirectory, RUN_AT, samrTask, shenzhenPlan } from '../draw/lifecycle.fixture.ts';
import { unzipToMemory, zipFromMemory } from '../draw/zip.test-support.ts';
import { apiForBlock, type App, type TestApi } from './test-support.ts';
import { multipartFile } from './routes/uploads.test-support.ts';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** docs/fd2.md §6, computed here independently of the engine: over the files sorted by name, name TAB H(bytes) LF. */
const packageHash = (files: Map<string, Buffer>) =>
  sha256([...files.keys()].sort().map((name) => `${name}\t${sha256(files.get(name)!)}\n`).join(''));

async function drawnDraw(db: Db, name: string): Promise<string> {
  const task = await samrTask(db, await shenzhenPlan(db), { name });
  const draw = await commitDraw(db, task.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) });
  await enterBeacon(db, draw.id, '上证指数 2026-03-02 收盘 3350.12', { actor: 'op', now: BEACON_AT });
  await runDraw(db, draw.id, { actor: 'op', now: RUN_AT });
  return draw.id;
}

describe('attestations over HTTP', () => {
  let db: Db;
  let app: App;
  let call: TestApi['call'];
  apiForBlock((api, t) => {
    ({ app, call } = api);
    db = t.db;
  }, openDirectory);

  const upload = async (drawId: string, zip: Buffer) => {
    const body = multipartFile(`${drawId}.zip`, zip, 'application/zip');
    return app.inject({ method: 'POST', url: `/api/draws/${drawId}/attestations/upload`, headers: { ...(await headersFor(db, 'auditor')), ...body.headers }, payload: body.payload });
  };

  it('an auditor verifies a draw in the dashboard and by upload; others may not attest; the public page lists role and department', async () => {
    const drawId = await drawnDraw(db, '审计核验测试');
    const otherId = await drawnDraw(db, '另一个抽取');

    const exported = await call('auditor', 'GET', `/api/draws/${drawId}/export?package=auditor`);
    expect(exported.statusCode, exported.body.slice(0, 200)).toBe(200);
    const files = await unzipToMemory(exported.rawPayload);
    expect(JSON.parse(files.get('manifest.json')!.toString('utf8'))).toMatchObject({ protocol: 'fd2', package: 'auditor' });

    // Only auditors attest: an admin is not independent, an operator and a leader only read.
    for (const caller of ['admin', 'operatorSAMR', 'leader'] as const) expect((await call(caller, 'POST', `/api/draws/${drawId}/attestations`, { source: 'dashboard' })).statusCode, caller).toBe(403);
    // An auditor changes nothing else.
    expect((await call('auditor', 'POST', `/api/draws/${drawId}/void`, { reason: '审计人员不得作废' })).statusCode).toBe(403);

    const dashboard = await call('auditor', 'POST', `/api/draws/${drawId}/attestations`, { source: 'dashboard' });
    expect(dashboard.statusCode, dashboard.body).toBe(201);
    expect(dashboard.json()).toMatchObject({ drawId, username: 't-auditor', role: 'auditor', department: 'SAMR', result: 'pass', source: 'dashboard', report: { verified: true, message: 'fd2 verified' } });
    expect(dashboard.json().packageSha256).toBe(packageHash(files));

    const uploaded = await upload(drawId, exported.rawPayload);
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    expect(uploaded.json()).toMatchObject({ result: 'pass', source: 'upload', packageSha256: packageHash(files) });

    // The package of another draw is refused, naming the manifest field that differs; a public package (selected.csv,
    // which is none of the six files) is refused by the zip check.
    const other = await upload(drawId, (await call('auditor', 'GET', `/api/draws/${otherId}/export?package=auditor`)).rawPayload);
    expect(other.statusCode).toBe(400);
    expect(other.json()).toMatchObject({ error: 'attestation.other_package', params: { field: 'task_id' } });
    expect(other.json().message).toMatch(/task_id/);
    const publicPackage = await upload(drawId, (await call('auditor', 'GET', `/api/draws/${drawId}/export`)).rawPayload);
    expect(publicPackage.statusCode).toBe(400);
    // A public package unpacks (its selected.csv is known) but is not the auditor package this attests.
    expect(publicPackage.json()).toMatchObject({ error: 'attestation.other_package', params: { field: 'package' } });

    // A tampered package is verified by the server, not trusted: recorded as a failure with the first mismatch.
    const teams = files.get('teams.csv')!.toString('utf8').split('\n');
    const [objectId, department, inspector] = teams[1].split(',');
    teams[1] = `${objectId},${department},${inspector === 'SZ-SAMR-01' ? 'SZ-SAMR-02' : 'SZ-SAMR-01'}`;
    const tampered = new Map(files).set('teams.csv', Buffer.from(teams.join('\n')));
    const failed = await upload(drawId, await zipFromMemory(tampered));
    expect(failed.statusCode, failed.body).toBe(201);
    expect(failed.json()).toMatchObject({ result: 'fail', packageSha256: packageHash(tampered), report: { verified: false, firstMismatch: { file: 'teams.csv' } } });

    const listed = (await call('operatorSAMR', 'GET', `/api/draws/${drawId}/attestations`)).json().attestations;
    expect(listed.map((a: { source: string; result: string }) => `${a.source}:${a.result}`)).toEqual(['dashboard:pass', 'upload:pass', 'upload:fail']);

    const audit = await db.query<{ actor: string; payload: string }>(sql`SELECT actor, payload FROM audit_log WHERE action = 'draw.attest' AND subject = ${drawId} ORDER BY seq`);
    expect(audit.map((a) => [a.actor, JSON.parse(a.payload).result, JSON.parse(a.payload).packageSha256])).toEqual([
      ['t-auditor', 'pass', packageHash(files)],
      ['t-auditor', 'pass', packageHash(files)],
      ['t-auditor', 'fail', packageHash(tampered)],
    ]);

    const portal = await app.inject({ method: 'GET', url: `/api/public/draws/${drawId}` });
    expect(portal.statusCode).toBe(200);
    expect(portal.json().attestations).toEqual([
      { role: 'auditor', department: 'SAMR', attestedAt: expect.any(String), packageSha256: packageHash(files), result: 'pass', source: 'dashboard' },
      { role: 'auditor', department: 'SAMR', attestedAt: expect.any(String), packageSha256: packageHash(files), result: 'pass', source: 'upload' },
      { role: 'auditor', department: 'SAMR', attestedAt: expect.any(String), packageSha256: packageHash(tampered), result: 'fail', source: 'upload' },
    ]);
    expect(portal.body).not.toContain('t-auditor');
    expect((await app.inject({ method: 'GET', url: `/api/public/draws/${otherId}` })).json().attestations).toEqual([]);
  });
});
