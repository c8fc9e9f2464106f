// `fairdraw task create|list|show|approve|accept|decline|withdraw|preview`: inspection tasks from a JSON spec file and/or flags.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { DrawInputError } from '../../draw/plans.ts';
import { approveTask, checklist, createTask, getTask, listTasks, withdrawDepartment, type Task, type TaskSpec, type TeamEntry } from '../../draw/tasks.ts';
import { decideInvitation } from '../../draw/invitations.ts';
import { eligiblePopulation } from '../../draw/eligibility.ts';
import { previewPools } from '../../draw/matching.ts';
import { dbCommand, cliActor } from '../options.ts';

interface CreateFlags {
  plan?: string;
  kind?: string;
  name?: string;
  lead?: string;
  departments?: string;
  items?: string;
  regions?: string;
  industries?: string;
  entityTypes?: string;
  objectKinds?: string;
  scopeDepartments?: string;
  strata?: string;
  ratios?: string;
  counts?: string;
  team?: string;
  window?: string;
  by?: string;
  db?: string;
  json?: boolean;
}

const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

/** `A=300,D|440300=5000` -> {A: 300, 'D|440300': 5000}. */
export function parseStratumNumbers(flag: string, text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of list(text)) {
    const m = /^([^=\s]+)\s*=\s*(\d+)$/.exec(part);
    if (!m) throw new DrawInputError(flag, part, '每项写作 分层=数值，如 A=300 或 D|440300=5000 / each entry is STRATUM=NUMBER, e.g. A=300 or D|440300=5000');
    out[m[1]] = Number(m[2]);
  }
  return out;
}

/** `SAMR=2,TAX=1,SAMR:expert=1` (optionally `SAMR=2/10`: a raised cap of 10) -> team specification. */
export function parseTeam(text: string): TeamEntry[] {
  return list(text).map((part) => {
    const m = /^([^=\s]+)\s*=\s*(\d+)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new DrawInputError('--team', part, '每项写作 部门=人数 或 部门=人数/上限，如 SAMR=2,TAX=1,SAMR:expert=1 / each entry is DEPT=COUNT or DEPT=COUNT/CAP');
    return m[3] ? { department: m[1], count: Number(m[2]), cap: Number(m[3]) } : { department: m[1], count: Number(m[2]) };
  });
}

