import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../kernel/config.ts';
import { quota } from '../kernel/quota.ts';
import { seededRandom } from '../testing/random.ts';
import {
  assignTeams,
  compareUtf8,
  inspectorKey,
  objectKey,
  populationDigest,
  selectObjects,
  sha256Hex,
  type Pair,
  type StratumSpec,
  type TeamSpec,
} from './fd1.ts';

interface VectorDraw {
  name: string;
  task_id: string;
  secret: string;
  commitment: string;
  beacon: string;
  seed: string;
  population: Array<[string, string]>;
  population_digest: string;
  strata: Array<{ stratum: string; ratio_bp?: number; count?: number }>;
  team_spec: TeamSpec[];
  pools: Record<string, string[]>;
  exclusions: Array<[string, string]>;
  caps: Record<string, number> | null;
  committed_at: string;
  drawn_at: string;
  expected: {
    strata: Array<{ stratum: string; eligible: number; ratio_bp?: number; count?: number; quota: number }>;
    selection: Array<{ stratum: string; id: string; key: string; rank: number }>;
    draw_order: string[];
  };
  expected_teams: {
    teams: Array<{ object_id: string; department: string; inspector_id: string; ikey: string }>;
    unstaffed: Array<{ object_id: string; department: string; needed: number; available: number }>;
    caps: Array<{ department: string; count: number; pool: number; cap: number }>;
  };
}

const vectors = JSON.parse(readFileSync(resolve(REPO_ROOT, 'data/fixtures/fd1/vectors.json'), 'utf8')) as {
  sha256: Array<{ text: string; hex: string }>;
  digests: Array<{ pairs: Array<[string, string]>; digest: string }>;
  quotas: Array<{ eligible: number; ratio_bp?: number; count?: number; quota: number }>;
  keys: Array<{ seed: string; task_id: string; stratum: string; id: string; key: string }>;
  ikeys: Array<{ seed: string; task_id: string; object_id: string; inspector_id: string; ikey: string }>;
  draws: VectorDraw[];
};

const specOf = (s: { stratum: string; ratio_bp?: number; count?: number }): StratumSpec =>
  s.ratio_bp !== undefined ? { stratum: s.stratum, ratioBp: s.ratio_bp } : { stratum: s.stratum, count: s.count };

const pairsOf = (rows: Array<[string, string]>): Pair[] => rows.map(([stratum, id]) => ({ stratum, id }));

