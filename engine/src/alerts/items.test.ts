import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb } from '../testing/db.ts';
import { alertItemsByIndustry } from './items.ts';

describe('alertItemsByIndustry', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeAll(async () => {
    t = await tempDb({ reference: true });
  });
  afterAll(() => t.cleanup());

  it('gives each industry the market regulator\'s entity items whose specialty concerns it', async () => {
    const byIndustry = await alertItemsByIndustry(t.db);
    // catering: food safety, special equipment, pricing, measurement; not registration (every industry) nor advertising (a behaviour)
    expect(byIndustry.get('H')).toEqual(['SAMR-005', 'SAMR-006', 'SAMR-008', 'SAMR-011', 'SAMR-012']);
    expect(byIndustry.get('J')).toBeUndefined();
    expect([...byIndustry.values()].flat().every((code) => code.startsWith('SAMR-'))).toBe(true);
  });
});
