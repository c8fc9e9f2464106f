// The public snapshot of a published result: the redaction rules (redact.ts) applied to the stored result, written
// to public_results, with every redaction written to redaction_log. The portal reads only the snapshot.
import type { Queryable } from '../db/duckdb.ts';
import { omittedFields, publicEntityName, publicFindings, type FindingsReview, type Redaction } from './redact.ts';

/**
 * Everything one published result's snapshot is made from: one row. inspector_names: every inspector of the directory
 * named in the released text (not only the team: a colleague named in passing stays unnamed too); they only feed the masking.
 */
const SNAPSHOT_SOURCE_SQL = `
SELECT r.id, r.draw_id, d.task_id, t.name AS task_name, r.object_id, o.name AS object_name, o.entity_type, o.legal_representative,
  o.region_code, rg.name_zh AS region_name_zh, city.name_zh AS city_name_zh, rg.level AS region_level,
  r.item_code, r.item_version, i.name_zh AS item_name_zh, i.name_en AS item_name_en,
  r.department_code, dep.name_zh AS department_name_zh, dep.name_en AS department_name_en,
  r.outcome_code, oc.name_zh AS outcome_name_zh, oc.name_en AS outcome_name_en, oc.is_finding,
  r.findings_public, r.findings, r.findings_review, r.inspected_on, r.due_on, r.published_at, r.updated_at, r.version,
  coalesce((SELECT list(DISTINCT ins.name) FROM inspectors ins
            WHERE length(ins.name) >= 2 AND contains(coalesce(r.findings_public, ''), ins.name)), []) AS inspector_names
FROM draw_results r
JOIN draws d ON d.id = r.draw_id
JOIN tasks t ON t.id = d.task_id
JOIN objects o ON o.id = r.object_id
JOIN items i ON i.code = r.item_code AND i.version = r.item_version
JOIN departments dep ON dep.code = r.department_code
JOIN outcome_codes oc ON oc.code = r.outcome_code
LEFT JOIN regions rg ON rg.code = o.region_code
LEFT JOIN regions city ON city.code = left(o.region_code, 4) || '00'
WHERE r.id = $id`;

interface SnapshotSource {
  id: string;
  draw_id: string;
  task_id: string;
  task_name: string;
  object_id: string;
  object_name: string;
  entity_type: string | null;
  legal_representative: string | null;
  region_code: string;
  region_name_zh: string | null;
  city_name_zh: string | null;
  region_level: string | null;
  item_code: string;
  item_version: number;
  item_name_zh: string;
  item_name_en: string;
  department_code: string;
  department_name_zh: string;
  department_name_en: string;
  outcome_code: string;
  outcome_name_zh: string;
  outcome_name_en: string;
  is_finding: boolean;
  findings_public: string | null;
  findings: string | null;
  findings_review: FindingsReview | null;
  inspected_on: string;
  due_on: string;
  published_at: Date | null;
  updated_at: Date;
  version: number;
  inspector_names: string[];
}

/**
 * (Re)writes the public snapshot of a published result and logs its redactions; returns them.
 * Call inside the transaction that publishes or changes the result.
 */
export async function writePublicResult(q: Queryable, resultId: string, options: { actor: string; now: Date }): Promise<Redaction[]> {
  const s = await q.one<SnapshotSource>(SNAPSHOT_SOURCE_SQL, { id: resultId });
  if (!s) throw new Error(`result ${resultId}: its draw, task, object, item, department or outcome code is missing`);
  if (!s.published_at) throw new Error(`result ${resultId} is not published`);
  const entity = { name: s.object_name, entityType: s.entity_type, legalRepresentative: s.legal_representative };
  const name = publicEntityName(entity);
  // Text not approved is never copied into the snapshot: the reviewed text when approved, else the entered text only to say it was held back.
  const findings = publicFindings({
    text: s.findings_review === 'approved' ? s.findings_public : s.findings,
    review: s.findings_review,
    entity,
    inspectorNames: s.inspector_names,
  });
  const redactions = [...name.redactions, ...findings.redactions, ...omittedFields(entity)];
  const regionName = s.region_level === 'district' && s.city_name_zh ? `${s.city_name_zh}${s.region_name_zh}` : s.region_name_zh;
  await q.exec(
    `INSERT OR REPLACE INTO public_results (result_id, draw_id, task_id, task_name, object_id, entity_name, entity_type, region_code, region_name_zh,
       item_code, item_version, item_name_zh, item_name_en, department_code, department_name_zh, department_name_en,
       outcome_code, outcome_name_zh, outcome_name_en, is_finding, findings, inspected_on, due_on, published_at, updated_at, version)
     VALUES ($id, $draw, $task, $taskName, $object, $name, $entityType::VARCHAR, $region, $regionName::VARCHAR,
       $item, $itemVersion, $itemZh, $itemEn, $dept, $deptZh, $deptEn, $outcome, $outcomeZh, $outcomeEn, $isFinding, $findings::VARCHAR,
       $on::DATE, $due::DATE, $publishedAt::TIMESTAMPTZ, $updatedAt::TIMESTAMPTZ, $version)`,
    {
      id: s.id,
      draw: s.draw_id,
      task: s.task_id,
      taskName: s.task_name,
      object: s.object_id,
      name: name.value,
      entityType: s.entity_type,
      region: s.region_code,
      regionName,
      item: s.item_code,
      itemVersion: s.item_version,
      itemZh: s.item_name_zh,
      itemEn: s.item_name_en,
      dept: s.department_code,
      deptZh: s.department_name_zh,
      deptEn: s.department_name_en,
      outcome: s.outcome_code,
      outcomeZh: s.outcome_name_zh,
      outcomeEn: s.outcome_name_en,
      isFinding: s.is_finding,
      findings: findings.value,
      on: s.inspected_on,
      due: s.due_on,
      publishedAt: s.published_at.toISOString(),
      updatedAt: s.updated_at.toISOString(),
      version: s.version,
    },
  );
  for (const r of redactions) {
    await q.exec(
      `INSERT INTO redaction_log (result_id, version, field, rule, occurrences, logged_by, logged_at)
       VALUES ($id, $version, $field, $rule, $n, $by, $at::TIMESTAMPTZ) ON CONFLICT DO NOTHING`,
      { id: s.id, version: s.version, field: r.field, rule: r.rule, n: r.occurrences, by: options.actor, at: options.now.toISOString() },
    );
  }
  return redactions;
}
