// Draw protocols fd1 and fd2 (docs/fd1.md, docs/fd2.md) as pure functions: hashes, population digest, quotas, object
// picks, inspector teams. fd2 differs only in the key prefix ("fd2|") and, for confidential strata, a digest salted
// with the secret, so both are one implementation with the protocol as a parameter. No I/O. Every function validates
// its input and throws with the offending value, never guesses.
import { createHash, hash as sha256OneShot, type Hash } from 'node:crypto';
import { checkCount, quota, quotaKind, type QuotaSpec } from '../kernel/quota.ts';

/** The protocol of new draws; fd1 draws stay exportable and verifiable as fd1. */
export const PROTOCOL = 'fd2';
export type Protocol = 'fd1' | 'fd2';
export const PROTOCOLS: readonly Protocol[] = ['fd1', 'fd2'];

/** How the population digest is framed: fd1's plain digest, or fd2's salted with the secret (confidential strata). */
export type DigestMode = 'plain' | 'salted';

/** What goes before the digest's rows: nothing, or the secret and a newline (fd2 §2). */
export function digestSalt(mode: DigestMode, secret: string): string {
  if (mode === 'plain') return '';
  if (!/^[0-9a-f]{64}$/.test(secret)) throw new Error('a salted digest needs the 64-hex secret');
  return `${secret}\n`;
}

export function checkProtocol(value: unknown): Protocol {
  if (!PROTOCOLS.includes(value as Protocol)) throw new Error(`protocol must be one of ${PROTOCOLS.join(', ')}, got ${JSON.stringify(value)}`);
  return value as Protocol;
}

export interface Pair {
  stratum: string;
  id: string;
}

/** One stratum of a task: a ratio in basis points (300 = 3%) or a fixed count, never both. */
export interface StratumSpec extends QuotaSpec {
  stratum: string;
}

export interface StratumQuota extends StratumSpec {
  eligible: number;
  quota: number;
}

export interface SelectedObject {
  stratum: string;
  id: string;
  key: string;
  /** 1.. within the stratum, in key order. */
  rank: number;
}

export interface Selection {
  /** In the order the task listed them. */
  strata: StratumQuota[];
  /** Sorted by stratum (UTF-8 byte order), then rank: the order of selection.csv. */
  selection: SelectedObject[];
  /** Selected ids by ascending key across all strata. */
  drawOrder: string[];
}

export interface TeamSpec {
  department: string;
  count: number;
}

export interface TeamAssignment {
  objectId: string;
  department: string;
  inspectorId: string;
}

export interface Unstaffed {
  objectId: string;
  department: string;
  needed: number;
  /** Pool members left after exclusions, this object's team and caps. */
  available: number;
  /** zh-CN first, then English. */
  reason: string;
}

/** The cap used per department, as published in the manifest's `teams`. */
export interface DrawCaps {
  department: string;
  count: number;
  pool: number;
  cap: number;
}

export interface TeamResult {
  /** In draw order, then listed department order, then ikey order: the order of teams.csv. */
  teams: TeamAssignment[];
  unstaffed: Unstaffed[];
  caps: DrawCaps[];
}

// ---- hashing and ordering ---------------------------------------------------------------------

/** SHA-256 of the UTF-8 bytes of `text`, 64 lowercase hex characters. */
export function sha256Hex(text: string): string {
  return sha256OneShot('sha256', text, 'hex');
}

/**
 * UTF-8 byte order (= code point order). JS compares UTF-16 code units, which differs only when
 * a surrogate meets U+E000..U+FFFF; moving surrogates above that range restores code point order.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

export function comparePairs(a: Pair, b: Pair): number {
  return compareUtf8(a.stratum, b.stratum) || compareUtf8(a.id, b.id);
}

// ---- input rules ------------------------------------------------------------------------------

/**
 * Why a stratum or department label is unusable, or undefined. Labels are printable ASCII without
 * space, comma or double quote, so they travel through CSV, SQL and the digest's tab/newline framing.
 */
