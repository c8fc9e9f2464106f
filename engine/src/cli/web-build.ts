// `npm start` builds the dashboard only when its sources are newer than the last build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../kernel/config.ts';

export const WEB_BUILD_DIR = resolve(REPO_ROOT, 'build/web');

function newestMtimeMs(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  return newest;
}

export function webBuildIsStale(): boolean {
  const index = join(WEB_BUILD_DIR, 'index.html');
  if (!existsSync(index)) return true;
  const sources = ['web', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'].map((p) => resolve(REPO_ROOT, p));
  return Math.max(...sources.filter(existsSync).map(newestMtimeMs)) > statSync(index).mtimeMs;
}

export function buildWeb(): void {
  const result = spawnSync(process.execPath, [resolve(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`building the dashboard failed (vite build exited ${result.status})`);
}
