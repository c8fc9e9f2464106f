// One entity's record across departments (部门间共享): every result any department imported or entered for it, newest
// first, each with the items of other departments it counts for under recognition. Internal, for every signed-in role.
import type { Queryable } from '../db/duckdb.ts';
import { sql, sqlFolder } from '../db/sql.ts';
import { ResultNotFoundError } from './results.ts';
import type { EntityResults } from './schemas.ts';

const query = sqlFolder(import.meta.url);

export async function entityResults(q: Queryable, objectId: string): Promise<EntityResults> {
  const object = await q.one<{ id: string; name: string; status: string; region_zh: string; region_en: string; departments: string[] }>(
    sql`SELECT o.id, o.name, o.status, o.responsible_departments AS departments, rn.name_zh AS region_zh, rn.name_en AS region_en
        FROM objects o LEFT JOIN region_labels rn ON rn.code = o.region_code
        WHERE o.id = ${objectId}`,
  );
  if (!object) throw new ResultNotFoundError('object.not_found', `检查对象 ${objectId} 不在名录库中 / ${objectId} is not in the object directory`, { objectId });
  const rows = await q.query<{
    inspected_on: string;
    department_code: string;
    item_code: string;
    item_zh: string | null;
    item_en: string | null;
    outcome_code: string;
    outcome_zh: string | null;
    outcome_en: string | null;
    is_finding: boolean | null;
    findings: string | null;
    task_ref: string | null;
    source: 'import' | 'entry';
    recognised_for: string[];
  }>(query('entity-results', { object: objectId }));
  return {
    object: { id: object.id, name: object.name, status: object.status, regionZh: object.region_zh, regionEn: object.region_en, departments: object.departments },
    results: rows.map((r) => ({
      inspectedOn: r.inspected_on,
      departmentCode: r.department_code,
      itemCode: r.item_code,
      itemNameZh: r.item_zh,
      itemNameEn: r.item_en,
      outcomeCode: r.outcome_code,
      outcomeNameZh: r.outcome_zh,
      outcomeNameEn: r.outcome_en,
      isFinding: r.is_finding,
      findings: r.findings,
      taskRef: r.task_ref,
      source: r.source,
      recognisedFor: r.recognised_for,
    })),
  };
}
