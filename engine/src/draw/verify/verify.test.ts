// The verifier against the Python reference exports, against exports of the draw path, and against
// tampered copies: one changed row in each published file must be caught and named.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { REPO_ROOT } from '../../kernel/config.ts';
// The draw path only produces test data here; the verifier itself never imports it.
import { assignTeams, populationDigest, selectObjects, sha256Hex, type Pair } from '../fd1.ts';
import { writeDrawFiles } from '../files.ts';
import { verifyDraw, type VerifyOptions } from './verify.ts';
import { objectKeyOf, quotaOf } from './picks.ts';
import { addVerifyCommand } from '../../cli/commands/draw-verify.ts';

const FIXTURES = resolve(REPO_ROOT, 'data/fixtures/fd1/draws');
const ENGINES = ['js', 'duckdb', 'parallel'] as const;
type Engine = (typeof ENGINES)[number];
/** 'parallel' is the js engine made to use its worker threads (two byte ranges) however small the file. */
const OPTIONS: Record<Engine, VerifyOptions> = {
  js: { engine: 'js' },
  duckdb: { engine: 'duckdb' },
  parallel: { engine: 'js', parallelAboveBytes: 0, workers: 2 },
};
const reportedEngine = (engine: Engine) => (engine === 'parallel' ? 'js' : engine);

let scratch: string;
let generated: string;
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'fd1-verify-test-'));
  generated = join(scratch, 'generated');
  await writeDrawFiles(generated, generatedDraw());
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A joint task over 4,000 entities in tier-by-city strata, exported by the draw path. */
function generatedDraw() {
  const population: Pair[] = [];
  const cities = ['440100', '440300', '441900'];
  for (let i = 0; i < 4000; i++) {
    const tier = 'ABCD'[i % 7 === 0 ? 3 : i % 5 === 0 ? 2 : i % 2];
    population.push({ stratum: `${tier}|${cities[i % 3]}`, id: `91${cities[i % 3]}${String(i * 7919).padStart(10, '0')}` });
  }
  const strata = [...new Set(population.map((p) => p.stratum))].sort().map((stratum) => ({ stratum, ratioBp: { A: 300, B: 500, C: 1000, D: 3000 }[stratum[0]]! }));
  const secret = sha256Hex('verify test secret');
  const beacon = 'SSE Composite Index close 2025-08-01: 3559.95';
  const seed = `${secret}|${beacon}`;
  const picks = selectObjects({ seed, taskId: 'T-2025-0777', population, strata });
  const pools = {
    SAMR: Array.from({ length: 14 }, (_, i) => `SAMR-${String(i + 1).padStart(3, '0')}`),
    HEALTH: Array.from({ length: 5 }, (_, i) => `HEALTH-${String(i + 1).padStart(3, '0')}`),
  };
  const exclusions: Array<[string, string]> = picks.drawOrder.slice(0, 40).map((o, i) => [o, i % 2 ? pools.SAMR[i % 14] : pools.HEALTH[i % 5]]);
  const teamSpec = [
    { department: 'SAMR', count: 2 },
    { department: 'HEALTH', count: 1 },
  ];
  const teams = assignTeams({ seed, taskId: 'T-2025-0777', drawOrder: picks.drawOrder, teamSpec, pools, exclusions });
  return {
    protocol: 'fd1' as const,
    taskId: 'T-2025-0777',
    commitment: sha256Hex(secret),
    secret,
    beacon,
    seed,
    populationDigest: populationDigest(population),
    strata: picks.strata,
    caps: teams.caps,
    committedAt: new Date('2025-07-30T02:00:00Z'),
    drawnAt: new Date('2025-08-01T07:10:00Z'),
    pools,
    exclusions,
    selection: picks.selection,
    teams: teams.teams,
    population,
  };
}

