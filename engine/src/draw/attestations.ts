// Auditors' attestations (docs/fd2.md §6): an auditor has the server verify a draw's auditor package, either built
// from the database ('dashboard') or uploaded as the zip of a CLI export ('upload'); the server never trusts an
// uploaded verdict. Each attestation keeps the package's hash and the verifier's report, with its audit entry; the
// public draw page lists them by role and department, never by name.
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { appendAudit } from '../audit/chain.ts';
import { EngineError } from '../kernel/errors.ts';
import type { Principal } from '../auth/roles.ts';
import { DRAW_FILES } from './files.ts';
import { drawFor } from './operations.ts';
import { exportDraw } from './export.ts';
import { verifyAnswer, VERIFY_UNZIPPED_MAX_BYTES } from './verification.ts';
import { verifyDraw } from './verify/verify.ts';
import { unzipDrawFiles } from './zip.ts';
import type { Attestation, AttestationSource, PublicAttestation } from './schemas.ts';

export type { Attestation, AttestationSource, PublicAttestation };
import type { DrawDetail } from './lifecycle.ts';

/** SHA-256 of a file's bytes, streamed (population.csv is about 400 MB at 18 M entities). */
async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * A package's hash (docs/fd2.md §6): SHA-256 over its files sorted by name, each as name, tab, the SHA-256 of its
 * bytes, newline. It does not depend on how the files were archived, so a CLI export and its zip hash the same.
 */
export async function packageSha256(dir: string, files: readonly string[]): Promise<string> {
  const lines: string[] = [];
  for (const name of [...files].sort()) lines.push(`${name}\t${await fileSha256(join(dir, name))}\n`);
  return createHash('sha256').update(lines.join(''), 'utf8').digest('hex');
}

/** Only auditors attest: an admin can change the data it would vouch for, so it is not independent. */
function assertAuditor(caller: Principal): void {
  if (caller.role === 'auditor') return;
  throw new EngineError(
    'forbidden',
    'attestation.auditor_only',
    { zh: '只有审计人员（纪检监察、审计）可以记录核验结论；管理员能改动数据，不是独立的核验人。', en: 'Only auditors may record an attestation: an admin can change the data, so it is not independent.' },
    { role: caller.role },
  );
}

/**
 * Refuses an uploaded package that is not this draw's auditor package, naming the manifest field that differs:
 * `package` (a public package cannot be fully recomputed), `task_id` or `commitment`.
 */
export function assertPackageOfDraw(manifest: Record<string, unknown>, draw: Pick<DrawDetail, 'id' | 'taskId' | 'commitment' | 'protocol'>): void {
  const expected: Array<[string, unknown]> = [
    ['protocol', draw.protocol],
    ...(draw.protocol === 'fd2' ? ([['package', 'auditor']] as Array<[string, unknown]>) : []),
    ['task_id', draw.taskId],
    ['commitment', draw.commitment],
  ];
  for (const [field, value] of expected) {
    if (manifest[field] === value) continue;
    throw new EngineError(
      'invalid',
      'attestation.other_package',
      {
        zh: `上传的包不是抽取 ${draw.id} 的审计包：manifest.json 的 ${field} 为 ${JSON.stringify(manifest[field] ?? null)}，应为 ${JSON.stringify(value)}。`,
        en: `The uploaded package is not the auditor package of ${draw.id}: manifest.json has ${field} ${JSON.stringify(manifest[field] ?? null)}, expected ${JSON.stringify(value)}.`,
      },
      { drawId: draw.id, field, found: JSON.stringify(manifest[field] ?? null), expected: JSON.stringify(value) },
    );
  }
}

interface AttestationRow {
  id: number;
  draw_id: string;
  username: string;
  role: string;
  department: string | null;
  attested_at: Date;
  package_sha256: string;
  result: 'pass' | 'fail';
  report: string;
  source: AttestationSource;
}

const toAttestation = (r: AttestationRow): Attestation => ({
  id: Number(r.id),
  drawId: r.draw_id,
  username: r.username,
  role: r.role,
  department: r.department,
  attestedAt: new Date(r.attested_at),
  packageSha256: r.package_sha256,
  result: r.result,
  source: r.source,
  report: typeof r.report === 'string' ? JSON.parse(r.report) : r.report,
});

