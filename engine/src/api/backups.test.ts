// POST /api/backups: what `fairdraw backup` sends while the server holds the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiForBlock, referenceDb, type TestApi } from './test-support.ts';
import { restoreDatabase } from '../backup/backup.ts';

describe('backups over HTTP', () => {
  let api: TestApi;
  let dir: string;
  apiForBlock((opened) => void (api = opened), referenceDb);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fairdraw-api-backup-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a backup that restores, and refuses relative or existing paths', async () => {
    const file = join(dir, 'b.duckdb');
    const answer = await api.call('admin', 'POST', '/api/backups', { file });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ file });
    expect(existsSync(file)).toBe(true);
    expect((await api.call('admin', 'POST', '/api/backups', { file })).json().error).toBe('backup.exists');
    expect((await api.call('admin', 'POST', '/api/backups', { file: 'relative.duckdb' })).json().error).toBe('backup.path');
    await expect(restoreDatabase(file, join(dir, 'restored.duckdb'))).resolves.toMatchObject({ drawsVerified: 0 });
  });
});
