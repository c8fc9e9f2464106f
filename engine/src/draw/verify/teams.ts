// Recomputes protocol §5 from inspectors.csv, exclusions.csv, the manifest's caps and the picks, and
// compares every row of teams.csv, explaining the first row that differs.
import { hash } from 'node:crypto';
import type { Checks } from './report.ts';
import { FileProblem, csvLines, csvRows, type Manifest } from './read.ts';
import { bytes, type SelectionRow } from './picks.ts';

export interface TeamsInput {
  dir: string;
  manifest: Manifest;
  lineOf: (field: string, within?: string) => { line: number; content: string } | undefined;
  checks: Checks;
  selection: SelectionRow[] | undefined;
}

const T_POOLS = '人员库 inspector pools';
const T_EXCLUSIONS = '回避名单 exclusions';
const T_TEAMS = '检查组 teams';
const T_UNSTAFFED = '未配齐 unstaffed';
const capTitle = (d: string) => `上限 cap ${d}`;

function inspectorKeyOf(protocol: string, seed: string, taskId: string, objectId: string, inspectorId: string): string {
  return hash('sha256', protocol + '|' + seed + '|' + taskId + '|insp|' + objectId + '|' + inspectorId, 'hex');
}

function problemAt(checks: Checks, id: string, title: string, err: unknown): void {
  if (!(err instanceof FileProblem)) throw err;
  checks.mismatch(id, title, err.message, { file: err.file, line: err.line, content: err.content });
}

