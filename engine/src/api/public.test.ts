// The public portal against a confidential draw: before its window closes only the commitment and digest; after,
// the selection and teams by id; never a tier, never an inspector's name.
import { sql } from '../db/sql.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { apiForBlock, holdClock, type App } from './test-support.ts';
import { commitDraw, type DrawHeader } from '../draw/lifecycle.ts';
import { declaredBeacon, samrTask, shenzhenPlan } from '../draw/lifecycle.fixture.ts';
import { drawnSamrDraw, NOW, resultsDb } from '../results/results.fixture.ts';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipDrawFiles } from '../draw/zip.ts';
import { verifyDraw } from '../draw/verify/verify.ts';

const BEFORE_WINDOW_CLOSES = new Date('2026-06-30T23:59:00+08:00');
const AFTER_WINDOW_CLOSES = new Date('2026-07-01T00:00:01+08:00');

describe('public portal', () => {
  let draw: DrawHeader;
  let db: Db;
  let app: App;
  let drawId: string;
  let committedOnlyId: string;
  let selectedIds: string[];
  let inspectorNames: string[];
  let tiersBySelected: Map<string, string>;

  apiForBlock((api) => ({ app } = api), async () => {
    const opened = await resultsDb();
    ({ db, draw } = opened);
    drawId = draw.id;
    // A second task whose draw is only committed: its commitment is public at once, nothing else ever until drawn.
    const plan = await shenzhenPlan(db);
    const task = await samrTask(db, plan, { name: '2026 年第二批抽查' });
    committedOnlyId = (await commitDraw(db, task.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) })).id;
    selectedIds = (await db.query<{ object_id: string }>(sql`SELECT object_id FROM draw_selection WHERE draw_id = ${drawId} ORDER BY object_id`)).map((r) => r.object_id);
    inspectorNames = (await db.query<{ name: string }>(sql`SELECT name FROM inspectors`)).map((r) => r.name);
    tiersBySelected = new Map(
      (await db.query<{ object_id: string; tier: string }>(sql`SELECT s.object_id, r.tier FROM draw_selection s JOIN risk_scores r ON r.object_id = s.object_id WHERE s.draw_id = ${drawId}`)).map((r) => [r.object_id, r.tier]),
    );
    return opened;
  }, { accounts: false });
  afterEach(() => vi.useRealTimers());

  const at = holdClock;
  const get = (url: string) => app.inject({ method: 'GET', url });

  /** Nothing that names an inspector or gives an entity's tier may appear anywhere in a public answer. */
  function expectNoNamesNoTiers(body: string): void {
    for (const name of inspectorNames) expect(body, `inspector name ${name}`).not.toContain(name);
    expect(body).not.toMatch(/"tier"|"stratum":"[A-D]",("id"|"objectId")|"key":"[0-9a-f]{64}"|"rank"/);
  }

  it('before the window closes: commitment, digest, declared beacon and times, the public manifest; no selection, teams, secret, or selected object ids', async () => {
    expect(selectedIds.length).toBeGreaterThan(0);
    at(BEFORE_WINDOW_CLOSES);
    const list = await get('/api/public/draws');
    expect(list.statusCode).toBe(200);
    const listed = list.json().draws.find((d: { id: string }) => d.id === drawId);
    expect(listed).toMatchObject({ id: drawId, status: 'drawn', commitment: draw.commitment, populationDigest: draw.populationDigest, populationSize: draw.populationSize, published: false });
    expect(listed.committedAt).toBe(draw.committedAt.toISOString());
    expect(listed.drawnAt).toBe(draw.drawnAt!.toISOString());

    const detail = await get(`/api/public/draws/${drawId}`);
    expect(detail.statusCode).toBe(200);
    const body = detail.json();
    expect(body).toMatchObject({ id: drawId, protocol: 'fd2', digest: 'salted', commitment: draw.commitment, populationDigest: draw.populationDigest, published: false, files: ['manifest.json'] });
    expect(body.beaconSource).toBe(draw.beaconSource);
    for (const field of ['selection', 'teams', 'unstaffed', 'secret', 'seed', 'strata']) expect(body, field).not.toHaveProperty(field);
    for (const id of selectedIds) expect(detail.body, `selected object ${id}`).not.toContain(id);
    expectNoNamesNoTiers(detail.body);
    expectNoNamesNoTiers(list.body);

    const manifest = await get(`/api/public/draws/${drawId}/files/manifest.json`);
    expect(manifest.statusCode).toBe(200);
    expect(manifest.json()).toMatchObject({ protocol: 'fd2', package: 'public', selected: null, totals: body.totals, strata: [] });
    expect(manifest.body).not.toMatch(/"secret"|"seed"|"stratum"/);

    for (const file of ['selected.csv', 'teams.csv', 'selection.csv', 'population.csv']) {
      const response = await get(`/api/public/draws/${drawId}/files/${file}`);
      expect(response.statusCode, file).toBe(403);
      for (const id of selectedIds) expect(response.body).not.toContain(id);
    }
  });

  it('after the window closes: the public package of a tier-stratified draw, the selected ids sorted; never the secret, seed, strata, teams, a tier or an inspector name', async () => {
    at(AFTER_WINDOW_CLOSES);
    const detail = await get(`/api/public/draws/${drawId}`);
    expect(detail.statusCode).toBe(200);
    const body = detail.json();
    expect(body.published).toBe(true);
    for (const field of ['secret', 'seed', 'strata', 'teams', 'unstaffed']) expect(body, field).not.toHaveProperty(field);
    expect(body.totals).toEqual({ eligible: draw.populationSize, quota: selectedIds.length });
    expect(body.selection).toEqual([...selectedIds].sort().map((objectId) => ({ objectId })));
    expect(body.files).toEqual(['manifest.json', 'selected.csv']);
    expectNoNamesNoTiers(detail.body);
    for (const entry of body.selection) expect(Object.keys(entry)).toEqual(['objectId']);
    expect(tiersBySelected.size).toBe(selectedIds.length);

    const manifest = await get(`/api/public/draws/${drawId}/files/manifest.json`);
    expect(manifest.statusCode).toBe(200);
    expect(manifest.json()).toMatchObject({ protocol: 'fd2', package: 'public', commitment: draw.commitment, population_digest: draw.populationDigest, selected: selectedIds.length });
    expect(manifest.body).not.toMatch(/"secret"|"seed"|"stratum"/);
    const selected = await get(`/api/public/draws/${drawId}/files/selected.csv`);
    expect(selected.statusCode).toBe(200);
    expect(selected.body).toBe(['id', ...[...selectedIds].sort()].join('\n') + '\n');
    for (const file of ['teams.csv', 'inspectors.csv', 'exclusions.csv', 'selection.csv', 'population.csv']) {
      const withheld = await get(`/api/public/draws/${drawId}/files/${file}`);
      expect(withheld.statusCode, file).toBe(403);
      expect(withheld.json().message).toMatch(/auditor package/);
    }
  });

  it('fd1 draws keep fd1 publication after the window: the secret, the selection and teams by id, files without tiers', async () => {
    await db.exec(sql`UPDATE draws SET protocol = 'fd1' WHERE id = ${drawId}`);
    at(AFTER_WINDOW_CLOSES);
    const detail = await get(`/api/public/draws/${drawId}`);
    const body = detail.json();
    expect(body.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(body.selection).toEqual(selectedIds.map((objectId) => ({ objectId })));
    const teams = await db.query<{ object_id: string; department_code: string; inspector_id: string; position: number }>(
      sql`SELECT object_id, department_code, inspector_id, position FROM draw_teams WHERE draw_id = ${drawId} ORDER BY object_id, position`,
    );
    expect(body.teams).toEqual(teams.map((r) => ({ objectId: r.object_id, department: r.department_code, inspectorId: r.inspector_id, position: r.position })));
    expect(body.strata.every((s: Record<string, unknown>) => Object.keys(s).every((k) => ['stratum', 'eligible', 'ratioBp', 'count', 'quota'].includes(k)))).toBe(true);
    expect(body.files).toEqual(['manifest.json', 'inspectors.csv', 'exclusions.csv', 'teams.csv']);
    expectNoNamesNoTiers(detail.body);
    // No per-object stratum: the tier of a selected entity cannot be read off the answer.
    for (const entry of body.selection) expect(Object.keys(entry)).toEqual(['objectId']);
    expect(tiersBySelected.size).toBe(selectedIds.length);

    const manifest = await get(`/api/public/draws/${drawId}/files/manifest.json`);
    expect(manifest.statusCode).toBe(200);
    expect(manifest.json()).toMatchObject({ protocol: 'fd1', commitment: draw.commitment, secret: body.secret, population_digest: draw.populationDigest });
    const teamsCsv = await get(`/api/public/draws/${drawId}/files/teams.csv`);
    expect(teamsCsv.statusCode).toBe(200);
    expect(teamsCsv.headers['content-type']).toMatch(/^text\/csv/);
    expect(teamsCsv.body.split('\n')[0]).toBe('object_id,department,inspector_id');
    expect(teamsCsv.body.trim().split('\n')).toHaveLength(teams.length + 1);
    expectNoNamesNoTiers(teamsCsv.body);
    for (const file of ['selection.csv', 'population.csv']) {
      const withheld = await get(`/api/public/draws/${drawId}/files/${file}`);
      expect(withheld.statusCode).toBe(403);
      expect(withheld.json().message).toMatch(/risk tier/);
    }
    expect((await get(`/api/public/draws/${drawId}/files/secret.txt`)).statusCode).toBe(400);
    await db.exec(sql`UPDATE draws SET protocol = 'fd2' WHERE id = ${drawId}`);
  });

  it('a draw only committed stays commitment and digest after the window too; unknown draws are 404', async () => {
    at(AFTER_WINDOW_CLOSES);
    const body = (await get(`/api/public/draws/${committedOnlyId}`)).json();
    expect(body).toMatchObject({ id: committedOnlyId, status: 'committed', drawnAt: null, published: true });
    expect(body).not.toHaveProperty('selection');
    expect((await get(`/api/public/draws/${committedOnlyId}/files/manifest.json`)).json()).toMatchObject({ package: 'public', beacon: '', drawn_at: null, selected: null });
    expect((await get(`/api/public/draws/${committedOnlyId}/files/selected.csv`)).statusCode).toBe(403);
    expect((await get('/api/public/draws/D2026-9999')).statusCode).toBe(404);
    const list = (await get('/api/public/draws?limit=1')).json();
    expect(list.total).toBe(2);
    expect(list.draws.map((d: { id: string }) => d.id)).toEqual([committedOnlyId]);
  });

  it('the item list in force on a day, and plans with their tasks (no ratios, no authors)', async () => {
    const items = (await get('/api/public/items?on=2026-05-01&department=SAMR')).json();
    expect(items.on).toBe('2026-05-01');
    const samr002 = items.items.filter((i: { code: string }) => i.code === 'SAMR-002');
    expect(samr002.map((i: { version: number }) => i.version)).toEqual([2]);
    expect(items.items.every((i: { departmentCode: string }) => i.departmentCode === 'SAMR')).toBe(true);
    expect((await get('/api/public/items?on=2025-05-01')).json().items.find((i: { code: string }) => i.code === 'SAMR-002').version).toBe(1);
    expect((await get('/api/public/items?on=not-a-date')).statusCode).toBe(400);

    const plans = await get('/api/public/plans?year=2026');
    expect(plans.statusCode).toBe(200);
    const [plan] = plans.json().plans;
    expect(plan).toMatchObject({ year: 2026, jurisdictionRegionCode: '440300', leadDepartment: 'SAMR' });
    expect(plan.tasks.length).toBeGreaterThanOrEqual(1);
    expect(plan.tasks[0].items.map((i: { code: string }) => i.code)).toEqual(['SAMR-001', 'SAMR-002']);
    expect(plans.body).not.toMatch(/createdBy|ratios|counts|op-wang|operator-samr/);
    expect((await get('/api/public/plans?year=2025')).json().plans).toEqual([]);
  });

  it('results search validates paging: at most 100 per page', async () => {
    expect((await get('/api/public/results?limit=101')).statusCode).toBe(400);
    expect((await get('/api/public/results')).json()).toMatchObject({ total: 0, limit: 20, offset: 0, results: [], byOutcome: [], findings: 0 });
  });

  it('publishes the audit heads, newest first and paged: the head a manifest carries is one of them, and anyone may keep the list', async () => {
    const first = await get('/api/public/audit-heads');
    expect(first.statusCode).toBe(200);
    const page = first.json();
    const commit = (await db.one<{ seq: number; hash: string }>(sql`SELECT seq, hash FROM audit_log WHERE subject = ${committedOnlyId} AND action = 'draw.commit'`))!;
    expect(page).toMatchObject({ total: expect.any(Number), limit: 100, offset: 0 });
    expect(page.heads[0]).toMatchObject({ seq: Number(commit.seq), hash: commit.hash, reason: 'commit', date: '2026-03-01' });
    const seqs = page.heads.map((h: { seq: number }) => h.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const manifest = (await get(`/api/public/draws/${committedOnlyId}/files/manifest.json`)).json();
    expect(page.heads).toContainEqual(expect.objectContaining(manifest.audit_heads.commit));
    expect((await get(`/api/public/audit-heads?limit=1&offset=${page.total}`)).json()).toMatchObject({ total: page.total, heads: [] });
    expect((await get('/api/public/audit-heads?limit=1001')).statusCode).toBe(400);
  });
});

