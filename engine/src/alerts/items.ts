// The inspection items a special draw on an alert starts from: the market regulator's items (12345 complaints and the
// inspection findings the alerts read are its remit) whose specialty concerns the alert's industry.
import type { Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { SPECIALTY_INDUSTRIES } from '../../../data/generator/names.ts';

export const ALERT_ITEMS_DEPARTMENT = 'SAMR';

/** Item codes per industry section (GB/T 4754), in code order: items in force, drawn over market entities. */
export async function alertItemsByIndustry(q: Queryable): Promise<Map<string, string[]>> {
  // one row per item of the department in force today on entities (not products, projects or behaviours)
  const items = await q.query<{ code: string; specialty: string }>(
    sql`SELECT code, specialty FROM items
     WHERE department_code = ${ALERT_ITEMS_DEPARTMENT} AND valid_from <= current_date AND (valid_to IS NULL OR valid_to >= current_date)
       AND object_type NOT IN ('product', 'project', 'behaviour')
     ORDER BY code`,
  );
  const byIndustry = new Map<string, string[]>();
  for (const item of items)
    for (const industry of SPECIALTY_INDUSTRIES[item.specialty] ?? '') byIndustry.set(industry, [...(byIndustry.get(industry) ?? []), item.code]);
  return byIndustry;
}
