// Notebooks run on a replica, never on the engine's database: a file of the analytic tables only (every table but accounts,
// sessions, audit log or draw secrets), opened as a sandbox (read-only, no file or network access, no extensions,
// configuration locked) and rebuilt when the data version changes.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { currentDataVersion } from '../kernel/answer-cache.ts';
import type { Notebook } from './parse.ts';
import { runNotebook, type NotebookRun, type RunOptions } from './run.ts';

/** Tables a notebook never sees: accounts and password hashes, sessions, the audit chain. */
export const PRIVATE_TABLES = ['users', 'sessions', 'audit_log'];
/** Columns a notebook never sees: a draw's secret (and the seed made of it) before the window opens it to the public. */
export const PRIVATE_COLUMNS: Record<string, string[]> = { draws: ['secret', 'seed'] };

// The replica's tables and their columns, one row per column (the migrations' schema less the private parts).
const REPLICA_COLUMNS = sql`SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main'
  AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary) ORDER BY table_name, column_index`;
// The engine's own tables, one row each (what the replica copies, less the private ones).
const SOURCE_TABLES = sql`SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary`;
const ATTACHED = 'notebook_replica';

interface Replica {
  version: string;
  db: Db;
  path: string;
  runs: number;
  retired: boolean;
}

export class NotebookReplica {
  private current: Replica | null = null;
  private building: { version: string; replica: Promise<Replica> } | null = null;
  private readonly dir: string;

  /** `dir`: where replica files are kept (default: beside the database file, or a temporary folder for ':memory:'). */
  constructor(
    private readonly source: Db,
    dir?: string,
  ) {
    this.dir = dir ?? (source.path === ':memory:' ? mkdtempSync(join(tmpdir(), 'fairdraw-notebooks-')) : `${source.path}.notebooks`);
    mkdirSync(this.dir, { recursive: true });
    // files left by a process that stopped without closing are ours and out of date
    for (const file of readdirSync(this.dir)) if (file.startsWith('replica-')) rmSync(join(this.dir, file), { force: true });
  }

  /** Runs `notebook` on a replica of the current data. */
  async run(notebook: Notebook, options: RunOptions = {}): Promise<NotebookRun> {
    const replica = await this.fresh();
    replica.runs++;
    try {
      return await runNotebook(replica.db, notebook, options);
    } finally {
      replica.runs--;
      if (replica.retired) this.drop(replica);
    }
  }

  /** The replica's Db (built or refreshed first), for tests that check what it holds. */
  async database(): Promise<Db> {
    return (await this.fresh()).db;
  }

  close(): void {
    if (this.current) {
      this.current.retired = true;
      this.drop(this.current);
    }
    this.current = null;
  }

  private async fresh(): Promise<Replica> {
    const version = await currentDataVersion(this.source);
    if (this.current?.version === version) return this.current;
    if (this.building?.version !== version) {
      const building = { version, replica: this.build(version) };
      this.building = building;
      building.replica
        .then((replica) => {
          const old = this.current;
          this.current = replica;
          if (old) {
            old.retired = true;
            this.drop(old);
          }
        })
        .catch(() => undefined)
        .finally(() => {
          if (this.building === building) this.building = null;
        });
    }
    return this.building!.replica;
  }

  private drop(replica: Replica): void {
    if (replica.runs > 0) return;
    replica.db.close();
    rmSync(replica.path, { force: true });
    rmSync(`${replica.path}.wal`, { force: true });
  }

  private async build(version: string): Promise<Replica> {
    const path = join(this.dir, `replica-${Date.now()}-${randomBytes(4).toString('hex')}.duckdb`);
    // the schema: the migrations, then the private tables and columns dropped
    const schema = await Db.open({ path, threads: 1, memoryLimit: '512MB' });
    let columns: Map<string, string[]>;
    try {
      for (const table of PRIVATE_TABLES) await schema.exec(sql`DROP TABLE IF EXISTS ${sql.id(table)}`);
      for (const [table, names] of Object.entries(PRIVATE_COLUMNS))
        for (const name of names) await schema.exec(sql`ALTER TABLE ${sql.id(table)} DROP COLUMN ${sql.id(name)}`);
      columns = new Map();
      for (const row of await schema.query<{ table_name: string; column_name: string }>(REPLICA_COLUMNS)) {
        if (!columns.has(row.table_name)) columns.set(row.table_name, []);
        columns.get(row.table_name)!.push(row.column_name);
      }
      await schema.checkpoint();
    } finally {
      schema.close();
    }
    // the rows, copied by the engine's own instance (the only one that may open its file) in one transaction
    const conn = await this.source.connection();
    try {
      await conn.exec(sql`ATTACH ${sql.literal(path)} AS ${sql.id(ATTACHED)} (READ_WRITE)`);
      try {
        await conn.exec(sql`BEGIN TRANSACTION`);
        for (const { table_name: table } of await conn.query<{ table_name: string }>(SOURCE_TABLES)) {
          if (PRIVATE_TABLES.includes(table) || table === 'schema_migrations') continue;
          const target = sql`${sql.id(ATTACHED)}.main.${sql.id(table)}`;
          const names = columns.get(table);
          // a table outside the migrations (an analyst's own, a test fixture) is copied whole
          if (!names) await conn.exec(sql`CREATE TABLE ${target} AS SELECT * FROM ${sql.id(table)}`);
          else {
            const list = sql.join(names.map((n) => sql.id(n)));
            await conn.exec(sql`INSERT INTO ${target} (${list}) SELECT ${list} FROM ${sql.id(table)}`);
          }
        }
        await conn.exec(sql`COMMIT`);
      } catch (err) {
        await conn.exec(sql`ROLLBACK`).catch(() => undefined);
        throw err;
      } finally {
        await conn.exec(sql`DETACH ${sql.id(ATTACHED)}`).catch(() => undefined);
      }
    } catch (err) {
      rmSync(path, { force: true });
      throw err;
    } finally {
      conn.close();
    }
    const db = await Db.open({ path, sandbox: true, threads: 1, connections: 2 });
    return { version, db, path, runs: 0, retired: false };
  }
}
