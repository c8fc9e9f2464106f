import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { tempDb } from '../testing/db.ts';
import { DATA_DIR } from '../kernel/config.ts';
import { computeFeatures, referenceDate } from './features.ts';
import { ensureOutcomeCodes } from './synthetic.ts';
import { sql } from '../db/sql.ts';

const FIXTURE = readFileSync(resolve(DATA_DIR, 'fixtures/risk/point-in-time.sql'), 'utf8');

describe('risk features as of a date', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeAll(async () => {
    t = await tempDb();
    await ensureOutcomeCodes(t.db);
    await t.db.exec(sql.verbatim(FIXTURE));
  });
  afterAll(() => t.cleanup());

  const rows = async (population: 'active' | 'existing') => {
    await computeFeatures(t.db, { asOf: '2024-12-31', population, into: 'f_test' });
    return t.db.query<Record<string, unknown>>(sql`SELECT * FROM f_test ORDER BY object_id`);
  };

  it('gives one row per active entity that existed on the as-of date', async () => {
    expect((await rows('active')).map((r) => r.object_id)).toEqual(['P1', 'P2']);
    expect((await rows('existing')).map((r) => r.object_id)).toEqual(['P1', 'P2', 'P4']);
  });

  it('counts only records dated on or before the as-of date', async () => {
    const [p1] = await rows('active');
    expect(p1).toMatchObject({
      entity_type: 'enterprise',
      credit_class: 'B', // the 2025 class D is not yet known
      penalties_3y: 2, // 2023-01-10 and 2024-12-31; not 2021-06-01 (over 3 years) nor 2025-01-01
      abnormal_listing: 'removed', // listed 2023, removed 2024; the 2025 listing is in the future
      complaints_12m: 2, // 2024-01-01 00:10 and 2024-12-31 23:59 Shanghai time; not the consultation
      complaints_36m: 3,
      complaints_13_36m: 1,
      last_outcome: 'finding', // 2024-03-03: one item clean, one with a finding -> the visit found a problem
      prior_inspections: 2,
      prior_findings: 2,
      days_since_last_finding: 303,
      days_since_last_inspection: 303,
      age_days: 5478,
    });
    // complaints per entity in industry F x Guangzhou: (2 + 0) / 2 entities
    expect(p1.complaint_ratio).toBeCloseTo(2, 10);
    // findings per visit before as-of: province 2 of 4; industry F (2 + 20 x 0.5) / (3 + 20)
    expect(p1.industry_base_rate).toBeCloseTo(12 / 23, 10);
    expect(p1.district_base_rate).toBeCloseTo(12 / 23, 10);
  });

  it('leaves an entity without records at neutral values', async () => {
    const [, p2] = await rows('active');
    expect(p2).toMatchObject({
      credit_class: null,
      penalties_3y: 0,
      abnormal_listing: 'never',
      complaints_12m: 0,
      complaint_ratio: 0,
      last_outcome: 'clean',
      prior_findings: 0,
      days_since_last_finding: null,
      days_since_last_inspection: 511,
    });
    const p4 = (await rows('existing'))[2];
    expect(p4.industry_base_rate).toBeCloseTo(10 / 21, 10);
  });

  it('moves with the as-of date', async () => {
    await computeFeatures(t.db, { asOf: '2025-12-31', population: 'active', into: 'f_later' });
    const later = await t.db.query<Record<string, unknown>>(sql`SELECT * FROM f_later ORDER BY object_id`);
    expect(later.map((r) => r.object_id)).toEqual(['P1', 'P2', 'P3']);
    expect(later[0]).toMatchObject({ credit_class: 'D', abnormal_listing: 'listed', complaints_12m: 1, prior_findings: 3, penalties_3y: 3 });
  });

  it('rejects a malformed as-of date', async () => {
    await expect(computeFeatures(t.db, { asOf: '2024-13-45' })).rejects.toThrow(/not a date/);
  });

  it('takes the reference date from the latest complaint or result', async () => {
    expect(await referenceDate(t.db)).toBe('2025-02-02');
  });
});
