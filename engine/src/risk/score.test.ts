import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { tempDb } from '../testing/db.ts';
import { synthesizeProvince } from './synthetic.ts';
import { fitAndScore, explain, explainMany, listModels, loadModel } from './index.ts';
import { verifyAudit } from '../audit/chain.ts';

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
      `SELECT (SELECT count(*) FROM risk_scores) AS scored, (SELECT count(DISTINCT object_id) FROM risk_scores) AS distinct_ids,
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
    const ranges = await t.db.query<{ tier: string; lo: number; hi: number }>('SELECT tier, min(score) AS lo, max(score) AS hi FROM risk_scores GROUP BY tier ORDER BY tier');
    for (let i = 1; i < ranges.length; i++) expect(ranges[i].lo).toBeGreaterThan(ranges[i - 1].hi);

    const stored = await loadModel(t.db, 1);
    expect(stored).toMatchObject({ version: 1, fittedBy: 'analyst-wang', method: 'woe-logistic-l2', asOf: '2025-12-31' });
    expect(stored!.metrics.hitRateByTier).toBeDefined();
    expect(stored!.cutoffs!.thresholds).toEqual(run.score.cutoffs.thresholds);
    const audit = await t.db.one<{ actor: string; action: string; subject: string }>('SELECT actor, action, subject FROM audit_log ORDER BY seq DESC LIMIT 1');
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
      `SELECT count(*) AS n FROM risk_scores WHERE model_version <> 2 OR tier <> CASE WHEN score >= 0.4 THEN 'D' WHEN score >= 0.2 THEN 'C' WHEN score >= 0.1 THEN 'B' ELSE 'A' END`,
    );
    expect(wrong!.n).toBe(0);
  });

  it('explains a score: contributions add up to its log-odds, the top three are the largest', async () => {
    const row = await t.db.one<{ object_id: string; score: number }>("SELECT object_id, score FROM risk_scores WHERE tier = 'D' ORDER BY object_id LIMIT 1");
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
