import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb } from '../testing/db.ts';
import { sql } from '../db/sql.ts';
import { ensureOutcomeCodes } from './synthetic.ts';
import { countedVisits, inverseProbability, selectionRecorded, visitsQuery } from './selection.ts';

describe('visits with how each object was selected', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeAll(async () => {
    t = await tempDb();
    await ensureOutcomeCodes(t.db);
    // a draw run in Fairdraw: stratum D drew 2 of 8, stratum A 1 of 50
    await t.db.exec(sql`INSERT INTO draws (id, task_id, status, secret, commitment, population_digest, population_size, committed_at, committed_by,
        drawn_at, eligibility, team_spec, strata)
      VALUES ('D2025-0001', 'T2025-0001', 'drawn', repeat('0', 64), repeat('0', 64), repeat('0', 64), 58, TIMESTAMPTZ '2025-03-01 09:00:00+08', 'test',
        TIMESTAMPTZ '2025-03-02 09:00:00+08', '{}', '[]',
        '[{"stratum": "A", "eligible": 50, "ratio_bp": 200, "quota": 1}, {"stratum": "D", "eligible": 8, "ratio_bp": 2500, "quota": 2}]')`);
    await t.db.exec(sql`INSERT INTO draw_selection (draw_id, stratum, object_id, key, rank, draw_order)
      VALUES ('D2025-0001', 'D', 'E1', 'k1', 1, 1), ('D2025-0001', 'A', 'E2', 'k2', 1, 2)`);
    await t.db.exec(sql`INSERT INTO inspection_results (result_id, object_id, inspected_on, department_code, item_code, outcome_code, inspector_ids, task_ref,
        selection, stratum, stratum_eligible, stratum_quota) VALUES
      -- entered for the draw (two items of one visit): the draw's strata give the probability
      ('D2025-0001|E1|SAMR-001', 'E1', DATE '2025-04-01', 'SAMR', 'SAMR-001', 'FIXED', ['I1', 'I2'], 'D2025-0001', NULL, NULL, NULL, NULL),
      ('D2025-0001|E1|SAMR-002', 'E1', DATE '2025-04-01', 'SAMR', 'SAMR-002', 'NO_PROBLEM', ['I1', 'I3'], 'D2025-0001', NULL, NULL, NULL, NULL),
      ('D2025-0001|E2|SAMR-001', 'E2', DATE '2025-04-02', 'SAMR', 'SAMR-001', 'NO_PROBLEM', ['I4', 'I5'], 'D2025-0001', NULL, NULL, NULL, NULL),
      -- imported: a random draw that recorded its stratum, a complaint check, and a result with nothing recorded
      ('R1', 'E3', DATE '2025-05-01', 'SAMR', 'SAMR-001', 'NO_PROBLEM', ['I1'], '深双随机〔2025〕1号', 'random', 'B', 400, 10),
      ('R2', 'E3', DATE '2025-06-01', 'SAMR', 'SAMR-001', 'FIXED', ['I1'], '深投诉核查〔2025〕号', 'complaint', NULL, NULL, NULL),
      ('R3', 'E4', DATE '2025-07-01', 'SAMR', 'SAMR-001', 'FIXED', ['I1'], NULL, NULL, NULL, NULL, NULL)`);
  });
  afterAll(() => t.cleanup());

  it("takes a Fairdraw draw's probability from its strata, an import's from its row, and none where nothing is recorded", async () => {
    const rows = await t.db.query(sql`SELECT object_id, task, found, selection, probability, list_sort(inspectors) AS team FROM (${visitsQuery(2025, '2025-12-31')}) v ORDER BY object_id, inspected_on`);
    expect(rows).toEqual([
      { object_id: 'E1', task: 'D2025-0001', found: true, selection: 'random', probability: 2 / 8, team: ['I1', 'I2', 'I3'] },
      { object_id: 'E2', task: 'D2025-0001', found: false, selection: 'random', probability: 1 / 50, team: ['I4', 'I5'] },
      { object_id: 'E3', task: '深双随机〔2025〕1号', found: false, selection: 'random', probability: 10 / 400, team: ['I1'] },
      { object_id: 'E3', task: '深投诉核查〔2025〕号', found: true, selection: 'complaint', probability: null, team: ['I1'] },
      { object_id: 'E4', task: 'SAMR', found: true, selection: null, probability: null, team: ['I1'] },
    ]);
    expect(await selectionRecorded(t.db, '2025-12-31')).toBe(true);
    expect(await selectionRecorded(t.db, '2025-03-31')).toBe(false);
  });

  it('counts random draws only, each entity weighing 1 / the chance the draws selected it', async () => {
    const rows = await t.db.query<{ object_id: string; weight: number }>(
      sql`SELECT object_id, ${inverseProbability(true)} AS weight FROM (${visitsQuery(2025, '2025-12-31')}) v WHERE ${countedVisits(true)} GROUP BY object_id ORDER BY object_id`,
    );
    expect(rows.map((r) => r.object_id)).toEqual(['E1', 'E2', 'E3']);
    [4, 50, 40].forEach((w, i) => expect(rows[i].weight).toBeCloseTo(w, 9));
  });
});
