import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../kernel/config.ts';
import { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { seededRandom } from '../testing/random.ts';
import { populationDigest, selectObjects, type Pair, type StratumSpec } from './fd1.ts';
import { drawSelectionTable, populationDigestSql, selectObjectsSql } from './select-sql.ts';

let db: Db;
beforeAll(async () => {
  db = await Db.open({ path: ':memory:', skipMigrate: true, threads: 2, memoryLimit: '1GB' });
});
afterAll(() => db.close());

async function load(table: string, pairs: Pair[]): Promise<void> {
  await db.exec(sql`CREATE OR REPLACE TABLE ${sql.id(table)} (stratum VARCHAR, id VARCHAR)`);
  const appender = await db.appender(table);
  for (const { stratum, id } of pairs) {
    appender.appendVarchar(stratum);
    appender.appendVarchar(id);
    appender.endRow();
  }
  appender.closeSync();
}

const strataCases: StratumSpec[][] = [
  [
    { stratum: 'A', ratioBp: 300 },
    { stratum: 'B', ratioBp: 500 },
    { stratum: 'C', ratioBp: 1000 },
    { stratum: 'D', ratioBp: 3000 },
  ],
  [
    { stratum: 'D|440300', ratioBp: 10000 },
    { stratum: 'C|440300', ratioBp: 0 },
    { stratum: 'B|440300', count: 100000 },
    { stratum: 'A|440300', count: 3 },
    { stratum: 'E', ratioBp: 500 },
  ],
];

describe('selectObjectsSql equals selectObjects', () => {
  it('on random populations, including edge strata and non-ASCII ids', async () => {
    const random = seededRandom(11);
    const specials = ['é', 'Ａ1', '😀x', 'Z', 'a'];
    for (let round = 0; round < 6; round++) {
      const strata = strataCases[round % strataCases.length];
      const names = strata.map((s) => s.stratum).filter((s) => s !== 'E');
      const n = [0, 1, 7, 300, 2500, 6000][round];
      const seen = new Set<string>();
      const population: Pair[] = [];
      for (let i = 0; i < n; i++) {
        const id = i < specials.length && round % 2 === 1 ? specials[i] : `91${Math.floor(random() * 1e16).toString().padStart(16, '0')}`;
        if (seen.has(id)) continue;
        seen.add(id);
        population.push({ stratum: names[Math.floor(random() * names.length)], id });
      }
      await load('pop', population);
      const input = { seed: `round ${round}|beacon`, taskId: `T-${round}`, strata };
      const expected = selectObjects({ ...input, population });
      expect(await selectObjectsSql(db, { ...input, populationTable: 'pop' })).toEqual(expected);
      expect(await selectObjectsSql(db, { ...input, populationSql: sql`SELECT id, stratum FROM pop` })).toEqual(expected);
      expect(await selectObjectsSql(db, { ...input, populationTable: 'pop', populationChecked: true })).toEqual(expected);
      expect(await selectObjectsSql(db, { ...input, populationTable: 'pop', wideOrder: true })).toEqual(expected);
    }
  });

  it('stays exact when thresholds start too low and must widen', async () => {
    const random = seededRandom(12);
    const population = Array.from({ length: 3000 }, (_, i) => ({ stratum: random() < 0.3 ? 'A' : 'B', id: `X${i}` }));
    await load('pop', population);
    const strata = [
      { stratum: 'A', ratioBp: 700 },
      { stratum: 'B', count: 40 },
    ];
    const input = { seed: 'widen|', taskId: 'T-W', strata };
    const result = await drawSelectionTable(db, { ...input, populationTable: 'pop', resultTable: 'picked', thresholdScale: 0.01 });
    expect(result.widenings).toBeGreaterThan(0);
    expect(await selectObjectsSql(db, { ...input, populationTable: 'pop', thresholdScale: 0.01 })).toEqual(selectObjects({ ...input, population }));
    const rows = await db.query<{ n: number; orders: number }>(sql`SELECT count(*) AS n, count(DISTINCT draw_order) AS orders FROM picked`);
    expect(rows[0]).toEqual({ n: result.selected, orders: result.selected });
  });

  it('reproduces the Python vectors', async () => {
    const vectors = JSON.parse(readFileSync(resolve(REPO_ROOT, 'data/fixtures/fd1/vectors.json'), 'utf8'));
    for (const draw of vectors.draws) {
      await load('pop', draw.population.map(([stratum, id]: [string, string]) => ({ stratum, id })));
      const strata = draw.strata.map((s: { stratum: string; ratio_bp?: number; count?: number }) =>
        s.ratio_bp !== undefined ? { stratum: s.stratum, ratioBp: s.ratio_bp } : { stratum: s.stratum, count: s.count },
      );
      const result = await selectObjectsSql(db, { seed: draw.seed, taskId: draw.task_id, strata, populationTable: 'pop' });
      expect(result.selection).toEqual(draw.expected.selection);
      expect(result.drawOrder).toEqual(draw.expected.draw_order);
      expect((await populationDigestSql(db, { populationTable: 'pop' })).digest).toBe(draw.population_digest);
    }
  });
});

describe('population checks in SQL', () => {
  const strata = [
    { stratum: 'A', ratioBp: 500 },
    { stratum: 'B', ratioBp: 500 },
  ];
  const run = (population: Pair[]) =>
    load('pop', population).then(() => selectObjectsSql(db, { seed: 's', taskId: 't', strata, populationTable: 'pop' }));

  it('refuses a duplicate pair, an id in two strata, an unknown stratum and a bad id, naming it', async () => {
    await expect(run([{ stratum: 'A', id: 'X1' }, { stratum: 'A', id: 'X1' }])).rejects.toThrow(/duplicate pair \(A, X1\)/);
    await expect(run([{ stratum: 'A', id: 'X1' }, { stratum: 'B', id: 'X1' }])).rejects.toThrow(/id X1 is in two strata/);
    await expect(run([{ stratum: 'C', id: 'X1' }])).rejects.toThrow(/stratum C \(e\.g\. id X1\)/);
    await expect(run([{ stratum: 'A', id: 'X,1' }])).rejects.toThrow(/"X,1"/);
    await expect(run([{ stratum: 'A', id: 'X|1' }])).rejects.toThrow(/"X\|1"/);
    await expect(run([{ stratum: 'A B', id: 'X1' }])).rejects.toThrow(/stratum "A B"/);
  });
});

describe('populationDigestSql', () => {
  it('equals populationDigest, byte order included', async () => {
    const random = seededRandom(13);
    const population: Pair[] = ['é', 'Ａ', '😀', 'Z', 'a', 'a0', '中'].map((id, i) => ({ stratum: i % 2 ? 'D' : 'D|440100', id }));
    for (let i = 0; i < 5000; i++) population.push({ stratum: ['A', 'B', 'C|1'][i % 3], id: `ID${Math.floor(random() * 1e12)}-${i}` });
    await load('pop', population);
    const { digest, rows } = await populationDigestSql(db, { populationSql: sql`SELECT * FROM pop` });
    expect(rows).toBe(population.length);
    expect(digest).toBe(populationDigest(population));
    await load('pop', []);
    expect((await populationDigestSql(db, { populationTable: 'pop' })).digest).toBe(populationDigest([]));
  });
});