function copyOf(source: string, name: string): string {
  const dir = join(scratch, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(source, dir, { recursive: true });
  return dir;
}

const lines = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8').slice(0, -1).split('\n');
const writeLines = (dir: string, file: string, rows: string[]) => writeFileSync(join(dir, file), rows.join('\n') + '\n');

describe("the verifier's own arithmetic reproduces the Python vectors", () => {
  it('quotas and keys', () => {
    const vectors = JSON.parse(readFileSync(resolve(REPO_ROOT, 'data/fixtures/fd1/vectors.json'), 'utf8'));
    for (const v of vectors.quotas) {
      expect(quotaOf(v.eligible, { stratum: 'S', eligible: v.eligible, ratio_bp: v.ratio_bp, count: v.count, quota: 0 }), JSON.stringify(v)).toBe(v.quota);
    }
    for (const v of vectors.keys) expect(objectKeyOf('fd1', v.seed, v.task_id, v.stratum, v.id)).toBe(v.key);
  });
});

describe('verify accepts untouched exports', () => {
  for (const name of ['tiers', 'joint', 'edges', 'caps', 'empty']) {
    for (const engine of ENGINES) {
      it(`the Python reference export "${name}" (${engine})`, async () => {
        const report = await verifyDraw(join(FIXTURES, name), OPTIONS[engine]);
        expect(report.firstMismatch).toBeUndefined();
        expect(report.ok).toBe(true);
        expect(report.engine).toBe(reportedEngine(engine));
        expect(report.checks.filter((c) => c.id.startsWith('stratum:')).length).toBeGreaterThan(0);
      });
    }
  }

  for (const engine of ENGINES) {
    it(`a 4,000-entity joint draw exported by the draw path (${engine})`, async () => {
      const report = await verifyDraw(generated, OPTIONS[engine]);
      expect(report.firstMismatch).toBeUndefined();
      expect(report.checks.find((c) => c.id === 'teams')?.status).toBe('ok');
      expect(report.warnings).toEqual([]);
    });

    it(`population.csv in any row order (${engine})`, async () => {
      const dir = copyOf(generated, `shuffled-${engine}`);
      const [header, ...rows] = lines(dir, 'population.csv');
      writeLines(dir, 'population.csv', [header, ...rows.reverse()]);
      expect((await verifyDraw(dir, OPTIONS[engine])).ok).toBe(true);
    });
  }

  it('warns that a draw without a beacon is not grind-proof, and still verifies it', async () => {
    const report = await verifyDraw(join(FIXTURES, 'edges'));
    expect(report.ok).toBe(true);
    expect(report.warnings.join(' ')).toMatch(/not grind-proof/);
    expect(report.checks.find((c) => c.id === 'unstaffed')?.status).toBe('warning');
  });
});

/** One changed row per file; each tamper is described by the row it changes. */
const TAMPERS: Array<{ file: string; what: string; apply(dir: string): void }> = [
  {
    file: 'manifest.json',
    what: 'the commitment',
    apply(dir) {
      const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
      writeFileSync(join(dir, 'manifest.json'), text.replace(/"commitment": "(.)/, (_, c: string) => `"commitment": "${c === '0' ? '1' : '0'}`));
    },
  },
  {
    file: 'manifest.json',
    what: 'a stratum quota',
    apply(dir) {
      const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
      writeFileSync(join(dir, 'manifest.json'), text.replace(/"quota": (\d+)/, (_, q: string) => `"quota": ${Number(q) + 1}`));
    },
  },
  {
    file: 'population.csv',
    what: 'one id',
    apply(dir) {
      const rows = lines(dir, 'population.csv');
      rows[7] = rows[7].slice(0, -1) + (rows[7].endsWith('9') ? '8' : '9');
      writeLines(dir, 'population.csv', rows);
    },
  },
  {
    file: 'inspectors.csv',
    what: 'an inspector on a team, renamed',
    apply(dir) {
      const assigned = lines(dir, 'teams.csv')[1].split(',')[2];
      const rows = lines(dir, 'inspectors.csv').map((r) => (r.endsWith(`,${assigned}`) ? `${r}X` : r));
      writeLines(dir, 'inspectors.csv', rows);
    },
  },
  {
    file: 'exclusions.csv',
    what: 'an exclusion moved onto an assigned inspector',
    apply(dir) {
      const [objectId, , inspectorId] = lines(dir, 'teams.csv')[1].split(',');
      const rows = lines(dir, 'exclusions.csv');
      rows[1] = `${objectId},${inspectorId}`;
      writeLines(dir, 'exclusions.csv', rows);
    },
  },
  {
    file: 'selection.csv',
    what: 'a pick swapped for an id that was not drawn',
    apply(dir) {
      const picked = new Set(lines(dir, 'selection.csv').slice(1).map((r) => r.split(',')[1]));
      const rows = lines(dir, 'selection.csv');
      const [stratum, , , rank] = rows[1].split(',');
      const other = lines(dir, 'population.csv').find((r) => r.startsWith(`${stratum},`) && !picked.has(r.split(',')[1]))!.split(',')[1];
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      rows[1] = `${stratum},${other},${sha256Hex(`fd1|${manifest.seed}|${manifest.task_id}|${stratum}|${other}`)},${rank}`;
      writeLines(dir, 'selection.csv', rows);
    },
  },
  {
    file: 'selection.csv',
    what: 'a key',
    apply(dir) {
      const rows = lines(dir, 'selection.csv');
      const cells = rows[1].split(',');
      cells[2] = cells[2].slice(0, -1) + (cells[2].endsWith('0') ? '1' : '0');
      rows[1] = cells.join(',');
      writeLines(dir, 'selection.csv', rows);
    },
  },
  {
    file: 'selection.csv',
    what: 'a rank',
    apply(dir) {
      const rows = lines(dir, 'selection.csv');
      const cells = rows[2].split(',');
      cells[3] = String(Number(cells[3]) + 5);
      rows[2] = cells.join(',');
      writeLines(dir, 'selection.csv', rows);
    },
  },
  {
    file: 'teams.csv',
    what: 'one inspector replaced by another pool member',
    apply(dir) {
      const rows = lines(dir, 'teams.csv');
      const [objectId, department, inspectorId] = rows[3].split(',');
      const team = new Set(rows.filter((r) => r.startsWith(objectId + ',')).map((r) => r.split(',')[2]));
      const other = lines(dir, 'inspectors.csv').find((r) => r.startsWith(department + ',') && !team.has(r.split(',')[1]) && r.split(',')[1] !== inspectorId)!;
      rows[3] = `${objectId},${department},${other.split(',')[1]}`;
      writeLines(dir, 'teams.csv', rows);
    },
  },
];

describe('verify catches a changed row in every published file', () => {
  for (const source of ['joint', 'generated']) {
    for (const tamper of TAMPERS) {
      // The engines differ only in how they check population.csv against selection.csv.
      for (const engine of ['population.csv', 'selection.csv'].includes(tamper.file) ? ENGINES : (['js'] as const)) {
        it(`${source}: ${tamper.file}, ${tamper.what} (${engine})`, async () => {
          const dir = copyOf(source === 'generated' ? generated : join(FIXTURES, source), `tampered-${source}-${engine}`);
          tamper.apply(dir);
          const report = await verifyDraw(dir, OPTIONS[engine]);
          expect(report.ok).toBe(false);
          const first = report.firstMismatch!;
          expect(`${first.file} ${first.detail}`).toContain(tamper.file);
          if (tamper.file.endsWith('.csv') && tamper.file !== 'population.csv' && tamper.file !== 'inspectors.csv') {
            expect(first.line).toBeGreaterThan(1);
            expect(first.content).toBeDefined();
          }
        });
      }
    }
  }

  it('names the differing line and what was expected for a changed pick', async () => {
    const dir = copyOf(join(FIXTURES, 'tiers'), 'tampered-named');
    TAMPERS.find((t) => t.what.startsWith('a pick swapped'))!.apply(dir);
    for (const engine of ENGINES) {
      const first = (await verifyDraw(dir, OPTIONS[engine])).firstMismatch!;
      expect(first.file).toBe('selection.csv');
      expect(first.line).toBe(2);
      expect(first.content).toBe(lines(dir, 'selection.csv')[1]);
      expect(first.detail).toMatch(/expected "A,/);
    }
  });

  it('reports a missing file', async () => {
    const dir = copyOf(join(FIXTURES, 'tiers'), 'missing');
    unlinkSync(join(dir, 'exclusions.csv'));
    const first = (await verifyDraw(dir)).firstMismatch!;
    expect(first.file).toBe('exclusions.csv');
  });

  it('refuses a cap below the protocol cap', async () => {
    const dir = copyOf(join(FIXTURES, 'joint'), 'low-cap');
    const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
    writeFileSync(join(dir, 'manifest.json'), text.replace('"cap": 7', '"cap": 6'));
    const first = (await verifyDraw(dir)).firstMismatch!;
    expect(first.id).toBe('cap:SAMR');
    expect(first.file).toBe('manifest.json');
    expect(first.content).toBe('"cap": 6');
  });

  it('finds an id in two strata with every engine and names both lines', async () => {
    const dir = copyOf(join(FIXTURES, 'tiers'), 'two-strata');
    const rows = lines(dir, 'population.csv');
    const id = rows[1].split(',')[1];
    rows.push(`D,${id}`);
    writeLines(dir, 'population.csv', rows);
    for (const engine of ENGINES) {
      const first = (await verifyDraw(dir, OPTIONS[engine])).firstMismatch!;
      expect(first.file).toBe('population.csv');
      expect(first.detail).toContain(`line 2`);
      expect(first.line).toBe(rows.length);
    }
  });
});

describe('fairdraw draw verify DIR', () => {
  async function run(dir: string): Promise<{ out: string; exitCode: number }> {
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    const before = process.exitCode;
    try {
      const program = new Command('fairdraw');
      addVerifyCommand(program.command('draw'));
      await program.parseAsync(['node', 'fairdraw', 'draw', 'verify', dir]);
      return { out: printed.join('\n'), exitCode: Number(process.exitCode ?? 0) };
    } finally {
      log.mockRestore();
      process.exitCode = before;
    }
  }

  it('prints every check and "fd1 verified", exit 0', async () => {
    const { out, exitCode } = await run(join(FIXTURES, 'joint'));
    expect(out).toMatch(/承诺值 commitment/);
    expect(out.trim().split('\n').at(-1)).toBe('fd1 verified');
    expect(exitCode).toBe(0);
  });

  it('prints the first mismatch, exit 1', async () => {
    const dir = copyOf(join(FIXTURES, 'joint'), 'cli-tampered');
    TAMPERS.find((t) => t.file === 'teams.csv')!.apply(dir);
    const { out, exitCode } = await run(dir);
    expect(out.trim().split('\n').at(-1)).toMatch(/^验证失败 \/ mismatch: teams\.csv line 4: /);
    expect(exitCode).toBe(1);
  });
});

describe('fd2 packages', () => {
  const FD2 = resolve(REPO_ROOT, 'data/fixtures/fd2/draws');
  const editManifest = (dir: string, change: (m: Record<string, unknown>) => void) => {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    change(m);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m, null, 2) + '\n');
  };

  for (const name of ['tiers', 'joint', 'caps', 'whole']) {
    for (const engine of ENGINES) {
      it(`the Python reference auditor package "${name}" (${engine}): fd2 verified`, async () => {
        const report = await verifyDraw(join(FD2, name, 'auditor'), OPTIONS[engine]);
        expect(report.firstMismatch).toBeUndefined();
        expect(report.verdict).toBe('fd2 verified');
        expect(report.checks.find((c) => c.id === 'timeline')?.status).toBe('ok');
      });
    }
    it(`the Python reference public package "${name}": the public checks pass`, async () => {
      const report = await verifyDraw(join(FD2, name, 'public'));
      expect(report.firstMismatch).toBeUndefined();
      expect(report.verdict).toBe('fd2 public checks passed (full recomputation needs the auditor package)');
      expect(report.checks.map((c) => c.id)).toEqual(expect.arrayContaining(['commitment', 'timeline', 'selected', 'quota']));
    });
  }

  it('a salted digest read as plain, or fd1 keys in an fd2 package, are mismatches', async () => {
    const plain = copyOf(join(FD2, 'tiers', 'auditor'), 'fd2-plain');
    editManifest(plain, (m) => (m.digest = 'plain'));
    expect((await verifyDraw(plain)).firstMismatch).toMatchObject({ id: 'digest' });
    const relabelled = copyOf(join(FD2, 'whole', 'auditor'), 'fd2-as-fd1');
    editManifest(relabelled, (m) => (m.protocol = 'fd1'));
    expect((await verifyDraw(relabelled)).ok).toBe(false);
  });

  it('a beacon due before the commitment, recorded before its due time, or a draw before the beacon fails the timeline', async () => {
    const cases: Array<[string, (m: Record<string, unknown>) => void]> = [
      ['beacon_due', (m) => (m.beacon_due = m.committed_at)],
      ['beacon_recorded_at', (m) => (m.beacon_recorded_at = '2025-03-03T14:59:59.000+08:00')],
      ['drawn_at', (m) => (m.drawn_at = '2025-03-03T15:01:00.000+08:00')],
    ];
    for (const [field, change] of cases) {
      for (const kind of ['auditor', 'public']) {
        const dir = copyOf(join(FD2, 'tiers', kind), `fd2-timeline-${field}-${kind}`);
        editManifest(dir, change);
        const report = await verifyDraw(dir);
        expect(report.ok, `${field} (${kind})`).toBe(false);
        expect(report.firstMismatch, `${field} (${kind})`).toMatchObject({ id: 'timeline', file: 'manifest.json', content: expect.stringContaining(`"${field}"`) });
      }
    }
    const empty = copyOf(join(FD2, 'tiers', 'auditor'), 'fd2-empty-beacon');
    editManifest(empty, (m) => {
      m.beacon = '';
      m.seed = `${m.secret}|`;
    });
    expect((await verifyDraw(empty)).firstMismatch).toMatchObject({ id: 'beacon' });
  });

  it('public package: ids unsorted, repeated or miscounted, and a cap below the floor are mismatches', async () => {
    const base = join(FD2, 'joint', 'public');
    const unsorted = copyOf(base, 'pub-unsorted');
    const [header, ...ids] = lines(unsorted, 'selected.csv');
    writeLines(unsorted, 'selected.csv', [header, ...ids.reverse()]);
    expect((await verifyDraw(unsorted)).firstMismatch).toMatchObject({ id: 'selected', file: 'selected.csv', line: 3 });
    const short = copyOf(base, 'pub-short');
    writeLines(short, 'selected.csv', [header, ...ids.reverse().slice(1)]);
    expect((await verifyDraw(short)).firstMismatch).toMatchObject({ id: 'selected' });
    const quota = copyOf(base, 'pub-quota');
    editManifest(quota, (m) => {
      (m.totals as { quota: number }).quota += 1;
    });
    expect((await verifyDraw(quota)).firstMismatch).toMatchObject({ id: 'quota' });
    const cap = copyOf(base, 'pub-cap');
    editManifest(cap, (m) => ((m.teams as Array<{ cap: number }>)[0].cap = 1));
    expect((await verifyDraw(cap)).firstMismatch).toMatchObject({ id: 'cap:SAMR' });
    const extra = copyOf(base, 'pub-extra');
    writeFileSync(join(extra, 'population.csv'), 'stratum,id\n');
    expect((await verifyDraw(extra)).firstMismatch).toMatchObject({ id: 'files' });
  });
});
