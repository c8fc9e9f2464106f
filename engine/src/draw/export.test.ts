import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { DRAW_FILES } from './files.ts';
import { exportDraw } from './export.ts';
import { commitDraw, enterBeacon, getDraw, runDraw } from './lifecycle.ts';
import { acceptInvitations, AFTER_WINDOW, BEACON_AT, declaredBeacon, NOW, objectId, RUN_AT, openDirectory, samrTask, shenzhenPlan, WINDOW } from './lifecycle.fixture.ts';
import { DrawStateError } from './plans.ts';
import { testDb, type TempDb } from '../testing/db.ts';
import { createTask } from './tasks.ts';
import { verifyDraw } from './verify/verify.ts';

describe('export', () => {
  let t: TempDb;
  let db: Db;
  testDb((fresh) => {
    t = fresh;
    db = fresh.db;
  }, openDirectory);

  it('a drawn joint draw exports exactly the six files, and the independent verifier accepts them', async () => {
    const plan = await shenzhenPlan(db);
    // Joint, tier x city strata, an expert entry and exclusions: every file has rows.
    const task = await createTask(db, {
      planId: plan.id,
      kind: 'general',
      name: '联合抽查',
      items: ['SAMR-001', 'TAX-001'],
      strataMode: 'tier_city',
      ratiosBp: { A: 1000, B: 2000, C: 10000, D: 3000 },
      teamSpec: [{ department: 'SAMR', count: 2 }, { department: 'TAX', count: 1 }, { department: 'SAMR:expert', count: 1 }],
      ...WINDOW,
      createdBy: 'op',
    });
    const c8 = await objectId(db, 8); // tier C at 100%, under SAMR and TAX: always selected
    await db.exec(sql`INSERT INTO conflicts VALUES ('SZ-SAMR-01', ${c8}, 'inspector'), ('SZ-TAX-01', ${c8}, 'object')`);
    await acceptInvitations(db, task);
    const draw = await commitDraw(db, task.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) });
    await enterBeacon(db, draw.id, '上证指数 2026-03-02 收盘 3350.12', { actor: 'op', now: BEACON_AT });
    await runDraw(db, draw.id, { actor: 'op', now: RUN_AT });

    const detail = await getDraw(db, draw.id);
    // Tier-by-city strata are confidential: the public gets the public package only, the ids after the window.
    const early = join(t.dir, 'public-early');
    expect((await exportDraw(db, draw.id, early, { now: NOW })).files).toEqual(['manifest.json']);
    expect(JSON.parse(readFileSync(join(early, 'manifest.json'), 'utf8'))).toMatchObject({ protocol: 'fd2', package: 'public', selected: null, digest: 'salted' });
    expect((await verifyDraw(early)).verdict).toBe('fd2 public checks passed (full recomputation needs the auditor package)');
    const late = join(t.dir, 'public-late');
    expect((await exportDraw(db, draw.id, late, { now: AFTER_WINDOW })).files).toEqual(['manifest.json', 'selected.csv']);
    const publicManifest = readFileSync(join(late, 'manifest.json'), 'utf8');
    expect(publicManifest).not.toContain(detail.secret);
    expect(publicManifest).not.toMatch(/"stratum"|"seed"|"secret"/);
    expect(readFileSync(join(late, 'selected.csv'), 'utf8')).toBe(['id', ...detail.selection!.map((s) => s.objectId).sort()].join('\n') + '\n');
    const publicReport = await verifyDraw(late);
    expect(publicReport.firstMismatch).toBeUndefined();
    expect(publicReport.verdict).toMatch(/^fd2 public checks passed/);

    const dir = join(t.dir, 'export');
    const result = await exportDraw(db, draw.id, dir, { package: 'auditor', now: NOW });
    expect(readdirSync(dir).sort()).toEqual([...DRAW_FILES].sort());
    expect(result).toMatchObject({ package: 'auditor', populationRows: detail.populationSize, selected: detail.selection!.length, teamMembers: detail.teams!.length });

    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      protocol: 'fd2',
      package: 'auditor',
      task_id: task.id,
      commitment: detail.commitment,
      secret: detail.secret,
      beacon_source: detail.beaconSource,
      digest: 'salted',
      population_digest: detail.populationDigest,
    });
    expect(manifest.audit_heads.commit.seq).toBeLessThan(manifest.audit_heads.draw.seq);
    expect(manifest.teams.map((x: { department: string }) => x.department)).toEqual(['SAMR', 'TAX', 'SAMR:expert']);
    expect(readFileSync(join(dir, 'exclusions.csv'), 'utf8')).toContain(`${c8},SZ-SAMR-01`);
    for (const file of DRAW_FILES) expect(readFileSync(join(dir, file), 'utf8')).not.toMatch(/检查员|测试主体|法人/); // ids only

    const report = await verifyDraw(dir);
    expect(report.firstMismatch).toBeUndefined();
    expect(report.verdict).toBe('fd2 verified');

    // A changed team member is caught.
    const teams = readFileSync(join(dir, 'teams.csv'), 'utf8').split('\n');
    const [objectIdCell, department, inspector] = teams[1].split(',');
    const swap = department === 'TAX' ? (inspector === 'SZ-TAX-02' ? 'SZ-TAX-03' : 'SZ-TAX-02') : inspector === 'SZ-SAMR-12' ? 'SZ-SAMR-11' : 'SZ-SAMR-12';
    teams[1] = `${objectIdCell},${department},${swap}`;
    writeFileSync(join(dir, 'teams.csv'), teams.join('\n'));
    const tampered = await verifyDraw(dir);
    expect(tampered.ok).toBe(false);
    expect(tampered.firstMismatch?.file).toBe('teams.csv');
  });

  it('a draw that has not been run has no auditor package, and fd2 has no rehearsal without a beacon', async () => {
    const plan = await shenzhenPlan(db);
    const task = await samrTask(db, plan);
    const draw = await commitDraw(db, task.id, { actor: 'op', now: NOW, ...declaredBeacon(NOW) });
    await expect(exportDraw(db, draw.id, join(t.dir, 'x'), { package: 'auditor' })).rejects.toThrow(/has not been run/);
    await expect(runDraw(db, draw.id, { actor: 'op', allowNoBeacon: true, now: RUN_AT })).rejects.toMatchObject({ code: 'draw.no_beacon' });
  });
});
