// Scores as leaders and analysts read them: tier counts per city, district or industry and a page of scored entities
// (both aggregated or paged in DuckDB, answered as JSON rows or Arrow by the caller), and one entity's explanation
// with its name, place and industry.
import type { Queryable } from '../db/duckdb.ts';
import { sql, type Sql } from '../db/sql.ts';
import { EngineError } from '../kernel/errors.ts';
import type { Tier } from '../kernel/schema.ts';
import type { TableQuery } from '../kernel/table.ts';
import { explain } from './index.ts';
import type { ScoreExplanation, ScoreGrouping } from './schemas.ts';

/** A region filter as a code prefix: the province (44), a city (4403: its districts too) or one district. */
export function regionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

export interface ScoreFilter {
  /** A region code: the province, a city (with its districts) or a district. */
  region?: string;
  /** A GB/T 4754 section. */
  industry?: string;
  tier?: Tier;
}

const GROUP_KEYS: Record<ScoreGrouping, Sql> = {
  city: sql`left(o.region_code, 4) || '00'`,
  district: sql`o.region_code`,
  industry: sql`o.industry_code`,
};

const filterSql = (f: ScoreFilter) =>
  sql`${f.region ? sql`AND starts_with(o.region_code, ${regionPrefix(f.region)})` : sql.empty} ${f.industry ? sql`AND o.industry_code = ${f.industry}` : sql.empty} ${f.tier ? sql`AND s.tier = ${f.tier}` : sql.empty}`;

// Tier counts per city, district or industry of the scored entities. Grain: one row per group (code).
const tierCountsSql = (by: ScoreGrouping, f: ScoreFilter) => sql`WITH counts AS (
    SELECT ${GROUP_KEYS[by]} AS code,
           count(*) FILTER (WHERE s.tier = 'A') AS "A", count(*) FILTER (WHERE s.tier = 'B') AS "B",
           count(*) FILTER (WHERE s.tier = 'C') AS "C", count(*) FILTER (WHERE s.tier = 'D') AS "D",
           count(*) AS total, avg(s.score) AS "meanScore"
    FROM risk_scores s JOIN objects o ON o.id = s.object_id
    WHERE true ${filterSql({ region: f.region, industry: f.industry })}
    GROUP BY 1
  )
  SELECT c.code, coalesce(n.name_zh, c.code) AS "nameZh", coalesce(n.name_en, c.code) AS "nameEn", c."A", c."B", c."C", c."D", c.total, c."meanScore"
  FROM counts c LEFT JOIN ${sql.id(by === 'industry' ? 'industries' : 'regions')} n ON n.code = c.code
  ORDER BY c.code`;

// One page of scored entities, highest score first (ties by id). Grain: one row per entity.
const scorePageSql = (f: ScoreFilter, limit: number, offset: number) => sql`SELECT s.object_id AS "objectId", o.name, o.entity_type AS "entityType", o.region_code AS "regionCode",
    coalesce(r.name_zh, o.region_code) AS "regionNameZh", o.industry_code AS "industryCode", s.score, s.tier, s.model_version AS "modelVersion"
  FROM risk_scores s JOIN objects o ON o.id = s.object_id LEFT JOIN regions r ON r.code = o.region_code
  WHERE true ${filterSql(f)}
  ORDER BY s.score DESC, s.object_id
  LIMIT ${limit} OFFSET ${offset}`;

// How many scored entities the filter matches. Grain: one row.
const scoreCountSql = (f: ScoreFilter) => sql`SELECT count(*) AS n FROM risk_scores s JOIN objects o ON o.id = s.object_id WHERE true ${filterSql(f)}`;

// The scored entity with its place and industry names. Grain: one row.
const entitySql = (id: string) => sql`SELECT o.name, o.entity_type, o.region_code, r.name_zh AS region_zh, r.name_en AS region_en,
    o.industry_code, i.name_zh AS industry_zh, i.name_en AS industry_en
  FROM objects o LEFT JOIN regions r ON r.code = o.region_code LEFT JOIN industries i ON i.code = o.industry_code
  WHERE o.id = ${id}`;

/** Tier counts per city, district or industry (TierCountRow rows), within a region and industry. */
export function tierCounts(by: ScoreGrouping, filter: ScoreFilter): TableQuery<{ by: ScoreGrouping }> {
  return { statement: tierCountsSql(by, { region: filter.region, industry: filter.industry }), extra: { by } };
}

/** One page of scored entities (ScoreRow rows), highest score first, with how many match. */
export async function scorePage(q: Queryable, filter: ScoreFilter, page: { limit: number; offset: number }): Promise<TableQuery<{ total: number; limit: number; offset: number }>> {
  const total = (await q.one<{ n: number }>(scoreCountSql(filter)))?.n ?? 0;
  return { statement: scorePageSql(filter, page.limit, page.offset), extra: { total, limit: page.limit, offset: page.offset } };
}

/** An entity's score and tier and why (each feature's contribution), with its name, place and industry. */
export async function scoreExplanation(q: Queryable, objectId: string): Promise<ScoreExplanation> {
  const explanation = await explain(q, objectId);
  if (!explanation)
    throw new EngineError(
      'not_found',
      'score.not_found',
      { zh: `主体 ${objectId} 没有风险评分（代码不存在或非在营主体）`, en: `no risk score for ${objectId}: unknown id, or not an active entity` },
      { objectId },
    );
  const entity = await q.one<{ name: string; entity_type: string | null; region_code: string; region_zh: string | null; region_en: string | null; industry_code: string | null; industry_zh: string | null; industry_en: string | null }>(
    entitySql(explanation.objectId),
  );
  return {
    ...explanation,
    tier: explanation.tier as Tier, // risk_scores holds A..D only
    name: entity?.name ?? explanation.objectId,
    entityType: entity?.entity_type ?? null,
    regionCode: entity?.region_code ?? '',
    ...(entity?.region_zh ? { regionName: { zh: entity.region_zh, en: entity.region_en ?? entity.region_zh } } : {}),
    industryCode: entity?.industry_code ?? null,
    ...(entity?.industry_zh ? { industryName: { zh: entity.industry_zh, en: entity.industry_en ?? entity.industry_zh } } : {}),
  };
}
