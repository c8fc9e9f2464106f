// region_labels (migration 021): how the visit sheet and an entity's record name where an object is.
import { describe, expect, it } from 'vitest';
import { testDb, tempDb, type TempDb } from '../testing/db.ts';
import { sql } from './sql.ts';

describe('region_labels', () => {
  let t: TempDb;
  testDb((fresh: TempDb) => (t = fresh), () => tempDb({ reference: true }), true);

  it('names a district with its city, and a city or a province by itself', async () => {
    expect(await t.db.query(sql`SELECT code, name_zh, name_en FROM region_labels WHERE code IN ('440303', '440300', '440000') ORDER BY code`)).toEqual([
      { code: '440000', name_zh: '广东省', name_en: 'Guangdong' },
      { code: '440300', name_zh: '深圳市', name_en: 'Shenzhen' },
      { code: '440303', name_zh: '深圳市 罗湖区', name_en: 'Luohu District, Shenzhen' },
    ]);
    expect(await t.db.one(sql`SELECT count(*)::INTEGER AS n FROM region_labels`)).toEqual(await t.db.one(sql`SELECT count(*)::INTEGER AS n FROM regions`));
  });
});
