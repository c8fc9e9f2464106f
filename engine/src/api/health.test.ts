import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { tempDb } from '../testing/db.ts';
import { buildApp } from './app.ts';
import { listMigrations } from '../db/migrate.ts';

describe('GET /api/health', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    t = await tempDb();
    app = await buildApp({ db: t.db });
  });
  afterAll(async () => {
    await app.close();
    t.cleanup();
  });

  it('names the database, its schema version and row counts', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.status).toBe('ok');
    expect(body.database).toBe(t.path);
    expect(body.schemaVersion).toBe(Math.max(...listMigrations().map((m) => m.version)));
    expect(body.tables).toMatchObject({ objects: 0, audit_log: 0 });
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
