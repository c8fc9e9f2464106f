// `npm run bench -- draw-lifecycle [--entities 50000] [--inspectors 400] [--keep DIR]`: wall time of the whole draw
// lifecycle from the directory (eligibility -> frozen population -> digest -> commit; selection -> exclusions -> teams;
// export) on a synthetic Shenzhen directory. Target: a 50,000-entity task commits and draws in well under a second.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Db } from '../src/db/duckdb.ts';
import { sql } from '../src/db/sql.ts';
import { eligiblePopulation } from '../src/draw/eligibility.ts';
import { exportDraw } from '../src/draw/export.ts';
import { commitDraw, enterBeacon, runDraw } from '../src/draw/lifecycle.ts';
import { createPlan } from '../src/draw/plans.ts';
import { createTask } from '../src/draw/tasks.ts';

// Reference rows, then one row per entity (tier A 40%, B 35%, C 18%, D 7%), per inspector, and some earlier
// inspections and conflicts so the burden window and exclusions have work to do. One script of several statements,
// which DuckDB runs only without parameters: the sizes are literals.
const DIRECTORY_SQL = (entities: number, inspectors: number) => sql`
INSERT INTO regions VALUES ('440000', '广东省', 'Guangdong', 'province', NULL), ('440300', '深圳市', 'Shenzhen', 'city', '440000'),
  ('440303', '罗湖区', 'Luohu', 'district', '440300'), ('440304', '福田区', 'Futian', 'district', '440300'), ('440305', '南山区', 'Nanshan', 'district', '440300');
INSERT INTO departments VALUES ('SAMR', '市场监督管理局', 'Market Regulation'), ('TAX', '税务局', 'Taxation');
INSERT INTO items VALUES
  ('SAMR-001', 1, 'SAMR', 'general', '企业公示信息检查', 'Disclosed information', '条例', 'enterprise', '内容', 'documents', 300, 1, 'registration', '2024-01-01', NULL),
  ('TAX-001', 1, 'TAX', 'general', '发票使用检查', 'Invoice use', '办法', 'entity', '内容', 'documents', 300, 1, 'tax', '2024-01-01', NULL);
INSERT INTO objects (id, object_kind, name, entity_type, region_code, industry_code, established_on, status, responsible_departments)
  SELECT '9144030' || (3 + i % 3)::VARCHAR || lpad(((i * 2654435761) % 10000000000)::VARCHAR, 10, '0'), 'entity', '主体' || i::VARCHAR,
         CASE WHEN i % 5 = 3 THEN 'individual' ELSE 'enterprise' END, '44030' || (3 + i % 3)::VARCHAR, 'F', DATE '2015-01-01',
         CASE WHEN i % 50 = 7 THEN 'deregistered' ELSE 'active' END,
         ['SAMR', 'TAX']
  FROM range(${sql.literal(entities)}) r(i);
INSERT INTO risk_score_codes (model_version, bin_code, score, tier) VALUES (1, 0, 0.1, 'A'), (1, 1, 0.1, 'B'), (1, 2, 0.1, 'C'), (1, 3, 0.1, 'D');
INSERT INTO risk_entity_codes (object_id, model_version, bin_code)
  SELECT id, 1, CASE WHEN h < 40 THEN 0 WHEN h < 75 THEN 1 WHEN h < 93 THEN 2 ELSE 3 END
  FROM (SELECT id, hash(id) % 100 AS h FROM objects WHERE status = 'active');
INSERT INTO inspectors (id, name, department_code, region_code, kind, qualifications, specialties, certificate_no, certificate_valid_from, certificate_valid_to, active)
  SELECT 'SZ-' || d || '-' || lpad(j::VARCHAR, 5, '0'), '检查员', d, '44030' || (3 + j % 3)::VARCHAR, 'officer', ['enforcement'],
         CASE d WHEN 'SAMR' THEN ['registration'] ELSE ['tax'] END, 'CERT' || j::VARCHAR, DATE '2024-01-01', DATE '2029-12-31', true
  FROM range(${sql.literal(inspectors)}) r(j), (VALUES ('SAMR'), ('TAX')) v(d);
INSERT INTO inspection_results (result_id, object_id, inspected_on, department_code, item_code, outcome_code, inspector_ids)
  SELECT 'R' || row_number() OVER (), id, DATE '2025-09-01', 'SAMR', 'SAMR-001', 'NO_PROBLEM', ['SZ-SAMR-00001', 'SZ-SAMR-00002']
  FROM objects USING SAMPLE 5 PERCENT (bernoulli, 7);
INSERT INTO conflicts SELECT 'SZ-SAMR-' || lpad((hash(id) % ${sql.literal(inspectors)})::VARCHAR, 5, '0'), id, 'inspector' FROM objects USING SAMPLE 2 PERCENT (bernoulli, 11);
`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function run(args: string[]): Promise<void> {
  const entities = Number(option(args, '--entities') ?? 50_000);
  const inspectors = Number(option(args, '--inspectors') ?? 400);
  const keep = option(args, '--keep');
  const dir = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'fairdraw-bench-lifecycle-'));
  const db = await Db.open({ path: join(dir, 'bench.duckdb') });
  const now = new Date('2026-03-01T10:00:00+08:00');
  const figures: Array<Record<string, string | number>> = [];
  // CPU time of the whole process (JS and DuckDB's threads) beside wall time: on a shared machine it says what the work costs
  const timed = async <T>(step: string, work: () => Promise<T>, rows?: (r: T) => number): Promise<T> => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = await work();
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const n = rows?.(result);
    figures.push({ step, 'wall ms': Math.round(ms), 'cpu ms': Math.round((used.user + used.system) / 1000), rows: n ?? '', 'rows/s': n ? Math.round(n / (ms / 1000)) : '' });
    return result;
  };
  try {
    await timed('directory (setup, not part of the target)', () => db.exec(DIRECTORY_SQL(entities, inspectors)));
    const plan = await createPlan(db, { year: 2026, jurisdictionRegionCode: '440300', leadDepartment: 'SAMR', name: 'bench', createdBy: 'bench' });
    const task = await createTask(db, {
      planId: plan.id,
      kind: 'general',
      name: 'bench joint task',
      items: ['SAMR-001', 'TAX-001'],
      windowStart: '2026-04-01',
      windowEnd: '2026-06-30',
      createdBy: 'bench',
    });
    await timed('preview (eligiblePopulation)', () => eligiblePopulation(db, task.id, { now }), (p) => p.inScope);
    const started = performance.now();
    // fd2 §1: the beacon is due an hour after the commitment; the bench passes the times, it does not wait.
    const beaconAt = new Date(now.getTime() + 3_600_000);
    const committed = await timed('commit (eligibility, population, digest, pools, audit)', () => commitDraw(db, task.id, { actor: 'bench', now, beaconSource: 'bench beacon source', beaconDue: beaconAt }), (d) => d.populationSize);
    await enterBeacon(db, committed.id, 'bench beacon', { actor: 'bench', now: beaconAt });
    const drawn = await timed('run (selection, exclusions, teams, audit)', () => runDraw(db, committed.id, { actor: 'bench', now: beaconAt }), (d) => d.counts.selected);
    const totalMs = performance.now() - started;
    await timed('export (six files)', () => exportDraw(db, committed.id, join(dir, 'export'), { package: 'auditor', now: beaconAt }), (r) => r.populationRows);
    console.log(`draw lifecycle: ${entities.toLocaleString('en-US')} entities, ${inspectors} inspectors per department`);
    console.table(figures);
    console.log(
      `commit + beacon + run: ${Math.round(totalMs)} ms (population ${drawn.populationSize.toLocaleString('en-US')}, selected ${drawn.counts.selected.toLocaleString('en-US')}, ` +
        `team members ${drawn.counts.teamMembers.toLocaleString('en-US')}, exclusions ${drawn.counts.exclusions}, unstaffed ${drawn.counts.unstaffedObjects}); peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
    );
  } finally {
    db.close();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
