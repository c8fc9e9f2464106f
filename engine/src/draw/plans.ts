// Annual inspection plans (年度抽查工作计划) per jurisdiction and lead department, and the errors
// every step of the draw lifecycle raises (input errors name field, value and rule; state errors the record).
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { appendAudit } from '../audit/chain.ts';
import { bilingual, EngineError, paramValue } from '../kernel/errors.ts';
import type { Plan, PlanBody } from './schemas.ts';

/** Input a user can fix: names the field, the value and the rule it broke (API: 400). */
export class DrawInputError extends EngineError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super('invalid', 'draw.invalid', bilingual(rule, `${field} = ${JSON.stringify(value)}: `), { field, value: paramValue(value) });
  }
}

/** A step not allowed in the record's current state, e.g. running a drawn draw again (API: 409). */
export class DrawStateError extends EngineError {
  constructor(
    code: string,
    readonly subject: string,
    readonly state: string,
    message: string,
  ) {
    super('conflict', code, bilingual(message), { subject, state });
  }
}

/** A plan, task or draw id that does not exist (API: 404). */
export class DrawNotFoundError extends EngineError {
  constructor(
    readonly record: 'plan' | 'task' | 'draw',
    readonly id: string,
  ) {
    super('not_found', `${record}.not_found`, { zh: `${{ plan: '计划', task: '任务', draw: '抽取' }[record]} ${id} 不存在`, en: `${record} ${id} does not exist` }, { id });
  }
}

/** A new plan: the body a caller sends, and who creates it. */
export type PlanInput = PlanBody & { createdBy: string };

export type { Plan, PlanBody };

interface PlanRow {
  id: string;
  year: number;
  jurisdiction_region_code: string;
  lead_department: string;
  name: string;
  created_by: string;
  created_at: Date;
}

const toPlan = (r: PlanRow): Plan => ({
  id: r.id,
  year: r.year,
  jurisdictionRegionCode: r.jurisdiction_region_code,
  leadDepartment: r.lead_department,
  name: r.name,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** The next id of the form `${prefix}${year}-0001` within one table. */
export async function nextYearlyId(q: Queryable, table: 'plans' | 'tasks' | 'draws', prefix: string, year: number): Promise<string> {
  const row = await q.one<{ n: number | null }>(
    sql`SELECT max(CAST(split_part(id, '-', 2) AS INTEGER)) AS n FROM ${sql.id(table)} WHERE id LIKE ${`${prefix}${year}-%`}`,
  );
  return `${prefix}${year}-${String((row?.n ?? 0) + 1).padStart(4, '0')}`;
}

export async function requireDepartment(q: Queryable, field: string, code: string): Promise<void> {
  const row = await q.one(sql`SELECT code FROM departments WHERE code = ${code}`);
  if (!row) throw new DrawInputError(field, code, '不是已知的部门代码 / not a known department code (departments table)');
}

export async function requireRegion(q: Queryable, field: string, code: string): Promise<void> {
  const row = await q.one(sql`SELECT code FROM regions WHERE code = ${code}`);
  if (!row) throw new DrawInputError(field, code, '不是已知的行政区划代码 / not a known GB/T 2260 region code (regions table)');
}

export async function createPlan(db: Db, input: PlanInput): Promise<Plan> {
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
    throw new DrawInputError('year', input.year, '须为 2000..2100 之间的年份 / must be a year between 2000 and 2100');
  if (!input.name?.trim()) throw new DrawInputError('name', input.name, '计划名称不能为空 / a plan needs a name');
  if (!input.createdBy?.trim()) throw new DrawInputError('createdBy', input.createdBy, '须记录创建人 / the creator must be recorded');
  await requireRegion(db, 'jurisdictionRegionCode', input.jurisdictionRegionCode);
  await requireDepartment(db, 'leadDepartment', input.leadDepartment);
  return db.transaction(async (tx) => {
    const id = await nextYearlyId(tx, 'plans', 'P', input.year);
    const createdAt = new Date();
    await tx.exec(
      sql`INSERT INTO plans (id, year, jurisdiction_region_code, lead_department, name, created_by, created_at)
       VALUES (${id}, ${input.year}, ${input.jurisdictionRegionCode}, ${input.leadDepartment}, ${input.name.trim()}, ${input.createdBy}, ${createdAt.toISOString()}::TIMESTAMPTZ)`,
    );
    const plan: Plan = { id, year: input.year, jurisdictionRegionCode: input.jurisdictionRegionCode, leadDepartment: input.leadDepartment, name: input.name.trim(), createdBy: input.createdBy, createdAt };
    await appendAudit(tx, { actor: input.createdBy, action: 'plan.create', subject: id, payload: { ...plan, createdAt: createdAt.toISOString() } });
    return plan;
  });
}

export async function getPlan(q: Queryable, id: string): Promise<Plan> {
  const row = await q.one<PlanRow>(sql`SELECT * FROM plans WHERE id = ${id}`);
  if (!row) throw new DrawNotFoundError('plan', id);
  return toPlan(row);
}

export async function listPlans(q: Queryable, filter: { year?: number; leadDepartment?: string } = {}): Promise<Plan[]> {
  const rows = await q.query<PlanRow>(
    sql`SELECT * FROM plans
     WHERE (${filter.year ?? null}::INTEGER IS NULL OR year = ${filter.year ?? null}) AND (${filter.leadDepartment ?? null}::VARCHAR IS NULL OR lead_department = ${filter.leadDepartment ?? null})
     ORDER BY id`,
  );
  return rows.map(toPlan);
}
