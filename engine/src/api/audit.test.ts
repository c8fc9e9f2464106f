// The audit chain over HTTP: status with the first broken entry named; the latest entries; operators' limits.
import { sql, type Sql } from '../db/sql.ts';
import { describe, expect, it } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { headersFor, type Caller } from '../auth/test-support.ts';
import { apiForBlock, referenceDb, type App, type TestApi } from './test-support.ts';
import { canonicalJson, entryHash } from '../audit/chain.ts';

describe('audit over HTTP', () => {
  let db: Db;
  let app: App;
  let call: TestApi['call'];
  // the test accounts make six user.create entries
  apiForBlock((api, t) => {
    ({ app, call } = api);
    db = t.db;
  }, referenceDb);
  const get = (caller: Caller, url: string) => call(caller, 'GET', url);

  it('lists the latest entries newest first (not for operators), and names a subject\'s entries', async () => {
    const latest = (await get('analyst', '/api/audit?limit=3')).json();
    expect(latest).toMatchObject({ subject: null, subjectKind: null, limit: 3 });
    expect(latest.entries).toHaveLength(3);
    expect(latest.entries[0].seq).toBeGreaterThan(latest.entries[1].seq);
    expect(latest.total).toBeGreaterThanOrEqual(5);
    const own = (await get('admin', '/api/audit?subject=t-op-samr')).json();
    expect(own).toMatchObject({ subjectKind: 'other', taskId: null });
    expect(own.entries.map((e: { action: string }) => e.action)).toContain('user.create');
    expect(own.entries[0].payload).toMatchObject({ role: 'operator', department: 'SAMR' });
    expect((await get('operatorSAMR', '/api/audit')).statusCode).toBe(400);
    expect((await get('operatorSAMR', '/api/audit?subject=t-op-samr')).statusCode).toBe(404);
  });

  it('walks the whole chain while other requests run (more entries than one DuckDB chunk)', async () => {
    // 2,500 chained entries written in one statement (appendAudit one by one takes ~10 ms each).
    const last = (await db.one<{ seq: number; hash: string }>(sql`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`))!;
    const values: Sql[] = [];
    let prev = last.hash;
    const at = new Date().toISOString();
    for (let i = 1; i <= 2500; i++) {
      const entry = { seq: last.seq + i, recorded_at: at, actor: 'test', action: 'test.entry', subject: `s${i}`, payload: { i }, prev_hash: prev };
      prev = entryHash(entry);
      values.push(sql`(${entry.seq}, ${at}::TIMESTAMPTZ, 'test', 'test.entry', ${`s${i}`}, ${canonicalJson(entry.payload)}::JSON, ${entry.prev_hash}, ${prev})`);
    }
    await db.exec(sql`INSERT INTO audit_log (seq, recorded_at, actor, action, subject, payload, prev_hash, hash) VALUES ${sql.join(values)}`);
    const total = (await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`))!.n;
    const headers = await headersFor(db, 'admin');
    // Other requests keep querying the shared connection for as long as the check runs.
    let checking = true;
    const verdict = app.inject({ method: 'GET', url: '/api/audit/verify', headers }).finally(() => (checking = false));
    let others = 0;
    while (checking) {
      await app.inject({ method: 'GET', url: '/api/audit?limit=1', headers });
      others++;
    }
    expect(others).toBeGreaterThan(0);
    expect((await verdict).json()).toMatchObject({ ok: true, entries: total });
  });

  it('reports an intact chain, then the first edited entry', async () => {
    const intact = (await get('leader', '/api/audit/verify')).json();
    expect(intact).toMatchObject({ ok: true, evidence: { hashing: 'cached' } });
    const entries = intact.entries as number;
    await db.exec(sql`UPDATE audit_log SET actor = 'someone else' WHERE seq = 2`);
    const broken = await get('analyst', '/api/audit/verify');
    expect(broken.statusCode).toBe(200);
    expect(broken.json()).toMatchObject({ ok: false, seq: 2, problem: expect.stringMatching(/edited/), entry: { seq: 2, actor: 'someone else', action: 'user.create' } });
    expect(broken.json().entries).toBeLessThanOrEqual(entries);
    expect((await get('operatorSAMR', '/api/audit/verify')).statusCode).toBe(403);
  });
});
