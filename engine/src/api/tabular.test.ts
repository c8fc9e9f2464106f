import { describe, it, expect, afterAll } from 'vitest';
import Fastify from 'fastify';
import { tableFromIPC } from 'apache-arrow';
import { tempDb } from '../testing/db.ts';
import { sql } from '../db/sql.ts';
import { Type } from '../kernel/schema.ts';
import { ARROW_STREAM, replyTable, tableResponse } from './tabular.ts';

describe('replyTable', async () => {
  const t = await tempDb();
  const app = Fastify();
  const page = Type.Object({ total: Type.Number(), rows: Type.Array(Type.Object({ city: Type.String(), n: Type.Number() })) });
  app.get('/t', { schema: { response: { 200: tableResponse(page) } } }, (request, reply) =>
    replyTable(request, reply, t.db, { statement: sql`SELECT * FROM (VALUES ('广州市', 3), ('深圳市', 5)) v(city, n) ORDER BY n`, extra: { total: 8 } }),
  );
  afterAll(async () => {
    await app.close();
    t.cleanup();
  });

  it('answers JSON rows by default', async () => {
    const response = await app.inject({ url: '/t' });
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(response.json()).toEqual({ total: 8, rows: [{ city: '广州市', n: 3 }, { city: '深圳市', n: 5 }] });
  });

  it('answers the same columns as an Arrow IPC stream when asked', async () => {
    const response = await app.inject({ url: '/t', headers: { accept: ARROW_STREAM } });
    expect(response.headers['content-type']).toBe(ARROW_STREAM);
    const table = tableFromIPC(response.rawPayload);
    expect(table.numRows).toBe(2);
    expect(table.getChild('city')?.toArray()).toEqual(['广州市', '深圳市']);
    expect(Array.from(table.getChild('n')!.toArray() as ArrayLike<number>)).toEqual([3, 5]);
  });
});
