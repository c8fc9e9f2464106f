// The public snapshot of a published result: the redaction rules (redact.ts) applied to the stored result, written
// to public_results, with every redaction written to redaction_log. The portal reads only the snapshot.
import type { Queryable } from '../db/duckdb.ts';
import { sql, sqlFolder } from '../db/sql.ts';
import { omittedFields, publicEntityName, publicFindings, type FindingsReview, type Redaction } from './redact.ts';

const query = sqlFolder(import.meta.url);

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
  const s = await q.one<SnapshotSource>(query('snapshot-source', { id: resultId }));
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
    sql`INSERT OR REPLACE INTO public_results (result_id, draw_id, task_id, task_name, object_id, entity_name, entity_type, region_code,
       region_name_zh, item_code, item_version, item_name_zh, item_name_en, department_code, department_name_zh, department_name_en,
       outcome_code, outcome_name_zh, outcome_name_en, is_finding, findings, inspected_on, due_on, published_at, updated_at, version)
     VALUES (${s.id}, ${s.draw_id}, ${s.task_id}, ${s.task_name}, ${s.object_id}, ${name.value}, ${s.entity_type}::VARCHAR, ${s.region_code},
       ${regionName}::VARCHAR, ${s.item_code}, ${s.item_version}, ${s.item_name_zh}, ${s.item_name_en}, ${s.department_code},
       ${s.department_name_zh}, ${s.department_name_en}, ${s.outcome_code}, ${s.outcome_name_zh}, ${s.outcome_name_en}, ${s.is_finding},
       ${findings.value}::VARCHAR, ${s.inspected_on}::DATE, ${s.due_on}::DATE, ${s.published_at.toISOString()}::TIMESTAMPTZ,
       ${s.updated_at.toISOString()}::TIMESTAMPTZ, ${s.version})`,
  );
  for (const r of redactions) {
    await q.exec(
      sql`INSERT INTO redaction_log (result_id, version, field, rule, occurrences, logged_by, logged_at)
       VALUES (${s.id}, ${s.version}, ${r.field}, ${r.rule}, ${r.occurrences}, ${options.actor}, ${options.now.toISOString()}::TIMESTAMPTZ) ON CONFLICT DO NOTHING`,
    );
  }
  return redactions;
}
