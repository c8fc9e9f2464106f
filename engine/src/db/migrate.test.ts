import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Db } from './duckdb.ts';
import { sql } from './sql.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DUCKDB = fileURLToPath(import.meta.resolve('@duckdb/node-api'));
const DB_MODULE = fileURLToPath(new URL('./duckdb.ts', import.meta.url));
const MIGRATE_MODULE = fileURLToPath(new URL('./migrate.ts', import.meta.url));

/** Runs an ES module in a child Node process (TypeScript through tsx); the child may SIGKILL itself. */
function runChild(code: string): { signal: NodeJS.Signals | null; status: number | null; stderr: string } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { signal: child.signal, status: child.status, stderr: child.stderr };
}

function tempPath(): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'fairdraw-wal-'));
  return { path: join(dir, 'test.duckdb'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// A later migration that alters a table with a DEFAULT current_timestamp column, as 005_accounts.sql did.
const ALTER_MIGRATION = `{ version: 999, name: 'alter_users', sql: sql.verbatim('ALTER TABLE users ADD COLUMN crash_test_note VARCHAR') }`;

describe('crash-safe migrations', () => {
  // The upstream report: DuckDB 1.5.6 cannot replay a WAL holding ALTER TABLE ... ADD COLUMN on a table with a DEFAULT
  // current_timestamp column ("Failure while replaying WAL ... GetDefaultDatabase with no default database set"). When
  // this test fails, DuckDB has fixed it, and the marker recovery in Db.open can go.
  it('reproduces the DuckDB WAL replay failure with @duckdb/node-api alone (minimal, upstream-ready)', () => {
    const file = tempPath();
    try {
      const write = runChild(`
        import { DuckDBInstance } from ${JSON.stringify(DUCKDB)};
        const db = await DuckDBInstance.create(${JSON.stringify(file.path)});
        const c = await db.connect();
        await c.run('CREATE TABLE users (name VARCHAR, created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)');
        await c.run('CHECKPOINT');
        await c.run('ALTER TABLE users ADD COLUMN last_login_at TIMESTAMPTZ');
        process.kill(process.pid, 'SIGKILL'); // before any checkpoint`);
      expect(write.signal).toBe('SIGKILL');
      const reopen = runChild(`
        import { DuckDBInstance } from ${JSON.stringify(DUCKDB)};
        await DuckDBInstance.create(${JSON.stringify(file.path)});`);
      expect(reopen.status).not.toBe(0);
      expect(reopen.stderr).toMatch(/Failure while replaying WAL.*GetDefaultDatabase with no default database set/);
    } finally {
      file.cleanup();
    }
  });

  it('opens after a kill right after a migration that altered such a table (the migrator checkpoints)', async () => {
    const file = tempPath();
    try {
      const child = runChild(`
        import { Db } from ${JSON.stringify(DB_MODULE)};
        import { migrate } from ${JSON.stringify(MIGRATE_MODULE)};
        import { sql } from ${JSON.stringify(fileURLToPath(new URL('./sql.ts', import.meta.url)))};
        const db = await Db.open({ path: ${JSON.stringify(file.path)}, threads: 1, memoryLimit: '500MB' });
        await migrate(db, { migrations: [${ALTER_MIGRATION}] });
        process.kill(process.pid, 'SIGKILL');`);
      expect(child.signal).toBe('SIGKILL');
      const db = await Db.open({ path: file.path, threads: 1, memoryLimit: '500MB' });
      try {
        expect(await db.one(sql`SELECT count(*) AS n FROM schema_migrations WHERE version = 999`)).toEqual({ n: 1 });
        expect(await db.query(sql`SELECT crash_test_note FROM users`)).toEqual([]);
      } finally {
        db.close();
      }
    } finally {
      file.cleanup();
    }
  });

  it('opens after a kill between a migration commit and its checkpoint: the WAL is set aside and the migration runs again', async () => {
    const file = tempPath();
    try {
      const child = runChild(`
        import { Db } from ${JSON.stringify(DB_MODULE)};
        import { migrate, migrationMarker } from ${JSON.stringify(MIGRATE_MODULE)};
        import { sql } from ${JSON.stringify(fileURLToPath(new URL('./sql.ts', import.meta.url)))};
        const path = ${JSON.stringify(file.path)};
        const db = await Db.open({ path, threads: 1, memoryLimit: '500MB' });
        await migrate(db, { markerPath: migrationMarker(path), migrations: [${ALTER_MIGRATION}], onCommitted: () => process.kill(process.pid, 'SIGKILL') });`);
      expect(child.signal).toBe('SIGKILL');
      expect(existsSync(`${file.path}.migrating`)).toBe(true);
      // Db.open re-applies only the files in ./migrations; the test's own migration is applied again by hand.
      const db = await Db.open({ path: file.path, threads: 1, memoryLimit: '500MB' });
      try {
        expect(existsSync(`${file.path}.wal.unreplayable`)).toBe(true);
        expect(existsSync(`${file.path}.migrating`)).toBe(false);
        expect(await db.one(sql`SELECT count(*) AS n FROM schema_migrations WHERE version = 999`)).toEqual({ n: 0 });
        const { migrate } = await import('./migrate.ts');
        await migrate(db, { migrations: [{ version: 999, name: 'alter_users', sql: sql.verbatim('ALTER TABLE users ADD COLUMN crash_test_note VARCHAR') }] });
        expect(await db.query(sql`SELECT crash_test_note FROM users`)).toEqual([]);
      } finally {
        db.close();
      }
    } finally {
      file.cleanup();
    }
  });
});
