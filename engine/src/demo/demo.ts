// The demo year: a generated province imported, scored and put through a year of supervision
// (policy, annual plan, general / key / joint / special tasks, fd1 draws, results entered and published).
import { mkdtempSync, rmSync, createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, createHash } from 'node:crypto';
import { openDatabase } from '../open.ts';
import type { Db } from '../db/duckdb.ts';
import { addDays } from '../kernel/time.ts';
import { generateProvince } from '../../../data/generator/generate.ts';
import { importFile } from '../ingest/import.ts';
import { fitAndScore } from '../risk/index.ts';
import { savePolicy } from '../policy/policy.ts';
import { createPlan } from '../draw/plans.ts';
import { createTask, approveTask, type TaskSpec } from '../draw/tasks.ts';
import { commitDraw, enterBeacon, runDraw, voidDraw } from '../draw/lifecycle.ts';
import { decideInvitation, partnerDepartments } from '../draw/invitations.ts';
import { createDemoUsers } from '../auth/users.ts';
import { enterResultIn, publishDrawResults, reviewFindingsIn, listAssignments } from '../results/results.ts';
import type { Principal } from '../auth/roles.ts';

export const DEMO_DEFAULTS = { entities: 200_000, seed: 20260101 };
/**
 * The demo plants one rise in 12345 complaints (Nanshan district, catering) for the alert page to find. Eightfold: the
 * alerts count an entity once a week, and at the browser tests' 60,000 entities the cell's 136 caterers had 21
 * entity-weeks of complaints in a year, so a fourfold rise (13 in 8 weeks against 3.7 expected) stayed below the
 * false-discovery bar over the 292 cells tested.
 */
export const DEMO_OUTBREAK = '440305:H:8';
const IMPORT_ORDER = ['entities', 'inspectors', 'credit', 'complaints', 'results'] as const;
const ACTOR = 'demo';
/** Four eyes: the operators enter results, the admin reviews their free text and publishes them. */
const RELEASER: Principal = { username: 'admin', role: 'admin', department: null };

export interface DemoOptions {
  dbPath: string;
  entities: number;
  seed: number;
  log?: (line: string) => void;
}

export interface DemoSummary {
  accounts: Array<{ username: string; role: string; department: string | null; password: string }>;
  draws: Array<{ drawId: string; taskId: string; kind: string; status: string }>;
  elapsedMs: number;
}

/** Shanghai noon of a calendar day: the demo's steps happen on the dates a real year would have them. */
const on = (day: string) => new Date(`${day}T12:00:00+08:00`);

/** A demo beacon is fresh CSPRNG output entered after the commitment, labelled as such (not a public value). */
/** fd2 §1: each demo draw names its beacon at commit, the index close two days later, and records it after that time. */
const DEMO_BEACON_SOURCE = '上证综合指数收盘价 / SSE Composite Index close';
const beaconDueOn = (day: string) => new Date(`${day}T15:00:00+08:00`);
const beaconRecordedOn = (day: string) => new Date(`${day}T15:30:00+08:00`);
const demoBeacon = (day: string) => `演示信标 demo beacon ${day} #${randomBytes(8).toString('hex')}`;

/** Deterministic uniform number in [0,1) from text, so demo outcomes depend on the object, not on chance at build time. */
function unit(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

async function readTruth(path: string, wanted: Set<string>): Promise<Map<string, number>> {
  const truth = new Map<string, number>();
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    const [uscc, propensity] = line.split(',');
    if (wanted.has(uscc)) truth.set(uscc, Number(propensity));
  }
  return truth;
}

const FINDINGS_TEXT: Record<string, string> = {
  FIXED: '现场检查发现经营场所未按规定亮照经营，已当场责令改正。',
  PENDING: '发现部分台账记录不完整，已下达限期整改通知书，待复查。',
  NOT_DISCLOSED: '未按规定在国家企业信用信息公示系统公示年度报告相关信息。',
  UNREACHABLE: '通过登记的住所或经营场所无法联系，已按规定列入经营异常名录。',
};

