// The department rule (谁检查、谁负责): an operator reaches its own department's data, and the tasks and draws its
// department leads or takes part in; other roles reach every department. A refusal names both departments.
import { bilingual, EngineError } from '../kernel/errors.ts';
import { departmentProblem, type Principal } from './roles.ts';

/** Refuses an operator data of another department. */
export function assertOwnDepartment(principal: Principal, departmentCode: string): void {
  const problem = departmentProblem(principal, departmentCode);
  if (problem) throw new EngineError('forbidden', 'department.other', bilingual(problem), { department: principal.department, resourceDepartment: departmentCode });
}

/** Refuses an operator a task or draw its department neither leads nor takes part in. */
export function assertTaskDepartments(principal: Principal, departments: readonly string[]): void {
  if (principal.role !== 'operator' || departments.includes(principal.department ?? '')) return;
  throw new EngineError(
    'forbidden',
    'task.other_department',
    {
      zh: `部门操作员只能访问本部门（${principal.department}）牵头或参与的任务和抽取，该任务属于 ${departments.join('、')}。`,
      en: `Operators may only access tasks and draws their department (${principal.department}) leads or takes part in; this one belongs to ${departments.join(', ')}.`,
    },
    { department: principal.department, taskDepartments: departments.join(',') },
  );
}

/**
 * Refuses an operator of a department that does not lead the task a draw step belongs to: only the lead department's
 * operators (and admins) commit, record the beacon, run or void a draw; partner departments see it, they do not act.
 */
export function assertLeadDepartment(principal: Principal, leadDepartment: string): void {
  if (principal.role !== 'operator' || principal.department === leadDepartment) return;
  throw new EngineError(
    'forbidden',
    'draw.not_lead_department',
    {
      zh: `只有牵头部门（${leadDepartment}）的操作员或管理员可以提交承诺、录入信标、执行或作废抽取；${principal.department} 只能查看。`,
      en: `Only operators of the lead department (${leadDepartment}) or admins may commit, record the beacon, run or void a draw; ${principal.department} may only see it.`,
    },
    { department: principal.department, leadDepartment },
  );
}

/** The department a list is limited to: an operator's own, or null (every department) for the other roles. */
export function departmentScope(principal: Principal): string | null {
  return principal.role === 'operator' ? principal.department : null;
}

/** The department a listing covers: an operator's own (asking for another is refused), else the one asked for, or all (null). */
export function listingDepartment(principal: Principal, asked: string | null | undefined): string | null {
  if (asked) assertOwnDepartment(principal, asked);
  return departmentScope(principal) ?? asked ?? null;
}
