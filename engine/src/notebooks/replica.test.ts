import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb } from '../testing/db.ts';
import { sql } from '../db/sql.ts';
import { appendAudit } from '../audit/chain.ts';
import { parseNotebook } from './parse.ts';
import { NotebookReplica } from './replica.ts';
import type { SqlCellRun } from './run.ts';

const fence = '```';

describe('notebooks on a sandboxed replica', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let replica: NotebookReplica;

  beforeAll(async () => {
    t = await tempDb();
    await t.db.exec(sql`INSERT INTO users (username, role, password_hash) VALUES ('admin', 'admin', 'scrypt$secret-hash')`);
    await t.db.exec(sql`INSERT INTO holidays VALUES (DATE '2026-10-01', 'holiday', '国庆节')`);
    await t.db.transaction((tx) => appendAudit(tx, { actor: 'test', action: 'test.setup', subject: null, payload: {} }));
    replica = new NotebookReplica(t.db);
  });
  afterAll(() => {
    replica.close();
    t.cleanup();
  });

  const runCell = async (statement: string): Promise<SqlCellRun> => {
    const run = await replica.run(parseNotebook(`${fence}sql name=attempt\n${statement}\n${fence}\n`, 'attack'));
    return run.cells.find((c): c is SqlCellRun => c.kind === 'sql')!;
  };

  it('answers queries over the analytic tables', async () => {
    const cell = await runCell(`SELECT name FROM holidays`);
    expect(cell.error).toBeNull();
    expect(cell.rows).toEqual([{ name: '国庆节' }]);
  });

  // Each attack that once worked against the engine's own database, and the refusal it gets now.
  const attacks: Array<[string, string, RegExp]> = [
    ['read a system file as CSV', `SELECT * FROM read_csv('/etc/passwd')`, /notebooks may not call read_csv/],
    ['read a system file as text', `SELECT * FROM read_text('/etc/passwd')`, /notebooks may not call read_text/],
    ['list a directory', `SELECT * FROM glob('/root/*')`, /notebooks may not call glob/],
    ['read the database file', `SELECT * FROM read_blob('${'DBPATH'}')`, /notebooks may not call read_blob/],
    ['read a file by its name', `SELECT * FROM '/etc/passwd'`, /Table with name \/etc\/passwd does not exist/],
    ['read password hashes', `SELECT password_hash FROM users`, /Table with name users does not exist/],
    ['read sessions', `SELECT * FROM sessions`, /Table with name sessions does not exist/],
    ['read the audit log', `SELECT * FROM audit_log`, /Table with name audit_log does not exist/],
    ['read a draw secret', `SELECT secret FROM draws`, /"secret" not found/],
    ['log every query to disk', `CALL enable_logging(storage = 'file', storage_path = '/tmp/fairdraw-log')`, /notebooks may not call enable_logging/],
    ['log every query to disk from a SELECT', `SELECT * FROM enable_logging(storage = 'file', storage_path = '/tmp/fairdraw-log')`, /notebooks may not call enable_logging/],
    ['force a checkpoint', `CALL force_checkpoint()`, /notebooks may not call force_checkpoint/],
    ['download an extension', `INSTALL httpfs`, /notebooks are read-only/],
    ['load an extension', `LOAD httpfs`, /notebooks are read-only/],
    ['lift the sandbox', `SET enable_external_access = true`, /notebooks are read-only/],
    ['change a setting through a PRAGMA', `PRAGMA memory_limit = '64GB'`, /notebooks are read-only/],
    ['attach another file', `ATTACH '/tmp/fairdraw-other.duckdb' AS other`, /notebooks are read-only/],
    ['write a file', `COPY (SELECT 1) TO '/tmp/fairdraw-out.csv'`, /file system operations are disabled/],
  ];
  it.each(attacks)('refuses to %s', async (_what, statement, refusal) => {
    const cell = await runCell(statement.replace('DBPATH', t.path));
    expect(cell.error?.message).toMatch(refusal);
    expect(cell.rows).toEqual([]);
  });

  it('holds no private table or column, and its configuration is locked', async () => {
    const db = await replica.database();
    const tables = (await db.query<{ table_name: string }>(sql`SELECT table_name FROM duckdb_tables()`)).map((r) => r.table_name);
    expect(tables).toContain('objects');
    for (const name of ['users', 'sessions', 'audit_log']) expect(tables).not.toContain(name);
    const drawColumns = (await db.query<{ column_name: string }>(sql`SELECT column_name FROM duckdb_columns() WHERE table_name = 'draws'`)).map((r) => r.column_name);
    expect(drawColumns).not.toContain('secret');
    expect(drawColumns).not.toContain('seed');
    await expect(db.exec(sql`SET enable_external_access = true`)).rejects.toThrow(/configuration has been locked/);
    await expect(db.query(sql`SELECT * FROM read_text('/etc/passwd')`)).rejects.toThrow(/file system operations are disabled/);
  });

  it('is rebuilt when the data version changes', async () => {
    await t.db.transaction(async (tx) => {
      await tx.exec(sql`INSERT INTO holidays VALUES (DATE '2026-10-02', 'holiday', '国庆节')`);
      await appendAudit(tx, { actor: 'test', action: 'test.change', subject: null, payload: {} });
    });
    expect((await runCell(`SELECT count(*) AS n FROM holidays`)).rows).toEqual([{ n: 2 }]);
  });
});
