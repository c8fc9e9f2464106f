import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkPublicPackage, PUBLIC_VERDICT } from './public';

const FD2 = resolve(import.meta.dirname, '../../../../data/fixtures/fd2/draws');
const read = (name: string, file: string) => readFileSync(resolve(FD2, name, 'public', file), 'utf8');

describe('the fd2 public checks in the browser', () => {
  for (const name of ['tiers', 'joint', 'caps', 'whole']) {
    it(`pass on the Python reference public package "${name}"`, () => {
      const report = checkPublicPackage(read(name, 'manifest.json'), read(name, 'selected.csv'));
      expect(report.checks.filter((c) => c.status === 'mismatch')).toEqual([]);
      expect(report.verdict).toBe(PUBLIC_VERDICT);
    });
  }

  it('fail on an unsorted list, a bad timeline or a low cap', () => {
    const manifest = JSON.parse(read('joint', 'manifest.json'));
    const [header, ...ids] = read('joint', 'selected.csv').trim().split('\n');
    const failed = (m: object, selected = read('joint', 'selected.csv')) => checkPublicPackage(JSON.stringify(m), selected).checks.find((c) => c.status === 'mismatch')?.id;
    expect(failed(manifest, [header, ...ids.reverse()].join('\n') + '\n')).toBe('selected');
    expect(failed({ ...manifest, beacon_due: manifest.committed_at })).toBe('timeline');
    expect(failed({ ...manifest, teams: [{ ...manifest.teams[0], cap: 1 }, manifest.teams[1]] })).toBe('cap:SAMR');
    expect(checkPublicPackage(JSON.stringify({ ...manifest, selected: null }), null).verdict).toBe(PUBLIC_VERDICT);
  });
});
