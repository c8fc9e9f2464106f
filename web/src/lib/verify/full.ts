// Full recomputation of a draw in the browser (fd1 §3-7, fd2 §1-2): commitment, seed, timeline, population digest,
// every stratum's k smallest keys against selection.csv, and the teams. A separate, small implementation (WebCrypto
// SHA-256 for the commitment and digest, sha256.ts for the many short keys; no engine code), reporting item by item with the CLI verifier's item names and order. The portal offers
// it for draws whose strata are not confidential: only those publish their six files.
import type { DrawManifest } from '$engine/api/types';
import { sha256Sync } from './sha256';
import { capChecks, compareBytes, HEX64, ID, quotaOf, timelineCheck, type PageReport, type PublicCheck } from './public';

/** The six files of a full package, by name, as text. */
export type DrawFiles = Record<'manifest.json' | 'population.csv' | 'inspectors.csv' | 'exclusions.csv' | 'selection.csv' | 'teams.csv', string>;
export const FULL_FILES = ['manifest.json', 'population.csv', 'inspectors.csv', 'exclusions.csv', 'selection.csv', 'teams.csv'] as const;

/** A stratum or department label: printable ASCII without comma or double quote. */
const LABEL = /^[\x21\x23-\x2b\x2d-\x7e]+$/;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const encoder = new TextEncoder();

async function sha256(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
  let hex = '';
  for (const b of bytes) hex += HEX[b];
  return hex;
}

