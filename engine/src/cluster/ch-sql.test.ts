import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ch, chFolder, literal, stringLiteral } from './ch-sql.ts';

describe('ClickHouse literals', () => {
  it('escapes quote and backslash, writes control characters as \\xHH and keeps other text as it is', () => {
    expect(stringLiteral("it's")).toBe(String.raw`'it\'s'`);
    expect(stringLiteral('a\\b')).toBe(String.raw`'a\\b'`);
    expect(stringLiteral('tab\there\nnul\u0000del\u007f')).toBe(String.raw`'tab\x09here\x0anul\x00del\x7f'`);
    expect(stringLiteral('深圳😀')).toBe("'深圳😀'");
  });

  it('refuses text that is not well-formed Unicode, and values it cannot write', () => {
    expect(() => stringLiteral('a\uD800b')).toThrow(/well-formed/);
    expect(() => literal(Number.NaN)).toThrow(/finite/);
    expect(() => literal({} as never)).toThrow(/cannot write/);
  });

  it('writes numbers, booleans and arrays', () => {
    expect(literal(42)).toBe('42');
    expect(literal(12345678901234567890n)).toBe('12345678901234567890');
    expect(literal(true)).toBe('1');
    expect(literal(['a', "b'"])).toBe(String.raw`['a', 'b\'']`);
  });
});

describe('ch template', () => {
  it('turns each value into a literal and splices nested pieces', () => {
    const evil = "x'); DROP TABLE t; --";
    const where = ch`stratum = ${'D'}`;
    expect(ch`SELECT id FROM ${ch.id('fairdraw')}.${ch.id('population')} WHERE id = ${evil} AND ${where} LIMIT ${3}`.text).toBe(
      String.raw`SELECT id FROM fairdraw.population WHERE id = 'x\'); DROP TABLE t; --' AND stratum = 'D' LIMIT 3`,
    );
  });

  it('takes plain identifiers only', () => {
    expect(() => ch.id('population; DROP')).toThrow(/plain identifier/);
    expect(() => ch.id('')).toThrow(/plain identifier/);
    expect(() => ch`SELECT ${undefined}`).toThrow(/undefined/);
  });

  it('reads sql/*.sql files with every placeholder given and every parameter used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fairdraw-ch-'));
    mkdirSync(join(dir, 'sql'));
    writeFileSync(join(dir, 'sql', 'pick.sql'), "-- $not_me\nSELECT '$nor_me', id FROM $table WHERE stratum = $stratum LIMIT $k");
    const query = chFolder(pathToFileURL(join(dir, 'module.ts')).href);
    expect(query('pick', { table: ch.id('t'), stratum: "D'", k: 5 }).text).toBe("-- $not_me\nSELECT '$nor_me', id FROM t WHERE stratum = 'D\\'' LIMIT 5");
    expect(() => query('pick', { table: ch.id('t'), stratum: 'D' })).toThrow('sql/pick.sql: no value for $k');
    expect(() => query('pick', { table: ch.id('t'), stratum: 'D', k: 1, kk: 2 })).toThrow('sql/pick.sql: no placeholder $kk');
  });
});
