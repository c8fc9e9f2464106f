// The server's memory budget from FAIRDRAW_MEMORY_LIMIT (DuckDB's limit, e.g. 4GB): the JavaScript heap gets a share
// of it, so the process stays near limit + heap instead of letting V8 grow lazily into gigabytes under load.

const UNITS: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40 };

/** Bytes in a size as DuckDB writes it ('4GB', '512MiB', '1.5 GB'); NaN when unreadable. */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?I?B)?\s*$/i.exec(text);
  if (!match) return NaN;
  return Number(match[1]) * UNITS[(match[2] ?? 'B').toUpperCase()];
}

export const DEFAULT_MEMORY_LIMIT = '4GB';
const HEAP_SHARE = 0.25;
/** Below this the search index of a large province (630 MB at 1.75 M published results) would not fit. */
const MIN_HEAP_MB = 768;
const MAX_HEAP_MB = 4096;

/** --max-old-space-size for the server: a quarter of FAIRDRAW_MEMORY_LIMIT, from 768 MB to 4 GB (FAIRDRAW_HEAP_MB overrides). */
export function heapLimitMb(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env.FAIRDRAW_HEAP_MB);
  if (Number.isInteger(given) && given > 0) return given;
  const bytes = parseSize(env.FAIRDRAW_MEMORY_LIMIT ?? DEFAULT_MEMORY_LIMIT);
  const share = Number.isFinite(bytes) ? Math.round((bytes * HEAP_SHARE) / 2 ** 20) : MIN_HEAP_MB;
  return Math.min(MAX_HEAP_MB, Math.max(MIN_HEAP_MB, share));
}
