// The pages' one way to the server: JSON over /api, errors turned into messages a person can read.
export async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { accept: 'application/json', ...(init?.headers ?? {}) } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error((body as { message?: string }).message ?? `${response.status} ${response.statusText}`);
  return body as T;
}
