// Exports a drawn draw as exactly the six published files of fd1 section 6 (files.ts writes them), with
// population.csv written by DuckDB from the frozen population and its digest checked against the commitment's.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Queryable } from '../db/duckdb.ts';
import type { StratumQuota } from './fd1.ts';
import { copyPopulationCsv, DRAW_FILES, writeDrawFiles, type DrawRecord } from './files.ts';
import { getDraw, isPublished, populationSource, requireEngine, type DrawDetail } from './lifecycle.ts';
import { loadExclusions, loadPools } from './matching.ts';
import { DrawStateError } from './plans.ts';

export interface ExportOptions {
  /** Export before the inspection window has closed (internal checks only: the selection is still confidential). */
  internal?: boolean;
  now?: Date;
  /** Writes population.csv for a draw whose population lives outside DuckDB (engine/src/cluster); required for one. */
  writePopulation?: (path: string) => Promise<{ rows: number; digest: string }>;
}

export interface ExportResult {
  drawId: string;
  dir: string;
  files: string[];
  populationRows: number;
  selected: number;
  teamMembers: number;
}

/** The in-memory part of a draw's published record (everything but the population, which is streamed). */
export async function drawRecord(q: Queryable, draw: DrawDetail): Promise<DrawRecord> {
  if (draw.drawnAt === null || draw.seed === null || draw.beacon === null || !draw.caps)
    throw new DrawStateError('draw.not_run', draw.id, draw.status, `抽取 ${draw.id} 尚未完成抽取，没有可公开的文件 / draw ${draw.id} has not been run: there is nothing to publish`);
  const strata: StratumQuota[] = draw.strata.map((s) => ({
    stratum: s.stratum,
    eligible: s.eligible,
    ...(s.count !== undefined ? { count: s.count } : { ratioBp: s.ratio_bp }),
    quota: s.quota ?? 0,
  }));
  return {
    taskId: draw.taskId,
    commitment: draw.commitment,
    secret: draw.secret,
    beacon: draw.beacon,
    seed: draw.seed,
    populationDigest: draw.populationDigest,
    strata,
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
 * Writes manifest.json, population.csv, inspectors.csv, exclusions.csv, selection.csv and teams.csv into `dir`
 * (created if missing; it must not hold other files). Before the window closes only with `internal: true`.
 */
export async function exportDraw(q: Queryable, drawId: string, dirArg: string, options: ExportOptions = {}): Promise<ExportResult> {
  const draw = await getDraw(q, drawId);
  requireEngine(draw, options.writePopulation);
  if (!options.internal && !isPublished(draw, options.now ?? new Date()))
    throw new DrawStateError(
      'draw.confidential',
      drawId,
      draw.status,
      `抽取 ${drawId} 的检查窗口至 ${draw.windowEnd} 结束，结束前名单保密；内部核验请加 --internal / the selection of ${drawId} stays confidential until its window closes (${draw.windowEnd}); use --internal for an internal check`,
    );
  const record = await drawRecord(q, draw);
  const dir = resolve(dirArg);
  if (existsSync(dir)) {
    const strangers = readdirSync(dir).filter((f) => !(DRAW_FILES as readonly string[]).includes(f));
    if (strangers.length > 0) throw new DrawStateError('export.folder_not_empty', drawId, draw.status, `${dir} 含有其他文件 (${strangers.slice(0, 3).join(', ')}) / ${dir} holds other files: export into an empty folder`);
  }
  await writeDrawFiles(dir, record);
  const path = join(dir, 'population.csv');
  const population = options.writePopulation ? await options.writePopulation(path) : await copyPopulationCsv(q, populationSource(drawId), path);
  if (population.digest !== draw.populationDigest)
    throw new Error(`draw ${drawId}: population.csv digest ${population.digest} differs from the committed ${draw.populationDigest} (the stored population was changed)`);
  return { drawId, dir, files: [...DRAW_FILES], populationRows: population.rows, selected: record.selection.length, teamMembers: record.teams.length };
}
