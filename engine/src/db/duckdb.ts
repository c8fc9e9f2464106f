// The one DuckDB wrapper: open, migrate, query, stream, Arrow IPC, close. Everything else goes through it.
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue, type DuckDBAppender } from '@duckdb/node-api';
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { toJs, type Value } from './values.ts';
import { migrate, migrationMarker } from './migrate.ts';
import { encodeArrow } from './arrow.ts';
import { Sql, sql } from './sql.ts';

export type Row = Record<string, Value>;
/** The text and parameters DuckDB is given for a statement (a `sql` piece, see sql.ts: values are only ever bound). */
function compile(statement: Sql): { text: string; params?: DuckDBValue[] } {
  const q = statement.toQuery();
  return { text: q.text, params: q.params.length ? q.params : undefined };
}

export interface DbOptions {
  path: string;
  readOnly?: boolean;
  /** DuckDB's own default is most of the machine; we set it from configuration. */
  memoryLimit?: string;
  threads?: number;
  /** How many requests may run statements at once, each on its own connection (see ConnectionPool). */
  connections?: number;
  /** Skip migrations (read-only opens, tools that inspect an old file). */
  skipMigrate?: boolean;
  /**
   * For SQL that users write (notebooks): read-only, no file or network access beyond the database file, no extension
   * installed or loaded, and the configuration locked so no statement can change any of that. Implies readOnly.
   */
  sandbox?: boolean;
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

  /**
   * The connection a statement runs on: this one (a `Db` serving a request picks the request's own). `changes`: the
   * statement may create or change something (exec, appender), where a query only reads.
   */
  protected use<T>(work: (conn: DuckDBConnection) => Promise<T>, _changes: boolean): Promise<T> {
    return work(this.conn);
  }

  async exec(statement: Sql): Promise<void> {
    const q = compile(statement);
    await this.use((conn) => conn.run(q.text, q.params), true);
  }

  async query<T = Row>(statement: Sql): Promise<T[]> {
    const q = compile(statement);
    const reader = await this.use((conn) => conn.runAndReadAll(q.text, q.params), false);
    const names = reader.columnNames();
    const types = reader.columnTypes();
    return reader.getRows().map((row) => {
      const out: Row = {};
      for (let i = 0; i < names.length; i++) out[names[i]] = toJs(row[i], types[i]);
      return out as T;
    });
  }

  async one<T = Row>(statement: Sql): Promise<T | undefined> {
    return (await this.query<T>(statement))[0];
  }

