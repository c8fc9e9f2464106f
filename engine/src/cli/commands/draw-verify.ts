// `fairdraw draw verify DIR`: recomputes an fd1 draw or an fd2 auditor package from its files with the independent
// verifier, or makes the public checks of an fd2 public package.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { verifyDraw } from '../../draw/verify/verify.ts';
import { formatCheck } from '../../draw/verify/report.ts';
import { DRAW_FILES } from '../../draw/files.ts';
import { packageSha256 } from '../../draw/attestations.ts';

/** Adds `verify DIR` under the `draw` command (called by commands/draw.ts). */
export function addVerifyCommand(drawCommand: Command): void {
  drawCommand
    .command('verify')
    .description('独立复算并验证一次抽取的文件包 / verify a draw from its package: full recomputation (fd1, fd2 auditor) or the public checks (fd2 public)')
    .argument('<dir>', 'folder holding manifest.json and population.csv, inspectors.csv, exclusions.csv, selection.csv, teams.csv (auditor package), or selected.csv (public package)')
    .option('--engine <engine>', 'js (worker threads for a population.csv over 2 MB) or duckdb; auto, the default, is js', 'auto')
    .option('--json', 'print the report as JSON')
    .action(async (dirArg: string, opts: { engine: string; json?: boolean }) => {
      const dir = resolve(dirArg);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder; unzip a draw's files first`);
      if (!['auto', 'js', 'duckdb'].includes(opts.engine)) throw new Error(`--engine must be auto, js or duckdb, got ${opts.engine}`);
      const report = await verifyDraw(dir, { engine: opts.engine as 'auto' | 'js' | 'duckdb' });
      // An auditor package's hash (docs/fd2.md §6), to compare with the one an attestation records.
      const hash = DRAW_FILES.every((f) => existsSync(resolve(dir, f))) ? await packageSha256(dir, DRAW_FILES) : null;
      if (opts.json) {
        console.log(JSON.stringify(hash ? { ...report, packageSha256: hash } : report, null, 2));
      } else {
        if (hash) console.log(`包哈希 package sha256 (docs/fd2.md §6): ${hash}`);
        for (const check of report.checks) console.log(formatCheck(check));
        const first = report.firstMismatch;
        if (first) {
          const where = `${first.file}${first.line ? ` line ${first.line}` : ''}`;
          console.log(`验证失败 / mismatch: ${where}${first.content !== undefined ? `: ${first.content}` : ''}: ${first.detail}`);
        } else {
          console.log(`${report.publicOnly ? '公开核验通过' : '验证通过'}（${(report.elapsedMs / 1000).toFixed(1)} 秒，${report.engine}）`);
          console.log(report.verdict);
        }
      }
      process.exitCode = report.ok ? 0 : 1;
    });
}
