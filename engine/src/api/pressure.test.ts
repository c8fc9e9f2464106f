// Load shedding: past its heap or event-loop limit the server answers 503 with Retry-After instead of growing on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb } from '../testing/db.ts';
import { buildApp } from './app.ts';

describe('under pressure', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeAll(async () => {
    t = await tempDb();
  });
  afterAll(() => t.cleanup());

  it('answers 503 with Retry-After once the heap passes its limit, and serves normally below it', async () => {
    const tight = await buildApp({ db: t.db, pressure: { maxHeapUsedBytes: 1, sampleIntervalMs: 100 } });
    const normal = await buildApp({ db: t.db, pressure: { sampleIntervalMs: 100 } });
    try {
      await Promise.all([tight.ready(), normal.ready()]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const refused = await tight.inject({ method: 'GET', url: '/api/health' });
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('10');
      expect(refused.json()).toMatchObject({ error: 'server.busy' });
      const served = await normal.inject({ method: 'GET', url: '/api/health' });
      expect(served.statusCode, served.body).toBe(200);
    } finally {
      await tight.close();
      await normal.close();
    }
  });
});
