// Opening the database from a command: `--db PATH`, FAIRDRAW_DB, or data/fairdraw.duckdb.
import type { Db } from '../db/duckdb.ts';
import { openDatabase } from '../open.ts';
import { resolveDbPath } from '../kernel/config.ts';
import { recordDailyHead } from '../audit/heads.ts';

export const DB_OPTION = ['--db <path>', 'DuckDB database file (default: $FAIRDRAW_DB or data/fairdraw.duckdb)'] as const;

export async function withDb<T>(flag: string | undefined, work: (db: Db) => Promise<T>, options: { readOnly?: boolean } = {}): Promise<T> {
  const db = await openDatabase({ path: resolveDbPath(flag), readOnly: options.readOnly });
  try {
    const answer = await work(db);
    // A command that may have written publishes the day's audit head if none is published yet (audit/heads.ts).
    if (!options.readOnly) await recordDailyHead(db);
    return answer;
  } finally {
    db.close();
  }
}