export function checkTeams(input: TeamsInput): void {
  const { checks, manifest, lineOf, dir } = input;

  // Pools: inspectors.csv grouped by department, sizes as published in the manifest.
  const pools = new Map<string, string[]>(manifest.teams.map((t) => [t.department, []]));
  const poolLine = new Map<string, number>();
  let poolsOk = true;
  try {
    for (const row of csvRows(dir, 'inspectors.csv', 'department,inspector_id', ['label', 'id'])) {
      const [department, inspector] = row.cells;
      const where = { file: 'inspectors.csv', line: row.line, content: row.text };
      const pool = pools.get(department);
      if (!pool) throw new FileProblem(where.file, where.line, where.content, `department ${department} is not in manifest.json teams`);
      const earlier = poolLine.get(row.text);
      if (earlier) throw new FileProblem(where.file, where.line, where.content, `repeats line ${earlier}`);
      poolLine.set(row.text, row.line);
      pool.push(inspector);
    }
    for (const t of manifest.teams) {
      const size = pools.get(t.department)!.length;
      if (size !== t.pool) {
        const at = lineOf('pool', `"department": ${JSON.stringify(t.department)}`);
        throw new FileProblem('inspectors.csv', undefined, undefined, `department ${t.department} has ${size} inspectors, manifest.json (line ${at?.line}) says pool ${t.pool}`);
      }
    }
    checks.ok('pools', T_POOLS, manifest.teams.map((t) => `${t.department} ${t.pool}`).join(', '));
  } catch (err) {
    problemAt(checks, 'pools', T_POOLS, err);
    poolsOk = false;
  }

  const excluded = new Map<string, number>(); // "object,inspector" -> line
  const excludedByObject = new Map<string, Set<string>>(); // object -> its excluded inspectors
  let exclusionsOk = true;
  try {
    for (const row of csvRows(dir, 'exclusions.csv', 'object_id,inspector_id', ['id', 'id'])) {
      const earlier = excluded.get(row.text);
      if (earlier) throw new FileProblem('exclusions.csv', row.line, row.text, `repeats line ${earlier}`);
      excluded.set(row.text, row.line);
      const [objectId, inspectorId] = row.cells;
      let set = excludedByObject.get(objectId);
      if (!set) excludedByObject.set(objectId, (set = new Set()));
      set.add(inspectorId);
    }
    checks.ok('exclusions', T_EXCLUSIONS, `${excluded.size} excluded (object, inspector) pairs`);
  } catch (err) {
    problemAt(checks, 'exclusions', T_EXCLUSIONS, err);
    exclusionsOk = false;
  }

  const selection = input.selection;
  if (!selection || !poolsOk) {
    checks.skip('teams', T_TEAMS, 'not recomputed: the picks or pools above are unreadable');
    return;
  }

  // Caps: ceil(M * count / P) + 1 (0 for an empty pool); a task may publish a larger one, never smaller.
  const M = BigInt(selection.length);
  let capsOk = true;
  for (const t of manifest.teams) {
    const P = BigInt(t.pool);
    const least = P === 0n ? 0 : Number((M * BigInt(t.count) + P - 1n) / P) + 1;
    const within = `"department": ${JSON.stringify(t.department)}`;
    if (t.cap < least) {
      capsOk = false;
      checks.mismatch(`cap:${t.department}`, capTitle(t.department), `cap must be at least ceil(${M} * ${t.count} / ${t.pool}) + 1 = ${least}, manifest.json says ${t.cap}`, {
        file: 'manifest.json',
        ...lineOf('cap', within),
      });
    } else {
      const rule = t.pool === 0 ? 'empty pool: nobody can be assigned' : `ceil(${M} * ${t.count} / ${t.pool}) + 1 = ${least}`;
      checks.ok(`cap:${t.department}`, capTitle(t.department), t.cap === least ? `${t.cap} (${rule})` : `${t.cap}, raised above the protocol's ${least} (${rule})`);
    }
  }
  if (!capsOk || !exclusionsOk) {
    checks.skip('teams', T_TEAMS, 'not recomputed: the caps or exclusions above are wrong');
    return;
  }

  let published: string[]; // line n + 2 of teams.csv
  try {
    published = csvLines(dir, 'teams.csv', 'object_id,department,inspector_id', ['id', 'label', 'id']);
  } catch (err) {
    problemAt(checks, 'teams', T_TEAMS, err);
    return;
  }

  const drawOrder = [...selection].sort((a, b) =>
    a.recomputedKey < b.recomputedKey ? -1 : a.recomputedKey > b.recomputedKey ? 1 : bytes(a.stratum, b.stratum) || bytes(a.id, b.id),
  );
  // Millions of (object, inspector) pairs at 18 M: loads by inspector number, ikeys as byte strings (same
  // order as hex, half the garbage), no per-pair string building except the hashed text itself.
  const inspectorNumber = new Map<string, number>();
  const departments = manifest.teams.map(({ department, count, cap }) => {
    const pool = pools.get(department)!;
    const numbers = Int32Array.from(pool, (inspector) => {
      let n = inspectorNumber.get(inspector);
      if (n === undefined) inspectorNumber.set(inspector, (n = inspectorNumber.size));
      return n;
    });
    return { department, count, cap, pool, numbers, bytes: pool.map((inspector) => Buffer.from(inspector, 'utf8')) };
  });
  const load = new Int32Array(inspectorNumber.size);
  const loadOf = (inspector: string) => load[inspectorNumber.get(inspector) ?? -1] ?? 0;
  const unstaffed: string[] = [];
  let next = 0; // index into published
  const largestPool = Math.max(0, ...departments.map((d) => d.pool.length));
  const openKeys = new Array<string>(largestPool);
  const openAt = new Int32Array(largestPool);
  const team: number[] = [];
  // The hashed text "fd1|seed|task|insp|" (fd2|... for fd2) + object id + "|" + inspector id is assembled as bytes in `text`;
  // `views` keeps one view of it per length, so hashing allocates nothing but the key.
  const base = Buffer.from(manifest.protocol + '|' + manifest.seed + '|' + manifest.task_id + '|insp|', 'utf8');
  const longestInspector = Math.max(0, ...departments.flatMap((d) => d.bytes.map((b) => b.length)));
  let text = Buffer.alloc(0);
  let views: Buffer[] = [];

  for (const { id: objectId } of drawOrder) {
    team.length = 0;
    const objectLength = Buffer.byteLength(objectId);
    if (text.length < base.length + objectLength + 1 + longestInspector) {
      text = Buffer.alloc(2 * (base.length + objectLength + 1 + longestInspector));
      base.copy(text);
      views = [];
    }
    const objectEnd = base.length + text.write(objectId, base.length, 'utf8') + 1;
    text[objectEnd - 1] = 0x7c; // "|"
    const excludedHere = excludedByObject.get(objectId);
    for (const { department, count, cap, pool, numbers, bytes: poolBytes } of departments) {
      let open = 0;
      for (let j = 0; j < pool.length; j++) {
        const n = numbers[j];
        if (load[n] >= cap || team.includes(n) || excludedHere?.has(pool[j])) continue;
        const inspector = poolBytes[j];
        for (let i = 0; i < inspector.length; i++) text[objectEnd + i] = inspector[i];
        const total = objectEnd + inspector.length;
        openKeys[open] = hash('sha256', views[total] ?? (views[total] = text.subarray(0, total)), 'binary');
        openAt[open++] = j;
      }
      // The `count` smallest ikeys, in ikey order (count is a handful: selection, not a sort).
      const chosen: number[] = [];
      if (open < count) unstaffed.push(`${objectId} ${department} (${open}/${count})`);
      else {
        for (let c = 0; c < count; c++) {
          let best = c;
          for (let i = c + 1; i < open; i++) if (openKeys[i] < openKeys[best]) best = i;
          [openKeys[c], openKeys[best]] = [openKeys[best], openKeys[c]];
          [openAt[c], openAt[best]] = [openAt[best], openAt[c]];
          chosen.push(openAt[c]);
        }
      }

      for (const j of chosen) {
        const line = published[next];
        if (line === undefined || !isRow(line, objectId, department, pool[j])) {
          const picks = chosen.map((i) => ({ inspector: pool[i], ikey: inspectorKeyOf(manifest.protocol, manifest.seed, manifest.task_id, objectId, pool[i]) }));
          const onTeam = new Set(team.map((n) => [...inspectorNumber].find(([, m]) => m === n)![0]));
          const want = `${objectId},${department},${pool[j]}`;
          const row = line === undefined ? undefined : { line: next + 2, text: line, cells: line.split(',') };
          reportTeamRow(input, { want, row, after: next + 1, objectId, department, team: onTeam, loadOf, cap, pool, excluded, chosen: picks });
          return;
        }
        next++;
      }
      // The whole department is filled or nobody: a published row for an unstaffed slot is caught here.
      const line = published[next];
      if (line !== undefined && isRow(line, objectId, department)) {
        const reason = chosen.length === 0 ? `only ${open} of ${count} inspectors are available for this object, so the department stays unstaffed` : `the department needs ${count}`;
        checks.mismatch('teams', T_TEAMS, `extra row: ${reason}`, { file: 'teams.csv', line: next + 2, content: line });
        return;
      }
      for (const j of chosen) {
        team.push(numbers[j]);
        load[numbers[j]]++;
      }
    }
  }
  if (next < published.length) {
    checks.mismatch('teams', T_TEAMS, 'extra row: the recomputed teams end before it', { file: 'teams.csv', line: next + 2, content: published[next] });
    return;
  }
  checks.ok('teams', T_TEAMS, `${published.length} rows recomputed from the picks, pools, exclusions and caps, all equal`);
  if (unstaffed.length > 0) {
    const sample = unstaffed.slice(0, 5).join('; ');
    checks.warn(
      'unstaffed',
      T_UNSTAFFED,
      `${unstaffed.length} object-department slot(s) could not be staffed (object department (available/needed)): ${sample}${unstaffed.length > 5 ? '; ...' : ''}. 任务须先解决未配齐再开始 (the task cannot start until resolved)`,
    );
  }
}

