import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertPackageOfDraw, packageSha256 } from './attestations.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('package hash and package check', () => {
  it('hashes the files sorted by name, as name TAB H(bytes) LF, whatever order they are given in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fairdraw-package-'));
    try {
      writeFileSync(join(dir, 'teams.csv'), 'object_id,department,inspector_id\n');
      writeFileSync(join(dir, 'manifest.json'), '{"protocol":"fd2"}\n');
      const expected = sha256(`manifest.json\t${sha256('{"protocol":"fd2"}\n')}\nteams.csv\t${sha256('object_id,department,inspector_id\n')}\n`);
      expect(await packageSha256(dir, ['teams.csv', 'manifest.json'])).toBe(expected);
      expect(await packageSha256(dir, ['manifest.json', 'teams.csv'])).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts only the draw's own auditor package, naming the first field that differs", () => {
    const draw = { id: 'D2026-0001', taskId: 'T2026-0001', commitment: 'c'.repeat(64), protocol: 'fd2' as const };
    const manifest = { protocol: 'fd2', package: 'auditor', task_id: 'T2026-0001', commitment: 'c'.repeat(64) };
    expect(() => assertPackageOfDraw(manifest, draw)).not.toThrow();
    expect(() => assertPackageOfDraw({ ...manifest, package: 'public' }, draw)).toThrow(/package "public", expected "auditor"/);
    expect(() => assertPackageOfDraw({ ...manifest, task_id: 'T2026-0002' }, draw)).toThrow(/task_id "T2026-0002"/);
    expect(() => assertPackageOfDraw({ ...manifest, commitment: 'd'.repeat(64) }, draw)).toThrow(/commitment/);
    // An fd1 package has no `package` field.
    const { package: _, ...fd1 } = { ...manifest, protocol: 'fd1' };
    expect(() => assertPackageOfDraw(fd1, { ...draw, protocol: 'fd1' })).not.toThrow();
  });
});