function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('fd1 reproduces the Python test vectors', () => {
  it('hashes, digests, quotas, keys and ikeys', () => {
    for (const v of vectors.sha256) expect(sha256Hex(v.text)).toBe(v.hex);
    for (const v of vectors.digests) expect(populationDigest(pairsOf(v.pairs))).toBe(v.digest);
    for (const v of vectors.quotas) {
      const spec = v.ratio_bp !== undefined ? { ratioBp: v.ratio_bp } : { count: v.count! };
      expect(quota(v.eligible, spec), JSON.stringify(v)).toBe(v.quota);
    }
    for (const v of vectors.keys) expect(objectKey(v.seed, v.task_id, v.stratum, v.id)).toBe(v.key);
    for (const v of vectors.ikeys) expect(inspectorKey(v.seed, v.task_id, v.object_id, v.inspector_id)).toBe(v.ikey);
  });

  for (const draw of vectors.draws) {
    it(`draw "${draw.name}": commitment, digest, picks, draw order and teams`, () => {
      expect(sha256Hex(draw.secret)).toBe(draw.commitment);
      expect(`${draw.secret}|${draw.beacon}`).toBe(draw.seed);
      expect(populationDigest(pairsOf(draw.population))).toBe(draw.population_digest);
      const picks = selectObjects({
        seed: draw.seed,
        taskId: draw.task_id,
        population: pairsOf(draw.population),
        strata: draw.strata.map(specOf),
      });
      expect(picks.strata).toEqual(
        draw.expected.strata.map((s) => ({ ...specOf(s), eligible: s.eligible, quota: s.quota })),
      );
      expect(picks.selection).toEqual(draw.expected.selection);
      expect(picks.drawOrder).toEqual(draw.expected.draw_order);

      const teams = assignTeams({
        seed: draw.seed,
        taskId: draw.task_id,
        drawOrder: picks.drawOrder,
        teamSpec: draw.team_spec,
        pools: draw.pools,
        exclusions: draw.exclusions,
        caps: draw.caps ?? undefined,
      });
      expect(teams.teams).toEqual(
        draw.expected_teams.teams.map((t) => ({ objectId: t.object_id, department: t.department, inspectorId: t.inspector_id })),
      );
      expect(teams.unstaffed.map(({ objectId, department, needed, available }) => ({ objectId, department, needed, available }))).toEqual(
        draw.expected_teams.unstaffed.map((u) => ({ objectId: u.object_id, department: u.department, needed: u.needed, available: u.available })),
      );
      expect(teams.caps).toEqual(draw.expected_teams.caps);
      for (const t of draw.expected_teams.teams) expect(inspectorKey(draw.seed, draw.task_id, t.object_id, t.inspector_id)).toBe(t.ikey);
    });
  }

  it('the vectors cover the cases the protocol cares about', () => {
    const unstaffed = vectors.draws.flatMap((d) => d.expected_teams.unstaffed);
    expect(unstaffed.some((u) => u.available === 0)).toBe(true);
    expect(unstaffed.some((u) => u.available > 0 && u.available < u.needed)).toBe(true);
    expect(vectors.draws.some((d) => d.team_spec.length > 1)).toBe(true);
    expect(vectors.draws.some((d) => d.beacon === '')).toBe(true);
    expect(vectors.draws.some((d) => d.strata.some((s) => s.stratum.includes('|')))).toBe(true);
  });
});

