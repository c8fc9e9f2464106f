// Replays a draw on the cluster: the same frozen population (loaded by `cluster load`, or frozen there by a cluster
// commit), its digest, selection and inspector candidates computed by the cluster, teams assigned in Node; writes
// selection.csv and teams.csv and compares them with the draw's own, row for row.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Queryable } from '../db/duckdb.ts';
import { assignTeams } from '../draw/fd1.ts';
import { drawRecord } from '../draw/export.ts';
import { recordDigestSalt, selectionCsv, teamsCsv } from '../draw/files.ts';
import { getDraw } from '../draw/lifecycle.ts';
import { taskCaps } from '../draw/matching.ts';
import type { Cluster } from './connection.ts';
import { populationRows, sortedPopulation } from './population.ts';
import { inspectorCandidates, selectOnCluster } from './select.ts';

export interface FileComparison {
  file: 'selection.csv' | 'teams.csv';
  rows: number;
  equal: boolean;
  /** The first line that differs (1 is the header), with both versions; absent when equal. */
  firstDifference?: { line: number; replay: string | null; draw: string | null };
}

export interface ReplayReport {
  drawId: string;
  dir: string;
  shards: number;
  populationRows: number;
  populationDigest: { cluster: string; committed: string; equal: boolean };
  selected: number;
  teamMembers: number;
  unstaffed: { replay: number; draw: number };
  files: FileComparison[];
  /** Object-department pairs whose cluster candidates ran out, so the rest of the pool was ranked in Node. */
  extendedRankings: number;
  elapsedMs: { digest: number; selection: number; candidates: number; assignment: number };
  /** Every comparison equal. */
  identical: boolean;
}

/** Compares two CSV texts line by line. */
export function compareCsv(file: FileComparison['file'], replay: string, draw: string): FileComparison {
  const ours = replay.split('\n');
  const theirs = draw.split('\n');
  const rows = ours.length - 2; // header and the empty string after the final newline
  for (let i = 0; i < Math.max(ours.length, theirs.length); i++) {
    if (ours[i] !== theirs[i]) return { file, rows, equal: false, firstDifference: { line: i + 1, replay: ours[i] ?? null, draw: theirs[i] ?? null } };
  }
  return { file, rows, equal: true };
}

const since = (started: number) => Math.round(performance.now() - started);

/** Recomputes a drawn draw on the cluster into `outDir` (selection.csv, teams.csv) and compares it with the stored draw. */
export async function replayDraw(db: Queryable, cluster: Cluster, drawId: string, outDir: string): Promise<ReplayReport> {
  const draw = await getDraw(db, drawId);
  const record = await drawRecord(db, draw);
  const rows = await populationRows(cluster, drawId);
  if (rows === 0) throw new Error(`the cluster holds no population for draw ${drawId}: load it with fairdraw cluster load --db PATH`);

  let started = performance.now();
  const sorted = await sortedPopulation(cluster, drawId, { expectedRows: rows, salt: recordDigestSalt(record) });
  const digestMs = since(started);

  started = performance.now();
  const selection = await selectOnCluster(cluster, {
    populationId: drawId,
    seed: record.seed,
    taskId: record.taskId,
    strata: record.strata.map((s) => (s.count !== undefined ? { stratum: s.stratum, count: s.count } : { stratum: s.stratum, ratioBp: s.ratioBp })),
    protocol: draw.protocol,
  });
  const selectionMs = since(started);

  started = performance.now();
  const candidates = await inspectorCandidates(cluster, { seed: record.seed, taskId: record.taskId, protocol: draw.protocol, objects: selection.drawOrder, pools: record.pools });
  const candidatesMs = since(started);

  started = performance.now();
  const assigned = assignTeams({
    protocol: draw.protocol,
    seed: record.seed,
    taskId: record.taskId,
    drawOrder: selection.drawOrder,
    teamSpec: draw.teamSpec.map((e) => ({ department: e.department, count: e.count })),
    pools: record.pools,
    exclusions: record.exclusions,
    caps: taskCaps(draw.teamSpec, selection.drawOrder.length, record.pools),
    rankPool: candidates.rankPool,
  });
  const assignmentMs = since(started);

  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const replaySelection = selectionCsv(selection.selection);
  const replayTeams = teamsCsv({ protocol: draw.protocol, seed: record.seed, taskId: record.taskId, selection: selection.selection, caps: assigned.caps, teams: assigned.teams });
  writeFileSync(join(dir, 'selection.csv'), replaySelection);
  writeFileSync(join(dir, 'teams.csv'), replayTeams);
  const files = [compareCsv('selection.csv', replaySelection, selectionCsv(record.selection)), compareCsv('teams.csv', replayTeams, teamsCsv(record))];
  const digestEqual = sorted.digest === draw.populationDigest;
  const unstaffed = { replay: new Set(assigned.unstaffed.map((u) => u.objectId)).size, draw: draw.counts.unstaffedObjects };
  return {
    drawId,
    dir,
    shards: cluster.shardCount,
    populationRows: rows,
    populationDigest: { cluster: sorted.digest, committed: draw.populationDigest, equal: digestEqual },
    selected: selection.selection.length,
    teamMembers: assigned.teams.length,
    unstaffed,
    files,
    extendedRankings: candidates.extended(),
    elapsedMs: { digest: digestMs, selection: selectionMs, candidates: candidatesMs, assignment: assignmentMs },
    identical: digestEqual && files.every((f) => f.equal) && unstaffed.replay === unstaffed.draw,
  };
}
