// The stored entity days (alert_entity_days) give the same alerts as the records, before and after an import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generatedDb } from '../policy/test-support.ts';
import { importFile } from '../ingest/import.ts';
import { addDays, computeAlerts, type AlertReport } from './alerts.ts';
import { sql } from '../db/sql.ts';

// Cells are tested in the order their rows come, which differs between the two inputs: compare them by cell.
const cellKey = (c: { kind: string; regionCode: string; industryCode: string; level: string }) => `${c.kind}|${c.level}|${c.regionCode}|${c.industryCode}`;
const byCell = <T extends { kind: string; regionCode: string; industryCode: string; level: string }>(cells: T[] | undefined) =>
  [...(cells ?? [])].sort((a, b) => cellKey(a).localeCompare(cellKey(b)));
const comparable = (r: AlertReport) => {
  const { elapsedMs: _elapsed, input: _input, refresh: _refresh, tested, alerts, ...rest } = r;
  return { ...rest, tested: byCell(tested), alerts: byCell(alerts) };
};

describe('alerts from the stored entity days', () => {
  let t: Awaited<ReturnType<typeof generatedDb>>;
  beforeAll(async () => {
    t = await generatedDb({ entities: 20_000, seed: 2, outbreaks: ['440605:F:6'] });
  }, 120_000);
  afterAll(() => t.cleanup());

  const fromRecords = async () => {
    const conn = await t.db.connection(); // a plain connection only checks the stored days: not up to date -> records
    try {
      return await computeAlerts(conn, { includeTested: true });
    } finally {
      conn.close();
    }
  };

  it('builds them on first use and finds the same alerts, cells and weekly series as the records', async () => {
    const records = await fromRecords();
    expect(records.input).toBe('records');
    const stored = await computeAlerts(t.db, { includeTested: true });
    expect(stored.input).toBe('entity-days');
    expect(stored.refresh).toMatchObject({ mode: 'full', reason: 'first build' });
    expect(comparable(stored)).toEqual(comparable(records));
    expect(stored.alerts.map((a) => `${a.kind}:${a.regionCode}:${a.industryCode}`)).toContain('complaints:440605:F');
    const again = await computeAlerts(t.db, { includeTested: true });
    expect(again.refresh).toMatchObject({ mode: 'unchanged', entities: 0 });
    const conn = await t.db.connection();
    try {
      expect((await computeAlerts(conn)).input).toBe('entity-days'); // up to date: a plain connection reads them too
    } finally {
      conn.close();
    }
  });

  it('an import of complaints and results refreshes only the entities it names', async () => {
    const asOf = (await computeAlerts(t.db)).asOf!;
    const entities = await t.db.query<{ id: string; region_code: string }>(
      sql`SELECT id, region_code FROM objects WHERE object_kind = 'entity' AND region_code = '440305' AND industry_code = 'H' ORDER BY id LIMIT 3`,
    );
    const lines = entities.flatMap((e, i) => [0, 1, 2, 3].map((k) => `EXTRA-${i}-${k},${addDays(asOf, -k)} 12:00:00,${e.id},${e.region_code},complaint,食品安全,`));
    const file = resolve(t.dir, 'extra-complaints.csv');
    writeFileSync(file, `complaint_id,received_at,uscc,region_code,category,topic,substantiated\n${lines.join('\n')}\n`);
    expect((await importFile(t.db, { kind: 'complaints', file, actor: 'test' })).accepted).toBe(12);
    // an existing result corrected in place: a finding becomes no problem
    const result = (await t.db.one<{ result_id: string; uscc: string; inspected_on: string; department_code: string; item_code: string; task_ref: string | null }>(
      sql`SELECT r.result_id, r.object_id AS uscc, CAST(r.inspected_on AS VARCHAR) AS inspected_on, r.department_code, r.item_code, r.task_ref
       FROM inspection_results r JOIN outcome_codes oc ON oc.code = r.outcome_code WHERE oc.is_finding ORDER BY r.inspected_on DESC, r.result_id LIMIT 1`,
    ))!;
    const resultsFile = resolve(t.dir, 'corrected-results.csv');
    writeFileSync(
      resultsFile,
      `result_id,uscc,inspected_on,department_code,item_code,outcome_code,findings,inspector_ids,task_ref\n${result.result_id},${result.uscc},${result.inspected_on},${result.department_code},${result.item_code},NO_PROBLEM,,I-1,${result.task_ref ?? ''}\n`,
    );
    expect((await importFile(t.db, { kind: 'results', file: resultsFile, actor: 'test' })).updated).toBe(1);

    const records = await fromRecords();
    expect(records.input).toBe('records');
    const stored = await computeAlerts(t.db, { includeTested: true });
    expect(stored.refresh).toMatchObject({ mode: 'incremental', entities: 4 });
    expect(comparable(stored)).toEqual(comparable(records));
  });
});
