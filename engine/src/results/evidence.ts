// Evidence kept with a result (全过程留痕): photos, scans and documents from the site. The bytes are stored once, as files
// beside the database named by their SHA-256 (`<db>.evidence/ab/abcd…`); result_evidence lists them per result, and
// each addition's audit entry carries the hash, so `audit verify` (audit/evidence.ts) shows any later change to a file
// or its row.
// Evidence is internal: the inspecting department, leaders, auditors and admins see it; no public route reads it.
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileTypeFromFile } from 'file-type';
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { appendAudit } from '../audit/chain.ts';
import { evidenceDir, evidenceFile, sha256OfFile } from '../audit/evidence.ts';
import { EngineError, bilingual } from '../kernel/errors.ts';
import type { Principal, Role } from '../auth/roles.ts';
import { getResult, requireInspectingDepartment, ResultForbiddenError, ResultInputError, ResultNotFoundError, ResultStateError, type WriteOptions } from './results.ts';
import type { Evidence, ResultKey } from './schemas.ts';

/** What a file may be: sniffed from its first bytes, never taken from the sender's name or header. */
export const EVIDENCE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
/** Per file. Photos are downscaled in the browser before they are sent (web/src/lib/evidence.ts), so this is for scans. */
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;
export const EVIDENCE_MAX_PER_RESULT = 20;
/** A phone's clock may run a little ahead of the server's. */
const CLOCK_SKEW_MS = 10 * 60 * 1000;

/**
 * Roles that read every department's evidence; an operator reads its own department's. This is the rule; the coarse
 * gate of the evidence and visit-sheet routes (api/roles.ts ON_SITE_READERS) is derived from it.
 */
export const EVIDENCE_READERS: readonly Role[] = ['admin', 'leader', 'auditor'];

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Copies `source` into the store under its hash: written to a temporary name, flushed, then renamed, so a crash
 * leaves either no file or the whole one. A file already stored (same bytes) is kept as it is.
 */
export async function storeEvidenceFile(dir: string, source: string): Promise<string> {
  const sha256 = await sha256OfFile(source);
  const target = evidenceFile(dir, sha256);
  if (existsSync(target)) return sha256;
  mkdirSync(dirname(target), { recursive: true });
  const incoming = join(dirname(target), `.incoming-${randomBytes(6).toString('hex')}`);
  try {
    copyFileSync(source, incoming);
    fsyncPath(incoming);
    renameSync(incoming, target);
    fsyncPath(dirname(target));
  } finally {
    rmSync(incoming, { force: true });
  }
  return sha256;
}

interface EvidenceRow {
  id: string;
  result_id: string;
  sha256: string;
  filename: string;
  media_type: string;
  bytes: number;
  taken_by: string;
  taken_at: Date;
  added_by: string;
  added_at: Date;
}

function toEvidence(r: EvidenceRow): Evidence {
  return {
    id: r.id,
    number: Number(r.id.slice(r.id.lastIndexOf('|') + 1)),
    sha256: r.sha256,
    filename: r.filename,
    mediaType: r.media_type,
    bytes: Number(r.bytes),
    takenBy: r.taken_by,
    takenAt: r.taken_at,
    addedBy: r.added_by,
    addedAt: r.added_at,
  };
}

const EVIDENCE_SELECT = sql`SELECT id, result_id, sha256, filename, media_type, bytes, taken_by, taken_at, added_by, added_at FROM result_evidence`;

/** Who took a file and when, as the sender declares it (default: the sender, now). */
export interface EvidenceSource {
  takenBy?: string;
  takenAt?: string;
}

function checkTakenAt(value: string | undefined, now: Date): Date {
  if (value === undefined) return now;
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(at.getTime()))
    throw new ResultInputError('takenAt', value, '须为 ISO 8601 时间，如 2026-03-02T10:15:00+08:00 / must be an ISO 8601 time such as 2026-03-02T10:15:00+08:00');
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) throw new ResultInputError('takenAt', value, '不能晚于现在 / cannot be in the future');
  return at;
}

/**
 * Attaches one file to an entered result, as the inspecting department (or an admin). The file is checked (type from its
 * bytes, size), stored under its hash, listed, and recorded in the audit chain with that hash, in one transaction.
 */
