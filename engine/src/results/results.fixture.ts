// Test helper for results and publication tests: the draw lifecycle's small directory plus the reference data
// (outcome codes, holidays), and a drawn SAMR draw whose window is 2026-04-01..2026-06-30.
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import type { Principal } from '../auth/roles.ts';
import { loadReference } from '../reference/load.ts';
import { commitDraw, enterBeacon, runDraw, type DrawHeader } from '../draw/lifecycle.ts';
import { BEACON_AT, declaredBeacon, NOW, openDirectory, RUN_AT, samrTask, shenzhenPlan } from '../draw/lifecycle.fixture.ts';
import type { TaskSpec } from '../draw/tasks.ts';
import { decideEarlyPublication } from '../draw/publication.ts';
import { tempDb, type TempDb } from '../testing/db.ts';

export { AFTER_WINDOW, NOW, WINDOW } from '../draw/lifecycle.fixture.ts';

/** Inside the window: results may be entered on this day (Asia/Shanghai). */
export const IN_WINDOW = new Date('2026-05-20T10:00:00+08:00');

export const SAMR_OPERATOR: Principal = { username: 't-op-samr', role: 'operator', department: 'SAMR' };
export const TAX_OPERATOR: Principal = { username: 't-op-tax', role: 'operator', department: 'TAX' };
export const ADMIN: Principal = { username: 't-admin', role: 'admin', department: null };

export async function openResultsDirectory(): Promise<Awaited<ReturnType<typeof openDirectory>>> {
  const t = await openDirectory();
  await t.db.transaction((tx) => loadReference(tx));
  return t;
}

/** Commits, beacons and runs a draw of a SAMR task (items SAMR-001, SAMR-002) at NOW. */
export async function drawnSamrDraw(db: Db, overrides: Partial<TaskSpec> = {}): Promise<DrawHeader> {
  const plan = await shenzhenPlan(db);
  const task = await samrTask(db, plan, overrides);
  const draw = await commitDraw(db, task.id, { actor: 'op-wang', now: NOW, ...declaredBeacon(NOW) });
  await enterBeacon(db, draw.id, '深证成指 2026-03-02 收盘 10234.56', { actor: 'op-wang', now: BEACON_AT });
  return runDraw(db, draw.id, { actor: 'op-wang', now: RUN_AT });
}

export interface ResultsTemplate {
  /** A closed DuckDB file holding the directory, the reference data and one drawn draw. */
  path: string;
  draw: DrawHeader;
  cleanup(): void;
}

/**
 * Builds the directory with one drawn SAMR draw once (about 4 s); clone it per test with cloneTemplate. A leader has
 * decided to publish its results early, so the tests publish inside the window (publication.test.ts covers the rule).
 */
export async function resultsTemplate(): Promise<ResultsTemplate> {
  const t = await openResultsDirectory();
  const draw = await drawnSamrDraw(t.db);
  await decideEarlyPublication(t.db, draw.id, { reason: '结果测试在检查窗口内公开 results tests publish inside the window', actor: 't-leader', now: RUN_AT });
  t.db.close();
  return { path: t.path, draw, cleanup: t.cleanup };
}

/** A private copy of the template's database for one test. */
export function cloneTemplate(template: ResultsTemplate): Promise<TempDb> {
  return tempDb({ copyOf: template.path });
}

/** The template and one copy of it, for a block whose tests share the copy; cleanup removes both. */
export async function resultsDb(): Promise<TempDb & { draw: DrawHeader }> {
  const template = await resultsTemplate();
  const copy = await cloneTemplate(template);
  return {
    ...copy,
    draw: template.draw,
    cleanup() {
      copy.cleanup();
      template.cleanup();
    },
  };
}

/** A selected object of the draw with a full SAMR team, preferring the entity type asked for. */
export async function staffedObject(db: Db, drawId: string, entityType?: string): Promise<{ id: string; name: string; entityType: string | null; legalRepresentative: string | null }> {
  const row = await db.one<{ id: string; name: string; entity_type: string | null; legal_representative: string | null }>(
    sql`SELECT o.id, o.name, o.entity_type, o.legal_representative
     FROM draw_selection s JOIN objects o ON o.id = s.object_id
     WHERE s.draw_id = ${drawId} AND EXISTS (SELECT 1 FROM draw_teams t WHERE t.draw_id = s.draw_id AND t.object_id = s.object_id AND t.department_code = 'SAMR')
     ORDER BY (o.entity_type = ${entityType ?? ''}) DESC NULLS LAST, s.draw_order LIMIT 1`,
  );
  if (!row) throw new Error(`draw ${drawId} has no staffed object`);
  return { id: row.id, name: row.name, entityType: row.entity_type, legalRepresentative: row.legal_representative };
}
