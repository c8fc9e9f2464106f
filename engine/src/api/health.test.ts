import { describe, it, expect } from 'vitest';
import type { TempDb } from '../testing/db.ts';
import { buildApp } from './app.ts';
import { apiForBlock, referenceDb, type App } from './test-support.ts';
import { listMigrations } from '../db/migrate.ts';
import { headersFor } from '../auth/test-support.ts';
import { sql } from '../db/sql.ts';

describe('GET /api/health', () => {
  let t: TempDb;
  let app: App;
  apiForBlock((api, opened) => {
    app = api.app;
    t = opened;
  }, referenceDb);

  it('tells anyone only that the server is alive, without a query', async () => {
    let statements = 0;
    const probe = (original: typeof t.db.query) =>
      async function (this: typeof t.db, ...args: Parameters<typeof t.db.query>) {
        statements++;
        return original.apply(this, args);
      };
    const originalQuery = t.db.query;
    t.db.query = probe(originalQuery) as typeof t.db.query;
    try {
      const response = await app.inject({ method: 'GET', url: '/api/health' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
      expect(response.body).not.toContain(t.path);
      expect(statements).toBe(0);
    } finally {
      t.db.query = originalQuery;
    }
  });

  it('gives admins the version, schema version and row counts, counted again only after a write', async () => {
    const headers = await headersFor(t.db, 'admin');
    const anonymous = await app.inject({ method: 'GET', url: '/api/health/details' });
    expect(anonymous.statusCode).toBe(401);
    const leader = await app.inject({ method: 'GET', url: '/api/health/details', headers: await headersFor(t.db, 'leader') });
    expect(leader.statusCode).toBe(403);
    const first = (await app.inject({ method: 'GET', url: '/api/health/details', headers })).json();
    expect(first.database).toBe('test.duckdb');
    expect(first.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(first.schemaVersion).toBe(Math.max(...listMigrations().map((m) => m.version)));
    expect(first.tables).toMatchObject({ objects: 0, regions: 144 });
    const again = (await app.inject({ method: 'GET', url: '/api/health/details', headers })).json();
    expect(again.countedAt).toBe(first.countedAt);
    await t.db.exec(sql`INSERT INTO holidays VALUES (DATE '2030-01-01', 'holiday', '元旦')`);
    const after = (await app.inject({ method: 'GET', url: '/api/health/details', headers })).json();
    expect(after.tables.holidays).toBe(first.tables.holidays + 1);
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe('not found');
  });

  it('never leaks the message of a 500', async () => {
    const crashing = await buildApp({ db: t.db });
    crashing.get('/api/test-crash', { config: { access: 'public' } }, async () => {
      throw new Error('secret connection string postgres://x:y@z');
    });
    const response = await crashing.inject({ method: 'GET', url: '/api/test-crash' });
    await crashing.close();
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret');
    expect(response.json().message).toContain('Internal server error');
  });
});
