import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { resolve } from 'node:path';
import { tempDb } from '../testing/db.ts';
import { importText } from '../testing/import.ts';
import { loadReference } from '../reference/load.ts';
import { importFile } from '../ingest/import.ts';
import { generateProvince } from '../../../data/generator/generate.ts';
import { addDays } from '../alerts/alerts.ts';
import { computeStoredNorms, createCellTables, ENTITY_FACTS, featuresQuery, refreshFactsTable, storedFeaturesQuery, UNORDERED } from './features.ts';
import { isFresh } from '../kernel/derived.ts';
import { sql } from '../db/sql.ts';

type Row = Record<string, unknown>;

describe('risk facts stored per entity and refreshed incrementally', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let asOf: string;
  const importCsv = (kind: string, name: string, text: string) => importText(t, kind, name, text);
  /** Facts computed from the records, and as stored, by entity (refresh_no left out). */
  const directFacts = async (date: string) =>
    t.db.query<Row>(sql`SELECT * FROM (${ENTITY_FACTS.rows(sql`true`, date)}) f ORDER BY object_id`);
  const storedFacts = async () => t.db.query<Row>(sql`SELECT * EXCLUDE (refresh_no) FROM risk_entity_facts ORDER BY object_id`);
  /** Every feature of every entity that existed, from the stored facts (as of the date they were refreshed to). */
  const storedFeatures = async (date: string) => {
    const conn = await t.db.connection();
    try {
      await conn.exec(UNORDERED);
      await computeStoredNorms(conn, date);
      return await conn.query<Row>(sql`SELECT * FROM (${storedFeaturesQuery('existing', date)}) f ORDER BY object_id`);
    } finally {
      conn.close();
    }
  };
  const byId = (rows: Row[]) => new Map(rows.map((r) => [r.object_id as string, r]));

  beforeAll(async () => {
    t = await tempDb();
    await t.db.transaction((tx) => loadReference(tx));
    const out = resolve(t.dir, 'generated');
    await generateProvince({ entities: 3000, seed: 'derived-facts', outDir: out, threads: 1 });
    for (const kind of ['entities', 'credit', 'complaints', 'results']) {
      const report = await importFile(t.db, { kind, file: resolve(out, `${kind}.csv`), actor: 'test' });
      expect(report.written).toBe(true);
    }
    asOf = (await t.db.one<{ d: string }>(sql`SELECT CAST(max(CAST(timezone('Asia/Shanghai', received_at) AS DATE)) AS VARCHAR) AS d FROM complaints`))!.d;
  }, 120_000);
  afterAll(() => t.cleanup());

  it('builds in full once, then finds nothing to do; the stored facts are the facts of the records', async () => {
    const first = await refreshFactsTable(t.db, asOf);
    expect(first).toMatchObject({ mode: 'full', reason: 'first build', entities: 'all', rows: 3000 });
    expect(await storedFacts()).toEqual(await directFacts(asOf));
    expect(await refreshFactsTable(t.db, asOf)).toMatchObject({ mode: 'unchanged', entities: 0, rows: 3000 });
    expect(await isFresh(t.db, ENTITY_FACTS, asOf)).toBe(true);
    expect(await isFresh(t.db, ENTITY_FACTS, addDays(asOf, 1))).toBe(false);
  });

  it('gives the same features from the stored facts as from the records', async () => {
    const direct = await t.db.query<Row>(sql`SELECT * FROM (${featuresQuery('existing', asOf)}) f ORDER BY object_id`);
    expect(direct.length).toBeGreaterThan(2000);
    expect(await storedFeatures(asOf)).toEqual(direct);
  });

  it("gives the training sets the same features, from the cell tables and the population's facts alone, at a year end", async () => {
    const year = Number(asOf.slice(0, 4));
    const drawn = sql`(SELECT object_id FROM inspection_results WHERE year(inspected_on) = ${year})`;
    const conn = await t.db.connection();
    try {
      const cells = await createCellTables(conn, `${year - 1}-12-31`);
      const population = { predicate: sql`o.id IN ${drawn}` };
      const training = await conn.query<Row>(sql`SELECT * FROM (${featuresQuery(population, `${year - 1}-12-31`, { entities: sql`object_id IN ${drawn}`, cells })}) f ORDER BY object_id`);
      const full = await conn.query<Row>(sql`SELECT * FROM (${featuresQuery(population, `${year - 1}-12-31`)}) f ORDER BY object_id`);
      expect(training.length).toBeGreaterThan(50);
      expect(training).toEqual(full);
    } finally {
      conn.close();
    }
  });

  it("a complaint changed in place changes that entity and nothing else (but the norm of its industry x city, and its district's share found true)", async () => {
    // a complaint of 13-36 months ago, moved into the last 12 months by a corrected import
    const old = (await t.db.one<{ complaint_id: string; object_id: string; region_code: string; topic: string }>(
      sql`SELECT complaint_id, object_id, region_code, topic FROM complaints
       WHERE object_id IS NOT NULL AND category = 'complaint' AND received_at < ${`${addDays(asOf, -400)} 00:00:00+08`}::TIMESTAMPTZ
         AND received_at > ${`${addDays(asOf, -1000)} 00:00:00+08`}::TIMESTAMPTZ
       ORDER BY complaint_id LIMIT 1`,
    ))!;
    const entity = old.object_id;
    const before = byId(await storedFeatures(asOf));
    const marked = await importCsv(
      'complaints',
      'moved.csv',
      `complaint_id,received_at,uscc,region_code,category,topic,substantiated\n${old.complaint_id},${addDays(asOf, -10)} 10:00:00,${entity},${old.region_code},complaint,${old.topic},\n`,
    );
    expect(marked).toMatchObject({ updated: 1, accepted: 0 });
    expect(await isFresh(t.db, ENTITY_FACTS, asOf)).toBe(false);

    const refresh = await refreshFactsTable(t.db, asOf);
    expect(refresh).toMatchObject({ mode: 'incremental', entities: 1 });
    expect(await storedFacts()).toEqual(await directFacts(asOf));
    const after = byId(await storedFeatures(asOf));
    const was = before.get(entity)!;
    expect(after.get(entity)).toMatchObject({ other_12m: (was.other_12m as number) + 1, complaints_13_36m: (was.complaints_13_36m as number) - 1 });

    const cell = (r: Row) => `${r.industry_code}`;
    const objects = byId(await t.db.query<Row>(sql`SELECT id AS object_id, industry_code, left(region_code, 4) AS city FROM objects WHERE object_kind = 'entity'`));
    const sameNorm = (id: string) => cell(objects.get(id)!) === cell(objects.get(entity)!) && objects.get(id)!.city === objects.get(entity)!.city;
    const sameCity = (id: string) => objects.get(id)!.city === objects.get(entity)!.city;
    for (const [id, row] of after) {
      if (id === entity) continue;
      const { complaint_ratio: ratio, district_true_share: share, ...rest } = row;
      const { complaint_ratio: ratioBefore, district_true_share: shareBefore, ...restBefore } = before.get(id)!;
      expect(rest, id).toEqual(restBefore);
      if (!sameNorm(id) || row.other_12m === 0) expect(ratio, id).toBe(ratioBefore);
      // the share of complaints found true moves in the district, and (through the city's, it is shrunk toward) its city
      if (!sameCity(id)) expect(share, id).toBe(shareBefore);
    }
  });

  it('picks up a new row, an as-of date moved forward, and rebuilds after a direct deletion or a move back', async () => {
    const entity = (await t.db.one<{ id: string; region_code: string }>(sql`SELECT id, region_code FROM objects WHERE object_kind = 'entity' ORDER BY id LIMIT 1`))!;
    await importCsv(
      'complaints',
      'new.csv',
      `complaint_id,received_at,uscc,region_code,category,topic,substantiated\nNEW-0001,${asOf} 09:00:00,${entity.id},${entity.region_code},report,食品安全,\n`,
    );
    expect(await refreshFactsTable(t.db, asOf)).toMatchObject({ mode: 'incremental', entities: 1 });
    expect(await storedFacts()).toEqual(await directFacts(asOf));

    // 40 days on: complaints and penalties that leave their windows, nothing new
    const later = addDays(asOf, 40);
    const moved = await refreshFactsTable(t.db, later);
    expect(moved.mode).toBe('incremental');
    expect(moved.entities).toBeGreaterThan(0);
    expect(moved.entities).toBeLessThan(3000 * 0.25);
    expect(await storedFacts()).toEqual(await directFacts(later));

    const back = await refreshFactsTable(t.db, asOf);
    expect(back).toMatchObject({ mode: 'full', reason: `the as-of date moved back from ${later} to ${asOf}` });

    await t.db.exec(sql`DELETE FROM complaints WHERE complaint_id = 'NEW-0001'`);
    expect((await refreshFactsTable(t.db, asOf)).reason).toMatch(/^complaints holds \d+ rows where imports and results entry account for \d+$/);
    expect(await storedFacts()).toEqual(await directFacts(asOf));
  });

  it('a changed entity (status, industry) is recomputed from the entities import', async () => {
    const entity = (await t.db.one<Row>(
      sql`SELECT id, name, entity_type, legal_representative, region_code, industry_code, established_on, responsible_departments FROM objects WHERE object_kind = 'entity' AND status = 'active' ORDER BY id LIMIT 1`,
    ))!;
    const line = [entity.id, entity.name, entity.entity_type, entity.legal_representative ?? '', entity.region_code, entity.industry_code, entity.established_on, 'revoked', (entity.responsible_departments as string[]).join(';')];
    await importCsv('entities', 'revoked.csv', `uscc,name,entity_type,legal_representative,region_code,industry_code,established_on,status,responsible_departments\n${line.join(',')}\n`);
    expect(await refreshFactsTable(t.db, asOf)).toMatchObject({ mode: 'incremental', entities: 1 });
    expect((await t.db.one<Row>(sql`SELECT status FROM risk_entity_facts WHERE object_id = ${entity.id as string}`))!.status).toBe('revoked');
    expect(await storedFacts()).toEqual(await directFacts(asOf));
  });
});
