// POST /api/backups: a consistent backup of the database while the server runs (admins; `fairdraw backup FILE` sends
// it here when the server holds the database). The file is written on the server's machine, at a path that is new.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { isAbsolute } from 'node:path';
import { Type } from '../../kernel/schema.ts';
import { backupDatabase, BackupError } from '../../backup/backup.ts';
import { HttpError } from '../plugins/auth.ts';
import { errorAnswer } from '../schemas.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('system');

const BackupReport = Type.Object({ file: Type.String(), bytes: Type.Integer(), elapsedMs: Type.Integer() });

export const backupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/backups',
    route(['admin'], {
      summary: '备份数据库 Back up the database to a new file on the server, consistent while it keeps serving',
      body: Type.Object({ file: Type.String({ minLength: 2, description: '服务器上的新文件（绝对路径） a new file on the server (absolute path)' }) }),
      response: { 200: BackupReport, 400: errorAnswer('路径不是绝对路径或文件已存在 Not an absolute path, or the file exists') },
    }),
    async (request) => {
      const { file } = request.body;
      if (!isAbsolute(file)) throw new HttpError(400, 'backup.path', `须为绝对路径 the backup file must be an absolute path: ${file}`);
      try {
        return await backupDatabase(app.db, file);
      } catch (err) {
        if (err instanceof BackupError) throw new HttpError(400, 'backup.exists', err.message);
        throw err;
      }
    },
  );
};
