// Signing in and out, and who is signed in (/api/auth): plain requests, because a refused sign-in must not send anyone
// to the sign-in page the way another request's 401 does.

import { t } from '../i18n.svelte';
import { errorText, type ErrorAnswer } from './error-text';

export type Role = 'admin' | 'analyst' | 'leader' | 'operator' | 'auditor';

/** The signed-in account as GET /api/auth/session and the sign-in answer give it. */
export interface SessionUser {
  username: string;
  role: Role;
  department: string | null;
  csrfToken: string;
  expiresAt: string;
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/** The signed-in account (null: none), from GET /api/auth/session or the same request app.html already started. */
export async function getSession(early?: Promise<Response>): Promise<SessionUser | null> {
  const response = await (early ?? fetch('/api/auth/session', { headers: { accept: 'application/json' }, credentials: 'same-origin' }));
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  return ((await response.json()) as { user: SessionUser | null }).user;
}

/** Signs in; the answer carries the account and its CSRF token. Throws with the refusal in the language shown. */
export async function login(username: string, password: string): Promise<SessionUser> {
  const response = await fetch('/api/auth/login', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ username, password }), credentials: 'same-origin' });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(response.status === 401 ? t('login.wrongPassword') : errorText(body as ErrorAnswer, response.status));
  return body as SessionUser;
}

export async function logout(csrfToken: string | undefined): Promise<void> {
  await fetch('/api/auth/logout', { method: 'POST', headers: csrfToken ? { 'x-csrf-token': csrfToken } : {}, credentials: 'same-origin' });
}
