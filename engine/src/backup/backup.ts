// Backup and restore of the whole database. A backup is a DuckDB file written by the engine's own instance in one
// transaction (COPY FROM DATABASE: a consistent snapshot while the server keeps serving and writing); a restore copies
// it into a fresh file, brings its schema up to date, checks the audit chain and re-verifies every draw (fd1) before
// the file takes the target's name. The heads file beside the database (audit/heads.ts) and the result evidence (files
// beside it, named by their hash) travel with it: a backup carries copies, and a restore checks the restored chain against
// the heads and every evidence file against its audited hash before they sit beside the target.
import { copyFileSync, cpSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { openDatabase } from '../open.ts';
import { verifyAudit } from '../audit/chain.ts';
import { checkHeads, headsFileOf, readHeads } from '../audit/heads.ts';
import { evidenceDir, verifyEvidence } from '../audit/evidence.ts';
import { StoredDrawVerifier } from '../draw/verification.ts';
import type { Principal } from '../auth/roles.ts';

const ATTACHED = 'fairdraw_backup';
/** The verifier may read every draw, whatever its department. */
const RESTORE_CHECK: Principal = { username: 'restore', role: 'admin', department: null };

export interface BackupReport {
  file: string;
  bytes: number;
  elapsedMs: number;
}

export interface RestoreReport {
  file: string;
  auditEntries: number;
  /** Evidence files restored, each checked against the hash its audit entry recorded. */
  evidenceFiles: number;
  /** Every draw that was run, re-verified from its stored population, pools and selection. */
  drawsVerified: number;
  elapsedMs: number;
}

export class BackupError extends Error {}

/** Writes a consistent copy of `db` to `file` (which must not exist yet). */
export async function backupDatabase(db: Db, file: string): Promise<BackupReport> {
  const started = Date.now();
  if (existsSync(file)) throw new BackupError(`${file} exists: a backup is written to a new file`);
  const conn = await db.connection();
  try {
    const source = (await conn.one<{ name: string }>(sql`SELECT current_database() AS name`))!.name;
    await conn.exec(sql`ATTACH ${sql.literal(file)} AS ${sql.id(ATTACHED)} (READ_WRITE)`);
    try {
      await conn.exec(sql`COPY FROM DATABASE ${sql.id(source)} TO ${sql.id(ATTACHED)}`);
    } finally {
      await conn.exec(sql`DETACH ${sql.id(ATTACHED)}`);
    }
    // Files are only ever added under new names, so copying after the snapshot holds every file it lists.
    if (existsSync(evidenceDir(db))) cpSync(evidenceDir(db), `${file}.evidence`, { recursive: true, errorOnExist: true, force: false });
  } catch (err) {
    rmSync(file, { force: true });
    rmSync(`${file}.wal`, { force: true });
    rmSync(`${file}.evidence`, { recursive: true, force: true });
    throw err;
  } finally {
    conn.close();
  }
  const heads = headsFileOf(db.path);
  if (heads && existsSync(heads)) copyFileSync(heads, headsFileOf(file)!);
  return { file, bytes: statSync(file).size, elapsedMs: Date.now() - started };
}

/** Restores `backup` as `target` (which must not exist), checked before it takes that name. */
export async function restoreDatabase(backup: string, target: string): Promise<RestoreReport> {
  const started = Date.now();
  if (!existsSync(backup)) throw new BackupError(`${backup} does not exist`);
  if (existsSync(target)) throw new BackupError(`${target} exists: restore into a new file, then point FAIRDRAW_DB (or --db) at it`);
  const targetHeads = headsFileOf(target)!;
  if (existsSync(targetHeads)) throw new BackupError(`${targetHeads} exists: the restored database's heads file would replace published heads`);
  const staging = `${target}.restoring`;
  rmSync(staging, { force: true });
  rmSync(`${staging}.evidence`, { recursive: true, force: true });
  copyFileSync(backup, staging);
  if (existsSync(`${backup}.evidence`)) cpSync(`${backup}.evidence`, `${staging}.evidence`, { recursive: true });
  let db: Db | undefined;
  try {
    db = await openDatabase({ path: staging });
    const audit = await verifyAudit(db);
    if (!audit.ok) throw new BackupError(`the backup's audit chain is broken at entry ${audit.seq}: ${audit.problem}`);
    const heads = readHeads(headsFileOf(backup)!);
    const headProblems = await checkHeads(db, heads, headsFileOf(backup)!);
    if (headProblems.length > 0) throw new BackupError(`the backup's audit chain does not reach its published heads: ${headProblems.map((p) => p.message).join('; ')}`);
    const evidence = await verifyEvidence(db);
    if (!evidence.ok) {
      const p = evidence.problems[0];
      throw new BackupError(`the backup's evidence ${p.evidenceId} (${p.sha256}) fails its audited hash: ${p.problem} (${evidence.problems.length} problems)`);
    }
    const verifier = new StoredDrawVerifier(db);
    const drawn = await db.query<{ id: string }>(sql`SELECT id FROM draws WHERE drawn_at IS NOT NULL ORDER BY id`);
    for (const { id } of drawn) {
      const answer = await verifier.verifyFor(RESTORE_CHECK, id);
      if (!answer.verified) throw new BackupError(`draw ${id} does not verify in the backup: ${answer.message}`);
    }
    await db.checkpoint();
    db.close();
    db = undefined;
    if (existsSync(`${staging}.evidence`)) renameSync(`${staging}.evidence`, `${target}.evidence`);
    renameSync(staging, target);
    if (heads.length > 0) copyFileSync(headsFileOf(backup)!, targetHeads);
    return { file: target, auditEntries: audit.entries, evidenceFiles: evidence.files, drawsVerified: drawn.length, elapsedMs: Date.now() - started };
  } catch (err) {
    db?.close();
    rmSync(staging, { force: true });
    rmSync(`${staging}.wal`, { force: true });
    rmSync(`${staging}.evidence`, { recursive: true, force: true });
    throw err;
  }
}
