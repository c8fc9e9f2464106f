// Imports through HTTP: the same report as `fairdraw import --json`; a bad row answers 400 naming line and field
// with nothing written; a good file imports, re-importing changes nothing; only the admin may import.
import { sql } from '../db/sql.ts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_DIR } from '../kernel/config.ts';
import type { Db } from '../db/duckdb.ts';
import type { Caller } from '../auth/test-support.ts';
import { apiForBlock, referenceDb, type TestApi } from './test-support.ts';
import { multipartFile } from './routes/uploads.test-support.ts';

const ENTITIES_CSV = readFileSync(resolve(DATA_DIR, 'fixtures/import/entities.csv'), 'utf8');

describe('imports over HTTP', () => {
  let db: Db;
  let api: TestApi;
  apiForBlock((opened, t) => ([api, db] = [opened, t.db]), referenceDb);

  async function upload(caller: Caller, url: string, filename: string, text: string) {
    const body = multipartFile(filename, text, 'text/csv');
    return api.call(caller, 'POST', url, body.payload, body.headers);
  }
  const counts = async () => (await db.one<{ objects: number; imports: number }>(sql`SELECT (SELECT count(*) FROM objects) AS objects, (SELECT count(*) FROM audit_log WHERE action = 'import') AS imports`))!;

  it('a bad row answers 400 naming the line and field, and nothing is imported', async () => {
    const lines = ENTITIES_CSV.split('\n');
    const cells = lines[2].split(',');
    cells[0] = `${cells[0].slice(0, 17)}${cells[0][17] === '0' ? '1' : '0'}`; // a wrong check digit on line 3
    lines[2] = cells.join(',');
    const before = await counts();
    const response = await upload('admin', '/api/imports/entities', '市场主体.csv', lines.join('\n'));
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.message).toMatch(/市场主体\.csv/);
    expect(body.message).toMatch(/line 3, field uscc/);
    expect(body.report).toMatchObject({ kind: 'entities', file: '市场主体.csv', written: false, accepted: 0, rejectedRows: 1 });
    expect(body.report.rejected[0]).toMatchObject({ line: 3, field: 'uscc', value: cells[0] });
    expect(await counts()).toEqual(before);
  });

  it('a good file imports with the CLI\'s report; the same file again changes nothing', async () => {
    const first = await upload('admin', '/api/imports/entities', 'entities.csv', ENTITIES_CSV);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ kind: 'entities', file: 'entities.csv', format: 'csv', rows: 8, accepted: 8, updated: 0, unchanged: 0, rejectedTotal: 0, written: true });
    expect(first.json().sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await upload('admin', '/api/imports/entities', 'entities.csv', ENTITIES_CSV);
    expect(again.json()).toMatchObject({ accepted: 0, updated: 0, unchanged: 8, written: true });
    const entry = await db.one<{ actor: string; payload: string }>(sql`SELECT actor, payload::VARCHAR AS payload FROM audit_log WHERE action = 'import' ORDER BY seq LIMIT 1`);
    expect(entry!.actor).toBe('t-admin');
    expect(JSON.parse(entry!.payload).file).toBe('entities.csv');
  });

  it('refuses files it cannot read with the file named, and non-admins', async () => {
    const wrongKind = await upload('admin', '/api/imports/complaints', 'entities.csv', ENTITIES_CSV);
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.json().message).toMatch(/^entities\.csv: .*fairdraw import entities/);
    const xls = await upload('admin', '/api/imports/entities', 'old.xls', 'x');
    expect(xls.statusCode).toBe(400);
    expect(xls.json().message).toMatch(/^old\.xls: .*\.xlsx/);
    expect((await upload('admin', '/api/imports/nonsense', 'entities.csv', ENTITIES_CSV)).statusCode).toBe(400);
    expect((await upload('operatorSAMR', '/api/imports/entities', 'entities.csv', ENTITIES_CSV)).statusCode).toBe(403);
    expect((await upload('analyst', '/api/imports/entities', 'entities.csv', ENTITIES_CSV)).statusCode).toBe(403);
  });

  it('never shows the temporary path an upload was kept under, even in a reader\'s own message', async () => {
    const response = await upload('admin', '/api/imports/entities', 'broken.parquet', 'not parquet at all');
    expect(response.statusCode).toBe(400);
    const { message } = response.json();
    expect(message).toMatch(/^broken\.parquet: /);
    expect(message).toMatch(/cannot read the file as Parquet/);
    expect(message).not.toMatch(/fairdraw-upload|\/tmp\/|\.tmp\//);
  });
});
