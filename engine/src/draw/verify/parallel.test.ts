// The population scan on worker threads must find exactly what the one-thread scan finds, wherever the
// file is cut into ranges: counts, digest, order across the cuts, line numbers, ids repeated across ranges, keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../../kernel/config.ts';
import { scanPopulationParallel, splitPoints } from './parallel.ts';
import { scanPopulation } from './scan.ts';

const JOINT = resolve(REPO_ROOT, 'data/fixtures/fd1/draws/joint');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fd1-parallel-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
};
const noKeys = { protocol: 'fd1', seed: 's', taskId: 't', thresholds: [] as Array<[string, string]> };

/** 300 sorted rows in strata A and B, ids of equal length so that swapping two lines keeps every cut. */
const sortedRows = () => Array.from({ length: 300 }, (_, i) => `${i < 150 ? 'A' : 'B'},X${String(i).padStart(5, '0')}`);

describe('scanPopulationParallel', () => {
  it('cuts at line starts only', () => {
    const path = write('cuts.csv', ['stratum,id', ...sortedRows()]);
    const size = statSync(path).size;
    const text = readFileSync(path);
    for (const count of [1, 2, 3, 7]) {
      const starts = splitPoints(path, size, count);
      expect(starts[0]).toBe(0);
      for (let i = 1; i < starts.length; i++) {
        expect(starts[i]).toBeGreaterThan(starts[i - 1]);
        expect(text[starts[i] - 1]).toBe(0x0a);
      }
    }
  });

  it('equals the one-thread scan on the joint export, for any number of ranges and any read size', async () => {
    const path = join(JOINT, 'population.csv');
    const one = await scanPopulation(path);
    const digest = JSON.parse(readFileSync(join(JOINT, 'manifest.json'), 'utf8')).population_digest;
    for (const [workers, chunkBytes] of [
      [1, 1 << 20],
      [2, 7],
      [3, 64],
    ]) {
      const many = await scanPopulationParallel(path, noKeys, { workers, chunkBytes });
      expect(many.digest, `${workers} workers`).toBe(digest);
      expect(many.rows).toBe(one.rows);
      expect(many.eligible).toEqual(one.eligible);
      expect(many.firstLine).toEqual(one.firstLine);
      expect(many.sorted).toBe(true);
      expect(many.repeated).toBeUndefined();
    }
  });

  it('keeps exactly the rows whose key is under the threshold, in key order', async () => {
    const path = join(JOINT, 'population.csv');
    const manifest = JSON.parse(readFileSync(join(JOINT, 'manifest.json'), 'utf8'));
    const rows = readFileSync(path, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const keyOf = (stratum: string, id: string) => createHash('sha256').update(`fd1|${manifest.seed}|${manifest.task_id}|${stratum}|${id}`).digest('hex');
    const thresholds: Array<[string, string]> = [
      ['C|440100', 'g'],
      ['D|440300', '8'],
    ];
    const scan = await scanPopulationParallel(path, { protocol: manifest.protocol, seed: manifest.seed, taskId: manifest.task_id, thresholds }, { workers: 2 });
    for (const [stratum, threshold] of thresholds) {
      const expected = rows
        .filter(([s]) => s === stratum)
        .map(([s, id]) => `${keyOf(s, id)},${id}`)
        .filter((row) => threshold === 'g' || row < threshold)
        .sort();
      expect(expected.length).toBeGreaterThan(0);
      expect(scan.low.get(stratum)).toEqual(expected);
    }
    expect(scan.low.has('C|440300')).toBe(false);
  });

  it('hashes the UTF-8 bytes of non-ASCII ids and seeds, as the protocol says', async () => {
    const rows = ['D,Z', 'D,a', 'D,é', 'D,中0', 'D,Ａ', 'D,😀', 'D|440100,x', 'D|440100,ß']; // byte order
    const path = write('unicode.csv', ['stratum,id', ...rows]);
    const seed = `${'ab'.repeat(32)}|上证指数 2025-09-01 收盘 3875.53`;
    const thresholds: Array<[string, string]> = [
      ['D', 'g'],
      ['D|440100', 'g'],
    ];
    const scan = await scanPopulationParallel(path, { protocol: 'fd1', seed, taskId: 'T-专项-7', thresholds }, { workers: 2 });
    expect(scan.digest).toBe(createHash('sha256').update(rows.map((r) => r.replace(',', '\t') + '\n').join('')).digest('hex'));
    for (const [stratum] of thresholds) {
      const expected = rows
        .map((r) => r.split(','))
        .filter(([s]) => s === stratum)
        .map(([s, id]) => `${createHash('sha256').update(`fd1|${seed}|T-专项-7|${s}|${id}`, 'utf8').digest('hex')},${id}`)
        .sort();
      expect(scan.low.get(stratum)).toEqual(expected);
    }
  });

  it('sees rows out of order across a cut, names lines of later ranges, finds an id repeated in another range', async () => {
    const rows = sortedRows();
    const path = write('swapped.csv', ['stratum,id', ...rows]);
    const cut = splitPoints(path, statSync(path).size, 2)[1];
    const firstOfSecond = readFileSync(path, 'utf8').slice(0, cut).split('\n').length - 1; // 1-based line of the cut, minus the header
    const swapped = [...rows];
    [swapped[firstOfSecond - 2], swapped[firstOfSecond - 1]] = [swapped[firstOfSecond - 1], swapped[firstOfSecond - 2]];
    const disorder = await scanPopulationParallel(write('swapped.csv', ['stratum,id', ...swapped]), noKeys, { workers: 2 });
    expect(disorder.sorted).toBe(false);
    expect(disorder.digest).toBeUndefined();
    expect(disorder.disorder).toEqual({ line: firstOfSecond + 1, content: swapped[firstOfSecond - 1], previous: swapped[firstOfSecond - 2] });

    const bad = [...rows];
    bad[250] = 'B,X 250';
    const problem = await scanPopulationParallel(write('bad.csv', ['stratum,id', ...bad]), noKeys, { workers: 2 });
    expect(problem.problem).toMatchObject({ line: 252, content: 'B,X 250' });

    const repeated = [...rows];
    repeated[280] = `B,${rows[3].split(',')[1]}`;
    repeated.sort();
    const twice = await scanPopulationParallel(write('twice.csv', ['stratum,id', ...repeated]), noKeys, { workers: 3 });
    expect(twice.repeated).toEqual({ id: 'X00003', first: { line: 5, content: 'A,X00003' }, second: { line: expect.any(Number), content: 'B,X00003' } });
    expect(twice.repeated!.second.line).toBeGreaterThan(150);
  });
});
