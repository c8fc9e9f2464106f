// Evidence files bound to the audit chain: a result's photos, scans and documents live beside the database named by their
// SHA-256 (results/evidence.ts stores them), and each addition's audit entry records that hash. The check walks those
// entries: every file is there with those bytes, and its row still names that hash.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync } from 'node:fs';
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

export interface EvidenceVerdict {
  ok: boolean;
  files: number;
  problems: EvidenceProblem[];
}

/** Checks every evidence file against the hash its audit entry recorded (the chain itself is checked by verifyAudit). */
export async function verifyEvidence(db: Db): Promise<EvidenceVerdict> {
  const audited = await db.query<{ evidence_id: string; sha256: string }>(
    sql`SELECT payload->>'evidenceId' AS evidence_id, payload->>'sha256' AS sha256 FROM audit_log WHERE action = 'result.evidence' ORDER BY seq`,
  );
  const rows = new Map((await db.query<{ id: string; sha256: string }>(sql`SELECT id, sha256 FROM result_evidence`)).map((r) => [r.id, r.sha256]));
  const dir = evidenceDir(db);
  const problems: EvidenceProblem[] = [];
  const checked = new Map<string, boolean>();
  for (const { evidence_id: evidenceId, sha256 } of audited) {
    const row = rows.get(evidenceId);
    rows.delete(evidenceId);
    if (row === undefined) problems.push({ evidenceId, sha256, problem: 'row_missing' });
    else if (row !== sha256) problems.push({ evidenceId, sha256, problem: 'row_changed' });
    const path = evidenceFile(dir, sha256);
    let intact = checked.get(sha256);
    if (intact === undefined) checked.set(sha256, (intact = existsSync(path) && (await sha256OfFile(path)) === sha256));
    if (!intact) problems.push({ evidenceId, sha256, problem: existsSync(path) ? 'file_changed' : 'file_missing' });
  }
  for (const [evidenceId, sha256] of rows) problems.push({ evidenceId, sha256, problem: 'not_audited' });
  return { ok: problems.length === 0, files: audited.length, problems };
}
