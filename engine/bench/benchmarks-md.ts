// BENCHMARKS.md at the repository root: each benchmark that records its figures owns one section, between markers, and
// replaces it on every run (step, figure, machine, date), leaving the other sections as they are.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../src/kernel/config.ts';

export const BENCHMARKS_FILE = resolve(REPO_ROOT, 'BENCHMARKS.md');

const HEADER = `# Benchmarks

Figures measured by \`npm run bench -- NAME\` on the machine named in each row; each benchmark rewrites its own section
when it runs. Wall time is elapsed time; CPU time adds up every thread of the measured processes; memory is peak
resident set size.
`;

export interface BenchmarkRow {
  step: string;
  figure: string;
}

/** This machine in one phrase: cores, CPU model, memory. */
export function machine(): string {
  const cores = cpus();
  return `${cores.length} cores (${cores[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GB RAM`;
}

const escapeCell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** Replaces (or appends) the section `name` of BENCHMARKS.md: a title, notes, and a table of the rows. */
export function writeBenchmarkSection(name: string, title: string, notes: string, rows: BenchmarkRow[], date = new Date()): void {
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const day = date.toISOString().slice(0, 10);
  const host = machine();
  const table = ['| step | figure | machine | date |', '| --- | --- | --- | --- |', ...rows.map((r) => `| ${escapeCell(r.step)} | ${escapeCell(r.figure)} | ${escapeCell(host)} | ${day} |`)];
  const section = [begin, `## ${title}`, '', notes.trim(), '', ...table, end].join('\n');
  const text = existsSync(BENCHMARKS_FILE) ? readFileSync(BENCHMARKS_FILE, 'utf8') : HEADER;
  const at = text.indexOf(begin);
  const updated = at >= 0 ? text.slice(0, at) + section + text.slice(text.indexOf(end, at) + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(BENCHMARKS_FILE, updated);
}
