// A task drawn on the cluster (a national task, whose population lives only there): the draw lifecycle of
// draw/lifecycle.ts (commit, beacon, run, void, export: records, audit log and pools stay in DuckDB) with the population
// frozen, digested and drawn on the cluster, and population.csv written from the cluster's merged sort.
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import type { Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { HEADERS } from '../draw/files.ts';
import type { ExternalDrawEngine, ExternalPopulation } from '../draw/lifecycle.ts';
import type { Cluster } from './connection.ts';
import { checkPopulation, freezePopulation, populationRows, sortedPopulation } from './population.ts';
import { inspectorCandidates, selectOnCluster } from './select.ts';

/** Called after each step of the work with its wall time (benchmarks). */
export type OnStep = (step: string, elapsedMs: number) => void;

/** Runs `work` and reports its wall time to `onStep`. */
async function step<T>(onStep: OnStep | undefined, name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  onStep?.(name, performance.now() - started);
  return result;
}

/** A cluster population set as a draw's population: frozen under the draw id, checked, counted and digested there. */
export function clusterPopulation(cluster: Cluster, set: string, options: { onStep?: OnStep } = {}): ExternalPopulation {
  const { onStep } = options;
  return {
    where: { engine: 'clickhouse', set },
    async freeze(drawId, salt) {
      if ((await populationRows(cluster, set)) === 0) throw new Error(`the cluster holds no population set ${set} (fairdraw cluster generate or cluster set)`);
      await step(onStep, 'freeze', () => freezePopulation(cluster, set, drawId));
      const sizes = await step(onStep, 'check', () => checkPopulation(cluster, drawId));
      const size = [...sizes.values()].reduce((a, b) => a + b, 0);
      const sorted = await step(onStep, 'digest', () => sortedPopulation(cluster, drawId, { expectedRows: size, salt }));
      return { size, strata: [...sizes].map(([stratum, eligible]) => ({ stratum, eligible })), ...sorted };
    },
  };
}

/** Selection and inspector candidates of a draw from its population on the cluster. */
export function clusterEngine(cluster: Cluster, options: { onStep?: OnStep } = {}): ExternalDrawEngine {
  const { onStep } = options;
  return {
    async select(tx: Queryable, options) {
      const selection = await step(onStep, 'selection', () => selectOnCluster(cluster, {
        populationId: options.drawId,
        seed: options.seed,
        taskId: options.taskId,
        strata: options.strata,
        protocol: options.protocol,
        // Commit checked these frozen rows when it computed their digest.
        populationChecked: true,
      }));
      const drawPosition = new Map(selection.drawOrder.map((id, i) => [id, i + 1]));
      await tx.exec(sql`CREATE TEMP TABLE ${sql.id(options.resultTable)} (stratum VARCHAR, id VARCHAR, key VARCHAR, rank INTEGER, draw_order INTEGER)`);
      const appender = await tx.appender(options.resultTable);
      for (const s of selection.selection) {
        appender.appendVarchar(s.stratum);
        appender.appendVarchar(s.id);
        appender.appendVarchar(s.key);
        appender.appendInteger(s.rank);
        appender.appendInteger(drawPosition.get(s.id)!);
        appender.endRow();
      }
      appender.closeSync();
      return { strata: selection.strata };
    },
    async rankPool({ protocol, seed, taskId, drawOrder, pools }) {
      return (await step(onStep, 'candidates', () => inspectorCandidates(cluster, { seed, taskId, protocol, objects: drawOrder, pools }))).rankPool;
    },
  };
}

/**
 * Writes population.csv of a draw from the cluster (sorted there, "," for the tab) and returns its rows and digest,
 * which exportDraw checks against the commitment's.
 */
export function clusterPopulationCsv(cluster: Cluster, drawId: string): (path: string, salt: string) => Promise<{ rows: number; digest: string }> {
  return async (path, salt) => {
    mkdirSync(dirname(path), { recursive: true });
    const out = createWriteStream(path);
    const failed = new Promise<never>((_, reject) => out.on('error', reject));
    failed.catch(() => undefined);
    try {
      out.write(`${HEADERS['population.csv']}\n`);
      return await sortedPopulation(cluster, drawId, {
        expectedRows: await populationRows(cluster, drawId),
        salt,
        onChunk: async (chunk) => {
          const csv = Buffer.from(chunk);
          for (let i = csv.indexOf(9); i !== -1; i = csv.indexOf(9, i + 1)) csv[i] = 44;
          if (!out.write(csv)) await Promise.race([once(out, 'drain'), failed]);
        },
      });
    } finally {
      out.end();
      await Promise.race([once(out, 'close'), failed]);
    }
  };
}
