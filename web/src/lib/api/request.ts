// The pages' one way to the server: JSON (or Arrow) over /api, the CSRF header on writes, errors turned into
// messages a person can read, and a signed-out user sent to the sign-in page.
import { tableFromIPC, type Table } from 'apache-arrow';
import { session } from '../session.svelte';
import { ApiError } from './error';
import { errorText, type ErrorAnswer } from './error-text';

export { ApiError };
export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

/** On 401 the session is gone: forget it and go to /login, coming back here afterwards. */
function onUnauthenticated(): void {
  session.user = null;
  const here = location.pathname + location.search;
  if (!here.startsWith('/login') && !here.startsWith('/portal')) location.assign(`/login?next=${encodeURIComponent(here)}`);
}

async function request(path: string, init: RequestInit, accept: string): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('accept', accept);
  const method = (init.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD' && session.user) headers.set('x-csrf-token', session.user.csrfToken);
  const response = await fetch(path, { ...init, headers, credentials: 'same-origin' });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as ErrorAnswer;
    if (response.status === 401 && !path.startsWith('/api/auth/')) onUnauthenticated();
    throw new ApiError(response.status, errorText(body, response.status), body.error);
  }
  return response;
}

async function json<T>(response: Response): Promise<T> {
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export async function getJson<T>(path: string): Promise<T> {
  return json<T>(await request(path, {}, 'application/json'));
}

export async function sendJson<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = JSON.stringify(body);
  if (body !== undefined) init.headers = { 'content-type': 'application/json' };
  return json<T>(await request(path, init, 'application/json'));
}

/** A tabular endpoint's answer as an Arrow table (large results travel as columns, not JSON objects). */
export async function getArrow(path: string): Promise<Table> {
  const response = await request(path, {}, ARROW_STREAM);
  return tableFromIPC(new Uint8Array(await response.arrayBuffer()));
}

/** Multipart upload (imports, a draw's zip to verify). */
export async function uploadFile<T>(path: string, form: FormData): Promise<T> {
  return json<T>(await request(path, { method: 'POST', body: form }, 'application/json'));
}

export type QueryValue = string | number | boolean | null | undefined;

/** Query string from the defined values of `params` ('' when none). */
export function query<P extends { [K in keyof P]: QueryValue }>(params: P): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params as Record<string, QueryValue>)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
