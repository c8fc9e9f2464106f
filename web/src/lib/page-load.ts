// What a signed-in page's load starts with: the account, once the server has said who is signed in; a visitor
// without one goes to the sign-in form and comes back afterwards.
import { redirect } from '@sveltejs/kit';
import { loadSession, session, type SessionUser } from './session.svelte';

export async function signedIn(event: { url: URL; untrack<T>(fn: () => T): T }): Promise<SessionUser> {
  await loadSession();
  // The live account, not the first answer: signing in or out since then changed it.
  const user = session.user;
  if (!user) redirect(307, `/login?next=${encodeURIComponent(event.untrack(() => event.url.pathname + event.url.search))}`);
  return user;
}
