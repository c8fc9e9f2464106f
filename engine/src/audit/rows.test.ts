import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from '../db/sql.ts';
import type { Db } from '../db/duckdb.ts';
import { enterResult } from '../results/results.ts';
import { cloneTemplate, IN_WINDOW, resultsTemplate, SAMR_OPERATOR, staffedObject, type ResultsTemplate } from '../results/results.fixture.ts';
import type { TempDb } from '../testing/db.ts';
import { rowHashes, verifyRows } from './rows.ts';

describe('rows bound to the audit chain', () => {
  let template: ResultsTemplate;
  let t: TempDb;
  let db: Db;
  let drawId: string;
  let objectId: string;
  beforeAll(async () => {
    template = await resultsTemplate();
    drawId = template.draw.id;
  });
  afterAll(() => template.cleanup());
  beforeEach(async () => {
    t = await cloneTemplate(template);
    db = t.db;
    objectId = (await staffedObject(db, drawId)).id;
    await enterResult(db, { drawId, objectId, itemCode: 'SAMR-001' }, { outcomeCode: 'NO_PROBLEM', inspectedOn: '2026-05-06' }, { actor: SAMR_OPERATOR, now: IN_WINDOW });
  });
  afterEach(() => t.cleanup());

  it('binds the draw, its selection and the result as the application wrote them', async () => {
    const verdict = await verifyRows(db);
    const selected = (await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM draw_selection WHERE draw_id = ${drawId}`))!.n;
    expect(verdict).toEqual({ bound: { draws: 1, draw_selection: Number(selected), draw_results: 1 }, unbound: { draws: 0, draw_selection: 0, draw_results: 0 }, problems: [] });
  });

  it('a row hash is the same whatever the session time zone', async () => {
    const before = await rowHashes(db, 'draws');
    await db.exec(sql`SET TimeZone = 'America/New_York'`);
    expect(await rowHashes(db, 'draws')).toEqual(before);
  });

  it('catches a direct UPDATE of draw_results, draws and draw_selection, naming table and key', async () => {
    await db.exec(sql`UPDATE draw_results SET outcome_code = 'FIXED' WHERE draw_id = ${drawId}`);
    await db.exec(sql`UPDATE draws SET beacon = 'another beacon' WHERE id = ${drawId}`);
    await db.exec(sql`UPDATE draw_selection SET rank = rank + 100 WHERE draw_id = ${drawId} AND object_id = ${objectId}`);
    const { problems } = await verifyRows(db);
    expect(problems).toEqual([
      { table: 'draws', key: drawId, kind: 'changed' },
      { table: 'draw_selection', key: `${drawId}|${objectId}`, kind: 'changed' },
      { table: 'draw_results', key: `${drawId}|${objectId}|SAMR-001`, kind: 'changed' },
    ]);
  });

  it('catches a selected row deleted directly', async () => {
    await db.exec(sql`DELETE FROM draw_selection WHERE draw_id = ${drawId} AND object_id = ${objectId}`);
    expect((await verifyRows(db)).problems).toEqual([{ table: 'draw_selection', key: `${drawId}|${objectId}`, kind: 'deleted' }]);
  });

  it('reports rows written before the binding as not bound, not as a failure', async () => {
    // the draw's entries as written before fd2.3: no row hashes
    await db.exec(sql`UPDATE audit_log SET payload = json_object('drawId', ${drawId}) WHERE action LIKE 'draw.%'`);
    const verdict = await verifyRows(db);
    expect(verdict.unbound).toMatchObject({ draws: 1, draw_results: 0 });
    expect(verdict.unbound.draw_selection).toBeGreaterThan(0);
    expect(verdict.problems).toEqual([]);
  });
});
