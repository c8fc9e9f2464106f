// Who is signed in, as the server sees it (GET /api/auth/session); the CSRF token for writes comes with it.
import { getSession, login, logout, type Role, type SessionUser } from './api/auth';

export type { Role, SessionUser } from './api/auth';

export const session = $state<{ user: SessionUser | null; ready: boolean }>({ user: null, ready: false });

declare global {
  interface Window {
    /** The request app.html starts before the app's modules have loaded (taken once, by loadSession). */
    __fairdrawSession?: Promise<Response>;
  }
}

let loaded: Promise<SessionUser | null> | null = null;

/** Asks the server once who is signed in (no account: user stays null); the layout and every page's load share the answer. */
export function loadSession(): Promise<SessionUser | null> {
  loaded ??= (async () => {
    const early = window.__fairdrawSession;
    window.__fairdrawSession = undefined;
    session.user = await getSession(early);
    session.ready = true;
    return session.user;
  })();
  return loaded;
}

/** Signs in; the answer carries the account and its CSRF token. Throws with the server's message on refusal. */
export async function signIn(username: string, password: string): Promise<SessionUser> {
  session.user = await login(username, password);
  session.ready = true;
  return session.user;
}

export async function signOut(): Promise<void> {
  await logout(session.user?.csrfToken);
  session.user = null;
}

export function hasRole(...roles: Role[]): boolean {
  return session.user !== null && roles.includes(session.user.role);
}
