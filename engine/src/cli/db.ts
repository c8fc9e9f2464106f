// Opening the database from a command: `--db PATH`, FAIRDRAW_DB, or data/fairdraw.duckdb.
import type { Db } from '../db/duckdb.ts';
import { openDatabase } from '../open.ts';
import { resolveDbPath } from '../kernel/config.ts';

export const DB_OPTION = ['--db <path>', 'DuckDB database file (default: $FAIRDRAW_DB or data/fairdraw.duckdb)'] as const;

export async function withDb<T>(flag: string | undefined, work: (db: Db) => Promise<T>, options: { readOnly?: boolean } = {}): Promise<T> {
  const db = await openDatabase({ path: resolveDbPath(flag), readOnly: options.readOnly });
  try {
    return await work(db);
  } finally {
    db.close();
  }
}
