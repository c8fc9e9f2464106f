// Where things are and how big DuckDB may get: from flags, then the environment, then defaults.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DATA_DIR = resolve(REPO_ROOT, 'data');

/** `--db PATH`, else FAIRDRAW_DB, else data/fairdraw.duckdb in the repository. */
export function resolveDbPath(flag?: string): string {
  return resolve(flag ?? process.env.FAIRDRAW_DB ?? resolve(DATA_DIR, 'fairdraw.duckdb'));
}

export const serverConfig = () => ({
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 3000),
});
