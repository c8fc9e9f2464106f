// Login sessions: a random id in the browser's cookie, its SHA-256 in the sessions table, idle and absolute
// expiry, and the CSRF token derived from the id (so it needs no storage and dies with the session).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { appendAudit } from '../audit/chain.ts';
import { verifyLogin, normalizeUsername, type LoginFailure } from './users.ts';
import type { Principal, Role } from './roles.ts';

export const SESSION_COOKIE = 'fairdraw_session';
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
/** last_seen_at is rewritten at most this often, so reads do not each cost a write. */
const TOUCH_AFTER_MS = 5 * 60 * 1000;
const SESSION_ID_RE = /^[A-Za-z0-9_-]{43}$/;

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

export function sessionIdHash(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

/** The synchronizer token for a session: HMAC of a fixed label under the (secret) session id. */
export function csrfTokenFor(sessionId: string): string {
  return createHmac('sha256', sessionId).update('fairdraw-csrf-v1').digest('base64url');
}

export function csrfTokenMatches(sessionId: string, token: unknown): boolean {
  if (typeof token !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(sessionId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface SessionInfo {
  principal: Principal;
  idSha256: string;
  expiresAt: Date;
  lastSeenAt: Date;
}

export interface NewSession {
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(q: Queryable, input: { username: string; ip?: string | null; userAgent?: string | null; now?: Date }): Promise<NewSession> {
  const now = input.now ?? new Date();
  const sessionId = newSessionId();
  const expiresAt = new Date(now.getTime() + SESSION_MAX_MS);
  const created = now.toISOString();
  await q.exec(sql`INSERT INTO sessions (id_sha256, username, created_at, last_seen_at, expires_at, ip, user_agent)
    VALUES (${sessionIdHash(sessionId)}, ${input.username}, ${created}::TIMESTAMPTZ, ${created}::TIMESTAMPTZ, ${expiresAt.toISOString()}::TIMESTAMPTZ,
            ${input.ip ?? null}, ${input.userAgent?.slice(0, 300) ?? null})`);
  return { sessionId, csrfToken: csrfTokenFor(sessionId), expiresAt };
}

// The live session for an id hash with its account: not expired (idle or absolute) and the account not disabled.
const liveSession = (idSha256: string, now: Date) => sql`
  SELECT s.id_sha256, s.last_seen_at, s.expires_at, u.username, u.role, u.department_code AS department
  FROM sessions s JOIN users u ON u.username = s.username
  WHERE s.id_sha256 = ${idSha256} AND NOT u.disabled AND s.expires_at > ${now.toISOString()}::TIMESTAMPTZ
    AND s.last_seen_at > ${new Date(now.getTime() - SESSION_IDLE_MS).toISOString()}::TIMESTAMPTZ`;

/** The account behind a cookie's session id, or null (unknown, expired, or account disabled). */
export async function resolveSession(q: Queryable, sessionId: string, now: Date = new Date()): Promise<SessionInfo | null> {
  if (!SESSION_ID_RE.test(sessionId)) return null;
  const idSha256 = sessionIdHash(sessionId);
  const row = await q.one<{ id_sha256: string; last_seen_at: Date; expires_at: Date; username: string; role: Role; department: string | null }>(
    liveSession(idSha256, now),
  );
  if (!row) return null;
  let lastSeenAt = row.last_seen_at;
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_AFTER_MS) {
    // Best effort: losing a write race only delays the idle clock until the next request.
    await q.exec(sql`UPDATE sessions SET last_seen_at = ${now.toISOString()}::TIMESTAMPTZ WHERE id_sha256 = ${idSha256}`).catch(() => undefined);
    lastSeenAt = now;
  }
  return { principal: { username: row.username, role: row.role, department: row.department }, idSha256, expiresAt: row.expires_at, lastSeenAt };
}

/** Live sessions a server keeps in memory at most (beyond it the memory starts empty again). */
const CACHED_SESSIONS_MAX = 10_000;

/**
 * resolveSession with live sessions kept in memory until the next write through `db`: sign-ins, sign-outs, account
 * changes and the idle-clock touch are all writes, so a kept answer is the table's answer. A dashboard page's several
 * requests then cost no session query each (about 5 ms apiece).
 */
export function sessionResolver(db: Db): (sessionId: string, now?: Date) => Promise<SessionInfo | null> {
  let keptAtWrites = -1;
  const live = new Map<string, SessionInfo>();
  return async (sessionId, now = new Date()) => {
    if (db.writes !== keptAtWrites || live.size >= CACHED_SESSIONS_MAX) {
      live.clear();
      keptAtWrites = db.writes;
    }
    const kept = live.get(sessionId);
    if (kept && kept.expiresAt > now && now.getTime() - kept.lastSeenAt.getTime() <= TOUCH_AFTER_MS) return kept;
    const writesBefore = db.writes;
    const info = await resolveSession(db, sessionId, now);
    if (info && db.writes === writesBefore && writesBefore === keptAtWrites) live.set(sessionId, info);
    return info;
  };
}

export async function deleteSession(q: Queryable, sessionId: string): Promise<void> {
  await q.exec(sql`DELETE FROM sessions WHERE id_sha256 = ${sessionIdHash(sessionId)}`);
}

export async function purgeExpiredSessions(q: Queryable, now: Date = new Date()): Promise<void> {
  const idleSince = new Date(now.getTime() - SESSION_IDLE_MS).toISOString();
  await q.exec(sql`DELETE FROM sessions WHERE expires_at <= ${now.toISOString()}::TIMESTAMPTZ OR last_seen_at <= ${idleSince}::TIMESTAMPTZ`);
}

export type SignInResult = ({ ok: true; principal: Principal } & NewSession) | { ok: false; reason: LoginFailure };

/** Checks the password, opens a session and records the attempt (never the password) in the audit log. */
export async function signIn(db: Db, input: { username: string; password: string; ip?: string | null; userAgent?: string | null; now?: Date }): Promise<SignInResult> {
  const check = await verifyLogin(db, input.username, input.password);
  const subject = normalizeUsername(input.username).slice(0, 64);
  if (!check.ok) {
    await db.transaction((tx) =>
      appendAudit(tx, { actor: 'anonymous', action: 'auth.login_failed', subject, payload: { ip: input.ip ?? null, reason: check.reason } }),
    );
    return check;
  }
  const { principal } = check;
  const session = await db.transaction(async (tx) => {
    const now = input.now ?? new Date();
    await purgeExpiredSessions(tx, now);
    const created = await createSession(tx, { username: principal.username, ip: input.ip, userAgent: input.userAgent, now });
    await tx.exec(sql`UPDATE users SET last_login_at = ${now.toISOString()}::TIMESTAMPTZ WHERE username = ${principal.username}`);
    await appendAudit(tx, { actor: principal.username, action: 'auth.login', subject: principal.username, payload: { ip: input.ip ?? null } });
    return created;
  });
  return { ok: true, principal, ...session };
}

/** Ends a session (logout) and records it. */
export async function signOut(db: Db, sessionId: string, principal: Principal | null): Promise<void> {
  await db.transaction(async (tx) => {
    await deleteSession(tx, sessionId);
    if (principal) await appendAudit(tx, { actor: principal.username, action: 'auth.logout', subject: principal.username, payload: {} });
  });
}