/** Keys for many short texts, in slices, yielding to the page between them so it stays responsive. */
async function sha256Many(texts: string[]): Promise<string[]> {
  const out: string[] = new Array(texts.length);
  const SLICE = 8192;
  for (let i = 0; i < texts.length; i += SLICE) {
    for (let j = i; j < Math.min(texts.length, i + SLICE); j++) out[j] = sha256Sync(texts[j]);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return out;
}

/** A CSV file's rows split into cells, after its header; null when the header or the final newline is wrong. */
function rows(text: string, header: string): string[][] | null {
  if (!text.endsWith('\n')) return null;
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== header) return null;
  return lines.slice(1).map((l) => l.split(','));
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const ordinal = (n: number) => (n === 1 ? '1st' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`);

/** Recomputes the draw from its six files. */
export async function checkFullPackage(files: DrawFiles): Promise<PageReport & { protocol: string }> {
  const checks: PublicCheck[] = [];
  const add = (id: string, title: string, status: PublicCheck['status'], detail: string) => checks.push({ id, title, status, detail });
  let protocol = 'fd1';
  const done = () => {
    const ok = checks.every((c) => c.status !== 'mismatch');
    return { ok, verdict: ok ? `${protocol} verified` : null, checks, protocol };
  };

  let m: DrawManifest;
  try {
    m = JSON.parse(files['manifest.json']);
  } catch {
    add('manifest', '清单 manifest', 'mismatch', 'manifest.json is not valid JSON');
    return done();
  }
  const shapeOk =
    (m.protocol === 'fd1' || (m.protocol === 'fd2' && m.package === 'auditor')) && typeof m.task_id === 'string' && Array.isArray(m.strata) && Array.isArray(m.teams);
  if (!shapeOk) {
    add('manifest', '清单 manifest', 'mismatch', `protocol ${m.protocol}, package ${m.package}: not a full fd1 or fd2 package`);
    return done();
  }
  protocol = m.protocol;
  add('manifest', '清单 manifest', 'ok', `protocol ${m.protocol}${m.package ? ` (${m.package} package)` : ''}, task ${m.task_id}, ${m.strata.length} strata, ${m.teams.length} department(s)`);

  // Commit, then reveal.
  const hashOfSecret = HEX64.test(m.secret) ? await sha256(m.secret) : null;
  if (hashOfSecret === null) add('commitment', '承诺值 commitment', 'mismatch', 'secret must be 64 lowercase hex characters (32 random bytes)');
  else if (hashOfSecret !== m.commitment) add('commitment', '承诺值 commitment', 'mismatch', `H(secret) = ${hashOfSecret}, not the published commitment`);
  else add('commitment', '承诺值 commitment', 'ok', 'H(secret) equals the commitment');
  add('seed', '种子 seed', m.seed === `${m.secret}|${m.beacon}` ? 'ok' : 'mismatch', 'seed = secret + "|" + beacon');
  if (m.protocol === 'fd2') {
    if (m.beacon === '') add('beacon', '信标 beacon', 'mismatch', 'fd2 has no draw without a beacon: beacon is empty');
    else if (!m.beacon_source?.trim()) add('beacon', '信标 beacon', 'mismatch', 'beacon_source must name the public event declared at commitment');
    else add('beacon', '信标 beacon', 'ok', `${JSON.stringify(m.beacon)}, declared at commitment as ${JSON.stringify(m.beacon_source)} due ${m.beacon_due}`);
    checks.push(timelineCheck(m, true));
  } else {
    if (m.beacon === '') add('beacon', '信标 beacon', 'warning', '未使用公开信标：本次抽取不能防止反复试抽 (beacon is empty: this draw is not grind-proof)');
    else add('beacon', '信标 beacon', 'ok', JSON.stringify(m.beacon));
    const [committed, drawn] = [Date.parse(m.committed_at), Date.parse(m.drawn_at)];
    add('times', '时间 times', !Number.isNaN(committed) && !Number.isNaN(drawn) && committed <= drawn ? 'ok' : 'mismatch', `committed ${m.committed_at}, drawn ${m.drawn_at}`);
  }

  // The population: its shape, then its digest (salted with the secret for a confidential fd2 draw).
  const population = rows(files['population.csv'], 'stratum,id');
  const known = new Map(m.strata.map((s) => [s.stratum, s]));
  const idsByStratum = new Map<string, string[]>(m.strata.map((s) => [s.stratum, []]));
  const seen = new Set<string>();
  const badRow = population === null ? -1 : population.findIndex((r) => r.length !== 2 || !LABEL.test(r[0]) || !ID.test(r[1]) || !known.has(r[0]) || seen.size === seen.add(r[1]).size);
  if (population === null || badRow >= 0) {
    const line = population === null ? 'the header must be "stratum,id" and the last line must end with "\\n"' : `line ${badRow + 2} "${population[badRow].join(',')}": a known stratum, then a well-formed id, each id once`;
    add('population', '总体名单 population', 'mismatch', line);
    return done();
  }
  for (const [stratum, id] of population) idsByStratum.get(stratum)!.push(id);
  add('population', '总体名单 population', 'ok', `${population.length} rows, each id once, every stratum in the manifest`);
  // Byte order: JS string order is byte order for ASCII, so only other text goes through UTF-8 bytes.
  const framed = population.map(([stratum, id]) => `${stratum}\t${id}\n`);
  if (framed.every((l) => /^[\x00-\x7f]*$/.test(l))) framed.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  else framed.sort(compareBytes);
  const digest = await sha256((m.digest === 'salted' ? `${m.secret}\n` : '') + framed.join(''));
  add('digest', '总体摘要 population digest', digest === m.population_digest ? 'ok' : 'mismatch', digest === m.population_digest ? `H(sorted "stratum\\tid\\n" rows) = ${digest}` : `the rows of population.csv hash to ${digest}, manifest.json says ${m.population_digest}`);

  // selection.csv on its own, then each stratum's k smallest keys against it.
  const selection = rows(files['selection.csv'], 'stratum,id,key,rank');
  const picked = new Set<string>();
  const selectionOk = selection !== null && selection.every((r, i) => r.length === 4 && known.has(r[0]) && picked.size < picked.add(r[1]).size && (i === 0 || selection[i - 1][0] <= r[0]));
  add('selection', '抽取名单 selection', selectionOk ? 'ok' : 'mismatch', selectionOk ? `${selection.length} rows, sorted by stratum then rank, each id once` : 'selection.csv: header "stratum,id,key,rank", known strata, each id once, sorted by stratum then rank');
  const prefix = `${m.protocol}|${m.seed}|${m.task_id}|`;
  const drawn: Array<{ id: string; key: string }> = [];
  for (const spec of m.strata) {
    const id = `stratum:${spec.stratum}`;
    const title = `分层 stratum ${spec.stratum}`;
    const ids = idsByStratum.get(spec.stratum)!;
    const k = quotaOf({ ...spec, eligible: ids.length });
    if (ids.length !== spec.eligible) {
      add(id, title, 'mismatch', `population.csv has ${ids.length} ids in this stratum, manifest.json says eligible ${spec.eligible}`);
      continue;
    }
    if (k !== spec.quota) {
      add(id, title, 'mismatch', `quota must be ${k}, manifest.json says ${spec.quota}`);
      continue;
    }
    if (!selectionOk) {
      add(id, title, 'skipped', `eligible ${ids.length} and quota ${k} agree; picks not checked (see above)`);
      continue;
    }
    const keys = await sha256Many(ids.map((x) => `${prefix}${spec.stratum}|${x}`));
    const expected = ids.map((x, i) => ({ id: x, key: keys[i] })).sort(byKey).slice(0, k);
    drawn.push(...expected);
    const published = selection.filter((r) => r[0] === spec.stratum).map((r) => r.join(','));
    const want = expected.map((e, i) => `${spec.stratum},${e.id},${e.key},${i + 1}`);
    const at = want.findIndex((w, i) => published[i] !== w);
    if (at >= 0) add(id, title, 'mismatch', `the ${ordinal(at + 1)} smallest key: expected "${want[at]}", selection.csv has "${published[at] ?? '(nothing)'}"`);
    else if (published.length > k) add(id, title, 'mismatch', `only ${k} ids are drawn in this stratum; "${published[k]}" is extra`);
    else add(id, title, 'ok', k === 0 ? `eligible ${ids.length}, quota 0, nothing drawn or published` : `eligible ${ids.length}, quota ${k}, the ${k} smallest keys are exactly the published picks`);
  }
  if (checks.some((c) => c.status === 'mismatch')) {
    add('teams', '检查组 teams', 'skipped', 'not recomputed: the picks above are wrong');
    return done();
  }
  await checkTeams(files, m, drawn.sort(byKey).map((d) => d.id), prefix, add);
  return done();
}

/** fd1 §7: pools and exclusions as published, the caps, then every team rebuilt in draw order and compared with teams.csv. */
async function checkTeams(files: DrawFiles, m: DrawManifest, drawOrder: string[], prefix: string, add: (id: string, title: string, status: PublicCheck['status'], detail: string) => void): Promise<void> {
  const inspectors = rows(files['inspectors.csv'], 'department,inspector_id');
  const pools = new Map<string, string[]>(m.teams.map((t) => [t.department, []]));
  for (const r of inspectors ?? []) pools.get(r[0])?.push(r[1]);
  const poolsOk = inspectors !== null && inspectors.every((r) => r.length === 2 && pools.has(r[0]) && ID.test(r[1])) && m.teams.every((t) => pools.get(t.department)!.length === t.pool);
  add('pools', '检查人员名录 pools', poolsOk ? 'ok' : 'mismatch', poolsOk ? m.teams.map((t) => `${t.department} ${t.pool}`).join(', ') : 'inspectors.csv: departments of the manifest, pool sizes as published');
  const exclusions = rows(files['exclusions.csv'], 'object_id,inspector_id');
  const excluded = new Set((exclusions ?? []).map((r) => r.join(',')));
  const exclusionsOk = exclusions !== null && exclusions.every((r) => r.length === 2) && excluded.size === exclusions.length;
  add('exclusions', '回避 exclusions', exclusionsOk ? 'ok' : 'mismatch', exclusionsOk ? `${excluded.size} excluded (object, inspector) pairs` : 'exclusions.csv: "object_id,inspector_id" rows, each pair once');
  const caps = capChecks(m.teams, drawOrder.length);
  caps.forEach((c) => add(c.id, c.title, c.status, c.detail));
  if (!poolsOk || !exclusionsOk || caps.some((c) => c.status === 'mismatch')) {
    add('teams', '检查组 teams', 'skipped', 'not recomputed: the pools, exclusions or caps above are wrong');
    return;
  }

  // Inspector keys for every (object, pool member) pair, then the assignment exactly as fd1 §7 states it.
  const pairs: string[] = [];
  for (const object of drawOrder) for (const t of m.teams) for (const i of pools.get(t.department)!) pairs.push(`${object}|${i}`);
  const ikeys = new Map<string, string>();
  const hashed = await sha256Many(pairs.map((p) => `${prefix}insp|${p}`));
  pairs.forEach((p, n) => ikeys.set(p, hashed[n]));
  const load = new Map<string, number>();
  const expected: string[] = [];
  let unstaffed = 0;
  for (const object of drawOrder) {
    const team = new Set<string>();
    for (const t of m.teams) {
      const open = pools
        .get(t.department)!
        .filter((i) => !excluded.has(`${object},${i}`) && !team.has(i) && (load.get(i) ?? 0) < t.cap)
        .map((i) => ({ id: i, key: ikeys.get(`${object}|${i}`)! }))
        .sort(byKey);
      if (open.length < t.count) {
        unstaffed++;
        continue;
      }
      for (const { id } of open.slice(0, t.count)) {
        team.add(id);
        load.set(id, (load.get(id) ?? 0) + 1);
        expected.push(`${object},${t.department},${id}`);
      }
    }
  }
  const published = rows(files['teams.csv'], 'object_id,department,inspector_id')?.map((r) => r.join(','));
  if (!published) {
    add('teams', '检查组 teams', 'mismatch', 'teams.csv: the header must be "object_id,department,inspector_id" and the last line must end with "\\n"');
    return;
  }
  const at = Math.max(expected.length, published.length) === 0 ? -1 : expected.findIndex((row, i) => published[i] !== row);
  if (at >= 0) add('teams', '检查组 teams', 'mismatch', `row ${at + 1}: expected "${expected[at]}", teams.csv has "${published[at] ?? '(nothing)'}"`);
  else if (published.length > expected.length) add('teams', '检查组 teams', 'mismatch', `extra row "${published[expected.length]}": the recomputed teams end before it`);
  else add('teams', '检查组 teams', 'ok', `${published.length} rows recomputed from the picks, pools, exclusions and caps, all equal`);
  if (unstaffed > 0) add('unstaffed', '未配齐 unstaffed', 'warning', `${unstaffed} (object, department) slot(s) could not be staffed from the open inspectors`);
}