  /** Streams a large result in DuckDB's chunks (2048 rows) without materialising it. */
  async *stream<T = Row>(statement: Sql): AsyncGenerator<T[]> {
    const q = compile(statement);
    const result = await this.conn.stream(q.text, q.params);
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
  async arrow(statement: Sql): Promise<Uint8Array> {
    const q = compile(statement);
    return encodeArrow(await this.conn.stream(q.text, q.params));
  }

  async appender(table: string): Promise<DuckDBAppender> {
    return this.use((conn) => conn.createAppender(table), true);
  }
}

// Every connection's session time zone.
const SHANGHAI_TIME = sql`SET TimeZone = 'Asia/Shanghai'`;
// Temporary tables a request's connection holds, one row each.
const TEMP_TABLES = sql`SELECT table_name FROM duckdb_tables() WHERE temporary`;

// Sandboxed instances: their time zone is set once, globally, before the configuration is locked.
const SANDBOXED = new WeakSet<DuckDBInstance>();
const SANDBOX_CONFIG = { enable_external_access: 'false', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' };

/** Every connection speaks Asia/Shanghai time (icu is built in, but loads only once connected). */
async function connect(instance: DuckDBInstance): Promise<DuckDBConnection> {
  const conn = await instance.connect();
  if (!SANDBOXED.has(instance)) await conn.run(SHANGHAI_TIME.text);
  return conn;
}

/** Sets the time zone for every connection of a sandboxed instance, then locks its configuration. */
async function lockSandbox(instance: DuckDBInstance): Promise<void> {
  const conn = await instance.connect();
  try {
    await conn.run(sql`SET GLOBAL TimeZone = 'Asia/Shanghai'`.text);
    await conn.run(sql`SET lock_configuration = true`.text);
  } finally {
    conn.closeSync();
  }
  SANDBOXED.add(instance);
}

/**
 * Connections that requests lease, at most `size` at a time (the rest wait in order). A lease is for a whole request:
 * DuckDB runs one statement at a time per connection, so with one shared connection a slow request (a policy preview
 * over 18 M entities) held up every other, sign-in checks included.
 */
class ConnectionPool {
  private readonly idle: DuckDBConnection[] = [];
  private readonly waiting: Array<(conn: DuckDBConnection) => void> = [];
  private leased = 0;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly size: number,
  ) {}

  async lease(): Promise<DuckDBConnection> {
    const conn = this.idle.pop();
    if (conn) return conn;
    if (this.leased < this.size) {
      this.leased++;
      return connect(this.instance).catch((err) => {
        this.leased--;
        throw err;
      });
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(conn: DuckDBConnection): void {
    const next = this.waiting.shift();
    if (next) next(conn);
    else this.idle.push(conn);
  }

  /** Drops a connection that failed (its place goes to the next waiting request, on a new connection). */
  discard(conn: DuckDBConnection): void {
    conn.closeSync();
    this.leased--;
    const next = this.waiting.shift();
    if (next) void this.lease().then(next);
  }

  close(): void {
    for (const conn of this.idle.splice(0)) conn.closeSync();
  }
}

/**
 * One request's connection: leased at its first statement, returned once the request has ended and no statement of
 * it is still running (a client that hangs up does not stop the handler at once). Temp tables and settings a request
 * makes stay on its own connection; it drops its temp tables before the next request gets the connection.
 */
class RequestConnection {
  private conn: Promise<DuckDBConnection> | undefined;
  private running = 0;
  private ended = false;
  /** Whether a statement may have left temp tables behind (most requests only read). */
  private changed = false;

  constructor(private readonly pool: ConnectionPool) {}

  async use<T>(work: (conn: DuckDBConnection) => Promise<T>, changes: boolean): Promise<T> {
    this.running++;
    this.changed ||= changes;
    try {
      this.conn ??= this.pool.lease();
      return await work(await this.conn);
    } finally {
      this.running--;
      void this.returnIfDone();
    }
  }

  end(): void {
    this.ended = true;
    void this.returnIfDone();
  }

  private async returnIfDone(): Promise<void> {
    if (!this.ended || this.running > 0 || !this.conn) return;
    const pending = this.conn;
    this.conn = undefined;
    let conn: DuckDBConnection;
    try {
      conn = await pending;
    } catch {
      return; // the lease itself failed; that statement has reported it
    }
    try {
      if (this.changed) {
        const temps = await conn.runAndReadAll(TEMP_TABLES.text);
        for (const [name] of temps.getRows()) await conn.run(sql`DROP TABLE IF EXISTS temp.main.${sql.id(String(name))}`.text);
      }
      this.pool.release(conn);
    } catch {
      this.pool.discard(conn);
    }
  }
}

/**
 * Opens the DuckDB instance. A WAL that DuckDB cannot replay while a migration's marker exists holds that migration
 * only (the migrator checkpoints before it and nothing else writes during migration): it is set aside as
 * `<file>.wal.unreplayable` and the migration runs again. Any other failure is DuckDB's, unchanged.
 */
async function createInstance(path: string, config: Record<string, string>): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(path, config);
  } catch (err) {
    const message = String((err as Error).message);
    const lock = /Conflicting lock is held in (.*)/.exec(message);
    if (lock || /Could not set lock/.test(message)) throw new DatabaseLockedError(path, lock?.[1] ?? 'lock held');
    const wal = `${path}.wal`;
    if (/Failure while replaying WAL/.test(message) && existsSync(migrationMarker(path)) && existsSync(wal) && config.access_mode !== 'READ_ONLY') {
      renameSync(wal, `${wal}.unreplayable`);
      return DuckDBInstance.create(path, config);
    }
    throw err;
  }
}

export class Db extends Queryable {
  private constructor(
    private readonly instance: DuckDBInstance,
    conn: DuckDBConnection,
    readonly path: string,
    readonly readOnly: boolean,
    connections: number,
  ) {
    super(conn);
    this.pool = new ConnectionPool(instance, connections);
  }

  private readonly pool: ConnectionPool;
  private readonly request = new AsyncLocalStorage<RequestConnection>();

  /**
   * Runs `work` (a request's handling, see api/plugins/db.ts) so that its statements on this Db run on a connection
   * of the request's own, beside other requests rather than after them. Call `end` once the request is answered.
   */
  serveRequest(work: () => void): { end(): void } {
    const connection = new RequestConnection(this.pool);
    this.request.run(connection, work);
    return connection;
  }

  protected override use<T>(work: (conn: DuckDBConnection) => Promise<T>, changes: boolean): Promise<T> {
    const connection = this.request.getStore();
    return connection ? connection.use(work, changes) : work(this.conn);
  }