export function labelProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty string';
  if (!/^[\x21-\x7e]+$/.test(value)) return 'must be printable ASCII without spaces';
  if (/[,"]/.test(value)) return 'must not contain a comma or a double quote';
  return undefined;
}

/**
 * Why an object or inspector id is unusable, or undefined. Ids are non-empty UTF-8 text without
 * control characters, space, comma, double quote or "|": "|" would let two (stratum, id) pairs
 * build the same key text ("A|B" + "|" + "C" = "A" + "|" + "B|C").
 */
export function idProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty string';
  if (/[\x00-\x20\x7f,"|]/.test(value)) return 'must not contain spaces, control characters, a comma, a double quote or "|"';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode';
  return undefined;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkLabel(what: string, value: unknown): string {
  const problem = labelProblem(value);
  if (problem) throw new Error(`${what} ${JSON.stringify(value)} ${problem}`);
  return value as string;
}

function checkId(what: string, value: unknown): string {
  const problem = idProblem(value);
  if (problem) throw new Error(`${what} ${JSON.stringify(value)} ${problem}`);
  return value as string;
}

function checkText(what: string, value: unknown): string {
  if (typeof value !== 'string') throw new Error(`${what} must be a string, got ${JSON.stringify(value)}`);
  if (LONE_SURROGATE.test(value)) throw new Error(`${what} ${JSON.stringify(value)} must be well-formed Unicode`);
  return value;
}

/** Rejects a duplicate pair or an id in two strata, naming the id (fd1 §2). */
class PairRegistry {
  private readonly strataById = new Map<string, string>();

  add(pair: Pair, where: string): void {
    checkLabel(`${where}: stratum`, pair?.stratum);
    checkId(`${where}: id`, pair.id);
    const earlier = this.strataById.get(pair.id);
    if (earlier === undefined) {
      this.strataById.set(pair.id, pair.stratum);
    } else if (earlier === pair.stratum) {
      throw new Error(`population: duplicate pair (${pair.stratum}, ${pair.id}); each id appears once (fd1 §2)`);
    } else {
      throw new Error(`population: id ${pair.id} is in two strata, ${earlier} and ${pair.stratum}; an id belongs to one stratum (fd1 §2)`);
    }
  }
}

// ---- section 2: population digest -------------------------------------------------------------

/**
 * The hash a population digest is computed in, with what the protocol puts before the rows already in it (digestSalt():
 * nothing in fd1 and for fd2's plain digest, the secret and a newline for a salted one). Engines that stream the sorted
 * rows themselves (the cluster) start from it too.
 */
export function populationDigestHash(salt = ''): Hash {
  return createHash('sha256').update(salt, 'utf8');
}

/** H(salt + stratum + "\t" + id + "\n" for every pair, sorted by stratum then id); salt from digestSalt(). */
export function populationDigest(pairs: Iterable<Pair>, salt = ''): string {
  const registry = new PairRegistry();
  const sorted: Pair[] = [];
  for (const pair of pairs) {
    registry.add(pair, `population row ${sorted.length + 1}`);
    sorted.push(pair);
  }
  sorted.sort(comparePairs);
  const hash = populationDigestHash(salt);
  const batch: string[] = [];
  for (const { stratum, id } of sorted) {
    batch.push(stratum, '\t', id, '\n');
    if (batch.length >= 16_384) hash.update(batch.splice(0).join(''), 'utf8');
  }
  hash.update(batch.join(''), 'utf8');
  return hash.digest('hex');
}

// ---- section 3: quotas ------------------------------------------------------------------------

// quota(), the rule itself, is in kernel/quota.ts: the policy preview computes it too.

// ---- section 4: object selection --------------------------------------------------------------

/** key(id) = H(protocol + "|" + seed + "|" + task_id + "|" + stratum + "|" + id). */
export function objectKey(seed: string, taskId: string, stratum: string, id: string, protocol: Protocol = 'fd1'): string {
  return sha256Hex(`${protocol}|${seed}|${taskId}|${stratum}|${id}`);
}

/** Checks a task's strata list: valid labels, no stratum twice, one ratio or count each. */
export function checkStrata(strata: StratumSpec[]): void {
  if (!Array.isArray(strata)) throw new Error('strata must be a list of {stratum, ratioBp | count}');
  const seen = new Set<string>();
  strata.forEach((spec, i) => {
    checkLabel(`strata[${i}].stratum`, spec?.stratum);
    if (seen.has(spec.stratum)) throw new Error(`strata[${i}]: stratum ${spec.stratum} is listed twice`);
    seen.add(spec.stratum);
    quotaKind(spec, `strata[${i}] (${spec.stratum})`);
  });
}

/** A stratum's eligible count and quota. */
export function quotaEntry(spec: StratumSpec, eligible: number): StratumQuota {
  const kind = quotaKind(spec, `stratum ${spec.stratum}`);
  return { stratum: spec.stratum, eligible, ...kind, quota: quota(eligible, kind) };
}

export function selectObjects(input: {
  /** fd1 when not given: the key prefix (fd1 §4, fd2 §1). */
  protocol?: Protocol;
  seed: string;
  taskId: string;
  population: Iterable<Pair>;
  strata: StratumSpec[];
}): Selection {
  const protocol = checkProtocol(input.protocol ?? 'fd1');
  const seed = checkText('seed', input.seed);
  const taskId = checkText('taskId', input.taskId);
  checkStrata(input.strata);
  const idsByStratum = new Map<string, string[]>(input.strata.map((s) => [s.stratum, []]));
  const registry = new PairRegistry();
  let row = 0;
  for (const pair of input.population) {
    row++;
    registry.add(pair, `population row ${row}`);
    const ids = idsByStratum.get(pair.stratum);
    if (!ids) throw new Error(`population row ${row}: stratum ${pair.stratum} (id ${pair.id}) has no ratio or count in the task's strata`);
    ids.push(pair.id);
  }

  const strata: StratumQuota[] = [];
  const selection: SelectedObject[] = [];
  for (const spec of input.strata) {
    const ids = idsByStratum.get(spec.stratum)!;
    const entry = quotaEntry(spec, ids.length);
    strata.push(entry);
    if (entry.quota === 0) continue;
    const keyed = ids.map((id) => ({ id, key: objectKey(seed, taskId, spec.stratum, id, protocol) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : compareUtf8(a.id, b.id)));
    for (let r = 0; r < entry.quota; r++) selection.push({ stratum: spec.stratum, id: keyed[r].id, key: keyed[r].key, rank: r + 1 });
  }
  selection.sort((a, b) => compareUtf8(a.stratum, b.stratum) || a.rank - b.rank);
  const drawOrder = [...selection].sort(compareDrawOrder).map((s) => s.id);
  return { strata, selection, drawOrder };
}

/** Ascending key; equal keys need "|" inside ids, which idProblem rejects, so the tie-break never decides. */
export function compareDrawOrder(a: SelectedObject, b: SelectedObject): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : comparePairs(a, b);
}

// ---- section 5: inspector assignment ----------------------------------------------------------

/** ikey = H(protocol + "|" + seed + "|" + task_id + "|insp|" + object_id + "|" + inspector_id). */
export function inspectorKey(seed: string, taskId: string, objectId: string, inspectorId: string, protocol: Protocol = 'fd1'): string {
  return sha256Hex(`${protocol}|${seed}|${taskId}|insp|${objectId}|${inspectorId}`);
}

/** cap_d = ceil(M * count_d / P_d) + 1; with an empty pool nobody can be assigned, so 0. */
export function defaultCap(selectedObjects: number, count: number, poolSize: number): number {
  if (poolSize === 0) return 0;
  return Math.floor((selectedObjects * count + poolSize - 1) / poolSize) + 1;
}

/** Checks a team specification: departments once each, counts >= 1, total >= 2 (fd1 §5). */
export function checkTeamSpec(teamSpec: TeamSpec[]): void {
  if (!Array.isArray(teamSpec) || teamSpec.length === 0) throw new Error('teamSpec must list at least one {department, count}');
  const seen = new Set<string>();
  let total = 0;
  teamSpec.forEach((entry, i) => {
    checkLabel(`teamSpec[${i}].department`, entry?.department);
    if (seen.has(entry.department)) throw new Error(`teamSpec[${i}]: department ${entry.department} is listed twice`);
    seen.add(entry.department);
    total += checkCount(`teamSpec[${i}] (${entry.department}).count`, entry.count, 1);
  });
  if (total < 2) throw new Error(`teamSpec: total count is ${total}; a team needs at least two enforcement officers (fd1 §5)`);
}

/**
 * The members of `department`'s pool that `usable` accepts, in ascending ikey order for `objectId`; assignment takes
 * the first `count`. The default ranks them all here; a caller holding ranked candidates (engine/src/cluster) yields
 * those first.
 */
export type RankPool = (objectId: string, department: string, pool: string[], usable: (inspectorId: string) => boolean) => Iterable<string>;

export function assignTeams(input: {
  /** fd1 when not given: the ikey prefix (fd1 §5, fd2 §1). */
  protocol?: Protocol;
  seed: string;
  taskId: string;
  drawOrder: string[];
  teamSpec: TeamSpec[];
  pools: Record<string, string[]>;
  exclusions: Array<[string, string]>;
  caps?: Record<string, number>;
  rankPool?: RankPool;
}): TeamResult {
  const protocol = checkProtocol(input.protocol ?? 'fd1');
  const seed = checkText('seed', input.seed);
  const taskId = checkText('taskId', input.taskId);
  checkTeamSpec(input.teamSpec);
  const objects = new Set<string>();
  for (const id of input.drawOrder) {
    checkId('drawOrder: object id', id);
    if (objects.has(id)) throw new Error(`drawOrder: object ${id} appears twice`);
    objects.add(id);
  }
  const departments = new Set(input.teamSpec.map((t) => t.department));
  for (const department of Object.keys(input.caps ?? {})) {
    if (!departments.has(department)) throw new Error(`caps: department ${department} is not in the team specification`);
  }

  const M = input.drawOrder.length;
  const pools = new Map<string, string[]>();
  const caps: DrawCaps[] = input.teamSpec.map(({ department, count }) => {
    const pool = input.pools[department] ?? [];
    const members = new Set<string>();
    for (const id of pool) {
      checkId(`pools.${department}: inspector id`, id);
      if (members.has(id)) throw new Error(`pools.${department}: inspector ${id} is listed twice`);
      members.add(id);
    }
    pools.set(department, pool);
    const fallback = defaultCap(M, count, pool.length);
    const given = input.caps?.[department];
    if (given !== undefined) {
      checkCount(`caps.${department}`, given);
      if (given < fallback) {
        throw new Error(`caps.${department} = ${given} is below the protocol cap ceil(${M}*${count}/${pool.length})+1 = ${fallback}; a task may only raise it (fd1 §5)`);
      }
    }
    return { department, count, pool: pool.length, cap: given ?? fallback };
  });

  const excluded = new Map<string, Set<string>>();
  for (const pair of input.exclusions) {
    const [objectId, inspectorId] = pair;
    checkId('exclusions: object id', objectId);
    checkId('exclusions: inspector id', inspectorId);
    let set = excluded.get(objectId);
    if (!set) excluded.set(objectId, (set = new Set()));
    set.add(inspectorId);
  }

  const rankPool: RankPool =
    input.rankPool ??
    ((objectId, _department, pool, usable) =>
      pool
        .filter(usable)
        .map((id) => ({ id, ikey: inspectorKey(seed, taskId, objectId, id, protocol) }))
        .sort((a, b) => (a.ikey < b.ikey ? -1 : a.ikey > b.ikey ? 1 : 0))
        .map((c) => c.id));
  const load = new Map<string, number>();
  const teams: TeamAssignment[] = [];
  const unstaffed: Unstaffed[] = [];
  for (const objectId of input.drawOrder) {
    const team = new Set<string>();
    const excludedHere = excluded.get(objectId);
    for (const { department, count, cap } of caps) {
      const pool = pools.get(department)!;
      if (pool.length === 0) {
        unstaffed.push({ objectId, department, needed: count, available: 0, reason: '人员库为空 (pool empty)' });
        continue;
      }
      const usable = (id: string) => !excludedHere?.has(id) && !team.has(id) && (load.get(id) ?? 0) < cap;
      const picked: string[] = [];
      for (const id of rankPool(objectId, department, pool, usable)) {
        picked.push(id);
        if (picked.length === count) break;
      }
      if (picked.length < count) {
        // A department that cannot field its full count gets nobody for this object (docs/fd1.md §5).
        let nExcluded = 0;
        let nOnTeam = 0;
        let nAtCap = 0;
        for (const id of pool) {
          if (excludedHere?.has(id)) nExcluded++;
          else if (team.has(id)) nOnTeam++;
          else if ((load.get(id) ?? 0) >= cap) nAtCap++;
        }
        const available = pool.length - nExcluded - nOnTeam - nAtCap;
        unstaffed.push({
          objectId,
          department,
          needed: count,
          available,
          reason:
            `需要 ${count} 人，仅 ${available} 人可用（回避排除 ${nExcluded}，已在本组 ${nOnTeam}，已达上限 ${cap} 的 ${nAtCap}）` +
            ` (${count} needed, ${available} available after exclusions and caps: ${nExcluded} excluded, ${nOnTeam} already on the team, ${nAtCap} at cap ${cap})`,
        });
        continue;
      }
      for (const inspectorId of picked) {
        teams.push({ objectId, department, inspectorId });
        team.add(inspectorId);
        load.set(inspectorId, (load.get(inspectorId) ?? 0) + 1);
      }
    }
  }
  return { teams, unstaffed, caps };
}
