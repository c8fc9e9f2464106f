// Who is signed in, as the server sees it (GET /api/auth/session); the CSRF token for writes comes with it.
export type Role = 'admin' | 'analyst' | 'leader' | 'operator';

export interface SessionUser {
  username: string;
  role: Role;
  department: string | null;
  csrfToken: string;
  expiresAt: string;
}

export const session = $state<{ user: SessionUser | null; ready: boolean }>({ user: null, ready: false });

declare global {
  interface Window {
    /** The request app.html starts before the app's modules have loaded (taken once, by loadSession). */
    __fairdrawSession?: Promise<Response>;
  }
}

/** Asks the server once who is signed in (no account: user stays null). */
export async function loadSession(): Promise<SessionUser | null> {
  const early = window.__fairdrawSession;
  window.__fairdrawSession = undefined;
  const response = await (early ?? fetch('/api/auth/session', { headers: { accept: 'application/json' }, credentials: 'same-origin' }));
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  session.user = ((await response.json()) as { user: SessionUser | null }).user;
  session.ready = true;
  return session.user;
}

/** Signs in; the answer carries the account and its CSRF token. Throws with the server's message on refusal. */
export async function signIn(username: string, password: string): Promise<SessionUser> {
  const response = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ username, password }),
    credentials: 'same-origin',
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error((body as { message?: string }).message ?? `${response.status}`);
  session.user = body as SessionUser;
  session.ready = true;
  return session.user;
}

export async function signOut(): Promise<void> {
  const token = session.user?.csrfToken;
  await fetch('/api/auth/logout', { method: 'POST', headers: token ? { 'x-csrf-token': token } : {}, credentials: 'same-origin' });
  session.user = null;
}

export function hasRole(...roles: Role[]): boolean {
  return session.user !== null && roles.includes(session.user.role);
}