export async function addEvidence(db: Db, key: ResultKey, file: { path: string; filename: string }, source: EvidenceSource, options: WriteOptions): Promise<Evidence> {
  const now = options.now ?? new Date();
  const result = await getResult(db, key);
  requireInspectingDepartment(options.actor, result.departmentCode, key);
  const bytes = statSync(file.path).size;
  if (bytes === 0) throw new ResultInputError('file', file.filename, '文件为空 / the file is empty');
  if (bytes > EVIDENCE_MAX_BYTES)
    throw new ResultInputError('file', file.filename, `文件 ${bytes} 字节，超过 ${EVIDENCE_MAX_BYTES} 字节上限 / ${bytes} bytes, over the ${EVIDENCE_MAX_BYTES}-byte limit`);
  const mediaType = (await fileTypeFromFile(file.path))?.mime;
  if (!mediaType || !(EVIDENCE_MEDIA_TYPES as readonly string[]).includes(mediaType))
    throw new ResultInputError(
      'file',
      file.filename,
      `文件内容为 ${mediaType ?? '未知类型'}，只接受 JPEG、PNG、WebP 图片和 PDF / the content is ${mediaType ?? 'of unknown type'}; only JPEG, PNG and WebP images and PDF are accepted`,
    );
  const takenBy = (source.takenBy ?? options.actor.username).trim();
  if (takenBy === '' || takenBy.length > 64) throw new ResultInputError('takenBy', source.takenBy, '须为 1–64 个字符 / must be 1 to 64 characters');
  const takenAt = checkTakenAt(source.takenAt, now);
  const sha256 = await storeEvidenceFile(evidenceDir(db), file.path);

  return db.transaction(async (tx) => {
    const counted = await tx.one<{ n: number; last: number }>(
      sql`SELECT count(*)::INTEGER AS n, coalesce(max(CAST(split_part(id, '|', 4) AS INTEGER)), 0) AS last FROM result_evidence WHERE result_id = ${result.id}`,
    );
    if (counted!.n >= EVIDENCE_MAX_PER_RESULT)
      throw new ResultStateError('result.evidence_full', `结果 ${result.id} 已有 ${counted!.n} 个证据文件，已达上限 / result ${result.id} already holds ${counted!.n} evidence files, the limit`, { ...key, limit: EVIDENCE_MAX_PER_RESULT });
    const row: EvidenceRow = {
      id: `${result.id}|${counted!.last + 1}`,
      result_id: result.id,
      sha256,
      filename: file.filename,
      media_type: mediaType,
      bytes,
      taken_by: takenBy,
      taken_at: takenAt,
      added_by: options.actor.username,
      added_at: now,
    };
    await tx.exec(sql`INSERT INTO result_evidence (id, result_id, sha256, filename, media_type, bytes, taken_by, taken_at, added_by, added_at)
      VALUES (${row.id}, ${row.result_id}, ${sha256}, ${row.filename}, ${mediaType}, ${bytes}, ${takenBy}, ${takenAt.toISOString()}::TIMESTAMPTZ,
              ${row.added_by}, ${now.toISOString()}::TIMESTAMPTZ)`);
    await appendAudit(tx, {
      actor: options.actor.username,
      action: 'result.evidence',
      subject: result.id,
      payload: { resultId: result.id, ...key, evidenceId: row.id, sha256, bytes, mediaType, filename: file.filename, takenBy, takenAt: takenAt.toISOString() },
    });
    return toEvidence(row);
  });
}

/** Leaders, admins and the inspecting department's operators read a result's evidence. */
function requireEvidenceReader(actor: Principal, departmentCode: string, key: ResultKey): void {
  if (EVIDENCE_READERS.includes(actor.role)) return;
  if (actor.role === 'operator' && actor.department === departmentCode) return;
  throw new ResultForbiddenError(
    'result.evidence_forbidden',
    `证据仅检查部门（${departmentCode}）、领导和审计人员可见 / evidence is seen by the inspecting department (${departmentCode}), leaders and auditors only`,
    { ...key, inspectingDepartment: departmentCode },
  );
}

/** The evidence of one result, oldest first. */
export async function listEvidence(q: Queryable, actor: Principal, key: ResultKey): Promise<Evidence[]> {
  const result = await getResult(q, key);
  requireEvidenceReader(actor, result.departmentCode, key);
  const rows = await q.query<EvidenceRow>(sql`${EVIDENCE_SELECT} WHERE result_id = ${result.id} ORDER BY added_at, id`);
  return rows.map(toEvidence);
}

/** One evidence file to send: its listing and the path of its bytes. */
export async function openEvidence(db: Db, actor: Principal, key: ResultKey, number: number): Promise<{ evidence: Evidence; path: string }> {
  const evidence = (await listEvidence(db, actor, key)).find((e) => e.number === number);
  if (!evidence) throw new ResultNotFoundError('result.evidence_not_found', `证据 ${number} 不存在 / no evidence number ${number} on this result`, { ...key, number });
  const path = evidenceFile(evidenceDir(db), evidence.sha256);
  if (!existsSync(path))
    throw new EngineError('conflict', 'result.evidence_missing', bilingual(`证据文件 ${evidence.sha256} 不在存储中，请运行 fairdraw audit verify / the file ${evidence.sha256} is missing from the store; run fairdraw audit verify`), { sha256: evidence.sha256 });
  return { evidence, path };
}
