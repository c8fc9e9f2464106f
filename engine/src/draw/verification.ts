// fd1 verification as the dashboard asks for it: a stored draw exported to a private temporary folder and checked by
// the independent verifier (kept a while: its files cannot change and the check is costly at 18 M entities), or an
// uploaded zip of the six published files. Both answer in one sentence: "fd1 verified", or the first mismatch.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Queryable } from '../db/duckdb.ts';
import { exportDraw, type DrawPackage } from './export.ts';
import type { Principal } from '../auth/roles.ts';
import { EngineError } from '../kernel/errors.ts';
import { drawFor, mayDownloadAuditorPackage } from './operations.ts';
import type { VerifyAnswer } from './schemas.ts';
import type { VerifyReport } from './verify/report.ts';
import { verifyDraw } from './verify/verify.ts';
import { unzipDrawFiles, zipDrawFiles } from './zip.ts';

/** A stored draw's verification is kept this long. */
export const VERIFY_CACHE_MS = 10 * 60 * 1000;
/** The six files of an uploaded zip unpack to at most this (population.csv is about 400 MB at 18 M entities). */
export const VERIFY_UNZIPPED_MAX_BYTES = 4 * 1024 ** 3;

/** The verifier's report as one answer: "fd1 verified", or the first mismatch with its file, line and content. */
export function verifyAnswer(report: VerifyReport, checkedAt: Date): VerifyAnswer {
  const first = report.firstMismatch;
  const where = first ? `${first.file ?? ''}${first.line ? ` line ${first.line}` : ''}${first.content !== undefined ? `: ${first.content}` : ''}` : '';
  return {
    verified: report.ok,
    message: first ? `${first.title}: ${where ? `${where}: ` : ''}${first.detail}` : (report.verdict ?? 'verified'),
    ...(first ? { firstMismatch: first } : {}),
    checks: report.checks,
    warnings: report.warnings,
    engine: report.engine,
    elapsedMs: report.elapsedMs,
    checkedAt,
  };
}

/** Refuses the auditor package to a caller outside AUDITOR_PACKAGE_ROLES (draw/operations.ts). */
export function assertAuditorPackage(caller: Principal, drawId: string): void {
  if (mayDownloadAuditorPackage(caller)) return;
  throw new EngineError(
    'forbidden',
    'draw.auditor_package_forbidden',
    {
      zh: `抽取 ${drawId} 的审计包含秘密值和风险分层，只提供给审计人员和管理员；请下载公众包。`,
      en: `The auditor package of ${drawId} holds the secret and the risk tiers: only auditors and admins may download it; download the public package.`,
    },
    { drawId, role: caller.role },
  );
}

/** Exports a draw's package into a fresh temporary folder (internal: the caller passed the department check). */
async function exportToTemp(q: Queryable, drawId: string, pkg: DrawPackage): Promise<{ dir: string; files: string[]; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'fairdraw-export-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const exported = await exportDraw(q, drawId, dir, { package: pkg });
    return { dir, files: exported.files, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

/**
 * A draw's package as a zip stream, for a caller who may see the draw: the public package (what the portal shows at
 * this moment) for anyone, the auditor package for auditors and admins only. The temporary export is removed once
 * the stream ends or fails; `cleanup` removes it sooner (the download was cut off).
 */
export async function drawZipFor(
  q: Queryable,
  caller: Principal,
  drawId: string,
  pkg: DrawPackage = 'public',
): Promise<{ filename: string; stream: Readable; cleanup(): void }> {
  const draw = await drawFor(q, caller, drawId);
  if (pkg === 'auditor') assertAuditorPackage(caller, draw.id);
  const exported = await exportToTemp(q, draw.id, pkg);
  const stream = zipDrawFiles(exported.dir, draw.drawnAt ?? draw.committedAt, exported.files);
  stream.once('end', exported.cleanup);
  stream.once('error', exported.cleanup);
  return { filename: `${draw.id}-${draw.protocol}-${pkg}.zip`, stream, cleanup: exported.cleanup };
}

/** Stored draws' verification, shared by concurrent requests and kept VERIFY_CACHE_MS per (draw, draw time). */
export class StoredDrawVerifier {
  private readonly kept = new Map<string, { at: number; answer: Promise<VerifyAnswer> }>();

  constructor(private readonly q: Queryable) {}

  /** The verification of a drawn draw the caller may see. */
  async verifyFor(caller: Principal, drawId: string): Promise<VerifyAnswer> {
    const draw = await drawFor(this.q, caller, drawId);
    const key = `${draw.id}|${draw.drawnAt?.toISOString()}`;
    const cached = this.kept.get(key);
    if (cached && Date.now() - cached.at < VERIFY_CACHE_MS) return { drawId: draw.id, ...(await cached.answer) };
    const answer = (async () => {
      const exported = await exportToTemp(this.q, draw.id, 'auditor');
      try {
        return verifyAnswer(await verifyDraw(exported.dir), new Date());
      } finally {
        exported.cleanup();
      }
    })();
    this.kept.set(key, { at: Date.now(), answer });
    answer.catch(() => this.kept.delete(key));
    return { drawId: draw.id, ...(await answer) };
  }
}

/** Unpacks an uploaded zip into `workDir/files` (refusing anything but the six files) and verifies them. */
export async function verifyDrawZip(zipPath: string, workDir: string): Promise<VerifyAnswer> {
  const dir = join(workDir, 'files');
  mkdirSync(dir);
  await unzipDrawFiles(zipPath, dir, { maxUncompressedBytes: VERIFY_UNZIPPED_MAX_BYTES });
  return verifyAnswer(await verifyDraw(dir), new Date());
}
