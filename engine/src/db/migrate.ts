// Versioned schema migrations: NNN_name.sql files in ./migrations, applied in order at start-up, each once.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

export interface MigrateOptions {
  /**
   * A file that exists while a migration is between its commit and its checkpoint (see Db.open: a WAL that fails to
   * replay while it exists holds only that migration, which then runs again). None for an in-memory database.
   */
  markerPath?: string;
  /** The migrations to apply (default: the files in ./migrations). */
  migrations?: Migration[];
  /** Called after a migration commits, before its checkpoint (the crash tests stop the process there). */
  onCommitted?: (m: Migration) => void;
}

// DuckDB 1.5.6 cannot replay a WAL holding ALTER TABLE ... ADD COLUMN on a table with a DEFAULT current_timestamp
// column ("GetDefaultDatabase with no default database set"; the minimal reproduction is in migrate.test.ts), so a
// migration is written into the database file (CHECKPOINT) before the next step, and the WAL is empty before it starts.
const CHECKPOINT = sql`CHECKPOINT`;

export async function migrate(db: MigrationTarget, options: MigrateOptions = {}): Promise<number> {
  // the versions applied so far, one row per migration
  await db.exec(sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)`);
  const applied = new Set((await db.query<{ version: number }>(sql`SELECT version FROM schema_migrations`)).map((r) => r.version));
  if (options.markerPath) rmSync(options.markerPath, { force: true }); // the file opened, so any marker is stale
  const pending = (options.migrations ?? listMigrations()).filter((m) => !applied.has(m.version));
  if (pending.length) await db.exec(CHECKPOINT);
  for (const m of pending) {
    if (options.markerPath) writeFileSync(options.markerPath, `${m.version}\n`);
    await db.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.exec(sql`INSERT INTO schema_migrations (version, name) VALUES (${m.version}, ${m.name})`);
    });
    options.onCommitted?.(m);
    await db.exec(CHECKPOINT);
    if (options.markerPath) rmSync(options.markerPath, { force: true });
  }
  return schemaVersion(db);
}

/** The marker file beside a database while one of its migrations is not yet checkpointed. */
export const migrationMarker = (dbPath: string) => `${dbPath}.migrating`;

/** The highest migration applied (0 on a new file). */
export async function schemaVersion(db: Pick<MigrationTarget, 'one'>): Promise<number> {
  const row = await db.one<{ v: number | null }>(sql`SELECT max(version) AS v FROM schema_migrations`);
  return row?.v ?? 0;
}
