import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { resolve } from 'node:path';
import { tempDb } from '../testing/db.ts';
import { importText } from '../testing/import.ts';
import { loadReference } from '../reference/load.ts';
import { importFile } from '../ingest/import.ts';
import { generateProvince } from '../../../data/generator/generate.ts';
import { addDays } from '../alerts/alerts.ts';
import { fitAndScore } from './index.ts';
import { loadModel } from './model.ts';
import { scoreQuery } from './score.ts';
import { tierSql } from './tiers.ts';
import { rescoreEntities } from './rescore.ts';
import { sql } from '../db/sql.ts';

type ScoreRow = { object_id: string; model_version: number; score: number; tier: string; bin_code: string };

describe('refreshing the scores with the same model version', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let asOf: string;
  const importCsv = (kind: string, name: string, text: string) => importText(t, kind, name, text);
  const stored = () => t.db.query<ScoreRow>(sql`SELECT object_id, model_version, score, tier, bin_code::VARCHAR AS bin_code FROM risk_scores ORDER BY object_id`);
  /** Every active entity scored from scratch (features from the records) under the current version and its thresholds. */
  const fromScratch = async (date: string) => {
    const model = (await loadModel(t.db))!;
    return t.db.query<ScoreRow>(
      sql`SELECT object_id, ${model.version} AS model_version, score, ${tierSql(model.cutoffs!.thresholds)} AS tier, bin_code::VARCHAR AS bin_code
          FROM (${scoreQuery(model.params, 'active', date)}) s ORDER BY object_id`,
    );
  };

  beforeAll(async () => {
    t = await tempDb();
    await t.db.transaction((tx) => loadReference(tx));
    const out = resolve(t.dir, 'generated');
    await generateProvince({ entities: 3000, seed: 'rescore', outDir: out, threads: 1 });
    for (const kind of ['entities', 'credit', 'complaints', 'results']) expect((await importFile(t.db, { kind, file: resolve(out, `${kind}.csv`), actor: 'test' })).written).toBe(true);
    const run = await fitAndScore(t.db, { actor: 'test', backtest: false });
    asOf = run.score.asOf;
  }, 120_000);
  afterAll(() => t.cleanup());

  it('with nothing changed recomputes and writes nothing', async () => {
    const before = await stored();
    expect(before).toEqual(await fromScratch(asOf));
    const r = await rescoreEntities(t.db, { actor: 'test', asOf });
    expect(r).toMatchObject({ version: 1, mode: 'incremental', recomputed: 0, written: 0, removed: 0, entities: before.length });
    expect(await stored()).toEqual(before);
    const audit = await t.db.one<{ action: string; subject: string }>(sql`SELECT action, subject FROM audit_log ORDER BY seq DESC LIMIT 1`);
    expect(audit).toEqual({ action: 'risk.rescore', subject: 'risk_model:1' });
  });

  it('after imports that change complaints and entities, matches scoring from scratch', async () => {
    const entities = await t.db.query<Record<string, unknown>>(
      sql`SELECT id, name, entity_type, region_code, industry_code, established_on, responsible_departments FROM objects WHERE object_kind = 'entity' AND status = 'active' ORDER BY id LIMIT 4`,
    );
    const complaints = entities.flatMap((e, i) => [0, 1, 2, 3, 4, 5].map((k) => `RESCORE-${i}-${k},${addDays(asOf, -k * 20)} 11:00:00,${e.id},${e.region_code},complaint,食品安全,`));
    await importCsv('complaints', 'more.csv', `complaint_id,received_at,uscc,region_code,category,topic,substantiated\n${complaints.join('\n')}\n`);
    const revoked = entities[3];
    const line = [revoked.id, revoked.name, revoked.entity_type, '', revoked.region_code, revoked.industry_code, revoked.established_on, 'revoked', (revoked.responsible_departments as string[]).join(';')];
    await importCsv('entities', 'revoked.csv', `uscc,name,entity_type,legal_representative,region_code,industry_code,established_on,status,responsible_departments\n${line.join(',')}\n`);

    const r = await rescoreEntities(t.db, { actor: 'test', asOf });
    expect(r.mode).toBe('incremental');
    expect(r.facts).toMatchObject({ mode: 'incremental', entities: 4 });
    expect(r.recomputed).toBeGreaterThanOrEqual(4);
    expect(r.recomputed).toBeLessThan(3000 * 0.25);
    expect(r.removed).toBeGreaterThanOrEqual(1); // the revoked entity
    expect(await stored()).toEqual(await fromScratch(asOf));
    expect((await t.db.one<{ n: number }>(sql`SELECT count(*) AS n FROM risk_scores WHERE object_id = ${revoked.id as string}`))!.n).toBe(0);
  });

  it('at a later as-of date (windows, ages and days since move) matches scoring from scratch', async () => {
    // ten days: further on, in a province this small, the districts' complaint figures move most entities' bins and
    // the refresh rewrites every row (correctly, but not what this test is about)
    const later = addDays(asOf, 10);
    const r = await rescoreEntities(t.db, { actor: 'test', asOf: later });
    expect(r).toMatchObject({ mode: 'incremental', asOf: later });
    expect(r.recomputed).toBeGreaterThan(0);
    expect(await stored()).toEqual(await fromScratch(later));
  });

  it('rewrites every row, same version, when risk_scores was changed by another writer', async () => {
    const later = addDays(asOf, 45);
    await t.db.exec(sql`DELETE FROM risk_entity_codes WHERE object_id = (SELECT min(object_id) FROM risk_entity_codes)`);
    const r = await rescoreEntities(t.db, { actor: 'test', asOf: later });
    expect(r.mode).toBe('full');
    expect(r.reason).toMatch(/^risk_scores holds \d+ rows, the last score run wrote \d+$/);
    expect(await stored()).toEqual(await fromScratch(later));
  });
});
