// The cluster against DuckDB, draw for draw: every demo draw replayed on a 2-shard loopback cluster gives identical
// selection and teams; a national-style task drawn on the cluster verifies with the independent verifier.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../open.ts';
import type { Db } from '../db/duckdb.ts';
import { buildDemo } from '../demo/demo.ts';
import { generateProvince } from '../../../data/generator/generate.ts';
import { assignTeams } from '../draw/fd1.ts';
import { drawRecord, exportDraw } from '../draw/export.ts';
import { recordDigestSalt } from '../draw/files.ts';
import { commitDraw, enterBeacon, getDraw, listDraws, runDraw } from '../draw/lifecycle.ts';
import { taskCaps } from '../draw/matching.ts';
import { createTask } from '../draw/tasks.ts';
import { verifyDraw } from '../draw/verify/verify.ts';
import { ch } from './ch-sql.ts';
import { clusterEngine, clusterPopulation, clusterPopulationCsv } from './draws.ts';
import { exportParquet, loadFromDuckDb, loadParquet } from './parquet.ts';
import { generateNationalSet, objectsSet, PROVINCES, sortedPopulation } from './population.ts';
import { replayDraw } from './replay.ts';
import { inspectorCandidates } from './select.ts';
import { clickhouseAvailable, startTestCluster, type TestCluster } from './test-support.ts';

/** Enough for the demo's five drawn draws (every kind of task); a larger demo only makes the test slower. */
const DEMO_ENTITIES = 5_000;
const at = (day: string) => new Date(`${day}T12:00:00+08:00`);

