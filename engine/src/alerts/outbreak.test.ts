// The planted-outbreak test on generated provinces (fairdraw generate + import), apart from the fast unit tests.
import { afterEach, describe, expect, it } from 'vitest';
import { generatedDb } from '../policy/test-support.ts';
import { addDays, computeAlerts } from './alerts.ts';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('computeAlerts on generated provinces (fairdraw generate + import)', () => {
  // 20,000 entities keep this fast. At that size the largest district x industry cell, 440605 南海区 x F (retail), has
  // about 4-10 complaints in 8 weeks, so the planted factor is 6 to stand clear of the minimum counts (at 200,000
  // entities 440305:H:4 is found: see engine/bench/alerts.ts). The same seed without the outbreak is the same
  // province: the generator draws planted tickets from their own random stream.
  it('finds the planted outbreak in its district (and at most its city), nowhere else; none without it', { timeout: 120_000 }, async () => {
    const planted = await generatedDb({ entities: 20_000, seed: 2, outbreaks: ['440605:F:6'] });
    try {
      const r = await computeAlerts(planted.db);
      expect(r.asOf).toBe('2026-10-31');
      const found = r.alerts.map((a) => `${a.kind}:${a.regionCode}:${a.industryCode}`);
      expect(found).toContain('complaints:440605:F');
      expect(found.every((f) => f === 'complaints:440605:F' || f === 'complaints:440600:F')).toBe(true);
      const district = r.alerts.find((a) => a.regionCode === '440605')!;
      expect(district.ratio).toBeGreaterThan(3);
      expect(district.window).toEqual({ from: addDays('2026-10-31', -55), to: '2026-10-31', weeks: 8 });
      expect(district.series.filter((w) => w.period === 'window').reduce((s, w) => s + w.count, 0)).toBe(district.observed);
    } finally {
      planted.cleanup();
    }
    const clean = await generatedDb({ entities: 20_000, seed: 2 });
    cleanup = clean.cleanup;
    const r = await computeAlerts(clean.db);
    expect(r.cells.complaints.tested).toBeGreaterThan(50);
    expect(r.alerts).toEqual([]);
  });
});