describe('selection properties', () => {
  const population = (n: number, strata: string[], random: () => number): Pair[] =>
    Array.from({ length: n }, (_, i) => ({
      stratum: strata[Math.floor(random() * strata.length)],
      id: `9144${String(1000 + Math.floor(random() * 9000))}${String(i).padStart(10, '0')}`,
    }));

  it('is order independent: shuffled input gives the same draw', () => {
    const random = seededRandom(1);
    const pop = population(500, ['A', 'B', 'C', 'D|440300'], random);
    const strata = [
      { stratum: 'A', ratioBp: 300 },
      { stratum: 'B', ratioBp: 500 },
      { stratum: 'C', ratioBp: 1000 },
      { stratum: 'D|440300', count: 7 },
    ];
    const base = selectObjects({ seed: 's|b', taskId: 'T', population: pop, strata });
    const digest = populationDigest(pop);
    for (let round = 0; round < 5; round++) {
      const again = shuffled(pop, random);
      expect(selectObjects({ seed: 's|b', taskId: 'T', population: again, strata })).toEqual(base);
      expect(populationDigest(again)).toBe(digest);
    }
  });

  it('is mergeable: each city partition drawn separately, k smallest merged, equals the single draw', () => {
    const random = seededRandom(2);
    const cities = ['440100', '440300', '440600', '441900'];
    const pop = Array.from({ length: 800 }, (_, i) => ({
      stratum: ['A', 'B', 'C', 'D'][Math.floor(random() * 4)],
      city: cities[Math.floor(random() * cities.length)],
      id: `91${String(i).padStart(16, '0')}`,
    }));
    const strata = [
      { stratum: 'A', ratioBp: 300 },
      { stratum: 'B', ratioBp: 700 },
      { stratum: 'C', ratioBp: 1500 },
      { stratum: 'D', ratioBp: 5000 },
    ];
    const single = selectObjects({ seed: 'merge|x', taskId: 'T-M', population: pop, strata });
    const quotaOf = new Map(single.strata.map((s) => [s.stratum, s.quota]));
    const merged: Array<{ stratum: string; id: string; key: string }> = [];
    for (const city of cities) {
      const part = pop.filter((p) => p.city === city);
      for (const { stratum } of strata) {
        const k = quotaOf.get(stratum)!;
        const keyed = part
          .filter((p) => p.stratum === stratum)
          .map((p) => ({ stratum, id: p.id, key: objectKey('merge|x', 'T-M', stratum, p.id) }))
          .sort((a, b) => (a.key < b.key ? -1 : 1))
          .slice(0, k);
        merged.push(...keyed);
      }
    }
    for (const { stratum } of strata) {
      const k = quotaOf.get(stratum)!;
      const top = merged
        .filter((m) => m.stratum === stratum)
        .sort((a, b) => (a.key < b.key ? -1 : 1))
        .slice(0, k)
        .map((m) => m.id);
      expect(top).toEqual(single.selection.filter((s) => s.stratum === stratum).map((s) => s.id));
    }
  });

  it('is uniform: over 2,000 seeds every id is picked within 4.5 sigma of its binomial mean', () => {
    const pop = [
      ...Array.from({ length: 40 }, (_, i) => ({ stratum: 'A', id: `A${String(i).padStart(3, '0')}` })),
      ...Array.from({ length: 12 }, (_, i) => ({ stratum: 'D|440300', id: `D${String(i).padStart(3, '0')}` })),
    ];
    const strata = [
      { stratum: 'A', ratioBp: 1250 },
      { stratum: 'D|440300', ratioBp: 2500 },
    ];
    const seeds = 2000;
    const counts = new Map<string, number>(pop.map((p) => [p.id, 0]));
    for (let s = 0; s < seeds; s++) {
      const { selection } = selectObjects({ seed: sha256Hex(`uniformity ${s}`) + '|', taskId: 'T-U', population: pop, strata });
      for (const pick of selection) counts.set(pick.id, counts.get(pick.id)! + 1);
    }
    for (const [stratum, n, k] of [
      ['A', 40, 5],
      ['D', 12, 3],
    ] as const) {
      const p = k / n;
      const mean = seeds * p;
      const sigma = Math.sqrt(seeds * p * (1 - p));
      for (const [id, c] of counts) {
        if (!id.startsWith(stratum)) continue;
        expect(Math.abs(c - mean), `${id} picked ${c} times, expected ${mean} ± ${4.5 * sigma}`).toBeLessThanOrEqual(4.5 * sigma);
      }
    }
  });

  it('sorts by UTF-8 byte order, not UTF-16 code units', () => {
    const random = seededRandom(3);
    const alphabet = ['a', 'Z', '0', 'é', '中', '\uff21', '\ue000', '😀', '𠀀', '|', '\t'];
    for (let i = 0; i < 2000; i++) {
      const word = () => Array.from({ length: 1 + Math.floor(random() * 4) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const a = word();
      const b = word();
      expect(Math.sign(compareUtf8(a, b)), `${a} vs ${b}`).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
    }
  });
});

describe('quota edges', () => {
  it('follows section 3 with exact integers', () => {
    expect(quota(0, { ratioBp: 300 })).toBe(0);
    expect(quota(1000, { ratioBp: 0 })).toBe(0);
    expect(quota(1000, { ratioBp: 10000 })).toBe(1000);
    expect(quota(1, { ratioBp: 1 })).toBe(1);
    expect(quota(2, { ratioBp: 300 })).toBe(1);
    expect(quota(3, { count: 10 })).toBe(3);
    expect(quota(0, { count: 10 })).toBe(0);
    expect(quota(10, { count: 0 })).toBe(0);
    expect(quota(18_000_000, { ratioBp: 9999 })).toBe(17_998_200);
    expect(quota(17_999_999, { ratioBp: 9999 })).toBe(17_998_200);
    expect(quota(18_000_001, { ratioBp: 1 })).toBe(1801);
    // 0.07 * 100 is 7.000000000000001 in floating point: a float ceil would give 8.
    expect(quota(100, { ratioBp: 700 })).toBe(7);
    expect(Math.ceil((0.07 * 100))).toBe(8);
    for (let n = 0; n <= 3000; n += 7) {
      for (const bp of [1, 3, 300, 333, 700, 2900, 9999, 10000]) {
        const exact = n === 0 ? 0 : Math.min(n, Math.max(1, Number((BigInt(bp) * BigInt(n) + 9999n) / 10000n)));
        expect(quota(n, { ratioBp: bp })).toBe(exact);
      }
    }
  });

  it('rejects ratios outside 0..10000, non-integers, and both or neither of ratio and count', () => {
    for (const bad of [-1, 10001, 1.5, Number.NaN]) expect(() => quota(10, { ratioBp: bad })).toThrow(/ratioBp/);
    expect(() => quota(10, { ratioBp: 3, count: 3 } as never)).toThrow(/exactly one/);
    expect(() => quota(-1, { count: 3 })).toThrow(/eligible/);
    expect(() => selectObjects({ seed: 's', taskId: 't', population: [], strata: [{ stratum: 'A', ratioBp: 20000 }] })).toThrow(/20000/);
  });
});

describe('input validation', () => {
  const strata = [
    { stratum: 'A', ratioBp: 500 },
    { stratum: 'B', ratioBp: 500 },
  ];
  it('refuses a duplicate pair or an id in two strata, naming the id', () => {
    const dup = [
      { stratum: 'A', id: 'X1' },
      { stratum: 'A', id: 'X1' },
    ];
    expect(() => selectObjects({ seed: 's', taskId: 't', population: dup, strata })).toThrow(/duplicate pair \(A, X1\)/);
    expect(() => populationDigest(dup)).toThrow(/X1/);
    const two = [
      { stratum: 'A', id: 'X1' },
      { stratum: 'B', id: 'X1' },
    ];
    expect(() => selectObjects({ seed: 's', taskId: 't', population: two, strata })).toThrow(/id X1 is in two strata, A and B/);
    expect(() => populationDigest(two)).toThrow(/X1/);
  });

  it('refuses unknown strata, bad labels and ids that would break CSV or key framing', () => {
    expect(() => selectObjects({ seed: 's', taskId: 't', population: [{ stratum: 'C', id: 'X' }], strata })).toThrow(/stratum C/);
    for (const id of ['a,b', 'a|b', 'a b', '', 'a\nb', 'a"b', '\ud800']) {
      expect(() => populationDigest([{ stratum: 'A', id }])).toThrow(/id/);
    }
    for (const stratum of ['A,B', 'A B', '', '中']) expect(() => populationDigest([{ stratum, id: 'X' }])).toThrow(/stratum/);
    expect(() => selectObjects({ seed: 's', taskId: 't', population: [], strata: [strata[0], strata[0]] })).toThrow(/twice/);
  });

  it('refuses a team of fewer than two, duplicates in a pool, and caps below the protocol cap', () => {
    const base = { seed: 's', taskId: 't', drawOrder: ['O1', 'O2'], pools: { SAMR: ['I1', 'I2', 'I3'] }, exclusions: [] as Array<[string, string]> };
    expect(() => assignTeams({ ...base, teamSpec: [{ department: 'SAMR', count: 1 }] })).toThrow(/at least two/);
    expect(() => assignTeams({ ...base, teamSpec: [] })).toThrow(/at least one/);
    expect(() => assignTeams({ ...base, teamSpec: [{ department: 'SAMR', count: 2 }], pools: { SAMR: ['I1', 'I1'] } })).toThrow(/I1 is listed twice/);
    expect(() => assignTeams({ ...base, teamSpec: [{ department: 'SAMR', count: 2 }], caps: { SAMR: 1 } })).toThrow(/below the protocol cap/);
    expect(() => assignTeams({ ...base, teamSpec: [{ department: 'SAMR', count: 2 }], caps: { MEE: 5 } })).toThrow(/MEE/);
    expect(() => assignTeams({ ...base, drawOrder: ['O1', 'O1'], teamSpec: [{ department: 'SAMR', count: 2 }] })).toThrow(/twice/);
  });
});

describe('team constraints', () => {
  it('never assigns an excluded pair, respects caps and pools, and staffs fully or not at all', () => {
    const random = seededRandom(9);
    for (let round = 0; round < 30; round++) {
      const objects = Array.from({ length: 5 + Math.floor(random() * 60) }, (_, i) => `O${round}-${i}`);
      const teamSpec = [
        { department: 'SAMR', count: 1 + Math.floor(random() * 3) },
        { department: 'HEALTH', count: 1 },
      ];
      const shared = `X${round}`;
      const pools: Record<string, string[]> = {
        SAMR: [...Array.from({ length: Math.floor(random() * 8) }, (_, i) => `S${i}`), shared],
        HEALTH: [...Array.from({ length: Math.floor(random() * 4) }, (_, i) => `H${i}`), shared],
      };
      const exclusions: Array<[string, string]> = [];
      for (const o of objects) for (const i of [...pools.SAMR, ...pools.HEALTH]) if (random() < 0.2) exclusions.push([o, i]);
      const result = assignTeams({ seed: `seed ${round}|`, taskId: 'T', drawOrder: objects, teamSpec, pools, exclusions });
      const excluded = new Set(exclusions.map(([o, i]) => `${o}/${i}`));
      const capOf = new Map(result.caps.map((c) => [c.department, c.cap]));
      const load = new Map<string, number>();
      for (const t of result.teams) {
        expect(excluded.has(`${t.objectId}/${t.inspectorId}`)).toBe(false);
        expect(pools[t.department]).toContain(t.inspectorId);
        load.set(t.inspectorId, (load.get(t.inspectorId) ?? 0) + 1);
      }
      for (const [inspector, n] of load) {
        const allowed = Math.max(...teamSpec.filter((d) => pools[d.department].includes(inspector)).map((d) => capOf.get(d.department)!));
        expect(n).toBeLessThanOrEqual(allowed);
      }
      const unstaffed = new Set(result.unstaffed.map((u) => `${u.objectId}/${u.department}`));
      for (const o of objects) {
        const rows = result.teams.filter((t) => t.objectId === o);
        expect(new Set(rows.map((r) => r.inspectorId)).size).toBe(rows.length);
        for (const { department, count } of teamSpec) {
          const n = rows.filter((r) => r.department === department).length;
          expect(n).toBe(unstaffed.has(`${o}/${department}`) ? 0 : count);
        }
        if (!teamSpec.some((d) => unstaffed.has(`${o}/${d.department}`))) expect(rows.length).toBeGreaterThanOrEqual(2);
      }
      for (const c of result.caps) {
        const pool = pools[c.department].length;
        expect(c.cap).toBe(pool === 0 ? 0 : Math.ceil((objects.length * c.count) / pool) + 1);
      }
    }
  });

  it('records an empty pool as unstaffed for every object and keeps going', () => {
    const result = assignTeams({
      seed: 's|',
      taskId: 'T',
      drawOrder: ['O1', 'O2'],
      teamSpec: [
        { department: 'SAMR', count: 2 },
        { department: 'MEE', count: 1 },
      ],
      pools: { SAMR: ['I1', 'I2'] },
      exclusions: [['O2', 'I1']],
    });
    expect(result.caps).toEqual([
      { department: 'SAMR', count: 2, pool: 2, cap: 3 },
      { department: 'MEE', count: 1, pool: 0, cap: 0 },
    ]);
    expect(result.teams.map((t) => t.objectId)).toEqual(['O1', 'O1']);
    expect(result.unstaffed.map((u) => [u.objectId, u.department, u.available])).toEqual([
      ['O1', 'MEE', 0],
      ['O2', 'SAMR', 1],
      ['O2', 'MEE', 0],
    ]);
    expect(result.unstaffed[0].reason).toMatch(/pool empty/);
    expect(result.unstaffed[1].reason).toMatch(/2 needed, 1 available after exclusions and caps: 1 excluded/);
  });
});
