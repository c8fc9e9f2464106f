// The audit trail as a caller reads it: the trail of a task or draw its department leads or takes part in (operators),
// or of any subject; without a subject the latest entries of the whole log (not for operators).
import type { Queryable } from '../db/duckdb.ts';
import { EngineError } from '../kernel/errors.ts';
import type { Principal } from '../auth/roles.ts';
import { assertTaskDepartments } from '../auth/departments.ts';
import { latestEntries, subjectOwner, trailOf, type AuditTrail } from '../audit/trail.ts';

export async function auditTrailFor(q: Queryable, caller: Principal, query: { subject?: string; limit: number; offset: number }): Promise<AuditTrail> {
  const { subject, limit, offset } = query;
  if (!subject) {
    if (caller.role === 'operator')
      throw new EngineError('invalid', 'audit.subject_required', {
        zh: '部门操作员须指定本部门的任务或抽取编号 subject',
        en: 'operators name a task or draw of their department (subject=...)',
      });
    return { subject: null, subjectKind: null, taskId: null, limit, offset, ...(await latestEntries(q, query)) };
  }
  const owner = await subjectOwner(q, subject);
  if (owner) assertTaskDepartments(caller, owner.departments);
  else if (caller.role === 'operator')
    throw new EngineError(
      'not_found',
      'audit.subject_not_found',
      { zh: `没有任务或抽取 ${subject}；部门操作员只能查看本部门任务和抽取的记录`, en: `no task or draw ${subject}: operators may only read the trail of their department's tasks and draws` },
      { subject },
    );
  return { subject, subjectKind: owner?.kind ?? 'other', taskId: owner?.task_id ?? null, limit, offset, ...(await trailOf(q, subject, query)) };
}
