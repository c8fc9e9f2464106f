// The notebooks folder: which notebooks exist (every .md file but README.md) and loading one by its name. A name is
// only ever matched against the listing, never joined into a path, so no request can reach a file outside the folder.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { REPO_ROOT } from '../kernel/config.ts';
import { EngineError } from '../kernel/errors.ts';
import type { NotebookEntry } from './schemas.ts';
import { parseNotebook, type Notebook } from './parse.ts';

export const NOTEBOOKS_DIR = join(REPO_ROOT, 'notebooks');

export type { NotebookEntry };

export class NotebookNotFoundError extends EngineError {
  constructor(
    readonly notebookName: string,
    known: string[],
  ) {
    const text = `没有名为 ${notebookName} 的笔记本 no notebook named '${notebookName}' (known: ${known.join(', ') || 'none'})`;
    super('not_found', 'notebook.not_found', { zh: text, en: text }, { name: notebookName });
  }
}

/** Notebook names (file names without .md) in `dir`, sorted. */
export function notebookNames(dir = NOTEBOOKS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md') && e.name.toLowerCase() !== 'readme.md')
    .map((e) => e.name.slice(0, -3))
    .sort();
}

function displayPath(dir: string, fileName: string): string {
  const rel = relative(REPO_ROOT, join(dir, fileName));
  return rel.startsWith('..') ? join(dir, fileName) : rel;
}

/** Loads and parses the notebook called `name`; NotebookNotFoundError when the listing has no such name. */
export function loadNotebook(name: string, dir = NOTEBOOKS_DIR): Notebook {
  const names = notebookNames(dir);
  const match = names.find((n) => n === name);
  if (match === undefined) throw new NotebookNotFoundError(name, names);
  const fileName = `${match}.md`;
  return parseNotebook(readFileSync(join(dir, fileName), 'utf8'), match, displayPath(dir, fileName));
}

/** Loads a notebook from a file anywhere (the CLI checks a notebook before it is added to the folder). */
export function loadNotebookFile(path: string): Notebook {
  const fileName = basename(path);
  return parseNotebook(readFileSync(path, 'utf8'), fileName.replace(/\.md$/i, ''), path);
}

/** Every notebook with its title, summary and number of queries and charts. */
export function listNotebooks(dir = NOTEBOOKS_DIR): NotebookEntry[] {
  return notebookNames(dir).map((name) => {
    const nb = loadNotebook(name, dir);
    return {
      name,
      file: nb.file,
      title: nb.title,
      summary: nb.summary,
      queries: nb.cells.filter((c) => c.kind === 'sql').length,
      charts: nb.cells.filter((c) => c.kind === 'chart').length,
    };
  });
}
