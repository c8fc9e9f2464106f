// `fairdraw serve`: the API and the dashboard in one process on HOST:PORT; a fresh database gets the demo province.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { openDatabase } from '../../open.ts';
import { resolveDbPath, serverConfig } from '../../kernel/config.ts';
import { buildApp } from '../../api/app.ts';
import { buildDemo, DEMO_DEFAULTS } from '../../demo/demo.ts';
import { printAccounts } from './demo.ts';
import { buildWeb, webBuildIsStale, WEB_BUILD_DIR } from '../web-build.ts';
import { dbCommand } from '../options.ts';
import { keepDailyHeads } from '../../audit/heads.ts';

export function serveCommand(program: Command): void {
  dbCommand(program, 'serve', { json: false })
    .description('serve the API and dashboard (HOST, PORT, FAIRDRAW_DB); creates the demo province on first run')
    .option('--build-if-needed', 'build the dashboard first when its sources changed')
    .option('--no-demo', 'start with an empty database instead of creating the demo province')
    .action(async (opts: { db?: string; buildIfNeeded?: boolean; demo: boolean }) => {
      const path = resolveDbPath(opts.db);
      if (opts.buildIfNeeded && webBuildIsStale()) buildWeb();
      if (!existsSync(path) && opts.demo) {
        console.log(`No database at ${path}: building the demo province (${DEMO_DEFAULTS.entities.toLocaleString('en-US')} entities, seed ${DEMO_DEFAULTS.seed}) ...`);
        printAccounts(await buildDemo({ dbPath: path, ...DEMO_DEFAULTS, log: (line) => console.log(line) }));
      }
      const db = await openDatabase({ path });
      const app = await buildApp({ db, webRoot: existsSync(WEB_BUILD_DIR) ? WEB_BUILD_DIR : undefined, logger: false });
      const { host, port } = serverConfig();
      await app.listen({ host, port });
      console.log(`Fairdraw is serving ${path} on http://${host}:${port}`);
      const stopHeads = keepDailyHeads(db, (err) => console.error('the daily audit head could not be published:', err));
      const stop = async () => {
        stopHeads();
        await app.close();
        db.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