/** Verifies the auditor package in `dir` and records the attestation with its audit entry, in one transaction. */
async function attest(db: Db, caller: Principal, draw: DrawDetail, dir: string, source: AttestationSource): Promise<Attestation> {
  const packageHash = await packageSha256(dir, DRAW_FILES);
  const report = verifyAnswer(await verifyDraw(dir), new Date());
  const result = report.verified ? 'pass' : 'fail';
  const attestedAt = new Date();
  return db.transaction(async (tx) => {
    const id = Number((await tx.one<{ next: number }>(sql`SELECT coalesce(max(id), 0) + 1 AS next FROM draw_attestations`))!.next);
    await tx.exec(sql`INSERT INTO draw_attestations (id, draw_id, username, role, department, attested_at, package_sha256, result, report, source)
      VALUES (${id}, ${draw.id}, ${caller.username}, ${caller.role}, ${caller.department}, ${attestedAt.toISOString()}::TIMESTAMPTZ, ${packageHash}, ${result}, ${JSON.stringify(report)}::JSON, ${source})`);
    await appendAudit(tx, {
      actor: caller.username,
      action: 'draw.attest',
      subject: draw.id,
      payload: { drawId: draw.id, attestation: id, role: caller.role, department: caller.department, packageSha256: packageHash, result, source, verdict: report.message },
    });
    return { id, drawId: draw.id, username: caller.username, role: caller.role, department: caller.department, attestedAt, packageSha256: packageHash, result, source, report };
  });
}

/** An auditor's attestation of a drawn draw, the server building its auditor package from the database ('dashboard'). */
export async function attestStoredDraw(db: Db, caller: Principal, drawId: string): Promise<Attestation> {
  assertAuditor(caller);
  const draw = await drawFor(db, caller, drawId);
  const dir = mkdtempSync(join(tmpdir(), 'fairdraw-attest-'));
  try {
    await exportDraw(db, draw.id, dir, { package: 'auditor' });
    return await attest(db, caller, draw, dir, 'dashboard');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An auditor's attestation of an uploaded zip of the draw's auditor package ('upload'), verified here again. */
export async function attestUploadedPackage(db: Db, caller: Principal, drawId: string, zipPath: string, workDir: string): Promise<Attestation> {
  assertAuditor(caller);
  const draw = await drawFor(db, caller, drawId);
  const dir = join(workDir, 'package');
  mkdirSync(dir);
  await unzipDrawFiles(zipPath, dir, { maxUncompressedBytes: VERIFY_UNZIPPED_MAX_BYTES });
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  } catch (err) {
    throw new EngineError('invalid', 'attestation.other_package', { zh: `manifest.json 不是有效的 JSON：${(err as Error).message}`, en: `manifest.json is not valid JSON: ${(err as Error).message}` }, { drawId: draw.id, field: 'manifest.json' });
  }
  assertPackageOfDraw(manifest, draw);
  return attest(db, caller, draw, dir, 'upload');
}

/** A draw's attestations, oldest first, for the dashboard (the caller passed the draw's department check). */
export async function attestationsOf(q: Queryable, drawId: string): Promise<Attestation[]> {
  const rows = await q.query<AttestationRow>(sql`SELECT * FROM draw_attestations WHERE draw_id = ${drawId} ORDER BY id`);
  return rows.map(toAttestation);
}

/** A draw's attestations as the public sees them: no username, no report. */
export async function publicAttestationsOf(q: Queryable, drawId: string): Promise<PublicAttestation[]> {
  return (await attestationsOf(q, drawId)).map(({ role, department, attestedAt, packageSha256, result, source }) => ({ role, department, attestedAt, packageSha256, result, source }));
}

/** The attestations of a draw the caller may see. */
export async function attestationsFor(q: Queryable, caller: Principal, drawId: string): Promise<Attestation[]> {
  const draw = await drawFor(q, caller, drawId);
  return attestationsOf(q, draw.id);
}
