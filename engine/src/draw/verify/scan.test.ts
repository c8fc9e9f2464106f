// The streaming population scan must not depend on where the file's chunks happen to break.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../../kernel/config.ts';
import { scanPopulation } from './scan.ts';

const JOINT = resolve(REPO_ROOT, 'data/fixtures/fd1/draws/joint');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fd1-scan-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('scanPopulation', () => {
  const text = readFileSync(join(JOINT, 'population.csv'), 'utf8');
  const digest = JSON.parse(readFileSync(join(JOINT, 'manifest.json'), 'utf8')).population_digest;

  it('gives the same digest and counts for every chunk size', async () => {
    const path = write('population.csv', text);
    for (const chunk of [1, 2, 3, 7, 11, 64, 1 << 20]) {
      const scan = await scanPopulation(path, chunk);
      expect(scan.problem, `chunk ${chunk}`).toBeUndefined();
      expect(scan.digest, `chunk ${chunk}`).toBe(digest);
      expect(scan.rows).toBe(42);
      expect(Object.fromEntries(scan.eligible)).toEqual({ 'C|440100': 12, 'C|440300': 14, 'D|440100': 7, 'D|440300': 9 });
      expect(scan.sorted).toBe(true);
      expect(scan.repeated).toBeUndefined();
    }
  });

  it('hashes non-ASCII ids in byte order and finds a repeated id exactly', async () => {
    const rows = ['D,Z', 'D,a', 'D,é', 'D,Ａ', 'D,😀', 'D|1,a0'];
    const expected = createHash('sha256').update(rows.map((r) => r.replace(',', '\t') + '\n').join('')).digest('hex');
    const path = write('unicode.csv', ['stratum,id', ...rows].join('\n') + '\n');
    for (const chunk of [1, 5, 1 << 20]) expect((await scanPopulation(path, chunk)).digest).toBe(expected);
    const repeated = write('repeated.csv', ['stratum,id', 'A,X1', 'A,X2', 'B,X1'].join('\n') + '\n');
    for (const chunk of [1, 3, 1 << 20]) {
      const scan = await scanPopulation(repeated, chunk);
      expect(scan.repeated).toEqual({ id: 'X1', first: { line: 2, content: 'A,X1' }, second: { line: 4, content: 'B,X1' } });
    }
  });

  it('names the line of a shape problem, wherever the chunks break', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['stratum,id\nA,X1\nA,X 2\n', 3, /space/],
      ['stratum,id\nA,X1\nA,X2,X3\n', 3, /comma/],
      ['stratum,id\nA B,X1\n', 2, /not a label/],
      ['stratum,id\nA,X1\nA,X2', 3, /end with/],
      ['stratum;id\nA,X1\n', 1, /header/],
      ['stratum,id\nA,X1\r\n', 2, /control character/],
    ];
    for (const [body, line, reason] of cases) {
      const path = write('bad.csv', body);
      for (const chunk of [1, 4, 1 << 20]) {
        const scan = await scanPopulation(path, chunk);
        expect(scan.problem?.line, `${JSON.stringify(body)} chunk ${chunk}`).toBe(line);
        expect(scan.problem?.reason).toMatch(reason);
      }
    }
  });

  it('reports rows out of order without a digest', async () => {
    const path = write('unsorted.csv', 'stratum,id\nB,X1\nA,X2\n');
    const scan = await scanPopulation(path, 3);
    expect(scan.sorted).toBe(false);
    expect(scan.digest).toBeUndefined();
    expect(scan.disorder).toEqual({ line: 3, content: 'A,X2', previous: 'B,X1' });
  });
});
