import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DuckDBInstance } from '@duckdb/node-api';
import { isValidUscc } from '../../engine/src/reference/uscc.ts';
import { DEFAULT_REFERENCE_DIR, FILE_NAMES, OUTBREAK_DAYS, generateProvince } from './generate.ts';
import { HEADERS, RESULTS_HEADER_V2 } from './entities.ts';
import { INSPECTORS_HEADER } from './inspectors.ts';
import { formatDay, parseDay } from './calendar.ts';

type Row = Record<string, string>;

const root = mkdtempSync(join(tmpdir(), 'fairdraw-generator-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function readRows(dir: string, file: string): Row[] {
  return parse(readFileSync(join(dir, file), 'utf8'), { columns: true, skip_empty_lines: true, relax_column_count: false }) as Row[];
}

function files(dir: string): Record<string, Buffer> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f))]));
}

/** A generated province's files, read back. */
function readProvince(dir: string) {
  return {
    entities: readRows(dir, 'entities.csv'),
    truth: new Map(readRows(dir, 'truth.csv').map((r) => [r.uscc, Number(r.propensity)])),
    credit: readRows(dir, 'credit.csv'),
    complaints: readRows(dir, 'complaints.csv'),
    results: readRows(dir, 'results.csv'),
    inspectors: readRows(dir, 'inspectors.csv'),
  };
}

const referenceRows = (name: string) => parse(readFileSync(join(DEFAULT_REFERENCE_DIR, name), 'utf8'), { columns: true }) as Row[];

function quartileOf(values: Map<string, number>): Map<string, number> {
  const sorted = [...values.entries()].sort((a, b) => a[1] - b[1]);
  return new Map(sorted.map(([k], i) => [k, Math.floor((4 * i) / sorted.length)]));
}

describe('determinism', () => {
  it('same seed gives the same bytes in every file, whatever the block size or thread count; another seed differs', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const c = join(root, 'c');
    const d = join(root, 'd');
    await generateProvince({ entities: 3000, seed: 'alpha', outDir: a });
    await generateProvince({ entities: 3000, seed: 'alpha', outDir: b, blockSize: 700 });
    await generateProvince({ entities: 3000, seed: 'alpha', outDir: c, blockSize: 500, threads: 2 });
    await generateProvince({ entities: 3000, seed: 'beta', outDir: d });
    const fa = files(a);
    expect(Object.keys(fa)).toEqual(['complaints.csv', 'credit.csv', 'entities.csv', 'inspectors.csv', 'results.csv', 'truth.csv']);
    for (const other of [files(b), files(c)]) {
      for (const [name, bytes] of Object.entries(fa)) expect(other[name].equals(bytes), name).toBe(true);
    }
    const fd = files(d);
    for (const [name, bytes] of Object.entries(fa)) expect(fd[name].equals(bytes), name).toBe(false);
  });

  it('rejects a bad outbreak spec naming the rule', async () => {
    await expect(generateProvince({ entities: 10, seed: 1, outDir: join(root, 'bad'), outbreaks: ['440300:H:3'] })).rejects.toThrow(/not a district code/);
    await expect(generateProvince({ entities: 10, seed: 1, outDir: join(root, 'bad'), outbreaks: ['440305:Z:3'] })).rejects.toThrow(/section A..T/);
    await expect(generateProvince({ entities: 10, seed: 1, outDir: join(root, 'bad'), outbreaks: ['440305:H'] })).rejects.toThrow(/DISTRICT:INDUSTRY:FACTOR/);
  });
});

