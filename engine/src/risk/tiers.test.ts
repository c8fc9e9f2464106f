import { describe, it, expect } from 'vitest';
import { cutoffsFromHistogram, parseTierRule, tierOf, tierSql, DEFAULT_TIER_SHARES } from './tiers.ts';
import { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';

const uniform = (n: number) => Array.from({ length: n }, (_, i) => ({ score: (i + 0.5) / n, count: 1 }));

describe('tier cut-offs', () => {
  it('hits target shares exactly when scores are distinct', () => {
    const c = cutoffsFromHistogram(uniform(1000), { mode: 'shares', shares: DEFAULT_TIER_SHARES });
    expect(c.actualShares).toEqual({ A: 0.4, B: 0.35, C: 0.18, D: 0.07 });
    expect(c.counts).toEqual({ A: 400, B: 350, C: 180, D: 70 });
    expect(c.thresholds.D).toBeCloseTo(0.9305, 10);
    expect(c.population).toBe(1000);
  });

  it('keeps a tie group whole, on the side nearer the target', () => {
    const below = (n: number) => uniform(n).map((b) => ({ ...b, score: b.score * 0.8 }));
    // 7% of 1000 is 70: 30 above the tie group at 0.9 and 70 in it -> with it 100 (30 off), without 30 (40 off)
    const include = cutoffsFromHistogram([...below(900), { score: 0.95, count: 30 }, { score: 0.9, count: 70 }], { mode: 'shares', shares: DEFAULT_TIER_SHARES });
    expect(include.thresholds.D).toBe(0.9);
    expect(include.actualShares.D).toBeCloseTo(0.1, 10);
    // 100 in the tie group: with it 130 (60 off), without 30 (40 off)
    const exclude = cutoffsFromHistogram([...below(870), { score: 0.95, count: 30 }, { score: 0.9, count: 100 }], { mode: 'shares', shares: DEFAULT_TIER_SHARES });
    expect(exclude.thresholds.D).toBe(0.95);
    expect(exclude.actualShares.D).toBeCloseTo(0.03, 10);
  });

  it('never leaves tier D empty because of one big tie at the top', () => {
    const c = cutoffsFromHistogram([{ score: 0.1, count: 700 }, { score: 0.5, count: 300 }], { mode: 'shares', shares: DEFAULT_TIER_SHARES });
    expect(c.actualShares.D).toBeCloseTo(0.3, 10);
  });

  it('applies absolute score thresholds as given', () => {
    const c = cutoffsFromHistogram(uniform(100), { mode: 'scores', thresholds: { B: 0.2, C: 0.5, D: 0.9 } });
    expect(c.thresholds).toEqual({ B: 0.2, C: 0.5, D: 0.9 });
    expect(c.actualShares).toEqual({ A: 0.2, B: 0.3, C: 0.4, D: 0.1 });
  });

  it('parses rules and names what is wrong', () => {
    expect(parseTierRule('shares:A=0.5,B=0.3,C=0.15,D=0.05')).toEqual({ mode: 'shares', shares: { A: 0.5, B: 0.3, C: 0.15, D: 0.05 } });
    expect(parseTierRule('0.4,0.35,0.18,0.07')).toEqual({ mode: 'shares', shares: DEFAULT_TIER_SHARES });
    expect(parseTierRule('scores:B=0.1,C=0.2,D=0.4')).toEqual({ mode: 'scores', thresholds: { B: 0.1, C: 0.2, D: 0.4 } });
    expect(() => parseTierRule('shares:A=0.5,B=0.3,C=0.3,D=0.05')).toThrow(/add up to 1.1/);
    expect(() => parseTierRule('scores:B=0.5,C=0.2,D=0.4')).toThrow(/rise from B to D/);
    expect(() => parseTierRule('shares:A=x,B=0.3,C=0.15,D=0.05')).toThrow(/'A=x' is not a non-negative number/);
  });

  it('tiers the same in SQL as in TypeScript', async () => {
    const db = await Db.open({ path: ':memory:', skipMigrate: true });
    try {
      const thresholds = { B: 0.1, C: 0.25, D: 0.5 };
      const scores = [0, 0.0999, 0.1, 0.2, 0.25, 0.4999999, 0.5, 0.99];
      const rows = await db.query<{ s: number; t: string }>(sql`SELECT s, ${tierSql(thresholds, sql`s`)} AS t FROM unnest([${sql.join(scores.map((s) => sql`${s}::DOUBLE`))}]) u(s) ORDER BY s`);
      expect(rows.map((r) => r.t)).toEqual(scores.map((s) => tierOf(s, thresholds)));
      expect(rows.map((r) => r.t)).toEqual(['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D']);
    } finally {
      db.close();
    }
  });
});
