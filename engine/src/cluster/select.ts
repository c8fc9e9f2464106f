// fd1 sections 4 and 5 on the cluster: each stratum's quota smallest keys (every shard sends its own smallest, the
// entry server merges: protocol "mergeable"), and the inspector candidates of the selected objects, each pool ranked
// by ikey on the shard holding the object. Matching itself stays sequential (draw order, caps): fd1.ts assignTeams in
// Node, fed the ranked candidates through its rankPool hook.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { checkProtocol, compareDrawOrder, compareUtf8, inspectorKey, quotaEntry, type RankPool, type Selection, type SelectedObject, type StratumQuota, type StratumSpec } from '../draw/fd1.ts';
import { ch, chFolder } from './ch-sql.ts';
import type { Cluster } from './connection.ts';
import { clusterTable, dropPartition } from './tables.ts';
import { checkPopulation } from './population.ts';

const query = chFolder(import.meta.url);

export interface ClusterSelectOptions {
  populationId: string;
  seed: string;
  taskId: string;
  strata: StratumSpec[];
  /** The draw's protocol, whose name leads every key (fd1.ts objectKey); one fd1.ts does not know is refused. */
  protocol: string;
  /** The population was checked at commit (its digest read every row): count the strata only. */
  populationChecked?: boolean;
}

/** Rows of each stratum of a population. */
async function strataSizes(cluster: Cluster, populationId: string, known: Set<string>): Promise<Map<string, number>> {
  const rows = await cluster.rows<{ stratum: string; n: number }>(
    ch`SELECT stratum, count() AS n FROM ${clusterTable(cluster, 'population')} WHERE population_id = ${populationId} GROUP BY stratum`,
  );
  for (const { stratum } of rows) if (!known.has(stratum)) throw new Error(`population ${populationId}: stratum ${stratum} has no ratio or count in the task's strata`);
  return new Map(rows.map((r) => [r.stratum, Number(r.n)]));
}

/** The selection of fd1 section 4, computed on the cluster: equal to fd1.ts selectObjects over the same rows. */
export async function selectOnCluster(cluster: Cluster, options: ClusterSelectOptions): Promise<Selection> {
  const protocol = checkProtocol(options.protocol);
  const known = new Set(options.strata.map((s) => s.stratum));
  const sizes = options.populationChecked ? await strataSizes(cluster, options.populationId, known) : await checkPopulation(cluster, options.populationId, known);
  const population = clusterTable(cluster, 'population');
  const strata: StratumQuota[] = [];
  const selection: SelectedObject[] = [];
  for (const spec of options.strata) {
    const entry = quotaEntry(spec, sizes.get(spec.stratum) ?? 0);
    const k = entry.quota;
    strata.push(entry);
    if (k === 0) continue;
    const picked = await cluster.lines(
      query('stratum-picks', {
        population,
        populationId: options.populationId,
        stratum: spec.stratum,
        quota: k,
        protocol,
        seed: options.seed,
        taskId: options.taskId,
      }),
    );
    if (picked.length !== k) throw new Error(`stratum ${spec.stratum}: the cluster returned ${picked.length} picks for a quota of ${k}`);
    picked.forEach((line, i) => {
      const [id, key] = line.split('\t');
      selection.push({ stratum: spec.stratum, id, key, rank: i + 1 });
    });
  }
  selection.sort((a, b) => compareUtf8(a.stratum, b.stratum) || a.rank - b.rank);
  const drawOrder = [...selection].sort(compareDrawOrder).map((s) => s.id);
  return { strata, selection, drawOrder };
}

export interface CandidateOptions {
  seed: string;
  taskId: string;
  /** The draw's protocol, whose name leads every ikey (fd1.ts inspectorKey). */
  protocol: string;
  /** Selected object ids (any order). */
  objects: string[];
  /** Each department label's pool, in team-spec order. */
  pools: Record<string, string[]>;
  /** How many of each pool's best-ranked members to bring back per object; assignment rarely needs more. */
  depth?: number;
}

export interface Candidates {
  /** For assignTeams: a pool in ikey order, the cluster's candidates first, the rest ranked in Node if ever reached. */
  rankPool: RankPool;
  /** Object-department pairs whose candidates ran out before their team was complete (ranked in Node). */
  extended(): number;
}

/**
 * Ranks every department's pool for every selected object on the cluster (the picks are written to the `picks` table,
 * placed like the population, so each shard ranks its own) and brings back the first `depth` of each. Candidates
 * beyond them are ranked in Node with the same ikey only when assignment reaches past them (caps, exclusions).
 */
export async function inspectorCandidates(cluster: Cluster, options: CandidateOptions): Promise<Candidates> {
  const protocol = checkProtocol(options.protocol);
  const departments = Object.keys(options.pools);
  const depth = options.depth ?? 16;
  const ranked = new Map<string, string[][]>();
  const usedPools = departments.filter((d) => options.pools[d].length > 0);
  if (options.objects.length > 0 && usedPools.length > 0) {
    const runId = `run-${randomBytes(8).toString('hex')}`;
    const picks = clusterTable(cluster, 'picks');
    try {
      await cluster.insert(picks, Readable.from([Buffer.from(options.objects.map((id) => `${runId}\t${id}\n`).join(''))], { objectMode: false }));
      const rankedPools = ch.join(
        usedPools.map((department) =>
          query('ranked-pool', { protocol, seed: options.seed, taskId: options.taskId, pool: options.pools[department], depth }),
        ),
      );
      const statement = query('inspector-candidates', { picks, runId, rankedPools });
      // A pool of thousands makes a long statement: allow it (the default limit is 256 KiB).
      for (const line of await cluster.lines(statement, { max_query_size: String(statement.text.length + 65_536) })) {
        const [id, ...columns] = line.split('\t');
        const byDepartment = departments.map((d) => {
          const at = usedPools.indexOf(d);
          return at < 0 || columns[at] === '' ? [] : columns[at].split(',');
        });
        ranked.set(id, byDepartment);
      }
    } finally {
      await dropPartition(cluster, 'picks', runId);
    }
    if (ranked.size !== new Set(options.objects).size) throw new Error(`the cluster ranked pools for ${ranked.size} of ${options.objects.length} selected objects`);
  }
  let extended = 0;
  const rankPool: RankPool = function* (objectId, department, pool, usable) {
    const fromCluster = ranked.get(objectId)?.[departments.indexOf(department)] ?? [];
    for (const id of fromCluster) if (usable(id)) yield id;
    if (fromCluster.length >= pool.length) return;
    // Past the candidates: the rest of the pool, ranked here by the same ikey.
    extended++;
    const seen = new Set(fromCluster);
    const rest = pool.filter((id) => !seen.has(id)).map((id) => ({ id, ikey: inspectorKey(options.seed, options.taskId, objectId, id, protocol) }));
    rest.sort((a, b) => (a.ikey < b.ikey ? -1 : a.ikey > b.ikey ? 1 : 0));
    for (const { id } of rest) if (usable(id)) yield id;
  };
  return { rankPool, extended: () => extended };
}
