// Recognition over HTTP: an admin declares two departments' items equivalent and withdraws the pair, each audited;
// others read the list and may not change it; bad pairs are refused naming the item.
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
});
