// The visit sheet of one selected object: everything a joint team needs on site in one go (一次性完成对同一抽查对象的
// 多个检查项目) — the entity, the whole team, every participating department's items with legal basis, method and what
// to check, and what has been entered so far. The notice of inspection (抽查告知书) is printed from the same sheet.
import type { Queryable } from '../db/duckdb.ts';
import { sql, sqlFolder } from '../db/sql.ts';
import type { Principal } from '../auth/roles.ts';
import { assertTaskDepartments } from '../auth/departments.ts';
import { ResultNotFoundError, ResultStateError } from './results.ts';
import type { VisitSheet } from './schemas.ts';

const query = sqlFolder(import.meta.url);

interface ObjectRow {
  draw_id: string;
  status: string;
  task_id: string;
  task_public_name: string;
  lead_department: string;
  departments: string[];
  window_start: string;
  window_end: string;
  id: string;
  name: string;
  entity_type: string | null;
  legal_representative: string | null;
  region_code: string;
  region_zh: string;
  region_en: string;
  industry_zh: string | null;
  industry_en: string | null;
}

interface ItemRow {
  code: string;
  version: number;
  department_code: string;
  department_zh: string;
  department_en: string;
  name_zh: string;
  name_en: string;
  legal_basis: string;
  content: string;
  method: 'onsite' | 'documents' | 'online';
  outcome_code: string | null;
  outcome_zh: string | null;
  outcome_en: string | null;
  published_at: Date | null;
}

/** The visit sheet of `objectId` in `drawId`, for the draw's departments (operators), leaders, auditors and admins. */
export async function visitSheet(q: Queryable, caller: Principal, drawId: string, objectId: string): Promise<VisitSheet> {
  const o = await q.one<ObjectRow>(query('visit-object', { draw: drawId, object: objectId }));
  if (!o) throw new ResultNotFoundError('result.not_selected', `${objectId} 不在抽取 ${drawId} 的抽中名单中 / ${objectId} was not selected in draw ${drawId}`, { drawId, objectId });
  assertTaskDepartments(caller, o.departments);
  if (o.status !== 'drawn')
    throw new ResultStateError('result.draw_not_drawn', `抽取 ${drawId} 的状态为 ${o.status}，只有已完成抽取的对象有检查单 / draw ${drawId} is ${o.status}: visit sheets exist for drawn draws only`, { drawId, state: o.status });
  const team = await q.query<{ inspector_id: string; name: string; department_code: string; kind: string; certificate_no: string | null }>(
    sql`SELECT m.inspector_id, i.name, split_part(m.department_code, ':', 1) AS department_code, i.kind, i.certificate_no
        FROM draw_teams m JOIN inspectors i ON i.id = m.inspector_id
        WHERE m.draw_id = ${drawId} AND m.object_id = ${objectId} ORDER BY m.department_code, m.position`,
  );
  const items = await q.query<ItemRow>(query('visit-items', { draw: drawId, object: objectId }));
  return {
    drawId,
    taskId: o.task_id,
    taskPublicName: o.task_public_name,
    joint: o.departments.length > 1,
    leadDepartmentCode: o.lead_department,
    windowStart: o.window_start,
    windowEnd: o.window_end,
    object: {
      id: o.id,
      name: o.name,
      entityType: o.entity_type,
      legalRepresentative: o.legal_representative,
      regionCode: o.region_code,
      regionZh: o.region_zh,
      regionEn: o.region_en,
      industryZh: o.industry_zh,
      industryEn: o.industry_en,
    },
    team: team.map((m) => ({ inspectorId: m.inspector_id, name: m.name, departmentCode: m.department_code, kind: m.kind, certificateNo: m.certificate_no })),
    items: items.map((i) => ({
      code: i.code,
      version: i.version,
      departmentCode: i.department_code,
      departmentNameZh: i.department_zh,
      departmentNameEn: i.department_en,
      nameZh: i.name_zh,
      nameEn: i.name_en,
      legalBasis: i.legal_basis,
      content: i.content,
      method: i.method,
      outcomeCode: i.outcome_code,
      outcomeNameZh: i.outcome_zh,
      outcomeNameEn: i.outcome_en,
      publishedAt: i.published_at,
    })),
  };
}
