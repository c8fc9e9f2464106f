import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { tempDb } from '../testing/db.ts';
import { synthesizeProvince } from './synthetic.ts';
import { fitAndScore, explain, explainMany, listModels, loadModel } from './index.ts';
import { verifyAudit } from '../audit/chain.ts';
import { Db } from '../db/duckdb.ts';
import { listMigrations, migrate } from '../db/migrate.ts';
import { cutoffsFromCodes, insertGivenScores } from './score.ts';
import { nextModelVersion } from './model.ts';
import { cutoffsFromHistogram, DEFAULT_TIER_SHARES, type ScoreBucket, type TierRule } from './tiers.ts';
import { sql } from '../db/sql.ts';

describe('scoring, tiers, model versions and explanations', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeAll(async () => {
    t = await tempDb();
    await synthesizeProvince(t.db, { entities: 4000, seed: 'score-test' });
  });
  afterAll(() => t.cleanup());

  it('fits, scores every active entity once, cuts tiers at the target shares and records who fitted it', async () => {
    const run = await fitAndScore(t.db, { actor: 'analyst-wang' });
    expect(run.score.version).toBe(1);
    expect(run.score.asOf).toBe('2025-12-31');
    const counts = await t.db.one<{ scored: number; distinct_ids: number; active: number; other_version: number }>(
      sql`SELECT (SELECT count(*) FROM risk_scores) AS scored, (SELECT count(DISTINCT object_id) FROM risk_scores) AS distinct_ids,
              (SELECT count(*) FROM objects WHERE object_kind = 'entity' AND status = 'active') AS active,
              (SELECT count(*) FROM risk_scores WHERE model_version <> 1) AS other_version`,
    );
    expect(counts!.scored).toBe(counts!.active);
    expect(counts!.distinct_ids).toBe(counts!.active);
    expect(counts!.other_version).toBe(0);
    const shares = run.score.cutoffs.actualShares;
    expect(Math.abs(shares.D - 0.07)).toBeLessThan(0.03);
    expect(Math.abs(shares.A - 0.4)).toBeLessThan(0.05);
    // higher tiers hold higher scores
    const ranges = await t.db.query<{ tier: string; lo: number; hi: number }>(sql`SELECT tier, min(score) AS lo, max(score) AS hi FROM risk_scores GROUP BY tier ORDER BY tier`);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i].lo).toBeGreaterThan(ranges[i - 1].hi);

    const stored = await loadModel(t.db, 1);
    expect(stored).toMatchObject({ version: 1, fittedBy: 'analyst-wang', method: 'woe-logistic-l2', asOf: '2025-12-31' });
    expect(stored!.metrics.hitRateByTier).toBeDefined();
    expect(stored!.cutoffs!.thresholds).toEqual(run.score.cutoffs.thresholds);
    const audit = await t.db.one<{ actor: string; action: string; subject: string }>(sql`SELECT actor, action, subject FROM audit_log ORDER BY seq DESC LIMIT 1`);
    expect(audit).toEqual({ actor: 'analyst-wang', action: 'risk.score', subject: 'risk_model:1' });
    expect((await verifyAudit(t.db)).ok).toBe(true);
  });

  it('keeps every earlier version when a new one is fitted, with absolute score cut-offs', async () => {
    const before = await loadModel(t.db, 1);
    const run = await fitAndScore(t.db, { actor: 'analyst-li', backtest: false, rule: { mode: 'scores', thresholds: { B: 0.1, C: 0.2, D: 0.4 } } });
    expect(run.score.version).toBe(2);
    expect(await loadModel(t.db, 1)).toEqual(before);
    const models = await listModels(t.db);
    expect(models.map((m) => [m.version, m.fittedBy, m.current])).toEqual([
      [2, 'analyst-li', true],
      [1, 'analyst-wang', false],
    ]);
    const wrong = await t.db.one<{ n: number }>(
      sql`SELECT count(*) AS n FROM risk_scores WHERE model_version <> 2 OR tier <> CASE WHEN score >= 0.4 THEN 'D' WHEN score >= 0.2 THEN 'C' WHEN score >= 0.1 THEN 'B' ELSE 'A' END`,
    );
    expect(wrong!.n).toBe(0);
    // every entity once under version 2; version 1 keeps its score and tier per code
    const rows = await t.db.one<{ entities: number; scored: number; v1_codes: number; v2_codes: number; tiered_v1: number }>(
      sql`SELECT (SELECT count(*) FROM risk_entity_codes) AS entities, (SELECT count(*) FROM risk_scores) AS scored,
              (SELECT count(*) FROM risk_score_codes WHERE model_version = 1) AS v1_codes,
              (SELECT count(*) FROM risk_score_codes WHERE model_version = 2) AS v2_codes,
              (SELECT count(DISTINCT (score, tier)) FROM risk_score_codes WHERE model_version = 1) AS tiered_v1`,
    );
    expect(rows!.scored).toBe(rows!.entities);
    expect(rows!.v1_codes).toBeGreaterThan(1);
    expect(rows!.v2_codes).toBe((await t.db.one<{ n: number }>(sql`SELECT count(DISTINCT bin_code) AS n FROM risk_entity_codes`))!.n);
    expect(rows!.tiered_v1).toBeGreaterThan(1);
  });

  it('explains a score: contributions add up to its log-odds, the top three are the largest', async () => {
    const row = await t.db.one<{ object_id: string; score: number }>(sql`SELECT object_id, score FROM risk_scores WHERE tier = 'D' ORDER BY object_id LIMIT 1`);
    const e = (await explain(t.db, row!.object_id.toLowerCase()))!;
    expect(e.objectId).toBe(row!.object_id);
    expect(e.tier).toBe('D');
    expect(e.modelVersion).toBe(2);
    const sum = e.contributions.reduce((s, c) => s + c.points, e.baseLogOdds);
    expect(sum).toBeCloseTo(e.logOdds, 9);
    expect(1 / (1 + Math.exp(-e.logOdds))).toBeCloseTo(e.score, 9);
    expect(e.top).toEqual(e.contributions.slice(0, 3));
    for (let i = 1; i < e.contributions.length; i++) expect(Math.abs(e.contributions[i].points)).toBeLessThanOrEqual(Math.abs(e.contributions[i - 1].points));
    expect(e.top[0].text).toMatch(/^[^ ]*[\u4e00-\u9fff].* .*: .*: [+−]\d+\.\d\d$/);
    expect(await explain(t.db, 'NO-SUCH-ENTITY')).toBeNull();
    const many = await explainMany(t.db, [row!.object_id, 'NO-SUCH-ENTITY', row!.object_id]);
    expect(many).toEqual([e]);
  });
});

