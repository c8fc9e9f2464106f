import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../kernel/config.ts';
import { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { assignTeams, digestSalt, populationDigest, selectObjects, sha256Hex, type Pair, type Protocol } from './fd1.ts';
import {
  DRAW_FILES,
  copyPopulationCsv,
  readDrawFiles,
  PUBLIC_FILES,
  readPopulationCsv,
  writeDrawFiles,
  writePublicFiles,
  writePopulationCsv,
  type DrawRecord,
} from './files.ts';

const FIXTURES = resolve(REPO_ROOT, 'data/fixtures/fd1');
const vectors = JSON.parse(readFileSync(join(FIXTURES, 'vectors.json'), 'utf8'));
const FD2 = resolve(REPO_ROOT, 'data/fixtures/fd2');
const fd2Vectors = JSON.parse(readFileSync(join(FD2, 'vectors.json'), 'utf8'));

type Vector = (typeof vectors.draws)[number];

/** The draw path end to end: fd1.ts picks and teams for a vector's inputs, as a DrawRecord. */
function recordOf(draw: Vector, protocol: Protocol = 'fd1'): DrawRecord {
  const population: Pair[] = draw.population.map(([stratum, id]: [string, string]) => ({ stratum, id }));
  const strata = draw.strata.map((s: { stratum: string; ratio_bp?: number; count?: number }) =>
    s.ratio_bp !== undefined ? { stratum: s.stratum, ratioBp: s.ratio_bp } : { stratum: s.stratum, count: s.count },
  );
  const picks = selectObjects({ protocol, seed: draw.seed, taskId: draw.task_id, population, strata });
  const teams = assignTeams({
    protocol,
    seed: draw.seed,
    taskId: draw.task_id,
    drawOrder: picks.drawOrder,
    teamSpec: draw.team_spec,
    pools: draw.pools,
    exclusions: draw.exclusions,
    caps: draw.caps ?? undefined,
  });
  const fd2 =
    protocol === 'fd2'
      ? { digest: draw.digest, beaconSource: draw.beacon_source, beaconDue: draw.beacon_due, beaconRecordedAt: draw.beacon_recorded_at, auditHeads: draw.audit_heads }
      : undefined;
  return {
    protocol,
    fd2,
    taskId: draw.task_id,
    commitment: sha256Hex(draw.secret),
    secret: draw.secret,
    beacon: draw.beacon,
    seed: `${draw.secret}|${draw.beacon}`,
    populationDigest: populationDigest(population, digestSalt(fd2?.digest ?? 'plain', draw.secret)),
    strata: picks.strata,
    caps: teams.caps,
    committedAt: draw.committed_at,
    drawnAt: draw.drawn_at,
    pools: draw.pools,
    exclusions: draw.exclusions,
    selection: picks.selection,
    // Shuffled on purpose: the writer owns the published row order.
    teams: [...teams.teams].reverse(),
    population,
  };
}

let dir: string;
let db: Db;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fd1-files-'));
  db = await Db.open({ path: ':memory:', skipMigrate: true, threads: 2, memoryLimit: '1GB' });
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('writeDrawFiles', () => {
  for (const draw of vectors.draws as Vector[]) {
    it(`writes byte for byte what the Python reference wrote for "${draw.name}"`, async () => {
      const out = join(dir, draw.name);
      await writeDrawFiles(out, recordOf(draw));
      for (const file of DRAW_FILES) {
        expect(readFileSync(join(out, file), 'utf8'), file).toBe(readFileSync(join(FIXTURES, 'draws', draw.name, file), 'utf8'));
      }
    });
  }

  for (const draw of fd2Vectors.draws as Vector[]) {
    it(`writes the fd2 auditor and public packages of "${draw.name}" byte for byte as the Python reference did`, async () => {
      const out = join(dir, 'fd2', draw.name);
      const record = recordOf(draw, 'fd2');
      await writeDrawFiles(join(out, 'auditor'), record);
      for (const file of DRAW_FILES) {
        expect(readFileSync(join(out, 'auditor', file), 'utf8'), file).toBe(readFileSync(join(FD2, 'draws', draw.name, 'auditor', file), 'utf8'));
      }
      const written = writePublicFiles(join(out, 'public'), {
        ...record,
        ...record.fd2!,
        selectedIds: record.selection.map((s) => s.id),
      });
      expect(written).toEqual([...PUBLIC_FILES]);
      for (const file of PUBLIC_FILES) {
        expect(readFileSync(join(out, 'public', file), 'utf8'), file).toBe(readFileSync(join(FD2, 'draws', draw.name, 'public', file), 'utf8'));
      }
    });
  }

  it('reads a draw folder back', () => {
    const draw = vectors.draws.find((d: Vector) => d.name === 'joint');
    const files = readDrawFiles(join(FIXTURES, 'draws', 'joint'));
    expect(files.manifest.population_digest).toBe(draw.population_digest);
    expect(files.manifest.teams).toEqual(draw.expected_teams.caps);
    expect(files.selection).toEqual(draw.expected.selection);
    expect(files.teams.map((t) => t.inspectorId)).toEqual(draw.expected_teams.teams.map((t: { inspector_id: string }) => t.inspector_id));
    expect(files.pools.HEALTH).toEqual([...draw.pools.HEALTH].sort());
    expect(populationDigest(files.population)).toBe(draw.population_digest);
  });

  it('refuses an inconsistent record', async () => {
    const record = recordOf(vectors.draws[0]);
    await expect(writeDrawFiles(join(dir, 'bad1'), { ...record, commitment: '0'.repeat(64) })).rejects.toThrow(/commitment/);
    await expect(writeDrawFiles(join(dir, 'bad2'), { ...record, selection: record.selection.slice(1) })).rejects.toThrow(/picks, quota/);
    await expect(writeDrawFiles(join(dir, 'bad3'), { ...record, populationDigest: 'f'.repeat(64) })).rejects.toThrow(/digest/);
    await expect(writeDrawFiles(join(dir, 'bad5'), { ...record, protocol: 'fd2' })).rejects.toThrow(/beacon declaration/);
    const withComma = { ...record, exclusions: [['O,1', 'I1']] as Array<[string, string]> };
    await expect(writeDrawFiles(join(dir, 'bad4'), withComma)).rejects.toThrow(/exclusions\.csv row 1: object_id "O,1"/);
  });
});

describe('population.csv for large populations', () => {
  it('streams from DuckDB, or lets DuckDB COPY it, with the same bytes and digest', async () => {
    const draw = vectors.draws.find((d: Vector) => d.name === 'joint');
    const expected = readFileSync(join(FIXTURES, 'draws', 'joint', 'population.csv'), 'utf8');
    await db.exec(sql`CREATE OR REPLACE TABLE pop (stratum VARCHAR, id VARCHAR)`);
    for (const [stratum, id] of draw.population) await db.exec(sql`INSERT INTO pop VALUES (${stratum}, ${id})`);

    const streamed = join(dir, 'streamed.csv');
    const rows = db.stream<Pair>(sql`SELECT stratum, id FROM pop ORDER BY stratum COLLATE "binary", id COLLATE "binary"`);
    expect(await writePopulationCsv(streamed, rows)).toEqual({ rows: draw.population.length, digest: draw.population_digest });
    expect(readFileSync(streamed, 'utf8')).toBe(expected);

    const copied = join(dir, 'copied.csv');
    expect(await copyPopulationCsv(db, { populationTable: 'pop' }, copied)).toEqual({ rows: draw.population.length, digest: draw.population_digest });
    expect(readFileSync(copied, 'utf8')).toBe(expected);

    const back: Pair[] = [];
    for await (const batch of readPopulationCsv(copied, 5)) back.push(...batch);
    expect(populationDigest(back)).toBe(draw.population_digest);
  });

  it('refuses rows out of order or twice', async () => {
    const path = join(dir, 'unsorted.csv');
    await expect(writePopulationCsv(path, [[{ stratum: 'B', id: 'X' }, { stratum: 'A', id: 'Y' }]])).rejects.toThrow(/row 2: \(A, Y\) is not after \(B, X\)/);
    await expect(writePopulationCsv(path, [[{ stratum: 'A', id: 'X' }], [{ stratum: 'A', id: 'X' }]])).rejects.toThrow(/row 2/);
    await expect(writePopulationCsv(path, [[{ stratum: 'A', id: 'X,Y' }]])).rejects.toThrow(/row 1: id "X,Y"/);
  });
});
