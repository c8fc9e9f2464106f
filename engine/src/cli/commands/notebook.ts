// `fairdraw notebook list | render NAME --out FILE.html`: the analysts' notebooks in notebooks/, run read-only against
// the database and written as one self-contained HTML file (charts drawn offline by the inlined vega bundles).
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { DatabaseLockedError } from '../../db/duckdb.ts';
import { resolveDbPath } from '../../kernel/config.ts';
import { listNotebooks, loadNotebook, loadNotebookFile, NOTEBOOKS_DIR, NotebookReplica, renderNotebookHtml, DEFAULT_ROW_LIMIT } from '../../notebooks/index.ts';
import { dbCommand } from '../options.ts';

const DIR_OPTION = ['--dir <path>', 'notebooks folder (default: notebooks/ in the repository)'] as const;

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} ${JSON.stringify(value)}: must be a whole number of at least 1`);
  return n;
}

export function notebookCommand(program: Command): void {
  const notebook = program.command('notebook').description('分析笔记本 / analysts\' notebooks (Markdown with read-only sql and vega-lite cells)');

  notebook
    .command('list')
    .description('列出笔记本 / list the notebooks')
    .option(...DIR_OPTION)
    .option('--json', 'print JSON')
    .action((flags: { dir?: string; json?: boolean }) => {
      const entries = listNotebooks(flags.dir ? resolve(flags.dir) : NOTEBOOKS_DIR);
      if (flags.json) return void console.log(JSON.stringify(entries, null, 2));
      if (!entries.length) return void console.log('没有笔记本 / no notebooks');
      const width = Math.max(...entries.map((e) => e.name.length));
      for (const e of entries) console.log(`${e.name.padEnd(width)}  ${e.queries} sql, ${e.charts} charts  ${e.title}`);
    });

  dbCommand(notebook, 'render', { json: 'print a JSON summary' })
    .description('只读运行笔记本并写成独立的 HTML 文件 / run a notebook read-only and write it as one self-contained HTML file')
    .argument('<notebook>', 'notebook name (its file name in notebooks/ without .md) or the path of a .md file, to check one before adding it')
    .requiredOption('--out <file>', 'the HTML file to write')
    .option(...DIR_OPTION)
    .option('--row-limit <n>', `rows kept per query (default ${DEFAULT_ROW_LIMIT})`)
    .action(async (name: string, flags: { out: string; db?: string; dir?: string; rowLimit?: string; json?: boolean }) => {
      const started = performance.now();
      const isFile = /[\\/]|\.md$/i.test(name) && existsSync(name);
      const nb = isFile ? loadNotebookFile(name) : loadNotebook(name, flags.dir ? resolve(flags.dir) : NOTEBOOKS_DIR);
      const rowLimit = flags.rowLimit === undefined ? undefined : positiveInt('--row-limit', flags.rowLimit);
      const dbPath = resolveDbPath(flags.db);
      let run;
      try {
        run = await withDb(
          flags.db,
          async (db) => {
            const replica = new NotebookReplica(db);
            try {
              return await replica.run(nb, { rowLimit });
            } finally {
              replica.close();
            }
          },
          { readOnly: true },
        );
      } catch (err) {
        if (err instanceof DatabaseLockedError)
          throw new Error(`${err.message} While the server runs, the dashboard's 笔记本 page (or GET /api/notebooks/${name}/html) renders the same file.`);
        throw err;
      }
      const html = renderNotebookHtml(run, { database: dbPath });
      const out = resolve(flags.out);
      writeFileSync(out, html);
      const totalMs = performance.now() - started;
      const bytes = statSync(out).size;
      const errors = run.cells.flatMap((c) => (c.kind !== 'markdown' && c.error ? [c.error.message] : []));
      if (flags.json) {
        console.log(JSON.stringify({ name: nb.name, file: nb.file, out, bytes, runMs: Math.round(run.elapsedMs), totalMs: Math.round(totalMs), ...run.counts, errors }));
      } else {
        for (const cell of run.cells) {
          if (cell.kind === 'sql') console.log(`  sql   line ${String(cell.line).padStart(3)}  ${(cell.name ?? '-').padEnd(18)} ${cell.error ? 'ERROR' : `${cell.rowCount.toLocaleString('en-US')} rows${cell.capped ? ' (capped)' : ''}${cell.hidden ? ' kept (hidden)' : ''}`}  ${Math.round(cell.elapsedMs)} ms`);
          if (cell.kind === 'chart') {
            console.log(`  chart line ${String(cell.line).padStart(3)}  ${cell.dataNames.join(', ').padEnd(18)} ${cell.error ? 'ERROR' : 'ok'}  ${Math.round(cell.elapsedMs)} ms`);
            for (const warning of cell.warnings) console.log(`        ${nb.file}:${cell.line}: Vega-Lite warning: ${warning}`);
          }
        }
        console.log(
          `已写出 wrote ${out} (${(bytes / 1024).toFixed(0)} KB): ${run.counts.queries} queries, ${run.counts.charts} charts, ` +
            `${run.counts.rows.toLocaleString('en-US')} rows; run ${Math.round(run.elapsedMs)} ms, total ${Math.round(totalMs)} ms`,
        );
      }
      if (errors.length) {
        for (const message of errors) console.error(message);
        process.exitCode = 1;
      }
    });
}
