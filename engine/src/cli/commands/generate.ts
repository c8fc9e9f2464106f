// `fairdraw generate`: writes a synthetic province (entities, inspectors, credit, complaints, results, truth) to a folder.
import type { Command } from 'commander';
import { DEFAULT_AS_OF, generateProvince } from '../../../../data/generator/generate.ts';
import { GENERATOR_VERSIONS, type GeneratorVersion } from '../../../../data/generator/model.ts';
import { progress } from '../progress.ts';

interface GenerateFlags {
  entities: string;
  seed: string;
  out: string;
  asOf: string;
  plantOutbreak: string[];
  threads?: string;
  generator: string;
  json?: boolean;
}

function wholeNumber(flag: string, text: string): number {
  const n = Number(text.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} '${text}': expected a whole number >= 1`);
  return n;
}

export function generateCommand(program: Command): void {
  program
    .command('generate')
    .description('生成合成省份数据 / generate a synthetic province: entities, inspectors, credit, complaints, results, truth (CSV; Parquet too from 1,000,000 entities)')
    .requiredOption('--entities <n>', 'number of market entities, e.g. 200000')
    .option('--seed <s>', 'seed: the same seed gives the same bytes', '1')
    .requiredOption('--out <dir>', 'output folder')
    .option('--as-of <date>', 'reference date YYYY-MM-DD; data covers the 4 years up to it (v1: 3)', DEFAULT_AS_OF)
    .option('--generator <version>', 'v2: partial and stale credit classes, complaint noise, draws with recorded strata, lenient districts, risk that moves; v1: the generator before (same seed, same bytes)', 'v2')
    .option(
      '--plant-outbreak <spec>',
      'DISTRICT:INDUSTRY:FACTOR, e.g. 440305:H:4: that district × industry gets FACTOR times its complaint rate in the last 8 weeks (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--threads <n>', 'worker threads (default: 2 from 200,000 entities, else 1)')
    .option('--json', 'print a JSON summary instead of progress')
    .action(async (flags: GenerateFlags) => {
      const entities = wholeNumber('--entities', flags.entities);
      if (!(GENERATOR_VERSIONS as readonly string[]).includes(flags.generator)) throw new Error(`--generator '${flags.generator}': expected ${GENERATOR_VERSIONS.join(' or ')}`);
      const bar = progress('generate', entities, { quiet: flags.json });
      let barDone = false;
      const finishBar = () => {
        if (!barDone) bar.done();
        barDone = true;
      };
      const summary = await generateProvince({
        entities,
        seed: flags.seed,
        outDir: flags.out,
        asOf: flags.asOf,
        outbreaks: flags.plantOutbreak,
        generator: flags.generator as GeneratorVersion,
        threads: flags.threads === undefined ? undefined : wholeNumber('--threads', flags.threads),
        onProgress: (done) => bar.tick(done),
        onParquet: () => {
          finishBar();
          if (!flags.json && process.stderr.isTTY) process.stderr.write('writing Parquet copies beside the CSV files ...\n');
        },
      });
      finishBar();
      const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      if (flags.json) {
        console.log(JSON.stringify({ ...summary, peakRssMb }));
      } else {
        console.log(`${summary.out}: ${Object.entries(summary.files).map(([name, rows]) => `${name} ${rows.toLocaleString('en-US')}`).join(', ')} (${(summary.elapsedMs / 1000).toFixed(1)} s, peak RSS ${peakRssMb} MB)`);
      }
    });
}
