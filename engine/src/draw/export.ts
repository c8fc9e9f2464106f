// Exports a draw's package (files.ts writes them): the auditor package (fd1's six files; for fd2 with the auditor
// manifest), with population.csv written by DuckDB from the frozen population and its digest checked against the
// commitment's; or the public package (fd2 §3): the public manifest, and selected.csv once the window has closed. A
// draw whose strata are not confidential publishes its auditor package once the window has closed, as fd1 did.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { defaultCap, quotaEntry, type StratumQuota } from './fd1.ts';
import { copyPopulationCsv, DRAW_FILES, PUBLIC_FILES, recordDigestSalt, writeDrawFiles, writePublicFiles, type AuditHeads, type DrawRecord, type PublicRecord } from './files.ts';
import { getDraw, isPublished, populationSource, requireEngine, type DrawDetail } from './lifecycle.ts';
import { loadExclusions, loadPools, taskCaps } from './matching.ts';
import { DrawStateError } from './plans.ts';

/** auditor: everything for full recomputation (auditors, the CLI, internal verification); public: what anyone may see. */
export type DrawPackage = 'auditor' | 'public';

export interface ExportOptions {
  /** Default 'public'. */
  package?: DrawPackage;
  now?: Date;
  /** Writes population.csv for a draw whose population lives outside DuckDB (engine/src/cluster); required for one. */
  writePopulation?: (path: string, salt: string) => Promise<{ rows: number; digest: string }>;
}

export interface ExportResult {
  drawId: string;
  dir: string;
  package: DrawPackage;
  files: string[];
  populationRows: number;
  selected: number;
  teamMembers: number;
}

/** The audit chain's head just after the draw's commitment and run were recorded: their own entries (fd2 §4). */
export async function auditHeadsOf(q: Queryable, drawId: string): Promise<AuditHeads> {
  const rows = await q.query<{ action: string; seq: number; hash: string }>(
    sql`SELECT action, seq, hash FROM audit_log WHERE subject = ${drawId} AND action IN ('draw.commit', 'draw.run') ORDER BY seq`,
  );
  const heads: AuditHeads = {};
  for (const r of rows) heads[r.action === 'draw.commit' ? 'commit' : 'draw'] = { seq: Number(r.seq), hash: r.hash };
  return heads;
}

const strataOf = (draw: DrawDetail): StratumQuota[] =>
  draw.strata.map((s) => {
    const spec = s.count !== undefined ? { stratum: s.stratum, count: s.count } : { stratum: s.stratum, ratioBp: s.ratio_bp as number };
    // Before the run the quota is not stored yet; it follows from the frozen eligible count (fd1 §3).
    return s.quota !== undefined ? { ...spec, eligible: s.eligible, quota: s.quota } : quotaEntry(spec, s.eligible);
  });

/** The in-memory part of a drawn draw's full record (everything but the population, which is streamed). */
export async function drawRecord(q: Queryable, draw: DrawDetail): Promise<DrawRecord> {
  if (draw.drawnAt === null || draw.seed === null || draw.beacon === null || !draw.caps)
    throw new DrawStateError('draw.not_run', draw.id, draw.status, `抽取 ${draw.id} 尚未完成抽取，没有可公开的文件 / draw ${draw.id} has not been run: there is nothing to publish`);
  return {
    protocol: draw.protocol,
    fd2:
      draw.protocol === 'fd2'
        ? { digest: draw.digest, beaconSource: draw.beaconSource!, beaconDue: draw.beaconDue!, beaconRecordedAt: draw.beaconedAt!, auditHeads: await auditHeadsOf(q, draw.id) }
        : undefined,
    taskId: draw.taskId,
    commitment: draw.commitment,
    secret: draw.secret,
    beacon: draw.beacon,
    seed: draw.seed,
    populationDigest: draw.populationDigest,
    strata: strataOf(draw),
    caps: draw.caps,
    committedAt: draw.committedAt,
    drawnAt: draw.drawnAt,
    pools: await loadPools(q, draw.id, draw.teamSpec),
    exclusions: await loadExclusions(q, draw.id),
    selection: draw.selection!.map((s) => ({ stratum: s.stratum, id: s.objectId, key: s.key, rank: s.rank })),
    teams: draw.teams!.map((t) => ({ objectId: t.objectId, department: t.department, inspectorId: t.inspectorId })),
  };
}

/**
 * What an fd2 draw shows the public at `now` (fd2 §5): never the secret, seed, keys, ranks or a confidential stratum;
 * the selected ids, sorted, once the window has closed. Before the run the quotas and caps are the ones the run
 * will use (fd1 §3, §5), computed from the frozen population and pools.
 */
