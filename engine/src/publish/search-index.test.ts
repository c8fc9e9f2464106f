import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { correctResult, enterResult, publishDrawResults, publishResult } from '../results/results.ts';
import { cloneTemplate, IN_WINDOW, resultsTemplate, SAMR_OPERATOR, type ResultsTemplate } from '../results/results.fixture.ts';
import { searchPublicResults, type ResultSearch, type ResultSearchPage } from './portal.ts';
import { keptSearchIndex, PublicSearchIndex } from './search-index.ts';

// Names with shared pieces, so that searches match one entity, several, most (through common words), or only in
// another case; one Latin name.
const NAMES = [
  '深圳市华创电子有限公司',
  '深圳市华创贸易有限公司',
  '广州市华创餐饮管理有限公司',
  '深圳市南山区盛达便利店',
  '深圳市福田区鑫源餐馆',
  '佛山市顺德区丰泰小吃店',
  '深圳市泰隆物流有限公司',
  '深圳市恒信科技有限公司',
  '东莞市宏辉五金制品有限公司',
  '深圳市嘉金装饰工程有限公司',
  '深圳市荣顺实业有限公司',
  '深圳市祥瑞进出口有限公司',
  'Pearl River Coffee 深圳有限公司',
  '深圳市通新电子商务有限公司',
  '惠州市永裕农业发展有限公司',
  '深圳市昌佳文化传播有限公司',
  '深圳市美发美容有限公司',
  '中山市富光照明电器有限公司',
  '深圳市海汇物流有限公司',
];
const OUTCOMES = ['NO_PROBLEM', 'FIXED', 'PENDING', 'NOT_DISCLOSED'];

/** The same search as a scan of public_results in SQL: the reference the index must agree with. */
async function scanSearch(db: Db, search: ResultSearch): Promise<{ total: number; findings: number; byOutcome: unknown[]; ids: string[] }> {
  const text = search.q?.trim() || null;
  const match =
    text === null
      ? sql`true`
      : /^[0-9A-HJ-NPQRTUWXY]{18}$/i.test(text)
        ? sql`object_id = upper(${text})`
        : /\p{Script=Han}/u.test(text)
          ? sql`contains(entity_name, ${text})`
          : sql`(object_id = upper(${text}) OR contains(lower(entity_name), lower(${text})))`;
  const where = sql`${match}${search.department ? sql` AND department_code = ${search.department}` : sql.empty}${search.itemCode ? sql` AND item_code = ${search.itemCode}` : sql.empty}`;
  const counts = await db.query<{ code: string; nameZh: string; nameEn: string; isFinding: boolean; results: number }>(
    sql`SELECT outcome_code AS code, any_value(outcome_name_zh) AS "nameZh", any_value(outcome_name_en) AS "nameEn", bool_or(is_finding) AS "isFinding", count(*) AS results
        FROM public_results WHERE ${where} GROUP BY outcome_code ORDER BY results DESC, code`,
  );
  const ids = await db.query<{ id: string }>(
    sql`SELECT result_id AS id FROM public_results WHERE ${where} ORDER BY published_at DESC, result_id LIMIT ${Math.min(search.limit ?? 20, 100)} OFFSET ${search.offset ?? 0}`,
  );
  return {
    total: counts.reduce((sum, c) => sum + c.results, 0),
    findings: counts.filter((c) => c.isFinding).reduce((sum, c) => sum + c.results, 0),
    byOutcome: counts,
    ids: ids.map((r) => r.id),
  };
}

const answerOf = (page: ResultSearchPage) => ({ total: page.total, findings: page.findings, byOutcome: page.byOutcome, ids: page.results.map((r) => r.resultId) });