/** Whether a teams.csv line is "object,department,inspector" (or starts with "object,department," without an inspector given), built without a new string. */
function isRow(line: string, objectId: string, department: string, inspector?: string): boolean {
  const afterObject = objectId.length;
  const afterDepartment = afterObject + 1 + department.length;
  if (!line.startsWith(objectId) || line.charCodeAt(afterObject) !== 0x2c || !line.startsWith(department, afterObject + 1) || line.charCodeAt(afterDepartment) !== 0x2c) return false;
  return inspector === undefined || (line.length === afterDepartment + 1 + inspector.length && line.endsWith(inspector));
}

/** Explains the first teams.csv row that differs from the recomputation. */
function reportTeamRow(
  input: TeamsInput,
  at: {
    want: string;
    row: { line: number; text: string; cells: string[] } | undefined;
    after: number;
    objectId: string;
    department: string;
    team: Set<string>;
    loadOf: (inspector: string) => number;
    cap: number;
    pool: string[];
    excluded: Map<string, number>;
    chosen: Array<{ inspector: string; ikey: string }>;
  },
): void {
  const { checks, manifest } = input;
  if (!at.row) {
    checks.mismatch('teams', T_TEAMS, `missing row: expected "${at.want}"`, { file: 'teams.csv', line: at.after });
    return;
  }
  const [objectId, department, inspector] = at.row.cells;
  let why = `expected "${at.want}"`;
  if (objectId === at.objectId && department === at.department) {
    const exclusionLine = at.excluded.get(objectId + ',' + inspector);
    if (!at.pool.includes(inspector)) why += `; ${inspector} is not in ${department}'s pool (inspectors.csv)`;
    else if (exclusionLine) why += `; ${inspector} is excluded for ${objectId} (exclusions.csv line ${exclusionLine})`;
    else if (at.team.has(inspector)) why += `; ${inspector} is already on this object's team`;
    else if (at.loadOf(inspector) >= at.cap) why += `; ${inspector} already has ${at.loadOf(inspector)} objects, the cap (manifest.json) is ${at.cap}`;
    else {
      const ikey = inspectorKeyOf(manifest.protocol, manifest.seed, manifest.task_id, objectId, inspector);
      const wanted = at.want.split(',')[2];
      const wantedKey = at.chosen.find((c) => c.inspector === wanted)?.ikey;
      why += `; ${wanted} (ikey ${wantedKey?.slice(0, 12)}...) comes before ${inspector} (ikey ${ikey.slice(0, 12)}...): it is in the pool (inspectors.csv), not excluded (exclusions.csv) and below the cap`;
    }
  } else {
    why += ' (rows run in draw order, then listed department order, then ikey order)';
  }
  checks.mismatch('teams', T_TEAMS, why, { file: 'teams.csv', line: at.row.line, content: at.row.text });
}
