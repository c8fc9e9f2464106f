// `npm run bench -- coverage --db PATH [--year 2026]`: what the coverage and outcomes answers cost on a database, opened
// read-only: each build step cold (the directory x scores join, the year's tables, the outcomes table), one answer per
// scope, and the warm path a request takes (fingerprint + cached answer). Prints wall and CPU ms per step and peak RSS.
import { Db } from '../src/db/duckdb.ts';
import { sql } from '../src/db/sql.ts';
import { buildPopulation, buildYear, coverageReport, dataFingerprint } from '../src/coverage/coverage.ts';
import { buildOutcomes, outcomesReport } from '../src/coverage/outcomes.ts';
import { CoverageStore } from '../src/coverage/store.ts';
import { shanghaiDate } from '../src/kernel/time.ts';

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

export async function run(args: string[]): Promise<void> {
  const path = option(args, '--db', process.env.FAIRDRAW_DB ?? 'data/fairdraw.duckdb');
  const today = shanghaiDate(new Date());
  const year = Number(option(args, '--year', today.slice(0, 4)));
  const db = await Db.open({ path, readOnly: true });
  const rows: Array<{ step: string; 'wall ms': number; 'cpu ms': number }> = [];
  async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await work();
    const used = process.cpuUsage(cpu);
    rows.push({ step: name, 'wall ms': Math.round(performance.now() - started), 'cpu ms': Math.round((used.user + used.system) / 1000) });
    return result;
  }
  try {
    const entities = (await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM objects`))!.n;
    const conn = await db.connection();
    try {
      await step('fingerprint', () => dataFingerprint(db));
      await step('population (objects x risk_scores)', () => buildPopulation(conn));
      const key = await step('year tables (with the objects join)', () => buildYear(conn, { year, today }));
      await step('year tables (results only)', () => buildYear(conn, { year, today }, { selectionBuiltFor: key }));
      const province = await step('answer: province', () => coverageReport(conn, { year, today }));
      await step('answer: Shenzhen 440300', () => coverageReport(conn, { year, today, city: '440300' }));
      await step('answer: department SAMR', () => coverageReport(conn, { year, today, department: 'SAMR' }));
      await step('outcomes table', () => buildOutcomes(conn));
      await step('outcomes: province', () => outcomesReport(conn, { year }));
      console.log(`${path}: ${entities.toLocaleString('en-US')} entities; ${year}: ${province.headline.tasks} tasks, ${province.headline.entitiesDrawn.toLocaleString('en-US')} entities drawn, ${province.headline.resultsDue.toLocaleString('en-US')} results due`);
    } finally {
      conn.close();
    }
    const store = await CoverageStore.open(db);
    try {
      await step('store: first answer (cold)', () => store.coverage({ year, today }));
      const warm: number[] = [];
      for (let i = 0; i < 50; i++) {
        const started = performance.now();
        await store.coverage({ year, today });
        warm.push(performance.now() - started);
      }
      warm.sort((a, b) => a - b);
      rows.push({ step: 'store: warm answer p50 (of 50)', 'wall ms': Math.round(warm[24] * 10) / 10, 'cpu ms': NaN });
      rows.push({ step: 'store: warm answer p95 (of 50)', 'wall ms': Math.round(warm[47] * 10) / 10, 'cpu ms': NaN });
    } finally {
      await store.close();
    }
    console.table(rows);
    console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  } finally {
    db.close();
  }
}