describe('public search index', () => {
  let template: ResultsTemplate;
  let t: Awaited<ReturnType<typeof cloneTemplate>>;
  let db: Db;
  let objects: string[];
  beforeAll(async () => {
    template = await resultsTemplate();
  });
  afterAll(() => template.cleanup());
  beforeEach(async () => {
    t = await cloneTemplate(template);
    db = t.db;
    objects = (await db.query<{ object_id: string }>(sql`SELECT object_id FROM draw_selection WHERE draw_id = ${template.draw.id} ORDER BY draw_order`)).map((r) => r.object_id);
  });
  afterEach(() => t.cleanup());

  /** Gives the draw's objects NAMES (as enterprises, published unmasked) and enters a result for both items of each. */
  async function enterAll(): Promise<void> {
    for (const [i, id] of objects.entries()) {
      await db.exec(sql`UPDATE objects SET name = ${NAMES[i % NAMES.length]}, entity_type = 'enterprise' WHERE id = ${id}`);
      for (const [j, itemCode] of ['SAMR-001', 'SAMR-002'].entries())
        await enterResult(db, { drawId: template.draw.id, objectId: id, itemCode }, { outcomeCode: OUTCOMES[(i + j) % OUTCOMES.length], inspectedOn: '2026-05-06' }, { actor: SAMR_OPERATOR, now: IN_WINDOW });
    }
  }

  const searches = (): ResultSearch[] => [
    { q: '华创' }, // 3 entities
    { q: '华创电子有限' }, // 1
    { q: '有限公司' }, // most
    { q: '有限公司', limit: 3, offset: 4 }, // a page from the top kept while going through the matches
    { q: '深圳市', department: 'SAMR', itemCode: 'SAMR-002', limit: 5 },
    { q: '深圳市', department: 'TAX' },
    { q: '物流' },
    { q: 'coffee' },
    { q: 'RIVER COF' },
    { q: '深' }, // one character: no bigram, every name is a candidate
    { q: 'e' },
    { q: '不存在的名称' },
    { q: objects[3] },
    { q: objects[3].toLowerCase(), itemCode: 'SAMR-001' },
    { q: objects[3].slice(0, 10) },
    { q: `  ${objects[5]} ` },
    {},
    { limit: 7, offset: 30 },
    { department: 'SAMR', offset: 2_500 },
  ];

  it('every search answers exactly as a scan of the published results does', async () => {
    await enterAll();
    await publishDrawResults(db, template.draw.id, { actor: SAMR_OPERATOR, now: IN_WINDOW });
    const index = await PublicSearchIndex.build(db);
    expect(index.size).toBe(2 * objects.length);
    for (const search of searches()) expect(answerOf(await searchPublicResults(db, search, index)), JSON.stringify(search)).toEqual(await scanSearch(db, search));
    expect((await searchPublicResults(db, { q: '华创' }, index)).total).toBe(6);
    expect((await searchPublicResults(db, { q: '华创电子有限' }, index)).results.map((r) => r.objectId)).toEqual([objects[0], objects[0]]);
    // The page's rows are read in full: every public field, in the index's order.
    const coffee = await searchPublicResults(db, { q: 'coffee' }, index);
    expect(coffee.results.map((r) => [r.entityName, r.objectId, r.departmentCode, r.itemNameZh.length > 0])).toEqual([
      [NAMES[12], objects[12], 'SAMR', true],
      [NAMES[12], objects[12], 'SAMR', true],
    ]);
  });

  it('refresh reads what was published, corrected or renamed since, and agrees with an index built afresh', async () => {
    await enterAll();
    const half = objects.slice(0, 10);
    for (const objectId of half) await publishResult(db, { drawId: template.draw.id, objectId, itemCode: 'SAMR-001' }, { actor: SAMR_OPERATOR, now: IN_WINDOW });
    const index = await PublicSearchIndex.build(db);
    expect(index.size).toBe(10);

    await publishDrawResults(db, template.draw.id, { actor: SAMR_OPERATOR, now: new Date(IN_WINDOW.getTime() + 3_600_000) });
    const key = { drawId: template.draw.id, objectId: objects[0], itemCode: 'SAMR-001' };
    await correctResult(db, key, { outcomeCode: 'NON_COOPERATION', reason: '复核' }, { actor: SAMR_OPERATOR, now: IN_WINDOW });
    // Renamed, then one result corrected: it bears the new name; the other keeps the old one.
    await db.exec(sql`UPDATE objects SET name = '深圳市麒麟新材料有限公司' WHERE id = ${objects[0]}`);
    await correctResult(db, key, { outcomeCode: 'FIXED', reason: '更名后复核' }, { actor: SAMR_OPERATOR, now: IN_WINDOW });

    expect(index.size).toBe(10);
    await index.refresh(db);
    expect(index.size).toBe(2 * objects.length);
    const fresh = await PublicSearchIndex.build(db);
    for (const search of [...searches(), { q: '麒麟' }, { q: NAMES[0] }]) {
      const refreshed = answerOf(await searchPublicResults(db, search, index));
      expect(refreshed, JSON.stringify(search)).toEqual(answerOf(await searchPublicResults(db, search, fresh)));
      expect(refreshed, JSON.stringify(search)).toEqual(await scanSearch(db, search));
    }
    expect((await searchPublicResults(db, { q: '麒麟新材料' }, index)).results.map((r) => [r.objectId, r.itemCode, r.outcomeCode])).toEqual([[objects[0], 'SAMR-001', 'FIXED']]);
    expect((await searchPublicResults(db, { q: NAMES[0] }, index)).results.map((r) => [r.objectId, r.itemCode])).toEqual([[objects[0], 'SAMR-002']]);
  });

  it('reads a row whose text holds the separators the bulk read splits on', async () => {
    await enterAll();
    await db.exec(sql`UPDATE objects SET name = ${'深圳市\x1f分隔\x1e字符有限公司'} WHERE id = ${objects[4]}`);
    await publishDrawResults(db, template.draw.id, { actor: SAMR_OPERATOR, now: IN_WINDOW });
    const index = await PublicSearchIndex.build(db);
    expect(index.size).toBe(2 * objects.length);
    const found = await searchPublicResults(db, { q: '分隔\x1e字符' }, index);
    expect(found.results.map((r) => [r.objectId, r.entityName])).toEqual([
      [objects[4], '深圳市\x1f分隔\x1e字符有限公司'],
      [objects[4], '深圳市\x1f分隔\x1e字符有限公司'],
    ]);
    for (const search of searches()) expect(answerOf(await searchPublicResults(db, search, index)), JSON.stringify(search)).toEqual(await scanSearch(db, search));
  });

  it('a server keeps one index and brings it up to date after a write', async () => {
    await enterAll();
    await publishResult(db, { drawId: template.draw.id, objectId: objects[0], itemCode: 'SAMR-001' }, { actor: SAMR_OPERATOR, now: IN_WINDOW });
    const kept = keptSearchIndex(db);
    const first = await kept();
    expect(await kept()).toBe(first);
    expect(first.size).toBe(1);
    await publishResult(db, { drawId: template.draw.id, objectId: objects[1], itemCode: 'SAMR-001' }, { actor: SAMR_OPERATOR, now: IN_WINDOW });
    const second = await kept();
    expect(second).toBe(first);
    expect(second.size).toBe(2);
    expect((await searchPublicResults(db, { q: '华创' }, second)).total).toBe(2);
  });
});