describe.skipIf(!clickhouseAvailable('cluster.test.ts'))('the directory on a 2-shard ClickHouse cluster', () => {
  const work = mkdtempSync(join(tmpdir(), 'fairdraw-cluster-test-'));
  let db: Db;
  let test: TestCluster;
  let drawn: string[];

  beforeAll(async () => {
    const dbPath = join(work, 'demo.duckdb');
    await buildDemo({ dbPath, entities: DEMO_ENTITIES, seed: 20260101 });
    db = await openDatabase({ path: dbPath });
    test = await startTestCluster(2);
    await loadFromDuckDb(db, test.cluster);
    drawn = (await listDraws(db, { status: 'drawn' })).map((d) => d.id);
  });

  afterAll(async () => {
    db?.close();
    await test?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('sends any text to the server and back unchanged (values are literals: 18.16 has no query parameters)', async () => {
    const hostile = ["it's", 'a\\b', "\\'", 'tab\there', 'line\nbreak', '\u0000', '中文😀', "'); DROP TABLE fairdraw.population; --"];
    const [row] = await test.cluster.rows<{ v: string[]; n: number }>(ch`SELECT ${hostile} AS v, length(${hostile}) AS n`);
    expect(row).toEqual({ v: hostile, n: hostile.length });
  });

  it('replays every demo draw with identical population digest, selection.csv and teams.csv', async () => {
    expect(drawn.length).toBeGreaterThanOrEqual(5);
    for (const drawId of drawn) {
      const report = await replayDraw(db, test.cluster, drawId, join(work, 'replay', drawId));
      expect(report.populationDigest.equal, drawId).toBe(true);
      expect(report.files.map((f) => [f.file, f.equal, f.firstDifference]), drawId).toEqual([
        ['selection.csv', true, undefined],
        ['teams.csv', true, undefined],
      ]);
      expect(report.selected, drawId).toBeGreaterThan(0);
      expect(report.identical, drawId).toBe(true);
    }
  });

  it('digests a population sorted in many pieces (strata cut by id ranges) exactly as in one', async () => {
    const draw = await getDraw(db, drawn[0]);
    const salt = recordDigestSalt(await drawRecord(db, draw));
    const whole = await sortedPopulation(test.cluster, draw.id, { expectedRows: draw.populationSize, salt });
    const pieces = await sortedPopulation(test.cluster, draw.id, { expectedRows: draw.populationSize, pieceRows: 37, salt });
    expect(whole.digest).toBe(draw.populationDigest);
    expect(pieces).toEqual(whole);
  });

  it('notices a population that is not the committed one', async () => {
    const drawId = drawn[0];
    const population = ch`fairdraw.population`;
    const [{ stratum }] = await test.cluster.rows<{ stratum: string }>(ch`SELECT any(stratum) AS stratum FROM ${population} WHERE population_id = ${drawId}`);
    await test.cluster.insertSelect(ch`INSERT INTO ${population} (population_id, stratum, id) VALUES (${drawId}, ${stratum}, '91440300ZZZZZZZZ0X')`);
    try {
      const report = await replayDraw(db, test.cluster, drawId, join(work, 'tampered'));
      expect(report.populationRows).toBe((await getDraw(db, drawId, { rows: false })).populationSize + 1);
      expect(report.populationDigest.equal).toBe(false);
      expect(report.identical).toBe(false);
    } finally {
      await loadFromDuckDb(db, test.cluster);
    }
    expect((await replayDraw(db, test.cluster, drawId, join(work, 'restored'))).identical).toBe(true);
  });

  it('assigns the same teams when the cluster sends only the best candidate and Node ranks the rest', async () => {
    const draw = await getDraw(db, drawn[0]);
    const record = await drawRecord(db, draw);
    const drawOrder = [...record.selection].sort((a, b) => (a.key < b.key ? -1 : 1)).map((s) => s.id);
    const candidates = await inspectorCandidates(test.cluster, { seed: record.seed, taskId: record.taskId, protocol: record.protocol, objects: drawOrder, pools: record.pools, depth: 1 });
    const input = {
      protocol: record.protocol,
      seed: record.seed,
      taskId: record.taskId,
      drawOrder,
      teamSpec: draw.teamSpec.map((e) => ({ department: e.department, count: e.count })),
      pools: record.pools,
      exclusions: record.exclusions,
      caps: taskCaps(draw.teamSpec, drawOrder.length, record.pools),
    };
    const fromCluster = assignTeams({ ...input, rankPool: candidates.rankPool });
    expect(candidates.extended()).toBeGreaterThan(0);
    expect(fromCluster).toEqual(assignTeams(input));
    expect(fromCluster.teams).toEqual(record.teams);
  });

  it('writes Parquet partitioned by city, and loads a generator\'s entities.parquet as the directory', async () => {
    const parquet = join(work, 'parquet');
    const written = await exportParquet(db, parquet);
    expect(written.objects).toBe(DEMO_ENTITIES);
    expect(readdirSync(join(parquet, 'objects')).every((d) => /^city_code=44\d{2}00$/.test(d))).toBe(true);
    expect(readdirSync(join(parquet, 'population'))).toEqual(expect.arrayContaining(drawn.map((id) => `population_id=${id}`)));

    const generated = join(work, 'generated');
    await generateProvince({ entities: 3_000, seed: 5, outDir: generated, parquet: true });
    const loaded = await loadParquet(test.cluster, generated);
    expect(loaded).toMatchObject({ source: 'generator', objects: 3_000, populations: [] });
    const set = await objectsSet(test.cluster, 'generated-by-city', 'city');
    const [{ active }] = await test.cluster.rows<{ active: number }>(ch`SELECT countIf(status = 'active') AS active FROM fairdraw.objects`);
    expect(set).toEqual({ rows: active, untiered: 0 });
    await loadFromDuckDb(db, test.cluster);
  });

  describe('a national-style task whose population lives only on the cluster', () => {
    let taskId: string;
    beforeAll(async () => {
      await generateNationalSet(test.cluster, { setName: 'national', ids: 200_000, batch: 70_000 });
      const task = await createTask(db, {
        planId: 'P2026-0001',
        kind: 'general',
        name: '全国企业公示信息抽查（模拟）',
        items: ['SAMR-001'],
        ratiosBp: { A: 10, B: 20, C: 50, D: 200 },
        windowStart: '2026-12-14',
        windowEnd: '2026-12-31',
        createdBy: 'test',
      });
      taskId = task.id;
    });

    it('commits, draws and exports on the cluster, and the independent verifier says verified', async () => {
      const committed = await commitDraw(db, taskId, { actor: 'test', now: at('2026-12-01'), beaconSource: '上证综合指数收盘价', beaconDue: at('2026-12-02'), population: clusterPopulation(test.cluster, 'national') });
      expect(committed.populationSize).toBe(200_000);
      expect(committed.strata.length).toBe(4 * PROVINCES.length);
      await enterBeacon(db, committed.id, '上证综合指数 2026-12-02 收盘 3,456.78', { actor: 'test', now: at('2026-12-02') });
      await expect(runDraw(db, committed.id, { actor: 'test', now: at('2026-12-03') })).rejects.toThrow(/--engine clickhouse/);
      const run = await runDraw(db, committed.id, { actor: 'test', now: at('2026-12-03'), engine: clusterEngine(test.cluster) });
      expect(run.counts.selected).toBeGreaterThan(300);
      expect(run.counts.teamMembers).toBeGreaterThan(0);

      const dir = join(work, 'national-draw');
      await expect(exportDraw(db, committed.id, dir, { package: 'auditor' })).rejects.toThrow(/--engine clickhouse/);
      const exported = await exportDraw(db, committed.id, dir, { package: 'auditor', writePopulation: clusterPopulationCsv(test.cluster, committed.id) });
      expect(exported.populationRows).toBe(200_000);
      const report = await verifyDraw(dir);
      expect(report.firstMismatch).toBeUndefined();
      expect(report.ok).toBe(true);
      // The draw made on the cluster also replays there identically.
      expect((await replayDraw(db, test.cluster, committed.id, join(work, 'national-replay'))).identical).toBe(true);
    });

    it('refuses a set where one id stands in two strata, naming it', async () => {
      await test.cluster.insertSelect(ch`INSERT INTO fairdraw.population SELECT 'national-dup', stratum, id FROM fairdraw.population WHERE population_id = 'national' LIMIT 1000`);
      const [{ id }] = await test.cluster.rows<{ id: string }>(ch`SELECT min(id) AS id FROM fairdraw.population WHERE population_id = 'national-dup'`);
      await test.cluster.insertSelect(ch`INSERT INTO fairdraw.population (population_id, stratum, id) VALUES ('national-dup', 'D|440000', ${id})`);
      const second = await createTask(db, { planId: 'P2026-0001', kind: 'general', name: '重复编号', items: ['SAMR-001'], ratiosBp: { D: 100 }, windowStart: '2026-12-14', windowEnd: '2026-12-31', createdBy: 'test' });
      await expect(commitDraw(db, second.id, { actor: 'test', now: at('2026-12-01'), beaconSource: '上证综合指数收盘价', beaconDue: at('2026-12-02'), population: clusterPopulation(test.cluster, 'national-dup') })).rejects.toThrow(
        new RegExp(`id ${id} is in two strata|duplicate pair \\(D\\|440000, ${id}\\)`),
      );
    });
  });
});