describe('the public package as one zip, and the six files of a draw without confidential strata', () => {
  let app: App;
  let tiered: string;
  let flat: string;
  let scratch: string;
  apiForBlock((api, opened) => {
    app = api.app;
    tiered = opened.draw.id;
    scratch = mkdtempSync(join(tmpdir(), 'fairdraw-public-zip-'));
  }, async () => {
    const opened = await resultsDb();
    const flatDraw = await drawnSamrDraw(opened.db, { name: '2026 年不分层抽查', strataMode: 'none' });
    flat = flatDraw.id;
    return { ...opened, cleanup: () => (rmSync(scratch, { recursive: true, force: true }), opened.cleanup()) };
  }, { accounts: false });
  afterEach(() => vi.useRealTimers());

  /** Downloads the draw's zip, unzips it into a fresh folder and runs the verifier `fairdraw draw verify` runs. */
  async function downloadAndVerify(drawId: string, name: string) {
    const zip = await app.inject({ method: 'GET', url: `/api/public/draws/${drawId}/package.zip` });
    expect(zip.statusCode, zip.body).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    const path = join(scratch, `${name}.zip`);
    writeFileSync(path, zip.rawPayload);
    const dir = join(scratch, name);
    mkdirSync(dir);
    await unzipDrawFiles(path, dir, { maxUncompressedBytes: 1 << 28 });
    return { files: readdirSync(dir).sort(), report: await verifyDraw(dir), disposition: zip.headers['content-disposition'] };
  }

  it('a tier-stratified draw: the public package, checked by the CLI verifier, before and after the window', async () => {
    holdClock(BEFORE_WINDOW_CLOSES);
    const before = await downloadAndVerify(tiered, 'tiered-before');
    expect(before.files).toEqual(['manifest.json']);
    expect(before.report.verdict).toBe('fd2 public checks passed (full recomputation needs the auditor package)');
    holdClock(AFTER_WINDOW_CLOSES);
    const after = await downloadAndVerify(tiered, 'tiered-after');
    expect(after.files).toEqual(['manifest.json', 'selected.csv']);
    expect(after.disposition).toBe(`attachment; filename="${tiered}-fd2-public.zip"`);
    expect(after.report.verdict).toBe('fd2 public checks passed (full recomputation needs the auditor package)');
    for (const file of ['population.csv', 'selection.csv', 'teams.csv']) expect((await app.inject({ method: 'GET', url: `/api/public/draws/${tiered}/files/${file}` })).statusCode).toBe(403);
  });

  it('a draw without confidential strata: its public manifest until the window closes, then its six files, fully verified', async () => {
    holdClock(BEFORE_WINDOW_CLOSES);
    expect((await app.inject({ method: 'GET', url: `/api/public/draws/${flat}` })).json().files).toEqual(['manifest.json']);
    expect((await app.inject({ method: 'GET', url: `/api/public/draws/${flat}/files/population.csv` })).statusCode).toBe(403);
    holdClock(AFTER_WINDOW_CLOSES);
    const detail = (await app.inject({ method: 'GET', url: `/api/public/draws/${flat}` })).json();
    expect(detail).toMatchObject({ digest: 'plain', files: ['manifest.json', 'population.csv', 'inspectors.csv', 'exclusions.csv', 'selection.csv', 'teams.csv'] });
    expect(detail.strata.map((s: { stratum: string }) => s.stratum)).toEqual(['ALL']);
    const population = await app.inject({ method: 'GET', url: `/api/public/draws/${flat}/files/population.csv` });
    expect(population.statusCode).toBe(200);
    expect(population.body.split('\n')[0]).toBe('stratum,id');
    expect(population.body.trim().split('\n').slice(1).every((row) => row.startsWith('ALL,'))).toBe(true);
    const full = await downloadAndVerify(flat, 'flat');
    expect(full.files).toEqual(['exclusions.csv', 'inspectors.csv', 'manifest.json', 'population.csv', 'selection.csv', 'teams.csv']);
    expect(full.report.checks.filter((c) => c.status === 'mismatch')).toEqual([]);
    expect(full.report.verdict).toBe('fd2 verified');
  });
});
