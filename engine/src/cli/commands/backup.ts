// `fairdraw backup FILE` and `fairdraw restore FILE`: a consistent copy of the database, and a checked restore into a
// fresh file. While the server holds the database, the backup is taken by the server (POST /api/backups, as an admin).
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { withDb } from '../db.ts';
import { dbCommand } from '../options.ts';
import { DatabaseLockedError } from '../../db/duckdb.ts';
import { resolveDbPath, serverConfig } from '../../kernel/config.ts';
import { backupDatabase, restoreDatabase, type BackupReport } from '../../backup/backup.ts';
import { readPassword } from './user.ts';

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

/** Asks the running server for the backup, signed in as `username` (password typed, or the first line of stdin). */
async function backupThroughServer(file: string, username: string): Promise<BackupReport> {
  const { host, port } = serverConfig();
  const base = `http://${host}:${port}`;
  const password = await readPassword(`${username} 的密码 password for ${username}: `);
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!login.ok) throw new Error(`登录失败 sign-in to ${base} as ${username} failed: ${(await login.json()).message}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const answer = await fetch(`${base}/api/backups`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ file }),
  });
  const body = await answer.json();
  if (!answer.ok) throw new Error(`备份失败 backup refused: ${body.message}`);
  return body as BackupReport;
}

export function backupCommand(program: Command): void {
  dbCommand(program, 'backup', { json: false })
    .description('备份数据库到新文件（服务运行时也一致） / back up the database to a new file, consistent while the server runs')
    .argument('<file>', 'the backup file to write (must not exist)')
    .option('--user <name>', 'the admin account to send the backup through the running server with', 'admin')
    .action(async (target: string, flags: { db?: string; user: string }) => {
      const file = resolve(target);
      let report: BackupReport;
      try {
        report = await withDb(flags.db, (db) => backupDatabase(db, file), { readOnly: true });
      } catch (err) {
        if (!(err instanceof DatabaseLockedError)) throw err;
        console.error(`${resolveDbPath(flags.db)} 由运行中的服务持有，经其 API 备份 / held by the running server: backing up through its API`);
        report = await backupThroughServer(file, flags.user);
      }
      console.log(`已备份 backed up to ${report.file} (${mb(report.bytes)}, ${report.elapsedMs} ms)`);
    });

  dbCommand(program, 'restore', { json: false })
    .description('从备份恢复到新数据库文件并校验审计链和每次抽取 / restore a backup into a new database file, checking the audit chain and every draw')
    .argument('<file>', 'the backup file')
    .action(async (backup: string, flags: { db?: string }) => {
      const report = await restoreDatabase(resolve(backup), resolveDbPath(flags.db));
      console.log(
        `已恢复 restored ${report.file}: audit chain intact (${report.auditEntries} entries), ${report.drawsVerified} draws fd1 verified, ${report.elapsedMs} ms`,
      );
    });
}