export async function buildDemo(options: DemoOptions): Promise<DemoSummary> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'fairdraw-demo-'));
  const db = await openDatabase({ path: options.dbPath });
  try {
    log(`generating ${options.entities.toLocaleString('en-US')} entities (seed ${options.seed}) ...`);
    await generateProvince({ entities: options.entities, seed: options.seed, outDir: dir, outbreaks: [DEMO_OUTBREAK], parquet: false });
    for (const kind of IMPORT_ORDER) {
      const report = await importFile(db, { kind, file: join(dir, `${kind}.csv`), actor: ACTOR });
      if (!report.written) throw new Error(`demo import of ${kind} rejected ${report.rejectedTotal} rows: ${JSON.stringify(report.rejected.slice(0, 3))}`);
      log(`imported ${kind}: ${report.accepted.toLocaleString('en-US')} rows`);
    }
    const scored = await fitAndScore(db, { actor: ACTOR, truthPath: join(dir, 'truth.csv') });
    log(`risk model v${scored.score.version} fitted, ${scored.score.entities.toLocaleString('en-US')} entities scored; backtest AUC ${scored.backtest?.auc?.toFixed(3) ?? 'n/a'}`);
    await savePolicy(db, { tierRatiosBp: { A: 300, B: 500, C: 1000, D: 3000 } }, { author: 'analyst', reason: '2026年度抽查比例：按信用风险分类差异化设定 (A 3%, B 5%, C 10%, D 30%)' });

    const accounts = await db.transaction((tx) => createDemoUsers(tx));
    const draws = await demoYear(db, join(dir, 'truth.csv'), log);
    return { accounts, draws, elapsedMs: Date.now() - started };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface DemoTask {
  spec: Omit<TaskSpec, 'planId' | 'createdBy'>;
  /** Commit day; beacon the next day, draw the day after. */
  commitOn: string;
  approvedBy?: string;
  /** Enter results for this share of the assignments (closed windows only). */
  resultsShare?: number;
}

const DEMO_TASKS: DemoTask[] = [
  {
    spec: { kind: 'general', name: '2026年深圳市企业公示信息抽查', items: ['SAMR-001'], scope: { regions: ['440300'], entityTypes: ['enterprise'] }, windowStart: '2026-03-02', windowEnd: '2026-04-30' },
    commitOn: '2026-02-24',
    resultsShare: 1,
  },
  {
    spec: { kind: 'key', name: '2026年广州市食品销售和餐饮服务重点检查', items: ['SAMR-005'], scope: { regions: ['440100'], industries: ['H'] }, windowStart: '2026-06-01', windowEnd: '2026-07-31' },
    commitOn: '2026-05-25',
    resultsShare: 0.9,
  },
  {
    spec: {
      kind: 'general',
      name: '2026年东莞市工贸企业跨部门联合抽查（市场监管+应急管理）',
      items: ['SAMR-008', 'EMERGENCY-002'],
      scope: { regions: ['441900'], industries: ['C'], entityTypes: ['enterprise'] },
      // One stratum, not by risk class: the demo's draw whose six files the portal publishes after the window and
      // recomputes in full in the browser (fd2 §3).
      strataMode: 'none',
      windowStart: '2026-09-01',
      windowEnd: '2026-10-30',
    },
    commitOn: '2026-08-25',
    resultsShare: 0.8,
  },
  {
    spec: { kind: 'special', name: '南山区餐饮服务投诉上升专项抽查', items: ['SAMR-005'], scope: { regions: ['440305'], industries: ['H'] }, ratiosBp: { A: 2000, B: 3000, C: 5000, D: 10000 }, windowStart: '2026-11-16', windowEnd: '2026-12-31' },
    commitOn: '2026-11-12',
    approvedBy: 'leader',
  },
  {
    spec: { kind: 'general', name: '2026年佛山市个体工商户年度报告抽查', items: ['SAMR-003'], scope: { regions: ['440600'], entityTypes: ['individual'] }, windowStart: '2026-11-23', windowEnd: '2027-01-29' },
    commitOn: '2026-11-18',
  },
];

async function demoYear(db: Db, truthPath: string, log: (line: string) => void): Promise<DemoSummary['draws']> {
  const plan = await createPlan(db, { year: 2026, jurisdictionRegionCode: '440000', leadDepartment: 'SAMR', name: '2026年度广东省市场监管领域部门联合“双随机、一公开”抽查工作计划', createdBy: 'operator-samr' });
  const draws: DemoSummary['draws'] = [];
  for (const [i, t] of DEMO_TASKS.entries()) {
    const task = await createTask(db, { ...t.spec, planId: plan.id, createdBy: 'operator-samr' });
    if (t.approvedBy) await approveTask(db, task.id, t.approvedBy);
    // A joint task's partner departments accept through the same step as in the dashboard, as their own operators.
    for (const department of partnerDepartments(task))
      await decideInvitation(db, task.id, department, 'accepted', { actor: `operator-${department.toLowerCase()}`, now: on(addDays(t.commitOn, -1)) });
    const beaconDay = addDays(t.commitOn, 2);
    const declared = { beaconSource: DEMO_BEACON_SOURCE, beaconDue: beaconDueOn(beaconDay) };
    let draw = await commitDraw(db, task.id, { actor: 'operator-samr', now: on(t.commitOn), ...declared });
    if (i === DEMO_TASKS.length - 1) {
      // One mistaken draw, voided with its reason and kept on record; the task then gets a new draw.
      draw = await voidDraw(db, draw.id, { reason: '任务范围录入有误（漏选经营范围），作废后重新抽取 / scope entered wrongly; voided and drawn again', actor: 'operator-samr', now: on(t.commitOn) });
      draws.push({ drawId: draw.id, taskId: task.id, kind: task.kind, status: draw.status });
      draw = await commitDraw(db, task.id, { actor: 'operator-samr', now: on(addDays(t.commitOn, 1)), ...declared });
    }
    await enterBeacon(db, draw.id, demoBeacon(beaconDay), { actor: 'operator-samr', now: beaconRecordedOn(beaconDay) });
    draw = await runDraw(db, draw.id, { actor: 'operator-samr', now: on(addDays(t.commitOn, 3)) });
    draws.push({ drawId: draw.id, taskId: task.id, kind: task.kind, status: draw.status });
    log(`task ${task.id} (${task.kind}) ${task.name}: draw ${draw.id} ${draw.status}`);
    if (t.resultsShare) await enterDemoResults(db, draw.id, t.spec.windowStart, t.spec.windowEnd, t.resultsShare, truthPath);
  }
  return draws;
}

/** Results for a closed window: outcome from the entity's hidden propensity, dates inside the window, most published. */
async function enterDemoResults(db: Db, drawId: string, windowStart: string, windowEnd: string, share: number, truthPath: string): Promise<void> {
  const { assignments } = await listAssignments(db, { department: null, drawId, limit: 100_000, now: on(addDays(windowEnd, 1)) });
  const truth = await readTruth(truthPath, new Set(assignments.map((a) => a.objectId)));
  const windowDays = Math.round((Date.parse(windowEnd) - Date.parse(windowStart)) / 86_400_000);
  const departments = new Set<string>();
  // One transaction per draw: the same checks and history as one operator's entries, without a commit per result.
  await db.transaction(async (tx) => {
    for (const a of assignments) {
      if (unit(`share|${a.drawId}|${a.objectId}|${a.itemCode}`) >= share) continue;
      const actor: Principal = { username: `operator-${a.departmentCode.toLowerCase()}`, role: 'operator', department: a.departmentCode };
      const inspectedOn = addDays(windowStart, Math.floor(unit(`day|${a.objectId}|${a.itemCode}`) * windowDays));
      const found = unit(`finding|${a.objectId}|${a.itemCode}`) < (truth.get(a.objectId) ?? 0.1);
      const codes = Object.keys(FINDINGS_TEXT);
      const outcomeCode = found ? codes[Math.floor(unit(`code|${a.objectId}`) * codes.length)] : 'NO_PROBLEM';
      const key = { drawId: a.drawId, objectId: a.objectId, itemCode: a.itemCode };
      await enterResultIn(tx, key, { outcomeCode, inspectedOn, findings: found ? FINDINGS_TEXT[outcomeCode] : null }, { actor, now: on(inspectedOn) });
      if (found) await reviewFindingsIn(tx, key, { decision: 'approved' }, { actor: RELEASER, now: on(inspectedOn) });
      departments.add(a.departmentCode);
    }
  });
  for (const department of departments) await publishDrawResults(db, drawId, { actor: RELEASER, department, now: on(addDays(windowEnd, 5)) });
}