describe('scores per bin code', () => {
  it('cuts tiers in SQL exactly as cutoffsFromHistogram does', async () => {
    const db = await Db.open({ path: ':memory:', skipMigrate: true });
    try {
      let seed = 7;
      const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
      const histograms: ScoreBucket[][] = [
        [],
        [{ score: 0.3, count: 5 }],
        [{ score: 0.1, count: 700 }, { score: 0.5, count: 300 }],
        Array.from({ length: 1000 }, (_, i) => ({ score: (i + 0.5) / 1000, count: 1 })),
      ];
      for (let h = 0; h < 16; h++) {
        // few distinct scores and large tie groups, or many scores with small counts
        const distinct = 1 + Math.floor(random() * (h % 2 ? 12 : 400));
        histograms.push(Array.from({ length: distinct }, () => ({ score: Math.round(random() * 1e6) / 1e6, count: 1 + Math.floor(random() * (h % 3 ? 5 : 5000)) })));
      }
      const rules: TierRule[] = [
        { mode: 'shares', shares: DEFAULT_TIER_SHARES },
        { mode: 'shares', shares: { A: 0.97, B: 0.01, C: 0.01, D: 0.01 } },
        { mode: 'shares', shares: { A: 0, B: 0, C: 0.5, D: 0.5 } },
        { mode: 'shares', shares: { A: 1, B: 0, C: 0, D: 0 } },
        { mode: 'scores', thresholds: { B: 0.25, C: 0.5, D: 0.75 } },
      ];
      for (const histogram of histograms) {
        await db.exec(sql`CREATE OR REPLACE TABLE codes (score DOUBLE, entities DOUBLE)`);
        // a score may come from several codes: split each bucket in two rows
        const values = histogram.flatMap((b) => (b.count > 1 ? [[b.score, 1], [b.score, b.count - 1]] : [[b.score, b.count]]));
        if (values.length) await db.exec(sql`INSERT INTO codes VALUES ${sql.join(values.map(([s, n]) => sql`(${s}, ${n})`))}`);
        for (const rule of rules) {
          const merged = new Map<number, number>();
          for (const b of histogram) merged.set(b.score, (merged.get(b.score) ?? 0) + b.count);
          const expected = cutoffsFromHistogram([...merged].map(([score, count]) => ({ score, count })), rule);
          expect(await cutoffsFromCodes(db, rule, sql`codes`)).toEqual(expected);
        }
      }
    } finally {
      db.close();
    }
  });

  it('writes scores given per entity so that risk_scores reads them back, and a new version takes a number above theirs', async () => {
    const t = await tempDb();
    try {
      const given = [
        ['E1', 3, 0.05, 'A'],
        ['E2', 3, 0.05, 'A'],
        ['E3', 3, 0.5, 'C'],
        ['E4', 3, 0.5, 'D'],
      ] as const;
      const values = sql.join(given.map(([id, v, s, tier]) => sql`(${id}, ${v}, ${s}, ${tier})`));
      await insertGivenScores(t.db, sql`SELECT * FROM (VALUES ${values}) g(object_id, model_version, score, tier)`);
      await insertGivenScores(t.db, sql`SELECT 'E5' AS object_id, 3 AS model_version, 0.5 AS score, 'C' AS tier`);
      const rows = await t.db.query<{ object_id: string; model_version: number; score: number; tier: string }>(sql`SELECT object_id, model_version, score, tier FROM risk_scores ORDER BY object_id`);
      expect(rows.map((r) => [r.object_id, r.model_version, r.score, r.tier])).toEqual([...given.map((g) => [...g]), ['E5', 3, 0.5, 'C']]);
      expect((await t.db.one<{ n: number }>(sql`SELECT count(*) AS n FROM risk_score_codes`))!.n).toBe(3);
      expect(await nextModelVersion(t.db)).toBe(4);
    } finally {
      t.cleanup();
    }
  });

  it('migration 008 keeps the rows of the table risk_scores was', async () => {
    const db = await Db.open({ path: ':memory:', skipMigrate: true });
    try {
      await db.exec(sql`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)`);
      for (const m of listMigrations().filter((m) => m.version < 8)) {
        await db.exec(m.sql);
        await db.exec(sql`INSERT INTO schema_migrations (version, name) VALUES (${m.version}, ${m.name})`);
      }
      const before = [
        ['91440300MA00000011', 2, 0.125, 'B', '17'],
        ['91440300MA00000012', 2, 0.125, 'B', '17'],
        ['91440300MA00000013', 2, 0.75, 'D', '4660'],
      ] as const;
      await db.exec(sql`INSERT INTO risk_scores VALUES ${sql.join(before.map(([id, v, s, tier, code]) => sql`(${id}, ${v}, ${s}, ${tier}, ${Number(code)})`))}`);
      await migrate(db);
      const after = await db.query<{ object_id: string; model_version: number; score: number; tier: string; bin_code: string }>(
        sql`SELECT object_id, model_version, score, tier, bin_code::VARCHAR AS bin_code FROM risk_scores ORDER BY object_id`,
      );
      expect(after.map((r) => [r.object_id, r.model_version, r.score, r.tier, r.bin_code])).toEqual(before.map((r) => [...r]));
      expect((await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM risk_score_codes`))!.n).toBe(2);
      expect((await db.one<{ t: string }>(sql`SELECT table_type AS t FROM information_schema.tables WHERE table_name = 'risk_scores'`))!.t).toBe('VIEW');
    } finally {
      db.close();
    }
  });
});
