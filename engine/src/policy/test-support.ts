// Test support for the policy and alerts tests: a migrated temporary database with the reference data loaded, the
// small committed fixtures of data/fixtures/policy, and generated provinces imported through the real importer.
import { resolve } from 'node:path';
import { DATA_DIR } from '../kernel/config.ts';
import type { Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { tempDb } from '../testing/db.ts';
import { insertGivenScores } from '../risk/score.ts';
import { loadReference } from '../reference/load.ts';
import { importFile } from '../ingest/import.ts';
import { generateProvince } from '../../../data/generator/generate.ts';

export const POLICY_FIXTURES = resolve(DATA_DIR, 'fixtures/policy');

const csv = (path: string) => sql`read_csv(${path}, header = true, all_varchar = true)`;


export async function fixtureDb() {
  const t = await tempDb();
  await loadReference(t.db);
  return t;
}

/** Inserts a draw with the given id, task, status and drawn_at; the fd1 columns get inert placeholder values. */
export async function insertDraw(q: Queryable, d: { id: string; taskId: string; status: string; drawnAt: string | null }): Promise<void> {
  await q.exec(
    sql`INSERT INTO draws (id, task_id, status, secret, commitment, population_digest, population_size, committed_at, committed_by,
       drawn_at, eligibility, team_spec, strata)
     VALUES (${d.id}, ${d.taskId}, ${d.status}, repeat('0', 64), repeat('0', 64), repeat('0', 64), 0,
       CAST(${d.drawnAt} AS TIMESTAMPTZ) - INTERVAL 1 DAY, 'test', CAST(${d.drawnAt} AS TIMESTAMPTZ), '{}', '[]', '[]')`,
  );
}

/** data/fixtures/policy: entities with tiers, results, draws, inspectors and two risk models (see its README). */
export async function loadPolicyFixture(q: Queryable, options: { withModels?: boolean } = {}): Promise<void> {
  const f = (name: string) => csv(resolve(POLICY_FIXTURES, name));
  await q.exec(sql`INSERT INTO objects (id, object_kind, name, entity_type, region_code, industry_code, established_on, status, responsible_departments)
    SELECT id, 'entity', name, 'enterprise', region_code, industry_code, DATE '2015-01-01', status, ['SAMR'] FROM ${f('objects.csv')}`);
  await insertGivenScores(q, sql`SELECT id AS object_id, 2 AS model_version, CAST(score AS DOUBLE) AS score, tier FROM ${f('objects.csv')} WHERE tier IS NOT NULL`);
  await q.exec(sql`INSERT INTO inspection_results (result_id, object_id, inspected_on, department_code, item_code, outcome_code, inspector_ids, task_ref)
    SELECT result_id, object_id, CAST(inspected_on AS DATE), department_code, item_code, outcome_code, ['I1', 'I2'], task_ref FROM ${f('results.csv')}`);
  for (const d of await q.query<{ id: string; task_id: string; status: string; drawn_at: string }>(sql`SELECT * FROM ${f('draws.csv')}`)) {
    await insertDraw(q, { id: d.id, taskId: d.task_id, status: d.status, drawnAt: d.drawn_at });
  }
  await q.exec(sql`INSERT INTO draw_selection (draw_id, stratum, object_id, key, rank, draw_order)
    SELECT draw_id, stratum, object_id, sha256(object_id), 1, row_number() OVER () FROM ${f('selection.csv')}`);
  await q.exec(sql`INSERT INTO inspectors (id, name, department_code, region_code, kind, qualifications, specialties, certificate_no,
      certificate_valid_from, certificate_valid_to, active)
    SELECT id, '检查员' || id, 'SAMR', '440300', kind, ['enforcement'], [], certificate_no, CAST(certificate_valid_from AS DATE),
      CAST(certificate_valid_to AS DATE), CAST(active AS BOOLEAN) FROM ${f('inspectors.csv')}`);
  if (options.withModels ?? true) {
    await q.exec(sql`INSERT INTO risk_models (version, fitted_at, fitted_by, method, as_of, params, metrics, cutoffs)
      SELECT CAST(version AS INTEGER), TIMESTAMPTZ '2025-06-01 00:00:00+08', 'test', 'fixture', DATE '2025-05-31', '{}', CAST(metrics AS JSON), '{}'
      FROM ${f('risk_models.csv')}`);
  }
}


/** Generates a province (in this process) and imports its entities, complaints, results and inspectors with importFile. */
export async function generatedDb(options: { entities: number; seed: number | string; outbreaks?: string[] }) {
  const t = await fixtureDb();
  const out = resolve(t.dir, 'generated');
  await generateProvince({ entities: options.entities, seed: options.seed, outDir: out, outbreaks: options.outbreaks ?? [], threads: 1 });
  for (const kind of ['entities', 'inspectors', 'complaints', 'results']) {
    const report = await importFile(t.db, { kind, file: resolve(out, `${kind}.csv`), actor: 'test' });
    if (!report.written) throw new Error(`import ${kind}: ${report.rejectedTotal} rows rejected, first: ${JSON.stringify(report.rejected[0])}`);
  }
  return t;
}
