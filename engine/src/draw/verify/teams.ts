// Recomputes protocol §5 from inspectors.csv, exclusions.csv, the manifest's caps and the picks, and
// compares every row of teams.csv, explaining the first row that differs.
import { hash } from 'node:crypto';
import type { Checks } from './report.ts';
import { FileProblem, csvRows, type Manifest } from './read.ts';
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

function inspectorKeyOf(seed: string, taskId: string, objectId: string, inspectorId: string): string {
  return hash('sha256', 'fd1|' + seed + '|' + taskId + '|insp|' + objectId + '|' + inspectorId, 'hex');
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
  let exclusionsOk = true;
  try {
    for (const row of csvRows(dir, 'exclusions.csv', 'object_id,inspector_id', ['id', 'id'])) {
      const earlier = excluded.get(row.text);
      if (earlier) throw new FileProblem('exclusions.csv', row.line, row.text, `repeats line ${earlier}`);
      excluded.set(row.text, row.line);
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

  let published;
  try {
    published = csvRows(dir, 'teams.csv', 'object_id,department,inspector_id', ['id', 'label', 'id']);
  } catch (err) {
    problemAt(checks, 'teams', T_TEAMS, err);
    return;
  }

  const drawOrder = [...selection].sort((a, b) =>
    a.recomputedKey < b.recomputedKey ? -1 : a.recomputedKey > b.recomputedKey ? 1 : bytes(a.stratum, b.stratum) || bytes(a.id, b.id),
  );
  const load = new Map<string, number>();
  const unstaffed: string[] = [];
  let next = 0; // index into published
  const seed = manifest.seed;
  const task = manifest.task_id;

  for (const { id: objectId } of drawOrder) {
    const team = new Set<string>();
    for (const { department, count, cap } of manifest.teams) {
      const pool = pools.get(department)!;
      const open: Array<{ inspector: string; ikey: string }> = [];
      for (const inspector of pool) {
        if (excluded.has(objectId + ',' + inspector) || team.has(inspector) || (load.get(inspector) ?? 0) >= cap) continue;
        open.push({ inspector, ikey: inspectorKeyOf(seed, task, objectId, inspector) });
      }
      let chosen: typeof open = [];
      if (open.length < count) unstaffed.push(`${objectId} ${department} (${open.length}/${count})`);
      else chosen = open.sort((a, b) => (a.ikey < b.ikey ? -1 : a.ikey > b.ikey ? 1 : 0)).slice(0, count);

      for (const pick of chosen) {
        const want = `${objectId},${department},${pick.inspector}`;
        const row = published[next];
        if (!row || row.text !== want) {
          reportTeamRow(input, { want, row, after: published[next - 1]?.line ?? 1, objectId, department, team, load, cap, pool, excluded, chosen });
          return;
        }
        next++;
      }
      // The whole department is filled or nobody: a published row for an unstaffed slot is caught here.
      const row = published[next];
      if (row && row.cells[0] === objectId && row.cells[1] === department) {
        const reason = chosen.length === 0 ? `only ${open.length} of ${count} inspectors are available for this object, so the department stays unstaffed` : `the department needs ${count}`;
        checks.mismatch('teams', T_TEAMS, `extra row: ${reason}`, { file: 'teams.csv', line: row.line, content: row.text });
        return;
      }
      for (const pick of chosen) {
        team.add(pick.inspector);
        load.set(pick.inspector, (load.get(pick.inspector) ?? 0) + 1);
      }
    }
  }
  if (next < published.length) {
    const row = published[next];
    checks.mismatch('teams', T_TEAMS, 'extra row: the recomputed teams end before it', { file: 'teams.csv', line: row.line, content: row.text });
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
    load: Map<string, number>;
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
    else if ((at.load.get(inspector) ?? 0) >= at.cap) why += `; ${inspector} already has ${at.load.get(inspector)} objects, the cap (manifest.json) is ${at.cap}`;
    else {
      const ikey = inspectorKeyOf(manifest.seed, manifest.task_id, objectId, inspector);
      const wanted = at.want.split(',')[2];
      const wantedKey = at.chosen.find((c) => c.inspector === wanted)?.ikey;
      why += `; ${wanted} (ikey ${wantedKey?.slice(0, 12)}...) comes before ${inspector} (ikey ${ikey.slice(0, 12)}...): it is in the pool (inspectors.csv), not excluded (exclusions.csv) and below the cap`;
    }
  } else {
    why += ' (rows run in draw order, then listed department order, then ikey order)';
  }
  checks.mismatch('teams', T_TEAMS, why, { file: 'teams.csv', line: at.row.line, content: at.row.text });
}
