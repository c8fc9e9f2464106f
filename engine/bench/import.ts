// `npm run bench -- import [--rows 1000000] [--file PATH --kind KIND] [--keep]`: end-to-end import speed.
// Writes an entities CSV of --rows valid rows (real region and department codes) unless --file is given, imports
// it into a fresh database (every row new), then again (every row unchanged), and prints wall time, rows/s,
// the time per phase, CPU time and peak RSS. Target: > 100,000 rows/s end to end. Temporary files are deleted.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Db } from '../src/db/duckdb.ts';
import { loadReference, readReference } from '../src/reference/load.ts';
import { makeUscc, USCC_ALPHABET } from '../src/reference/uscc.ts';
import { importFile, type ImportReport } from '../src/ingest/import.ts';

function flag(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

/** A distinct 8-character organisation-code body per i, in the USCC alphabet. */
function orgBody(i: number): string {
  let body = '';
  for (let n = i, k = 0; k < 8; k++, n = Math.floor(n / USCC_ALPHABET.length)) body = USCC_ALPHABET[n % USCC_ALPHABET.length] + body;
  return body;
}

/** A deterministic entities file: one valid row per entity, spread over Guangdong's districts. */
async function writeEntities(path: string, rows: number): Promise<void> {
  const reference = readReference();
  const places = reference.regions.filter((r) => r.level === 'district' || r.code === '441900' || r.code === '442000').map((r) => r.code);
  const departments = reference.departments.map((d) => d.code);
  const types = ['enterprise', 'individual', 'cooperative'];
  const out = createWriteStream(path);
  out.write('uscc,name,entity_type,legal_representative,region_code,industry_code,established_on,status,responsible_departments\n');
  let buffer = '';
  for (let i = 0; i < rows; i++) {
    const type = i % 7 < 3 ? 0 : i % 7 < 6 ? 1 : 2;
    const region = places[(i * 7919) % places.length];
    const uscc = makeUscc('9', String(type + 1), region, orgBody(i));
    const day = `${2000 + (i % 25)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    const depts = i % 3 === 0 ? `SAMR;${departments[1 + (i % (departments.length - 1))]}` : 'SAMR';
    buffer += `${uscc},广东某某${i}号商贸有限公司,${types[type]},张${i % 1000},${region},${'ABCDEFGHIJKLMNOPQRST'[i % 20]},${day},${i % 40 === 0 ? 'deregistered' : 'active'},${depts}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

function line(label: string, report: ImportReport, cpuMs: number): string {
  const rate = Math.round(report.rows / (report.elapsedMs / 1000));
  return (
    `${label}: ${report.rows.toLocaleString('en-US')} rows in ${report.elapsedMs.toLocaleString('en-US')} ms = ${rate.toLocaleString('en-US')} rows/s ` +
    `(read+validate+stage ${report.phaseMs.read} ms, checks ${report.phaseMs.check} ms, write ${report.phaseMs.write} ms; CPU ${Math.round(cpuMs)} ms); ` +
    `accepted ${report.accepted}, updated ${report.updated}, unchanged ${report.unchanged}, rejected ${report.rejectedRows}`
  );
}

export async function run(args: string[]): Promise<void> {
  const rows = Number(flag(args, 'rows') ?? 1_000_000);
  const given = flag(args, 'file');
  const kind = flag(args, 'kind') ?? 'entities';
  const dir = mkdtempSync(join(tmpdir(), 'fairdraw-bench-import-'));
  try {
    const file = given ?? join(dir, 'entities.csv');
    if (!given) {
      const started = Date.now();
      await writeEntities(file, rows);
      console.log(`wrote ${file}: ${rows.toLocaleString('en-US')} rows, ${(statSync(file).size / 1e6).toFixed(1)} MB in ${Date.now() - started} ms`);
    }
    const db = await Db.open({ path: join(dir, 'bench.duckdb') });
    try {
      await db.transaction((tx) => loadReference(tx));
      for (const label of ['first import (all new)', 'second import (all unchanged)']) {
        const cpu = process.cpuUsage();
        const report = await importFile(db, { kind, file });
        const used = process.cpuUsage(cpu);
        console.log(line(label, report, (used.user + used.system) / 1000));
      }
    } finally {
      db.close();
    }
    console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (node and DuckDB, one process)`);
  } finally {
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}
