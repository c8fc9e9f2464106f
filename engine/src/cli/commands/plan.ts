// `fairdraw plan create|list`: annual inspection plans (年度抽查工作计划) per jurisdiction and lead department.
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { createPlan, listPlans, type Plan } from '../../draw/plans.ts';
import { dbCommand, cliActor } from '../options.ts';

function wholeNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n)) throw new Error(`${flag} '${text}': 须为整数 / expected a whole number`);
  return n;
}

function planLine(p: Plan): string {
  return `${p.id}  ${p.year}  ${p.jurisdictionRegionCode}  ${p.leadDepartment.padEnd(9)} ${p.name}`;
}

export function planCommand(program: Command): void {
  const plan = program.command('plan').description('年度抽查工作计划 / annual inspection plans');

  dbCommand(plan, 'create', { by: true, json: 'print the plan as JSON' })
    .description('新建年度计划 / create an annual plan')
    .requiredOption('--year <year>', '年度 / plan year, e.g. 2026')
    .requiredOption('--region <code>', '辖区行政区划代码 / jurisdiction (GB/T 2260), e.g. 440300')
    .requiredOption('--lead <department>', '牵头部门 / lead department code, e.g. SAMR')
    .requiredOption('--name <name>', '计划名称 / plan name')
    .action(async (flags: { year: string; region: string; lead: string; name: string; by?: string; db?: string; json?: boolean }) => {
      const created = await withDb(flags.db, (db) =>
        createPlan(db, { year: wholeNumber('--year', flags.year), jurisdictionRegionCode: flags.region, leadDepartment: flags.lead, name: flags.name, createdBy: cliActor(flags.by) }),
      );
      console.log(flags.json ? JSON.stringify(created, null, 2) : `已创建计划 / created ${planLine(created)}`);
    });

  dbCommand(plan, 'list')
    .description('列出计划 / list plans')
    .option('--year <year>', '只列该年度 / only this year')
    .option('--lead <department>', '只列该牵头部门 / only this lead department')
    .action(async (flags: { year?: string; lead?: string; db?: string; json?: boolean }) => {
      const plans = await withDb(
        flags.db,
        (db) => listPlans(db, { year: flags.year === undefined ? undefined : wholeNumber('--year', flags.year), leadDepartment: flags.lead }),
        { readOnly: true },
      );
      if (flags.json) console.log(JSON.stringify(plans, null, 2));
      else if (plans.length === 0) console.log('没有计划 / no plans');
      else for (const p of plans) console.log(planLine(p));
    });
}
