// Versioned schema migrations: NNN_name.sql files in ./migrations, applied in order at start-up, each once.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql, type Sql } from './sql.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  /** The file's statements, run as one script. */
  sql: Sql;
}

/**
 * What migrating needs of a database. Db has it; it is declared here because Db.open migrates, so this file cannot
 * import duckdb.ts without the two importing each other.
 */
interface Statements {
  exec(statement: Sql): Promise<void>;
}
export interface MigrationTarget extends Statements {
  query<T>(statement: Sql): Promise<T[]>;
  one<T>(statement: Sql): Promise<T | undefined>;
  transaction<T>(work: (tx: Statements) => Promise<T>): Promise<T>;
}

export function listMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql: sql.verbatim(readFileSync(MIGRATIONS_DIR + file, 'utf8')),
    }));
}

export async function migrate(db: MigrationTarget): Promise<number> {
  // the versions applied so far, one row per migration
  await db.exec(sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)`);
  const applied = new Set((await db.query<{ version: number }>(sql`SELECT version FROM schema_migrations`)).map((r) => r.version));
  for (const m of listMigrations()) {
    if (applied.has(m.version)) continue;
    await db.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.exec(sql`INSERT INTO schema_migrations (version, name) VALUES (${m.version}, ${m.name})`);
    });
  }
  return schemaVersion(db);
}

/** The highest migration applied (0 on a new file). */
export async function schemaVersion(db: Pick<MigrationTarget, 'one'>): Promise<number> {
  const row = await db.one<{ v: number | null }>(sql`SELECT max(version) AS v FROM schema_migrations`);
  return row?.v ?? 0;
}
