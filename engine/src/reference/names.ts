// The reference names forms and pages show: departments, regions (GB/T 2260: province, cities, districts), industries
// (GB/T 4754 sections) and the standard outcome codes results are entered with.
import type { Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { CodeName, Nullable, StringEnum, Type, type Static } from '../kernel/schema.ts';

export const Region = Type.Object({ ...CodeName.properties, level: StringEnum(['province', 'city', 'district']), parentCode: Nullable(Type.String()) });
export type Region = Static<typeof Region>;

export const ReferenceNames = Type.Object({
  departments: Type.Array(CodeName),
  regions: Type.Array(Region, { description: '省、地级市、区县（GB/T 2260） province, cities and districts' }),
  industries: Type.Array(CodeName),
});
export type ReferenceNames = Static<typeof ReferenceNames>;

export const OutcomeCode = Type.Object({
  code: Type.String({ description: '代码 e.g. NO_PROBLEM, FIXED' }),
  nameZh: Type.String(),
  nameEn: Type.String(),
  isFinding: Type.Boolean({ description: '是否发现问题 whether it records a problem found' }),
});
export type OutcomeCode = Static<typeof OutcomeCode>;

/** Departments, regions and industries with their names, each in code order. */
export async function referenceNames(q: Queryable): Promise<ReferenceNames> {
  return {
    departments: await q.query<CodeName>(sql`SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM departments ORDER BY code`),
    regions: await q.query<Region>(sql`SELECT code, name_zh AS "nameZh", name_en AS "nameEn", level, parent_code AS "parentCode" FROM regions ORDER BY code`),
    industries: await q.query<CodeName>(sql`SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM industries ORDER BY code`),
  };
}

/** Every standard outcome code, problems-found last. Grain: one row per code. */
export function outcomeCodes(q: Queryable): Promise<OutcomeCode[]> {
  return q.query<OutcomeCode>(sql`SELECT code, name_zh AS "nameZh", name_en AS "nameEn", is_finding AS "isFinding" FROM outcome_codes ORDER BY is_finding, code`);
}