describe('a province of 20,000 entities, generator v1 (kept as it was: the same seed gives the same bytes)', () => {
  const dir = join(root, 'p20k');
  const planted = join(root, 'p20k-outbreak');
  const N = 20_000;
  let entities: Row[];
  let truth: Map<string, number>;
  let credit: Row[];
  let complaints: Row[];
  let results: Row[];
  let inspectors: Row[];

  beforeAll(async () => {
    const summary = await generateProvince({ entities: N, seed: 7, outDir: dir, generator: 'v1' });
    expect(summary.entities).toBe(N);
    expect(summary.files['entities.csv']).toBe(N);
    ({ entities, truth, credit, complaints, results, inspectors } = readProvince(dir));
    for (const [file, rows] of [['credit.csv', credit], ['complaints.csv', complaints], ['results.csv', results], ['inspectors.csv', inspectors]] as const) {
      expect(summary.files[file]).toBe(rows.length);
    }
  });

  it('writes the headers of formats.md in order', () => {
    for (const [key, header] of Object.entries(HEADERS)) {
      expect(readFileSync(join(dir, FILE_NAMES[key as keyof typeof FILE_NAMES]), 'utf8').split('\n', 1)[0]).toBe(header);
    }
    expect(readFileSync(join(dir, 'inspectors.csv'), 'utf8').split('\n', 1)[0]).toBe(INSPECTORS_HEADER);
  });

  it('gives every entity a valid, unique USCC with a known region, industry and departments', () => {
    const regions = new Set(referenceRows('regions.csv').map((r) => r.code));
    const departments = new Set(referenceRows('departments.csv').map((r) => r.code));
    const typeChar: Record<string, string> = { enterprise: '1', individual: '2', cooperative: '3' };
    const problems: string[] = [];
    for (const e of entities) {
      const depts = e.responsible_departments.split(';');
      if (!isValidUscc(e.uscc)) problems.push(`invalid ${e.uscc}`);
      if (!regions.has(e.region_code)) problems.push(`region ${e.region_code}`);
      if (e.uscc[0] !== '9' || e.uscc[1] !== typeChar[e.entity_type] || e.uscc.slice(2, 8) !== e.region_code) problems.push(`parts ${e.uscc}`);
      if (!/^[A-T]$/.test(e.industry_code)) problems.push(`industry ${e.industry_code}`);
      if (!['active', 'deregistered', 'revoked'].includes(e.status)) problems.push(`status ${e.status}`);
      if (depts[0] !== 'SAMR' || depts.some((d) => !departments.has(d))) problems.push(`departments ${e.responsible_departments}`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(e.established_on) || e.established_on > '2026-10-31' || e.established_on < '1990-01-01') problems.push(`established ${e.established_on}`);
      if (e.name.length < 5 || e.legal_representative.length < 2) problems.push(`name ${e.name} ${e.legal_representative}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(new Set(entities.map((e) => e.uscc)).size).toBe(N);
    expect(truth.size).toBe(N);
  });

  it('spreads entities over the cities with Shenzhen and Guangzhou largest, then Dongguan and Foshan', () => {
    const byCity = new Map<string, number>();
    for (const e of entities) {
      const city = e.region_code.slice(0, 4) + '00';
      byCity.set(city, (byCity.get(city) ?? 0) + 1);
    }
    const ranked = [...byCity.entries()].sort((a, b) => b[1] - a[1]).map(([code]) => code);
    expect(ranked.slice(0, 2)).toEqual(['440300', '440100']);
    expect(new Set(ranked.slice(2, 4))).toEqual(new Set(['441900', '440600']));
    expect(byCity.size).toBe(21);
    expect(byCity.get('440300')! / N).toBeCloseTo(0.22, 1);
    expect(Math.abs(byCity.get('441900')! / N - 0.09)).toBeLessThan(0.012);
    expect(Math.abs(byCity.get('440600')! / N - 0.08)).toBeLessThan(0.012);
  });

  it('has individual businesses as the larger half, enterprises ~43 %, cooperatives ~1 %', () => {
    const share = (type: string) => entities.filter((e) => e.entity_type === type).length / N;
    expect(Math.abs(share('individual') - 0.56)).toBeLessThan(0.025);
    expect(Math.abs(share('enterprise') - 0.43)).toBeLessThan(0.025);
    expect(Math.abs(share('cooperative') - 0.01)).toBeLessThan(0.005);
    const active = entities.filter((e) => e.status === 'active').length / N;
    expect(Math.abs(active - 0.92)).toBeLessThan(0.01);
  });

  it('has a mean propensity of 0.10-0.15 with a long right tail', () => {
    const values = [...truth.values()].sort((a, b) => a - b);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(mean).toBeGreaterThan(0.1);
    expect(mean).toBeLessThan(0.15);
    expect(values[Math.floor(values.length / 2)]).toBeLessThan(mean);
    expect(values[Math.floor(values.length * 0.99)]).toBeGreaterThan(0.5);
  });

  it('has one classification per entity, class A the most common, and penalties rising with propensity', () => {
    const classes = credit.filter((r) => r.record_type === 'classification');
    expect(classes.length).toBe(N);
    const count = (c: string) => classes.filter((r) => r.credit_class === c).length;
    expect(count('A')).toBeGreaterThan(count('B'));
    expect(count('B')).toBeGreaterThan(count('C'));
    expect(count('C')).toBeGreaterThan(count('D'));
    expect(new Set(credit.map((r) => r.record_id)).size).toBe(credit.length);
    const q = quartileOf(truth);
    const penalties = [0, 0, 0, 0];
    for (const r of credit) if (r.record_type === 'penalty') penalties[q.get(r.uscc)!]++;
    expect(penalties[3]).toBeGreaterThan(penalties[0] * 3);
    expect(credit.filter((r) => !truth.has(r.uscc) || (r.record_type === 'penalty' && !(Number(r.amount_yuan) > 0)))).toEqual([]);
  });

  it('has about 0.3 tickets per entity, ~15 % without an entity, rising steeply with propensity', () => {
    const perEntity = complaints.length / N;
    expect(perEntity).toBeGreaterThan(0.2);
    expect(perEntity).toBeLessThan(0.4);
    const anonymous = complaints.filter((c) => c.uscc === '').length / complaints.length;
    expect(Math.abs(anonymous - 0.15)).toBeLessThan(0.03);
    const q = quartileOf(truth);
    const byQuartile = [0, 0, 0, 0];
    for (const c of complaints) if (c.uscc) byQuartile[q.get(c.uscc)!]++;
    for (let i = 1; i < 4; i++) expect(byQuartile[i]).toBeGreaterThan(byQuartile[i - 1] * 1.5);
    expect(new Set(complaints.map((c) => c.complaint_id)).size).toBe(complaints.length);
    const badTimes = complaints.filter((c) => !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(c.received_at) || c.received_at < '2023-11-01' || c.received_at >= '2026-11-01');
    expect(badTimes).toEqual([]);
    const regions = new Set(referenceRows('regions.csv').map((r) => r.code));
    expect(complaints.filter((c) => !regions.has(c.region_code) || (c.uscc !== '' && !truth.has(c.uscc)))).toEqual([]);
  });

  it('has inspection results whose finding rate rises with propensity, with known codes and staffed by two officers of the department', () => {
    const items = new Map(referenceRows('items.csv').map((r) => [r.code, r.department_code]));
    const findingCodes = new Set(referenceRows('outcome_codes.csv').filter((r) => r.is_finding === 'true').map((r) => r.code));
    const outcomeCodes = new Set(referenceRows('outcome_codes.csv').map((r) => r.code));
    const officers = new Map(inspectors.filter((i) => i.kind === 'officer').map((i) => [i.inspector_id, i.department_code]));
    const q = quartileOf(truth);
    const found = [0, 0, 0, 0];
    const total = [0, 0, 0, 0];
    const problems: string[] = [];
    for (const r of results) {
      const team = r.inspector_ids.split(';');
      if (items.get(r.item_code) !== r.department_code) problems.push(`item ${r.item_code} of ${r.department_code}`);
      if (!outcomeCodes.has(r.outcome_code)) problems.push(`outcome ${r.outcome_code}`);
      if (team.length !== 2 || team[0] === team[1] || team.some((id) => officers.get(id) !== r.department_code)) problems.push(`team ${r.inspector_ids}`);
      if (r.inspected_on < '2023-11-01' || r.inspected_on > '2026-10-31') problems.push(`date ${r.inspected_on}`);
      const quartile = q.get(r.uscc)!;
      total[quartile]++;
      if (findingCodes.has(r.outcome_code)) {
        found[quartile]++;
        if (r.findings === '') problems.push(`no findings text in ${r.result_id}`);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(new Set(results.map((r) => r.result_id)).size).toBe(results.length);
    const rate = found.map((f, i) => f / total[i]);
    for (let i = 1; i < 4; i++) expect(rate[i]).toBeGreaterThan(rate[i - 1]);
    expect(rate[3]).toBeGreaterThan(rate[0] * 4);
    // risk-based practice: high-propensity entities are inspected more often (credit class multiplier)
    expect(total[3]).toBeGreaterThan(total[0] * 1.8);
  });

  it('staffs about one inspector per 250 entities, half of them SAMR, officers with certificates', () => {
    expect(inspectors.length).toBeGreaterThanOrEqual(80);
    const samr = inspectors.filter((i) => i.department_code === 'SAMR').length / inspectors.length;
    expect(Math.abs(samr - 0.5)).toBeLessThan(0.06);
    const usccs = new Set(entities.map((e) => e.uscc));
    const problems: string[] = [];
    for (const i of inspectors) {
      if (!/^GD-[A-Z]+-\d{6}$/.test(i.inspector_id) || i.specialties === '') problems.push(`id or specialties ${i.inspector_id}`);
      if (i.kind === 'officer') {
        if (i.qualifications !== 'enforcement' || !/^粤执法\d{12}$/.test(i.certificate_no)) problems.push(`officer ${i.inspector_id}`);
        if (!(parseDay(i.certificate_valid_to) > parseDay(i.certificate_valid_from))) problems.push(`certificate ${i.inspector_id}`);
      } else if (i.qualifications !== '' || i.certificate_no !== '') problems.push(`non-officer ${i.inspector_id}`);
      for (const list of [i.conflicts_declared, i.conflicts_reported]) {
        for (const u of list ? list.split(';') : []) if (!usccs.has(u)) problems.push(`conflict ${u}`);
      }
    }
    expect(problems).toEqual([]);
    const tiny = (n: number) => Math.max(60, Math.round(n / 250));
    expect(tiny(1000)).toBe(60);
  });

  it('plants an outbreak: more tickets in that district × industry in the last 8 weeks only', async () => {
    const district = '440306';
    const industry = 'F';
    await generateProvince({ entities: N, seed: 7, outDir: planted, outbreaks: [`${district}:${industry}:6`], generator: 'v1' });
    for (const f of ['entities.csv', 'credit.csv', 'results.csv', 'truth.csv', 'inspectors.csv']) {
      expect(readFileSync(join(planted, f)).equals(readFileSync(join(dir, f))), f).toBe(true);
    }
    const cell = new Set(entities.filter((e) => e.region_code === district && e.industry_code === industry).map((e) => e.uscc));
    const lastStart = formatDay(parseDay('2026-10-31') - OUTBREAK_DAYS + 1);
    const split = (rows: Row[]) => {
      const inCell = rows.filter((c) => cell.has(c.uscc));
      return {
        before: inCell.filter((c) => c.received_at < lastStart).map((c) => c.complaint_id).sort(),
        last: inCell.filter((c) => c.received_at >= lastStart).length,
        outside: rows.filter((c) => c.uscc !== '' && !cell.has(c.uscc)).map((c) => c.complaint_id).sort(),
      };
    };
    const base = split(complaints);
    const withOutbreak = split(readRows(planted, 'complaints.csv'));
    expect(withOutbreak.before).toEqual(base.before);
    expect(withOutbreak.outside).toEqual(base.outside);
    expect(withOutbreak.last).toBeGreaterThan(base.last * 3 + 10);
  });
});

describe('a province of 20,000 entities, generator v2', () => {
  const dir = join(root, 'p20k-v2');
  const v1 = join(root, 'p20k');
  const N = 20_000;
  let entities: Row[];
  let truth: Map<string, number>;
  let credit: Row[];
  let complaints: Row[];
  let results: Row[];
  let inspectors: Map<string, Row>;

  beforeAll(async () => {
    await generateProvince({ entities: N, seed: 7, outDir: dir });
    const province = readProvince(dir);
    ({ entities, truth, credit, complaints, results } = province);
    inspectors = new Map(province.inspectors.map((r) => [r.inspector_id, r]));
  });

  it("keeps v1's directory, and writes results with how each object was selected", () => {
    expect(readFileSync(join(dir, 'entities.csv')).equals(readFileSync(join(v1, 'entities.csv')))).toBe(true);
    expect(readFileSync(join(dir, 'results.csv'), 'utf8').split('\n', 1)[0]).toBe(RESULTS_HEADER_V2);
    const kinds = new Set(results.map((r) => r.selection));
    expect(kinds).toEqual(new Set(['random', 'complaint', 'targeted']));
  });

  it('records each random draw with its stratum: one eligible count and quota per stratum, and the quota drawn', () => {
    const strata = new Map<string, { eligible: Set<string>; quota: Set<string>; drawn: Set<string> }>();
    const problems: string[] = [];
    for (const r of results) {
      if (r.selection !== 'random') {
        if (r.stratum || r.stratum_eligible || r.stratum_quota) problems.push(`strata on ${r.selection} ${r.result_id}`);
        continue;
      }
      const key = `${r.task_ref}|${r.stratum}`;
      const s = strata.get(key) ?? { eligible: new Set(), quota: new Set(), drawn: new Set() };
      s.eligible.add(r.stratum_eligible);
      s.quota.add(r.stratum_quota);
      s.drawn.add(r.uscc);
      strata.set(key, s);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(strata.size).toBeGreaterThan(100);
    const ratio: Record<string, number> = { A: 0.02, B: 0.04, C: 0.1, D: 0.25, U: 0.04 };
    let quota = 0;
    let eligible = 0;
    for (const [key, s] of strata) {
      expect(s.eligible.size, key).toBe(1);
      expect(s.quota.size, key).toBe(1);
      const [k, n] = [Number([...s.quota][0]), Number([...s.eligible][0])];
      // the drawn visited before the as-of date (some are still to be visited)
      expect(s.drawn.size, key).toBeLessThanOrEqual(k);
      expect(k, key).toBeLessThanOrEqual(n);
      if (key.endsWith('|U')) {
        quota += k;
        eligible += n;
      }
      expect(ratio[key.slice(-1)]).toBeDefined();
    }
    expect(quota / eligible).toBeCloseTo(0.04, 2);
  });

  it('classifies part of the entities (none in some cities), many of them years ago', () => {
    const classes = credit.filter((r) => r.record_type === 'classification');
    const classified = new Set(classes.map((r) => r.uscc));
    expect(classified.size / N).toBeGreaterThan(0.3);
    expect(classified.size / N).toBeLessThan(0.65);
    const cityOf = new Map(entities.map((e) => [e.uscc, e.region_code.slice(0, 4)]));
    expect(classes.filter((r) => ['4415', '4453', '4416', '4409', '4417'].includes(cityOf.get(r.uscc)!))).toEqual([]);
    const latest = new Map<string, string>();
    for (const r of classes) if ((latest.get(r.uscc) ?? '') < r.record_date) latest.set(r.uscc, r.record_date);
    const stale = [...latest.values()].filter((d) => d < '2024-10-31').length / latest.size;
    expect(stale).toBeGreaterThan(0.15);
  });

  it('has complaints found true more often for riskier entities, and noise that is not', () => {
    const q = quartileOf(truth);
    const named = complaints.filter((c) => c.uscc !== '' && c.category !== 'consultation');
    const share = (quartile: number) => {
      const own = named.filter((c) => q.get(c.uscc) === quartile);
      return own.filter((c) => c.substantiated === 'true').length / own.length;
    };
    expect(share(3)).toBeGreaterThan(share(0) + 0.1);
    expect(named.filter((c) => c.substantiated === 'false').length / named.length).toBeGreaterThan(0.2);
    expect(named.filter((c) => c.substantiated === '').length / named.length).toBeGreaterThan(0.05);
  });

  it('finds less where the team is lenient: random draws find about as often as the risk says in most districts, less in some', () => {
    // finding rate over mean propensity, per home district of the team's first officer (those with 30+ random visits)
    const byHome = new Map<string, { found: number; risk: number; n: number }>();
    const findingCodes = new Set(referenceRows('outcome_codes.csv').filter((r) => r.is_finding === 'true').map((r) => r.code));
    for (const r of results.filter((x) => x.selection === 'random')) {
      const home = inspectors.get(r.inspector_ids.split(';')[0])?.region_code ?? '';
      const h = byHome.get(home) ?? { found: 0, risk: 0, n: 0 };
      h.found += findingCodes.has(r.outcome_code) ? 1 : 0;
      h.risk += truth.get(r.uscc)!;
      h.n++;
      byHome.set(home, h);
    }
    const ratios = [...byHome.values()].filter((h) => h.n >= 30).map((h) => h.found / h.risk).sort((a, b) => a - b);
    expect(ratios[0]).toBeLessThan(0.75);
    expect(ratios[ratios.length - 1]).toBeGreaterThan(0.85);
  });

  it('plants an outbreak: more tickets in that district × industry in the last 8 weeks only', async () => {
    const district = '440306';
    const industry = 'F';
    const planted = join(root, 'p20k-v2-outbreak');
    await generateProvince({ entities: N, seed: 7, outDir: planted, outbreaks: [`${district}:${industry}:6`] });
    const cell = new Set(entities.filter((e) => e.region_code === district && e.industry_code === industry).map((e) => e.uscc));
    const lastStart = formatDay(parseDay('2026-10-31') - OUTBREAK_DAYS + 1);
    const last = (rows: Row[]) => rows.filter((c) => cell.has(c.uscc) && c.received_at >= lastStart).length;
    expect(last(readRows(planted, 'complaints.csv'))).toBeGreaterThan(last(complaints) * 3 + 10);
    for (const f of ['entities.csv', 'truth.csv', 'inspectors.csv']) expect(readFileSync(join(planted, f)).equals(readFileSync(join(dir, f))), f).toBe(true);
  });
});

describe('parquet copies', () => {
  it('writes each file as Parquet with the CSV text as values', async () => {
    const out = join(root, 'pq');
    const summary = await generateProvince({ entities: 1500, seed: 3, outDir: out, parquet: true });
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      for (const name of Object.values(FILE_NAMES)) {
        const parquetName = name.replace('.csv', '.parquet');
        expect(summary.files[parquetName]).toBe(summary.files[name]);
        const reader = await connection.runAndReadAll(
          `SELECT count(*) FROM (SELECT * FROM read_csv('${join(out, name)}', all_varchar = true) EXCEPT ALL SELECT * FROM '${join(out, parquetName)}')`,
        );
        expect(Number(reader.getRows()[0][0]), name).toBe(0);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    await generateProvince({ entities: 500, seed: 3, outDir: out });
    expect(readdirSync(out).filter((f) => f.endsWith('.parquet'))).toEqual([]);
  });
});
