// `npm run bench -- crash [--rounds 3] [--entities 3000]`: SIGKILLs the demo build at random moments around each phase
// (first start and migration, import, scoring, draw run, result entry), reopens and checks each file (demo/crash.ts).
// Prints one line per kill and the total; exits non-zero when any reopened file failed a check.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateProvince } from '../../data/generator/generate.ts';
import { CRASH_POINTS, crashDrill } from '../src/demo/crash.ts';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { rounds: { type: 'string', default: '3' }, entities: { type: 'string', default: '3000' } } });
  const rounds = Number(values.rounds);
  const entities = Number(values.entities);
  const dir = mkdtempSync(join(tmpdir(), 'fairdraw-crash-bench-'));
  let failed = 0;
  let drills = 0;
  try {
    await generateProvince({ entities, seed: 7, outDir: join(dir, 'province'), parquet: false });
    for (let round = 0; round < rounds; round++) {
      for (const point of CRASH_POINTS) {
        // a random moment around the phase: from just after its line to three times its usual delay (more for the start)
        const delayMs = Math.round(Math.random() * (point.afterLine ? point.delayMs * 3 + 500 : 4_000));
        const outcome = await crashDrill(dir, { ...point, delayMs }, { entities, entitiesCsv: join(dir, 'province', 'entities.csv'), run: drills++ });
        if (outcome.problems.length) failed++;
        console.log(
          `${point.phase.padEnd(26)} kill at +${String(delayMs).padStart(5)} ms after "${outcome.lastLine.slice(0, 40)}": ` +
            (outcome.problems.length ? `FAILED ${outcome.problems.join('; ')}` : outcome.killed ? 'ok' : 'ok (finished before the kill)'),
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`crash drills: ${drills - failed} of ${drills} reopened clean`);
  if (failed) process.exitCode = 1;
}