export async function publicRecord(q: Queryable, draw: DrawDetail, now: Date): Promise<PublicRecord> {
  if (draw.protocol !== 'fd2' || draw.beaconSource === null || draw.beaconDue === null)
    throw new DrawStateError('draw.not_fd2', draw.id, draw.protocol, `抽取 ${draw.id} 按 ${draw.protocol} 进行，没有公众包；检查窗口结束后公开其全部文件 / draw ${draw.id} follows ${draw.protocol}, which has no public package: its files are published once the window has closed`);
  const strata = strataOf(draw);
  let caps = draw.caps;
  if (!caps) {
    const pools = await loadPools(q, draw.id, draw.teamSpec);
    const selected = strata.reduce((n, s) => n + s.quota, 0);
    const raised = taskCaps(draw.teamSpec, selected, pools) ?? {};
    caps = draw.teamSpec.map(({ department, count }) => {
      const pool = pools[department]?.length ?? 0;
      return { department, count, pool, cap: raised[department] ?? defaultCap(selected, count, pool) };
    });
  }
  const selectedIds =
    draw.drawnAt !== null && isPublished(draw, now)
      ? (await q.query<{ object_id: string }>(sql`SELECT object_id FROM draw_selection WHERE draw_id = ${draw.id}`)).map((r) => r.object_id)
      : null;
  return {
    taskId: draw.taskId,
    commitment: draw.commitment,
    beaconSource: draw.beaconSource,
    beaconDue: draw.beaconDue,
    beacon: draw.beacon,
    digest: draw.digest,
    populationDigest: draw.populationDigest,
    strata,
    caps,
    committedAt: draw.committedAt,
    beaconRecordedAt: draw.beaconedAt,
    drawnAt: draw.drawnAt,
    auditHeads: await auditHeadsOf(q, draw.id),
    selectedIds,
  };
}

/** Whether the public gets the full (auditor) package of a draw at `now`: fd1 draws and fd2 draws without confidential strata, after the window. */
export function fullPackageIsPublic(draw: Pick<DrawDetail, 'protocol' | 'digest' | 'windowEnd' | 'drawnAt'>, now: Date): boolean {
  return draw.drawnAt !== null && isPublished(draw, now) && (draw.protocol === 'fd1' || draw.digest === 'plain');
}

function checkFolder(dir: string, draw: DrawDetail, allowed: readonly string[]): void {
  if (!existsSync(dir)) return;
  const strangers = readdirSync(dir).filter((f) => !allowed.includes(f));
  if (strangers.length > 0) throw new DrawStateError('export.folder_not_empty', draw.id, draw.status, `${dir} 含有其他文件 (${strangers.slice(0, 3).join(', ')}) / ${dir} holds other files: export into an empty folder`);
}

/**
 * Writes a draw's package into `dir` (created if missing; it must not hold other files). The public package of an
 * fd1 draw, or of an fd2 draw without confidential strata after its window, is its full package.
 */
export async function exportDraw(q: Queryable, drawId: string, dirArg: string, options: ExportOptions = {}): Promise<ExportResult> {
  const draw = await getDraw(q, drawId);
  requireEngine(draw, options.writePopulation);
  const now = options.now ?? new Date();
  const dir = resolve(dirArg);
  const wanted = options.package ?? 'public';
  if (wanted === 'public' && !fullPackageIsPublic(draw, now)) {
    if (draw.protocol === 'fd1')
      throw new DrawStateError(
        'draw.confidential',
        drawId,
        draw.status,
        `抽取 ${drawId} 的检查窗口至 ${draw.windowEnd} 结束，结束前名单保密；审计人员可导出审计包（--auditor） / the selection of ${drawId} stays confidential until its window closes (${draw.windowEnd}); auditors may export the auditor package (--auditor)`,
      );
    checkFolder(dir, draw, PUBLIC_FILES);
    const record = await publicRecord(q, draw, now);
    const files = writePublicFiles(dir, record);
    return { drawId, dir, package: 'public', files, populationRows: 0, selected: record.selectedIds?.length ?? 0, teamMembers: 0 };
  }
  const record = await drawRecord(q, draw);
  checkFolder(dir, draw, DRAW_FILES);
  await writeDrawFiles(dir, record);
  const path = join(dir, 'population.csv');
  const salt = recordDigestSalt(record);
  const population = options.writePopulation ? await options.writePopulation(path, salt) : await copyPopulationCsv(q, populationSource(drawId), path, salt);
  if (population.digest !== draw.populationDigest)
    throw new Error(`draw ${drawId}: population.csv digest ${population.digest} differs from the committed ${draw.populationDigest} (the stored population was changed)`);
  return { drawId, dir, package: 'auditor', files: [...DRAW_FILES], populationRows: population.rows, selected: record.selection.length, teamMembers: record.teams.length };
}
