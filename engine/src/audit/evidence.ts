// Evidence files bound to the audit chain: a result's photos, scans and documents live beside the database named by their
// SHA-256 (results/evidence.ts stores them), and each addition's audit entry records that hash. The check walks those
// entries: every file is there with those bytes, and its row still names that hash.
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';

const memoryDirs = new WeakMap<Db, string>();

/** The folder holding `db`'s evidence files: beside the database file (a private temporary folder for an in-memory one). */
export function evidenceDir(db: Db): string {
  if (db.path !== ':memory:') return `${db.path}.evidence`;
  let dir = memoryDirs.get(db);
  if (!dir) memoryDirs.set(db, (dir = mkdtempSync(join(tmpdir(), 'fairdraw-evidence-'))));
  return dir;
}

export function evidenceFile(dir: string, sha256: string): string {
  return join(dir, sha256.slice(0, 2), sha256);
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface EvidenceProblem {
  evidenceId: string;
  sha256: string;
  problem: 'file_missing' | 'file_changed' | 'row_changed' | 'row_missing' | 'not_audited';
}

/**
 * How the bytes are checked. 'full' re-hashes every file (`fairdraw audit verify`, restore). 'cached' is the quick
 * check of the dashboard's audit page, run on every visit: a file is re-hashed only when its size or modification
 * time differs from when this process last hashed it, so an unchanged photo store is not read again.
 */
export type EvidenceHashing = 'full' | 'cached';

export interface EvidenceVerdict {
  ok: boolean;
  files: number;
  hashing: EvidenceHashing;
  problems: EvidenceProblem[];
}

// Per process: a stored file's hash as last read, with the size and modification time it had then.
const hashedFiles = new Map<string, { size: number; mtimeMs: number; sha256: string }>();

/** The hash of the file at `path` (undefined when there is none), from the per-process cache when `hashing` allows. */
async function storedHash(path: string, hashing: EvidenceHashing): Promise<string | undefined> {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return undefined;
  const known = hashedFiles.get(path);
  if (hashing === 'cached' && known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return known.sha256;
  const sha256 = await sha256OfFile(path);
  hashedFiles.set(path, { size: stat.size, mtimeMs: stat.mtimeMs, sha256 });
  return sha256;
}

/** Checks every evidence file against the hash its audit entry recorded (the chain itself is checked by verifyAudit). */
export async function verifyEvidence(db: Db, hashing: EvidenceHashing = 'full'): Promise<EvidenceVerdict> {
  const audited = await db.query<{ evidence_id: string; sha256: string }>(
    sql`SELECT payload->>'evidenceId' AS evidence_id, payload->>'sha256' AS sha256 FROM audit_log WHERE action = 'result.evidence' ORDER BY seq`,
  );
  const rows = new Map((await db.query<{ id: string; sha256: string }>(sql`SELECT id, sha256 FROM result_evidence`)).map((r) => [r.id, r.sha256]));
  const dir = evidenceDir(db);
  const problems: EvidenceProblem[] = [];
  const found = new Map<string, string | undefined>();
  for (const { evidence_id: evidenceId, sha256 } of audited) {
    const row = rows.get(evidenceId);
    rows.delete(evidenceId);
    if (row === undefined) problems.push({ evidenceId, sha256, problem: 'row_missing' });
    else if (row !== sha256) problems.push({ evidenceId, sha256, problem: 'row_changed' });
    if (!found.has(sha256)) found.set(sha256, await storedHash(evidenceFile(dir, sha256), hashing));
    const stored = found.get(sha256);
    if (stored !== sha256) problems.push({ evidenceId, sha256, problem: stored === undefined ? 'file_missing' : 'file_changed' });
  }
  for (const [evidenceId, sha256] of rows) problems.push({ evidenceId, sha256, problem: 'not_audited' });
  return { ok: problems.length === 0, files: audited.length, hashing, problems };
}
