// The one DuckDB wrapper: open, migrate, query, stream, Arrow IPC, close. Everything else goes through it.
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue, type DuckDBAppender } from '@duckdb/node-api';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { toJs, type Value } from './values.ts';
import { migrate } from './migrate.ts';
import { encodeArrow } from './arrow.ts';

export type Params = DuckDBValue[] | Record<string, DuckDBValue>;
export type Row = Record<string, Value>;

export interface DbOptions {
  path: string;
  readOnly?: boolean;
  /** DuckDB's own default is most of the machine; we set it from configuration. */
  memoryLimit?: string;
  threads?: number;
  /** Skip migrations (read-only opens, tools that inspect an old file). */
  skipMigrate?: boolean;
}

export class DatabaseLockedError extends Error {
  constructor(path: string, detail: string) {
    super(
      `database ${path} is open for writing in another process (${detail}). ` +
        `Only one process may write to a DuckDB file: stop the running server (npm start) or send this change through its API.`,
    );
  }
}

/** Runs queries on one connection; `Db` and transactions share it. */
export class Queryable {
  constructor(protected readonly conn: DuckDBConnection) {}

  async exec(sql: string, params?: Params): Promise<void> {
    await this.conn.run(sql, params);
  }

  async query<T = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.conn.runAndReadAll(sql, params);
    const names = reader.columnNames();
    const types = reader.columnTypes();
    return reader.getRows().map((row) => {
      const out: Row = {};
      for (let i = 0; i < names.length; i++) out[names[i]] = toJs(row[i], types[i]);
      return out as T;
    });
  }

  async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.query<T>(sql, params))[0];
  }

  /** Streams a large result in DuckDB's chunks (2048 rows) without materialising it. */
  async *stream<T = Row>(sql: string, params?: Params): AsyncGenerator<T[]> {
    const result = await this.conn.stream(sql, params);
    const names = result.columnNames();
    const types = result.columnTypes();
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) return;
      yield chunk.getRows().map((row) => {
        const out: Row = {};
        for (let i = 0; i < names.length; i++) out[names[i]] = toJs(row[i], types[i]);
        return out as T;
      });
    }
  }

  /** Arrow IPC stream bytes for a query (see arrow.ts for the column types it supports). */
  async arrow(sql: string, params?: Params): Promise<Uint8Array> {
    return encodeArrow(await this.conn.stream(sql, params));
  }

  async appender(table: string): Promise<DuckDBAppender> {
    return this.conn.createAppender(table);
  }
}

/** Every connection speaks Asia/Shanghai time (icu is built in, but loads only once connected). */
async function connect(instance: DuckDBInstance): Promise<DuckDBConnection> {
  const conn = await instance.connect();
  await conn.run("SET TimeZone = 'Asia/Shanghai'");
  return conn;
}

export class Db extends Queryable {
  private constructor(
    private readonly instance: DuckDBInstance,
    conn: DuckDBConnection,
    readonly path: string,
    readonly readOnly: boolean,
  ) {
    super(conn);
  }

  static async open(options: DbOptions): Promise<Db> {
    const { path, readOnly = false } = options;
    if (path !== ':memory:' && !readOnly) mkdirSync(dirname(path), { recursive: true });
    if (readOnly && !existsSync(path)) throw new Error(`database ${path} does not exist`);
    const config: Record<string, string> = {
      memory_limit: options.memoryLimit ?? process.env.FAIRDRAW_MEMORY_LIMIT ?? '4GB',
      threads: String(options.threads ?? process.env.FAIRDRAW_THREADS ?? 2),
    };
    if (readOnly) config.access_mode = 'READ_ONLY';
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (err) {
      const message = String((err as Error).message);
      const lock = /Conflicting lock is held in (.*)/.exec(message);
      if (lock || /Could not set lock/.test(message)) throw new DatabaseLockedError(path, lock?.[1] ?? 'lock held');
      throw err;
    }
    const db = new Db(instance, await connect(instance), path, readOnly);
    if (!readOnly && !options.skipMigrate) await migrate(db);
    return db;
  }

  /** Write transactions run one at a time: concurrent appends to the audit chain would otherwise conflict. */
  private writeQueue: Promise<unknown> = Promise.resolve();

  /**
   * Runs `work` in one transaction on its own connection, so concurrent requests on the
   * shared connection never see or join it. Any error rolls everything back.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const run = this.writeQueue.then(() => this.runTransaction(work));
    this.writeQueue = run.catch(() => undefined);
    return run;
  }

  private async runTransaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const conn = await connect(this.instance);
    const tx = new Queryable(conn);
    try {
      await tx.exec('BEGIN TRANSACTION');
      const result = await work(tx);
      await tx.exec('COMMIT');
      return result;
    } catch (err) {
      await tx.exec('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      conn.closeSync();
    }
  }

  /**
   * Streams on a connection of its own: a pending streamed result on the shared connection would be cut short,
   * silently, by the next request's query on it.
   */
  override async *stream<T = Row>(sql: string, params?: Params): AsyncGenerator<T[]> {
    const conn = await connect(this.instance);
    try {
      yield* new Queryable(conn).stream<T>(sql, params);
    } finally {
      conn.closeSync();
    }
  }

  /** Arrow IPC bytes, read on a connection of its own for the same reason as `stream`. */
  override async arrow(sql: string, params?: Params): Promise<Uint8Array> {
    const conn = await connect(this.instance);
    try {
      return await new Queryable(conn).arrow(sql, params);
    } finally {
      conn.closeSync();
    }
  }

  /** A second connection for work that must not queue behind the shared one (long reads). */
  async connection(): Promise<Queryable & { close(): void }> {
    const conn = await connect(this.instance);
    return Object.assign(new Queryable(conn), { close: () => conn.closeSync() });
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
