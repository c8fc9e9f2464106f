// Header matching and the documentation staying in step with the column definitions.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../kernel/config.ts';
import { FORMATS, KINDS, bestKindFor, matchHeader, normalizeHeader } from './formats.ts';

describe('headers', () => {
  it('match English names loosely and Chinese aliases exactly', () => {
    expect(['entity_type', 'Entity Type', 'ENTITY-TYPE', ' entity type '].map(normalizeHeader)).toEqual(Array(4).fill('entitytype'));
    expect(normalizeHeader('*抽查比例（基点）')).toBe(normalizeHeader('抽查比例(基点)'));
    const m = matchHeader('entities', ['监管部门', 'UsCC', '名称', 'Entity Type', '区划代码', '行业门类', '成立日期', '登记状态', '备注', '']);
    expect(m.missing).toEqual([]);
    expect(m.ignored).toEqual(['备注']);
    expect(m.columnOf).toEqual([1, 2, 3, -1, 4, 5, 6, 7, 0]);
  });

  it('name missing required columns and repeated ones', () => {
    const m = matchHeader('entities', ['uscc', 'name', '企业名称']);
    expect(m.missing.map((f) => f.name)).toEqual(['entity_type', 'region_code', 'industry_code', 'established_on', 'status', 'responsible_departments']);
    expect(m.duplicates.map((d) => [d.field.name, d.first, d.second])).toEqual([['name', 1, 2]]);
  });

  it('find the kind a header fits', () => {
    for (const kind of KINDS) expect(bestKindFor(FORMATS[kind].fields.map((f) => f.name))?.kind).toBe(kind);
    expect(bestKindFor(FORMATS.credit.fields.map((f) => f.zh[0]))?.kind).toBe('credit');
    expect(bestKindFor(['a', 'b'])).toBeUndefined();
  });

  it('give every field one meaning per kind', () => {
    for (const kind of KINDS) {
      const seen = new Map<string, string>();
      for (const f of FORMATS[kind].fields)
        for (const alias of [f.name, ...f.zh]) {
          const key = normalizeHeader(alias);
          expect(seen.get(key) ?? f.name, `${kind}: ${alias}`).toBe(f.name);
          seen.set(key, f.name);
        }
    }
  });
});

describe('docs/formats.md', () => {
  const doc = readFileSync(resolve(REPO_ROOT, 'docs/formats.md'), 'utf8');
  it('documents every column with its Chinese names and every enum value', () => {
    for (const kind of KINDS) {
      const section = doc.slice(doc.indexOf(`## ${kind} `));
      expect(doc.includes(`## ${kind} `), kind).toBe(true);
      const body = section.slice(0, section.indexOf('\n## ', 4));
      for (const f of FORMATS[kind].fields) {
        const row = body.split('\n').find((l) => l.startsWith(`| \`${f.name}\` |`));
        expect(row, `${kind}.${f.name}`).toBeDefined();
        for (const alias of f.zh) expect(row, `${kind}.${f.name} alias ${alias}`).toContain(alias);
        if (f.spec.type === 'enum' && f.name !== 'credit_class')
          for (const [value, aliases] of Object.entries(f.spec.values)) {
            expect(row, `${kind}.${f.name} value ${value}`).toContain(`\`${value}\``);
            for (const alias of aliases.filter((a) => /[^\x00-\x7f]/.test(a))) expect(row, `${kind}.${f.name} ${alias}`).toContain(alias);
          }
      }
    }
  });
});