  static async open(options: DbOptions): Promise<Db> {
    const { path, sandbox = false } = options;
    const readOnly = sandbox || (options.readOnly ?? false);
    if (path !== ':memory:' && !readOnly) mkdirSync(dirname(path), { recursive: true });
    if (readOnly && !existsSync(path)) throw new Error(`database ${path} does not exist`);
    const config: Record<string, string> = {
      memory_limit: options.memoryLimit ?? process.env.FAIRDRAW_MEMORY_LIMIT ?? '4GB',
      threads: String(options.threads ?? process.env.FAIRDRAW_THREADS ?? 2),
    };
    if (readOnly) config.access_mode = 'READ_ONLY';
    if (sandbox) Object.assign(config, SANDBOX_CONFIG);
    const instance = await createInstance(path, config);
    if (sandbox) await lockSandbox(instance);
    const db = new Db(instance, await connect(instance), path, readOnly, options.connections ?? Number(process.env.FAIRDRAW_CONNECTIONS ?? 4));
    if (!readOnly && !options.skipMigrate) await migrate(db, { markerPath: path === ':memory:' ? undefined : migrationMarker(path) });
    return db;
  }

  /**
   * Writes the WAL into the database file. Bulk writes (import, scoring, a draw run) call it after their commit, so a
   * crash leaves a short WAL to replay. It is best effort: the write has committed, so a checkpoint DuckDB cannot take
   * now (another transaction in its way) is left to the next one, never reported as the write's failure.
   */
  async checkpoint(): Promise<void> {
    if (this.readOnly || this.path === ':memory:') return;
    const conn = await connect(this.instance);
    try {
      await conn.run(sql`CHECKPOINT`.text);
    } catch {
      // see above: the next bulk write, or DuckDB's own automatic checkpoint, writes the WAL into the file
    } finally {
      conn.closeSync();
    }
  }

  private writeCount = 0;

  /** How many times something may have been written through this Db (see untilNextWrite). */
  get writes(): number {
    return this.writeCount;
  }

  /**
   * Returns a reader of `read`'s answer that reads again only once something may have been written through this Db
   * since (a transaction, an exec, or a connection of its own closed). While the server runs it is the file's only
   * writer (DuckDB's lock), so data-version probes (coverage's fingerprint, the answer cache's version) run once per
   * change instead of once per request.
   */
  untilNextWrite<T>(read: () => Promise<T>): () => Promise<T> {
    let last: { writes: number; answer: Promise<T> } | null = null;
    return () => {
      if (last?.writes !== this.writeCount) {
        const answer = read();
        const entry = { writes: this.writeCount, answer };
        last = entry;
        answer.catch(() => {
          if (last === entry) last = null;
        });
      }
      return last.answer;
    };
  }

  override async exec(statement: Sql): Promise<void> {
    try {
      await super.exec(statement);
    } finally {
      this.writeCount++;
    }
  }

  /** Write transactions run one at a time: concurrent appends to the audit chain would otherwise conflict. */
  private writeQueue: Promise<unknown> = Promise.resolve();

  /**
   * Runs `work` in one transaction on its own connection, so concurrent requests on the
   * shared connection never see or join it. Any error rolls everything back.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.inWriteTurn(() => this.runTransaction(work));
  }

  /**
   * Runs `work`, a write transaction on a connection of its own (an import's), in turn with every other: two writers
   * appending to the audit chain at once would take the same sequence number and one would fail.
   */
  inWriteTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writeQueue.then(work);
    this.writeQueue = run.catch(() => undefined);
    return run;
  }

  private async runTransaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const conn = await connect(this.instance);
    const tx = new Queryable(conn);
    try {
      await tx.exec(sql`BEGIN TRANSACTION`);
      const result = await work(tx);
      await tx.exec(sql`COMMIT`);
      this.writeCount++;
      return result;
    } catch (err) {
      await tx.exec(sql`ROLLBACK`).catch(() => undefined);
      throw err;
    } finally {
      conn.closeSync();
    }
  }

  /**
   * Streams on a connection of its own: a pending streamed result on the shared connection would be cut short,
   * silently, by the next request's query on it.
   */
  override async *stream<T = Row>(statement: Sql): AsyncGenerator<T[]> {
    const conn = await connect(this.instance);
    try {
      yield* new Queryable(conn).stream<T>(statement);
    } finally {
      conn.closeSync();
    }
  }

  /** Arrow IPC bytes, read on a connection of its own for the same reason as `stream`. */
  override async arrow(statement: Sql): Promise<Uint8Array> {
    const conn = await connect(this.instance);
    try {
      return await new Queryable(conn).arrow(statement);
    } finally {
      conn.closeSync();
    }
  }

  /** A second connection for work that must not queue behind the shared one (long reads). */
  async connection(): Promise<Queryable & { close(): void }> {
    const conn = await connect(this.instance);
    return Object.assign(new Queryable(conn), {
      close: () => {
        conn.closeSync();
        this.writeCount++; // it may have written
      },
    });
  }

  close(): void {
    this.pool.close();
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
