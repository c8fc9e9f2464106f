// Sharing and recognition over HTTP: an admin declares two departments' items equivalent and withdraws the pair, each
// audited; others read the list and may not change it; bad pairs are refused naming the item. An entity's page lists
// every department's results with what each counts for.
import { describe, expect, it } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { apiForBlock, referenceDb, type TestApi } from './test-support.ts';

describe('item equivalences over HTTP', () => {
  let db: Db;
  let call: TestApi['call'];
  apiForBlock((api, opened) => ((call = api.call), (db = opened.db)), referenceDb);

  it('an admin declares and withdraws a pair; every role reads it; nobody else changes it', async () => {
    const pair = { itemA: 'TAX-004', itemB: 'SAMR-002', reason: '税务登记与市场主体登记事项核查内容一致' };
    expect((await call('operatorSAMR', 'POST', '/api/item-equivalences', pair)).statusCode).toBe(403);
    const declared = await call('admin', 'POST', '/api/item-equivalences', pair);
    expect(declared.statusCode).toBe(201);
    expect(declared.json()).toMatchObject({ itemA: 'SAMR-002', itemB: 'TAX-004', departmentA: 'SAMR', departmentB: 'TAX', declaredBy: 't-admin' });
    expect((await call('admin', 'POST', '/api/item-equivalences', pair)).json().error).toBe('equivalence.exists');
    const unknown = await call('admin', 'POST', '/api/item-equivalences', { ...pair, itemA: 'NOPE-001' });
    expect(unknown.json()).toMatchObject({ error: 'equivalence.unknown_item', params: { item: 'NOPE-001' } });
    expect((await call('admin', 'POST', '/api/item-equivalences', { ...pair, itemA: 'SAMR-001' })).json().error).toBe('equivalence.same_department');

    const listed = await call('operatorTAX', 'GET', '/api/item-equivalences');
    expect(listed.json().equivalences.map((e: { itemA: string; itemB: string }) => `${e.itemA}~${e.itemB}`)).toEqual(['SAMR-002~TAX-004']);

    expect((await call('admin', 'DELETE', '/api/item-equivalences/TAX-004/SAMR-002?reason=x')).statusCode).toBe(400);
    expect((await call('admin', 'DELETE', '/api/item-equivalences/TAX-004/SAMR-002?reason=%E4%BA%8B%E9%A1%B9%E5%B7%B2%E4%BF%AE%E8%AE%A2')).statusCode).toBe(204);
    expect((await call('admin', 'DELETE', '/api/item-equivalences/TAX-004/SAMR-002?reason=%E4%BA%8B%E9%A1%B9%E5%B7%B2%E4%BF%AE%E8%AE%A2')).statusCode).toBe(404);
    const audited = await db.query<{ action: string; subject: string }>(sql`SELECT action, subject FROM audit_log WHERE action LIKE 'equivalence.%' ORDER BY seq`);
    expect(audited).toEqual([
      { action: 'equivalence.declare', subject: 'SAMR-002~TAX-004' },
      { action: 'equivalence.withdraw', subject: 'SAMR-002~TAX-004' },
    ]);
  });

  it("an entity's results from every department, newest first, each with the items it counts for", async () => {
    const id = '91440300MA5EXAMPLE';
    await db.exec(sql`INSERT INTO objects (id, object_kind, name, entity_type, region_code, industry_code, status, responsible_departments)
      VALUES (${id}, 'entity', '深圳市示例商贸有限公司', 'enterprise', '440303', 'F', 'active', ['SAMR', 'TAX'])`);
    await db.exec(sql`INSERT INTO inspection_results (result_id, object_id, inspected_on, department_code, item_code, outcome_code, inspector_ids, task_ref) VALUES
      ('R1', ${id}, DATE '2026-03-02', 'TAX', 'TAX-004', 'NO_PROBLEM', [], 'T2026-0007'),
      ('R2', ${id}, DATE '2026-06-10', 'SAMR', 'SAMR-001', 'FIXED', [], 'D2026-0002')`);
    await call('admin', 'POST', '/api/item-equivalences', { itemA: 'TAX-004', itemB: 'SAMR-002', reason: '税务登记与市场主体登记事项核查内容一致' });
    const page = await call('operatorTAX', 'GET', `/api/entities/${id}/results`);
    expect(page.statusCode).toBe(200);
    expect(page.json().object).toMatchObject({ name: '深圳市示例商贸有限公司', departments: ['SAMR', 'TAX'], regionZh: '深圳市 罗湖区' });
    expect(page.json().results.map((r: { departmentCode: string; itemCode: string; recognisedFor: string[] }) => [r.departmentCode, r.itemCode, r.recognisedFor])).toEqual([
      ['SAMR', 'SAMR-001', []],
      ['TAX', 'TAX-004', ['SAMR-002']],
    ]);
    expect((await call('leader', 'GET', '/api/entities/NOT-AN-ENTITY/results')).json().error).toBe('object.not_found');
    expect((await call('anonymous', 'GET', `/api/entities/${id}/results`)).statusCode).toBe(401);
  });
});