/** The 1-based line of a spec file where a field's top-level key appears, for error messages. */
function lineOfField(text: string, field: string): number | undefined {
  const key = field.split(/[.[]/)[0];
  const index = text.search(new RegExp(`"${key.replace(/[^A-Za-z0-9_]/g, '')}"\\s*:`));
  return index < 0 ? undefined : text.slice(0, index).split('\n').length;
}

/** A task specification from a JSON file (optional) with flags on top. */
export function taskSpecFrom(file: string | undefined, flags: CreateFlags): { spec: TaskSpec; text?: string } {
  let spec: Partial<TaskSpec> = {};
  let text: string | undefined;
  if (file) {
    text = readFileSync(file, 'utf8');
    try {
      spec = JSON.parse(text);
    } catch (err) {
      throw new Error(`${file}: 不是有效的 JSON / not valid JSON: ${(err as Error).message}`);
    }
    if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw new Error(`${file}: 须为 JSON 对象 / must hold one JSON object (a task specification)`);
  }
  const scope = { ...(spec.scope ?? {}) };
  if (flags.regions) scope.regions = list(flags.regions);
  if (flags.industries) scope.industries = list(flags.industries);
  if (flags.entityTypes) scope.entityTypes = list(flags.entityTypes);
  if (flags.objectKinds) scope.objectKinds = list(flags.objectKinds);
  if (flags.scopeDepartments) scope.departments = list(flags.scopeDepartments);
  if (flags.plan) spec.planId = flags.plan;
  if (flags.kind) spec.kind = flags.kind as TaskSpec['kind'];
  if (flags.name) spec.name = flags.name;
  if (flags.lead) spec.leadDepartment = flags.lead;
  if (flags.departments) spec.departments = list(flags.departments);
  if (flags.items) spec.items = list(flags.items);
  if (Object.keys(scope).length > 0) spec.scope = scope;
  if (flags.strata) spec.strataMode = flags.strata as TaskSpec['strataMode'];
  if (flags.ratios) spec.ratiosBp = parseStratumNumbers('--ratios', flags.ratios);
  if (flags.counts) spec.counts = parseStratumNumbers('--counts', flags.counts);
  if (flags.team) spec.teamSpec = parseTeam(flags.team);
  if (flags.window) {
    const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(flags.window.trim());
    if (!m) throw new DrawInputError('--window', flags.window, '写作 开始..结束，如 2026-04-01..2026-06-30 / write START..END');
    spec.windowStart = m[1];
    spec.windowEnd = m[2];
  }
  spec.createdBy = cliActor(flags.by ?? spec.createdBy);
  for (const required of ['planId', 'kind', 'name', 'items', 'windowStart', 'windowEnd'] as const)
    if (spec[required] === undefined)
      throw new DrawInputError(required, null, `缺少必填项（规格文件字段 ${required} 或对应参数） / missing: give it in the spec file or as a flag (--plan, --kind, --name, --items, --window)`);
  return { spec: spec as TaskSpec, text };
}

function taskLine(t: Task): string {
  const items = t.items.map((i) => `${i.code}@${i.version}`).join(',');
  const team = t.teamSpec.map((e) => `${e.department}=${e.count}`).join(',');
  return `${t.id}  ${t.kind.padEnd(7)} ${t.status.padEnd(17)} ${t.windowStart}..${t.windowEnd}  ${t.departments.join('+').padEnd(10)} ${items}  team ${team}  ${t.name}`;
}

export function taskCommand(program: Command): void {
  const task = program.command('task').description('抽查任务 / inspection tasks');

  dbCommand(task, 'create', { by: true, json: 'print the task as JSON' })
    .description('新建抽查任务：JSON 规格文件和/或参数 / create a task from a JSON spec file and/or flags')
    .argument('[spec]', 'JSON file with TaskSpec fields: planId, kind, name, items, scope, strataMode, ratiosBp | counts, teamSpec, windowStart, windowEnd')
    .option('--plan <id>', '所属计划 / plan id, e.g. P2026-0001')
    .option('--kind <kind>', 'general 一般 | key 重点 | special 专项')
    .option('--name <name>', '任务名称 / task name')
    .option('--lead <department>', '牵头部门（默认计划的牵头部门） / lead department (default: the plan\'s)')
    .option('--departments <codes>', '参与部门（默认事项所属部门） / participating departments, comma separated')
    .option('--items <codes>', '抽查事项，如 SAMR-001,SAMR-002@2 / item codes, optionally CODE@VERSION')
    .option('--regions <codes>', '范围：行政区划（默认计划辖区） / scope regions')
    .option('--industries <codes>', '范围：行业门类 A..T / scope industries')
    .option('--entity-types <types>', '范围：enterprise,individual,cooperative')
    .option('--object-kinds <kinds>', '范围：entity,product,project,behaviour (default entity)')
    .option('--scope-departments <codes>', '范围：监管部门（默认参与部门） / objects responsible to these departments')
    .option('--strata <mode>', 'tier (default) | tier_city | none')
    .option('--ratios <list>', '比例（基点），如 A=300,D=5000 或 D|440300=5000；缺省取抽查比例政策 / ratios in basis points')
    .option('--counts <list>', '固定数量，如 D=50 / fixed counts per stratum or tier')
    .option('--team <list>', '检查组：SAMR=2,TAX=1,SAMR:expert=1（部门=人数[/上限]） / team specification')
    .option('--window <start..end>', '检查时间，如 2026-04-01..2026-06-30 / inspection window')
    .action(async (file: string | undefined, flags: CreateFlags) => {
      const { spec, text } = taskSpecFrom(file, flags);
      const created = await withDb(flags.db, async (db) => {
        try {
          return await createTask(db, spec);
        } catch (err) {
          if (err instanceof DrawInputError && file && text) {
            const line = lineOfField(text, err.field);
            throw new Error(`${file}${line ? ` line ${line}` : ''}: ${err.message}`);
          }
          throw err;
        }
      });
      if (flags.json) console.log(JSON.stringify(created, null, 2));
      else {
        console.log(`已创建任务 / created ${taskLine(created)}`);
        if (created.status === 'awaiting_approval') console.log(`专项任务须领导审批后才能抽取 / special task: approve it first (fairdraw task approve ${created.id} --by LEADER)`);
      }
    });

  dbCommand(task, 'list')
    .description('列出任务 / list tasks')
    .option('--plan <id>', '只列该计划 / only this plan')
    .option('--department <code>', '只列该部门参与的 / only tasks this department takes part in')
    .action(async (flags: { plan?: string; department?: string; db?: string; json?: boolean }) => {
      const tasks = await withDb(flags.db, (db) => listTasks(db, { planId: flags.plan, department: flags.department }), { readOnly: true });
      if (flags.json) console.log(JSON.stringify(tasks, null, 2));
      else if (tasks.length === 0) console.log('没有任务 / no tasks');
      else for (const t of tasks) console.log(taskLine(t));
    });

  dbCommand(task, 'show')
    .description('任务详情与检查清单 / a task with its one checklist')
    .argument('<task>', 'task id')
    .action(async (id: string, flags: { db?: string; json?: boolean }) => {
      const t = await withDb(flags.db, (db) => getTask(db, id), { readOnly: true });
      if (flags.json) return void console.log(JSON.stringify({ ...t, checklist: checklist(t) }, null, 2));
      console.log(taskLine(t));
      console.log(`范围 scope: ${JSON.stringify(t.scope)}  分层 strata: ${t.strataMode}  ${t.counts ? `数量 counts ${JSON.stringify(t.counts)}` : `比例 ratios ${JSON.stringify(t.ratiosBp ?? 'policy')}`}`);
      console.log('检查清单 checklist:');
      for (const c of checklist(t)) console.log(`  ${c.department.padEnd(9)} ${c.code}@${c.version}  ${c.nameZh} / ${c.nameEn} (${c.method})`);
    });

  dbCommand(task, 'approve', { by: true, json: false })
    .description('领导审批专项任务 / a leader approves a special task')
    .argument('<task>', 'task id')
    .action(async (id: string, flags: { by?: string; db?: string }) => {
      const t = await withDb(flags.db, (db) => approveTask(db, id, cliActor(flags.by)));
      console.log(`已审批 / approved ${t.id} by ${t.approvedBy}`);
    });

  // A joint task's partner department answers its invitation; the lead department withdraws a department before the draw.
  for (const [name, decision, zh] of [['accept', 'accepted', '接受'], ['decline', 'declined', '拒绝']] as const)
    dbCommand(task, name, { by: true, json: false })
      .description(`参与部门${zh}联合任务邀请 / a partner department ${decision === 'accepted' ? 'accepts' : 'declines'} its invitation into a joint task`)
      .argument('<task>', 'task id')
      .argument('<department>', 'the partner department, e.g. TAX')
      .action(async (id: string, department: string, flags: { by?: string; db?: string }) => {
        const answered = await withDb(flags.db, (db) => decideInvitation(db, id, department, decision, { actor: cliActor(flags.by) }));
        console.log(`${id} ${answered.department}: ${answered.status} by ${answered.decidedBy}`);
      });

  dbCommand(task, 'withdraw', { by: true, json: false })
    .description('移除参与部门（其事项和人员），须在抽取前 / withdraw a partner department (its items and team) before the draw')
    .argument('<task>', 'task id')
    .argument('<department>', 'the partner department, e.g. TAX')
    .action(async (id: string, department: string, flags: { by?: string; db?: string }) => {
      const t = await withDb(flags.db, (db) => withdrawDepartment(db, id, department, { actor: cliActor(flags.by) }));
      console.log(`已移除 / withdrew ${department}: ${taskLine(t)}`);
    });

  dbCommand(task, 'preview')
    .description('预览符合条件的对象与各层抽取数（不提交） / eligible population and quotas, without committing')
    .argument('<task>', 'task id')
    .action(async (id: string, flags: { db?: string; json?: boolean }) => {
      const { p, pools } = await withDb(
        flags.db,
        async (db) => {
          const t = await getTask(db, id);
          return { p: await eligiblePopulation(db, t), pools: await previewPools(db, t) };
        },
        { readOnly: true },
      );
      if (flags.json) return void console.log(JSON.stringify({ ...p, pools }, null, 2));
      const n = (x: number) => x.toLocaleString('en-US');
      console.log(`${p.taskId}: 范围内 in scope ${n(p.inScope)}, 非存续 not active ${n(p.notActive)}, 减负窗口内 in burden window ${n(p.inBurdenWindow)}, 达年度上限 at yearly cap ${n(p.atYearlyCap)}, 无风险等级 untiered ${n(p.untiered)} -> 符合条件 eligible ${n(p.eligible)}`);
      for (const s of p.strata) console.log(`  ${s.stratum.padEnd(10)} eligible ${n(s.eligible).padStart(10)}  ${'count' in s ? `count ${s.count}` : `ratio ${s.ratioBp} bp`}  quota ${n(s.quota)}`);
      for (const pool of pools)
        console.log(`  人员库 pool ${pool.department.padEnd(12)} ${pool.pool} (每组 per team ${pool.count}; 专长 specialties ${pool.specialties.join('+')})${pool.pool < pool.count ? '  不足，无法抽取 / too small to commit' : ''}`);
      console.log(`规则 rules: policy v${p.rules.policyVersion}, burden window ${p.rules.burdenWindowDays} d before ${p.rules.referenceDate}${p.rules.burdenExempt ? ' (special: exempt)' : ''}, yearly cap ${p.rules.yearlyCap}`);
    });
}
