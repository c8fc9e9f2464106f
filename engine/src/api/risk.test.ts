// The analysts' engine over HTTP: policy preview and save with history (400s naming the field), model fit with its
// lift curve, scores as JSON and Arrow, and alerts with a planted outbreak on a generated province, cached per data version.
import { sql } from '../db/sql.ts';
import { describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { apiForBlock, type TestApi } from './test-support.ts';
import { ARROW_STREAM } from './tabular.ts';
import { fixtureDb, generatedDb, loadPolicyFixture } from '../policy/test-support.ts';
import { previewPolicy } from '../policy/preview.ts';
import { appendAudit } from '../audit/chain.ts';

describe('policy over HTTP (hand-computed fixture)', () => {
  let t: Awaited<ReturnType<typeof fixtureDb>>;
  let call: TestApi['call'];
  apiForBlock((api, opened) => ([call, t] = [api.call, opened]), async () => {
    const fixture = await fixtureDb();
    await loadPolicyFixture(fixture.db);
    return fixture;
  });

  it('previews the same figures as the engine, for leaders too, and refuses operators', async () => {
    const change = { tierRatiosBp: { C: 2000, D: 5000 } };
    const response = await call('leader', 'POST', '/api/policy/preview', { ...change, asOf: '2025-06-30' });
    expect(response.statusCode).toBe(200);
    const { elapsedMs: _a, load: _la, ...served } = response.json();
    const { elapsedMs: _b, load: _lb, ...direct } = await previewPolicy(t.db, change, { asOf: '2025-06-30' });
    expect(served).toEqual(JSON.parse(JSON.stringify(direct)));
    expect(served.tiers.map((x: { tier: string; k: number }) => [x.tier, x.k])).toEqual([['A', 1], ['B', 1], ['C', 5], ['D', 3]]);
    expect(served.hitRateSource).toEqual({ kind: 'backtest', modelVersion: 2 });
    expect((await call('operatorSAMR', 'POST', '/api/policy/preview', change)).statusCode).toBe(403);
    // An empty body previews the current policy.
    expect((await call('analyst', 'POST', '/api/policy/preview', {})).json().settings.tierRatiosBp).toEqual({ A: 300, B: 500, C: 1000, D: 3000 });
  });

  it('names the field a request gets wrong (400)', async () => {
    const tooHigh = await call('analyst', 'POST', '/api/policy/preview', { tierRatiosBp: { A: 20000 } });
    expect(tooHigh.statusCode).toBe(400);
    expect(tooHigh.json().message).toMatch(/tierRatiosBp\/A/);
    const notNumber = await call('analyst', 'POST', '/api/policy', { tierRatiosBp: { B: 'lots' }, reason: 'x' });
    expect(notNumber.statusCode).toBe(400);
    expect(notNumber.json().message).toMatch(/tierRatiosBp\/B/);
    const noReason = await call('analyst', 'POST', '/api/policy', { tierRatiosBp: { B: 600 } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().message).toMatch(/reason/);
    const blankReason = await call('analyst', 'POST', '/api/policy', { tierRatiosBp: { B: 600 }, reason: '   ' });
    expect(blankReason.statusCode).toBe(400);
    expect(blankReason.json().message).toMatch(/^reason: /);
    const badFrequency = await call('analyst', 'POST', '/api/policy', { frequencyPerYear: 0, reason: 'x' });
    expect(badFrequency.json().message).toMatch(/frequencyPerYear/);
    expect((await call('analyst', 'GET', '/api/alerts?q=2')).json().message).toMatch(/querystring\/q/);
  });

  it('saves versions with author, reason and diff; history newest first; the current policy follows', async () => {
    expect((await call('operatorSAMR', 'GET', '/api/policy')).json().policy).toMatchObject({ version: 0, author: null, tierRatiosBp: { A: 300, B: 500, C: 1000, D: 3000 } });
    expect((await call('leader', 'POST', '/api/policy', { tierRatiosBp: { C: 1500 }, reason: '领导不能改' })).statusCode).toBe(403);

    const first = await call('analyst', 'POST', '/api/policy', { tierRatiosBp: { C: 1500 }, reason: 'C 级发现率高，提高比例' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      previousVersion: 0,
      policy: { version: 1, author: 't-analyst', reason: 'C 级发现率高，提高比例', tierRatiosBp: { A: 300, B: 500, C: 1500, D: 3000 } },
      changes: [{ field: 'tierRatiosBp.C', before: 1000, after: 1500 }],
    });
    const second = await call('admin', 'POST', '/api/policy', { yearlyCap: 2, burdenWindowDays: 180, reason: '减轻企业负担' });
    expect(second.statusCode).toBe(201);
    expect(second.json().policy).toMatchObject({ version: 2, author: 't-admin', yearlyCap: 2, burdenWindowDays: 180, tierRatiosBp: { C: 1500 } });

    const same = await call('analyst', 'POST', '/api/policy', { yearlyCap: 2, reason: '重复' });
    expect(same.statusCode).toBe(400);
    expect(same.json().message).toMatch(/^policy: .*nothing changed/);

    const history = (await call('operatorTAX', 'GET', '/api/policy/versions')).json().versions;
    expect(history.map((v: { version: number; author: string; reason: string }) => [v.version, v.author, v.reason])).toEqual([
      [2, 't-admin', '减轻企业负担'],
      [1, 't-analyst', 'C 级发现率高，提高比例'],
    ]);
    expect(history[0].changes).toEqual([
      { field: 'burdenWindowDays', before: 365, after: 180 },
      { field: 'yearlyCap', before: 3, after: 2 },
    ]);
    expect(Date.parse(history[0].createdAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await call('leader', 'GET', '/api/policy')).json().policy).toMatchObject({ version: 2, yearlyCap: 2 });
    const audit = await t.db.query<{ actor: string; subject: string }>(sql`SELECT actor, subject FROM audit_log WHERE action = 'policy.set' ORDER BY seq`);
    expect(audit).toEqual([
      { actor: 't-analyst', subject: 'sampling_policy:1' },
      { actor: 't-admin', subject: 'sampling_policy:2' },
    ]);
  });

  it('lists models with their figures and a model\'s backtest; an unknown version is 404', async () => {
    const models = (await call('operatorSAMR', 'GET', '/api/models')).json().models;
    expect(models.map((m: { version: number }) => m.version)).toEqual([2, 1]);
    expect(models[0]).toMatchObject({ fittedBy: 'test', current: true, metrics: { auc: 0.7, hitRateByTier: { A: 0.05, D: 0.4 }, liftAt: null, daysEarlier: null } });
    const backtest = await call('analyst', 'GET', '/api/models/2/backtest');
    expect(backtest.json()).toMatchObject({ version: 2, source: 'none', liftCurve: [], auc: 0.7 });
    expect((await call('analyst', 'GET', '/api/models/9/backtest')).statusCode).toBe(404);
  });
});

describe('models, scores and alerts on a generated province (20,000 entities, an outbreak planted in Nanshan x catering)', () => {
  let t: Awaited<ReturnType<typeof generatedDb>>;
  let call: TestApi['call'];
  apiForBlock((api, opened) => ([call, t] = [api.call, opened]), () => generatedDb({ entities: 20_000, seed: 2, outbreaks: ['440305:H:10'] }));

  it('fits and scores a version as the analyst, with the backtest lift curve stored', async () => {
    expect((await call('leader', 'POST', '/api/models', {})).statusCode).toBe(403);
    const fitted = await call('analyst', 'POST', '/api/models', {});
    expect(fitted.statusCode).toBe(201);
    const body = fitted.json();
    expect(body.model).toMatchObject({ version: 1, fittedBy: 't-analyst', current: true });
    expect(body.entities).toBe((await t.db.one<{ n: number }>(sql`SELECT count(*) AS n FROM risk_scores`))!.n);
    expect(body.model.metrics.auc).toBeGreaterThan(0.5);
    expect(Object.keys(body.model.metrics.hitRateByTier)).toEqual(['A', 'B', 'C', 'D']);

    const backtest = (await call('leader', 'GET', '/api/models/1/backtest')).json();
    expect(backtest.source).toBe('curve');
    expect(backtest.liftCurve).toHaveLength(101);
    expect(backtest.liftCurve[0]).toEqual({ share: 0, found: 0 });
    expect(backtest.liftCurve[100].found).toBeCloseTo(1, 12);
    const at10 = backtest.liftCurve.find((p: { share: number }) => p.share === 0.1).found;
    expect(at10 / 0.1).toBeCloseTo(body.model.metrics.liftAt['0.1'], 9);
    expect(backtest.tiers.map((x: { tier: string }) => x.tier)).toEqual(['A', 'B', 'C', 'D']);
    expect(backtest.testYear).toBe(body.model.metrics.testYear);
    // beside the model, on the same test year: the logistic regression and the best single feature, calibration per
    // tier with its interval, and the segment checks
    const stored = (await t.db.one<{ b: string }>(sql`SELECT (metrics -> 'backtest')::VARCHAR AS b FROM risk_models WHERE version = 1`))!.b;
    const kept = JSON.parse(stored);
    expect(backtest.liftAt).toEqual(kept.liftAt);
    expect(backtest.baselines.logistic.auc).toBe(kept.baselines.logistic.auc);
    const { elapsedMs: _, ...gain } = kept.baselines.logistic.gain;
    expect(backtest.baselines.logistic.gain).toEqual(gain);
    expect(backtest.baselines.bestFeature).toMatchObject({ column: kept.baselines.bestFeature.column, auc: kept.baselines.bestFeature.auc });
    expect(backtest.tiers[3]).toMatchObject({ predicted: kept.tiers.D.predicted, observedLow: kept.tiers.D.observed.low, observedHigh: kept.tiers.D.observed.high });
    expect(backtest.segments.map((g: { family: string; segment: string }) => `${g.family}:${g.segment}`)).toEqual(kept.segments.map((g: { family: string; segment: string }) => `${g.family}:${g.segment}`));
    expect(backtest.segments[0]).toMatchObject({ tested: kept.segments[0].observed.n, showsBias: expect.any(Boolean) });
    expect(backtest.segmentBiasLimit).toBe(0.05);
    expect((await call('operatorSAMR', 'GET', '/api/models')).json().models[0].fittedBy).toBe('t-analyst');
  });

  it('answers tier counts as JSON and as Arrow with the same numbers; pages the list; explains one entity', async () => {
    const json = await call('leader', 'GET', '/api/scores/tiers?by=city');
    expect(json.statusCode).toBe(200);
    const rows = json.json().rows as Array<{ code: string; nameZh: string; A: number; B: number; C: number; D: number; total: number }>;
    const scored = (await t.db.one<{ n: number }>(sql`SELECT count(*) AS n FROM risk_scores`))!.n;
    expect(rows.reduce((s, r) => s + r.total, 0)).toBe(scored);
    expect(rows.find((r) => r.code === '440300')).toMatchObject({ nameZh: '深圳市' });
    for (const r of rows) expect(r.A + r.B + r.C + r.D).toBe(r.total);

    const arrow = await call('leader', 'GET', '/api/scores/tiers?by=city', undefined, { accept: ARROW_STREAM });
    expect(arrow.headers['content-type']).toBe(ARROW_STREAM);
    const table = tableFromIPC(arrow.rawPayload);
    expect(table.numRows).toBe(rows.length);
    expect(table.getChild('code')!.toArray()).toEqual(rows.map((r) => r.code));
    expect(Array.from(table.getChild('D')!.toArray() as ArrayLike<number>)).toEqual(rows.map((r) => r.D));

    const districts = (await call('analyst', 'GET', '/api/scores/tiers?by=district&region=440300&industry=H')).json().rows;
    expect(districts.length).toBeGreaterThan(1);
    expect(districts.every((r: { code: string }) => r.code.startsWith('4403'))).toBe(true);

    const page = (await call('analyst', 'GET', '/api/scores?region=440300&tier=D&limit=5&offset=0')).json();
    const expectedTotal = (await t.db.one<{ n: number }>(sql`SELECT count(*) AS n FROM risk_scores s JOIN objects o ON o.id = s.object_id WHERE s.tier = 'D' AND o.region_code LIKE '4403%'`,
    ))!.n;
    expect(page).toMatchObject({ total: expectedTotal, limit: 5, offset: 0 });
    expect(page.rows).toHaveLength(Math.min(5, expectedTotal));
    expect(page.rows.every((r: { tier: string; regionCode: string }) => r.tier === 'D' && r.regionCode.startsWith('4403'))).toBe(true);
    const scores = page.rows.map((r: { score: number }) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const next = (await call('analyst', 'GET', '/api/scores?region=440300&tier=D&limit=5&offset=5')).json();
    expect(next.rows[0]?.score ?? 0).toBeLessThanOrEqual(scores[scores.length - 1]);
    expect((await call('operatorSAMR', 'GET', '/api/scores')).statusCode).toBe(403);
    expect((await call('analyst', 'GET', '/api/scores?limit=100000')).json().message).toMatch(/querystring\/limit/);

    const id = page.rows[0].objectId as string;
    const explained = await call('leader', 'GET', `/api/scores/${id.toLowerCase()}`);
    expect(explained.statusCode).toBe(200);
    const e = explained.json();
    expect(e).toMatchObject({ objectId: id, tier: 'D', modelVersion: 1, name: page.rows[0].name, regionCode: page.rows[0].regionCode });
    expect(e.score).toBeCloseTo(page.rows[0].score, 12);
    expect(e.top.length).toBeGreaterThan(0);
    expect(e.top[0]).toMatchObject({ feature: { zh: expect.any(String), en: expect.any(String) }, bin: { zh: expect.any(String), en: expect.any(String) } });
    expect(e.contributions.reduce((s: number, c: { points: number }) => s + c.points, e.baseLogOdds)).toBeCloseTo(e.logOdds, 9);
    expect((await call('leader', 'GET', '/api/scores/91440300XXXXXXXXXX')).statusCode).toBe(404);
  });

  it('finds the planted Nanshan x catering outbreak, with its weekly series and expected band; caches per data version', async () => {
    const first = await call('leader', 'GET', '/api/alerts');
    expect(first.statusCode).toBe(200);
    const report = first.json();
    expect(report.cache.hit).toBe(false);
    const nanshan = report.alerts.find((a: { id: string }) => a.id === 'complaints:440305:H');
    expect(nanshan).toMatchObject({ kind: 'complaints', level: 'district', regionName: { zh: '南山区' }, cityCode: '440300', industryCode: 'H', window: { weeks: 8 } });
    expect(nanshan.ratio).toBeGreaterThan(3);
    expect(nanshan.series).toHaveLength(60);
    const windowWeeks = nanshan.series.filter((w: { period: string }) => w.period === 'window');
    expect(windowWeeks.reduce((s: number, w: { count: number }) => s + w.count, 0)).toBe(nanshan.observed);
    expect(windowWeeks.reduce((s: number, w: { expected: number }) => s + w.expected, 0)).toBeCloseTo(nanshan.expected, 9);
    for (const w of nanshan.series) expect(w.low <= w.expected && w.expected <= w.high).toBe(true);

    const again = (await call('analyst', 'GET', '/api/alerts')).json();
    expect(again.cache).toMatchObject({ hit: true, dataVersion: report.cache.dataVersion });
    expect(again.alerts).toEqual(report.alerts);
    // A sign-in changes no data: still the same version. Other settings are another key; a data change is a new version.
    await t.db.transaction((tx) => appendAudit(tx, { actor: 't-leader', action: 'auth.login', subject: 't-leader', payload: {} }));
    expect((await call('analyst', 'GET', '/api/alerts')).json().cache.hit).toBe(true);
    expect((await call('analyst', 'GET', '/api/alerts?windowWeeks=4&q=0.05&minObserved=5')).json()).toMatchObject({ cache: { hit: false }, settings: { windowWeeks: 4, q: 0.05, minObserved: 5 } });
    await t.db.transaction((tx) => appendAudit(tx, { actor: 'test', action: 'import', subject: 'complaints', payload: {} }));
    const after = (await call('analyst', 'GET', '/api/alerts')).json();
    expect(after.cache.hit).toBe(false);
    expect(after.cache.dataVersion).not.toBe(report.cache.dataVersion);
    expect(after.alerts).toEqual(report.alerts);
    expect((await call('operatorSAMR', 'GET', '/api/alerts')).statusCode).toBe(403);
  });
});
