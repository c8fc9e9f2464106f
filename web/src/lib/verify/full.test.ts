import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkFullPackage, FULL_FILES, type DrawFiles } from './full';

const FIXTURES = resolve(import.meta.dirname, '../../../../data/fixtures');

/** Every full package among the committed vectors: the fd1 draws and the fd2 auditor packages. */
const packages = [
  ...readdirSync(resolve(FIXTURES, 'fd1/draws')).map((name) => ({ name: `fd1 ${name}`, dir: resolve(FIXTURES, 'fd1/draws', name) })),
  ...readdirSync(resolve(FIXTURES, 'fd2/draws')).map((name) => ({ name: `fd2 ${name}`, dir: resolve(FIXTURES, 'fd2/draws', name, 'auditor') })),
].filter((p) => existsSync(resolve(p.dir, 'population.csv')));

const read = (dir: string) => Object.fromEntries(FULL_FILES.map((f) => [f, readFileSync(resolve(dir, f), 'utf8')])) as DrawFiles;
const firstFailure = async (files: DrawFiles) => (await checkFullPackage(files)).checks.find((c) => c.status === 'mismatch')?.id;

/** The text with one character at `at` replaced by another of the same kind (hex stays hex, a digit stays a digit). */
function oneByte(text: string, at: number): string {
  const c = text[at];
  const swapped = /[0-9]/.test(c) ? String((Number(c) + 1) % 10) : /[a-f]/.test(c) ? (c === 'f' ? 'e' : 'f') : c === 'X' ? 'Y' : 'X';
  return text.slice(0, at) + swapped + text.slice(at + 1);
}

describe('the full recomputation in the browser', () => {
  it('finds the committed vectors: five fd1 draws and four fd2 auditor packages, one of them not confidential', () => {
    expect(packages.length).toBe(9);
    expect(packages.filter((p) => JSON.parse(read(p.dir)['manifest.json']).digest === 'plain').map((p) => p.name)).toEqual(['fd2 whole']);
  });

  for (const p of packages) {
    it(`verifies the Python reference package "${p.name}" item by item`, async () => {
      const report = await checkFullPackage(read(p.dir));
      expect(report.checks.filter((c) => c.status === 'mismatch')).toEqual([]);
      expect(report.verdict).toBe(`${p.name.slice(0, 3)} verified`);
      const ids = report.checks.map((c) => c.id);
      expect(ids.slice(0, 4)).toEqual(['manifest', 'commitment', 'seed', 'beacon']);
      expect(ids).toContain('digest');
      expect(ids).toContain('teams');
      expect(report.checks.find((c) => c.id === 'teams')!.status).toBe('ok');
    });
  }

  it('fails the right item when one byte of the non-confidential package changes', async () => {
    const files = read(resolve(FIXTURES, 'fd2/draws/whole/auditor'));
    const manifest = files['manifest.json'];
    const change = (file: keyof DrawFiles, text: string) => ({ ...files, [file]: text });
    expect(await firstFailure(change('manifest.json', oneByte(manifest, manifest.indexOf('"secret": "') + 11)))).toBe('commitment');
    expect(await firstFailure(change('manifest.json', manifest.replace('3350.12",', '3350.13",')))).toBe('seed');
    expect(await firstFailure(change('manifest.json', manifest.replace('"drawn_at": "2026-03-02T15:05', '"drawn_at": "2026-03-02T15:01')))).toBe('timeline');
    const population = files['population.csv'];
    const lastId = population.lastIndexOf('\n', population.length - 2) + 1 + 'ALL,'.length;
    expect(await firstFailure(change('population.csv', oneByte(population, lastId + 5)))).toBe('digest');
    const selection = files['selection.csv'];
    const firstKey = selection.indexOf(',', selection.indexOf(',', selection.indexOf('\n') + 1) + 1) + 1;
    expect(await firstFailure(change('selection.csv', oneByte(selection, firstKey)))).toBe('stratum:ALL');
    const teams = files['teams.csv'];
    expect(await firstFailure(change('teams.csv', teams.slice(0, -2) + (teams.at(-2) === '1' ? '2' : '1') + '\n'))).toBe('teams');
    expect(await firstFailure(change('manifest.json', manifest.replace('"cap": 3', '"cap": 2')))).toBe('cap:SAMR');
  });

  it('takes an fd1 package as fd1, and refuses it relabelled fd2 (an fd2 full package is an auditor package)', async () => {
    const files = read(resolve(FIXTURES, 'fd1/draws/tiers'));
    expect((await checkFullPackage(files)).verdict).toBe('fd1 verified');
    const asFd2 = files['manifest.json'].replace('"protocol": "fd1"', '"protocol": "fd2"');
    expect(await firstFailure({ ...files, 'manifest.json': asFd2 })).toBe('manifest');
  });
});
