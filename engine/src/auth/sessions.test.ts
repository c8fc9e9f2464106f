import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { tempDb } from '../testing/db.ts';
import { createUser, setUserDisabled } from './users.ts';
import { createSession, csrfTokenFor, csrfTokenMatches, deleteSession, purgeExpiredSessions, resolveSession, sessionIdHash, sessionResolver, signIn, SESSION_IDLE_MS, SESSION_MAX_MS } from './sessions.ts';
import { sql } from '../db/sql.ts';

const HOUR_MS = 60 * 60 * 1000;

describe('sessions', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeAll(async () => {
    t = await tempDb({ reference: true });
    await t.db.transaction((tx) => createUser(tx, { username: 'ana', role: 'analyst', password: 'analyst password' }, 'tester'));
  });
  afterAll(() => t.cleanup());

  it('stores only the SHA-256 of a random 32-byte id', async () => {
    const session = await createSession(t.db, { username: 'ana', ip: '10.0.0.1' });
    expect(Buffer.from(session.sessionId, 'base64url')).toHaveLength(32);
    const rows = await t.db.query<{ id_sha256: string }>(sql`SELECT id_sha256 FROM sessions`);
    expect(rows.map((r) => r.id_sha256)).toContain(sessionIdHash(session.sessionId));
    expect(rows.map((r) => r.id_sha256)).not.toContain(session.sessionId);
    expect(await resolveSession(t.db, session.sessionId)).toMatchObject({ principal: { username: 'ana', role: 'analyst', department: null } });
    await deleteSession(t.db, session.sessionId);
    expect(await resolveSession(t.db, session.sessionId)).toBeNull();
    expect(await resolveSession(t.db, 'not a session id')).toBeNull();
  });

  it('expires after 12 idle hours and after 7 days however active', async () => {
    const start = new Date('2025-03-01T08:00:00+08:00');
    const { sessionId } = await createSession(t.db, { username: 'ana', now: start });
    const at = (ms: number) => new Date(start.getTime() + ms);
    expect(await resolveSession(t.db, sessionId, at(SESSION_IDLE_MS - HOUR_MS))).not.toBeNull();
    // that request moved the idle clock: 12 h later still fine, counted from it
    expect(await resolveSession(t.db, sessionId, at(2 * SESSION_IDLE_MS - 2 * HOUR_MS))).not.toBeNull();
    expect(await resolveSession(t.db, sessionId, at(3 * SESSION_IDLE_MS))).toBeNull();

    const busy = await createSession(t.db, { username: 'ana', now: start });
    for (let ms = 6 * HOUR_MS; ms < SESSION_MAX_MS; ms += 6 * HOUR_MS) expect(await resolveSession(t.db, busy.sessionId, at(ms))).not.toBeNull();
    expect(await resolveSession(t.db, busy.sessionId, at(SESSION_MAX_MS + 1))).toBeNull();
    await purgeExpiredSessions(t.db, at(SESSION_MAX_MS + 1));
    expect(await t.db.one(sql`SELECT 1 AS x FROM sessions WHERE id_sha256 = ${sessionIdHash(busy.sessionId)}`)).toBeUndefined();
  });

  it('ends when the account is disabled', async () => {
    const { sessionId } = await createSession(t.db, { username: 'ana' });
    await t.db.transaction((tx) => setUserDisabled(tx, 'ana', true, 'tester'));
    expect(await resolveSession(t.db, sessionId)).toBeNull();
    await t.db.transaction((tx) => setUserDisabled(tx, 'ana', false, 'tester'));
    expect(await resolveSession(t.db, sessionId)).toBeNull(); // disabling deleted it
  });

  it('keeps resolved sessions in memory until the next write: disabling, signing out and expiry still end them at once', async () => {
    const resolve = sessionResolver(t.db);
    const { sessionId } = await createSession(t.db, { username: 'ana' });
    const first = await resolve(sessionId);
    expect(first).toMatchObject({ principal: { username: 'ana' } });
    expect(await resolve(sessionId)).toBe(first); // kept: no query
    expect(await resolve(sessionId, new Date(first!.expiresAt.getTime() + 1))).toBeNull();
    await t.db.transaction((tx) => setUserDisabled(tx, 'ana', true, 'tester'));
    expect(await resolve(sessionId)).toBeNull();
    await t.db.transaction((tx) => setUserDisabled(tx, 'ana', false, 'tester'));
    const again = await createSession(t.db, { username: 'ana' });
    expect(await resolve(again.sessionId)).not.toBeNull();
    await deleteSession(t.db, again.sessionId);
    expect(await resolve(again.sessionId)).toBeNull();
  });

  it('derives a CSRF token per session and checks it in constant time', () => {
    const a = csrfTokenFor('A'.repeat(43));
    expect(csrfTokenMatches('A'.repeat(43), a)).toBe(true);
    expect(csrfTokenMatches('B'.repeat(43), a)).toBe(false);
    expect(csrfTokenMatches('A'.repeat(43), undefined)).toBe(false);
    expect(csrfTokenMatches('A'.repeat(43), a.slice(1))).toBe(false);
  });

  it('signIn audits success and failure (without the password), and survives concurrent logins', async () => {
    const results = await Promise.all([
      signIn(t.db, { username: 'ana', password: 'analyst password', ip: '10.0.0.2' }),
      signIn(t.db, { username: 'ana', password: 'wrong password!!', ip: '10.0.0.3' }),
      signIn(t.db, { username: 'nobody', password: 'whatever it is', ip: '10.0.0.4' }),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, false]);
    const audit = await t.db.query<{ actor: string; action: string; subject: string; payload: string }>(
      sql`SELECT actor, action, subject, payload::VARCHAR AS payload FROM audit_log WHERE action LIKE 'auth.%' ORDER BY subject, action`,
    );
    expect(audit.map((a) => [a.actor, a.action, a.subject, JSON.parse(a.payload)])).toEqual([
      ['ana', 'auth.login', 'ana', { ip: '10.0.0.2' }],
      ['anonymous', 'auth.login_failed', 'ana', { ip: '10.0.0.3', reason: 'wrong_password' }],
      ['anonymous', 'auth.login_failed', 'nobody', { ip: '10.0.0.4', reason: 'unknown_user' }],
    ]);
    expect(audit.map((a) => a.payload).join()).not.toMatch(/password!!|whatever/);
  });
});
