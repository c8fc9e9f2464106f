// Eligibility, recorded and reproducible: which objects of a task's scope form its draw population
// (active; outside the burden window unless tier D or a special task; not already covered, tier D included, by another
// department's recognised result within that window unless a special task; below the yearly cap, no exemption).
import type { Queryable } from '../db/duckdb.ts';
import { sql, sqlFolder, type Sql } from '../db/sql.ts';
import { currentPolicy, type SamplingPolicy } from '../policy/policy.ts';
import { quota } from '../kernel/quota.ts';
import { DrawStateError } from './plans.ts';
import { shanghaiDate } from '../kernel/time.ts';
import { getTask, type Task } from './tasks.ts';
import type { EligibilityRules } from './schemas.ts';

export type { EligibilityRules };

const query = sqlFolder(import.meta.url);

/**
 * Whether a task's strata are confidential (fd2 §2): their labels carry a risk tier ('D', 'D|440300'), and a tier is
 * for the regulator's internal use. The one place that decides it: the digest is then salted and the public sees
 * totals only, never a stratum, a key or a rank.
 */
export function confidentialStrata(strataMode: Task['strataMode']): boolean {
  return strataMode === 'tier' || strataMode === 'tier_city';
}

/** The task's checklist items each with the items of other departments declared equivalent to it (as of now). */
export async function recognitionOf(q: Queryable, task: Task): Promise<NonNullable<EligibilityRules['recognition']>> {
  const codes = task.items.map((i) => i.code);
  return q.query<{ item: string; equivalent: string }>(
    sql`SELECT c.code AS item, CASE WHEN e.item_a = c.code THEN e.item_b ELSE e.item_a END AS equivalent
        FROM unnest(${JSON.stringify(codes)}::JSON::VARCHAR[]) AS c(code)
        JOIN item_equivalences e ON c.code IN (e.item_a, e.item_b)
        ORDER BY item, equivalent`,
  );
}

export function eligibilityRules(task: Task, policy: SamplingPolicy, loadAsOf: string, recognition: EligibilityRules['recognition'] = []): EligibilityRules {
  return {
    referenceDate: task.windowStart,
    loadAsOf,
    burdenWindowDays: policy.burdenWindowDays,
    burdenExempt: task.kind === 'special',
    yearlyCap: policy.yearlyCap,
    policyVersion: policy.version,
    strataMode: task.strataMode,
    scope: task.scope,
    recognition,
    checklistSize: task.items.length,
  };
}

/** Candidates of one task under a set of rules, with stratum and exclusion flags: one row per object in scope (sql/eligibility.sql). */
function candidates(rules: EligibilityRules): Sql {
  const { regions } = rules.scope;
  return query('eligibility', {
    strata_mode: rules.strataMode,
    burden_exempt: rules.burdenExempt,
    reference_date: rules.referenceDate,
    load_as_of: rules.loadAsOf,
    burden_window_days: rules.burdenWindowDays,
    yearly_cap: rules.yearlyCap,
    object_kinds: JSON.stringify(rules.scope.objectKinds),
    districts: JSON.stringify(regions.filter((r) => !r.endsWith('00'))),
    city_prefixes: JSON.stringify(regions.filter((r) => r.endsWith('00') && !r.endsWith('0000')).map((r) => r.slice(0, 4))),
    province_prefixes: JSON.stringify(regions.filter((r) => r.endsWith('0000')).map((r) => r.slice(0, 2))),
    industries: JSON.stringify(rules.scope.industries),
    entity_types: JSON.stringify(rules.scope.entityTypes),
    departments: JSON.stringify(rules.scope.departments),
    recognition: JSON.stringify(rules.recognition ?? []),
    checklist_size: rules.checklistSize ?? 0,
  });
}

export type StratumSpec = { stratum: string; ratioBp: number } | { stratum: string; count: number };

/**
 * The ratio or count of one stratum: the task's own (stratum, then tier) when it sets them, else the
 * sampling policy's tier ratio; an unstratified task without ratios uses its items' highest default ratio.
 */
export function stratumSpec(task: Task, policy: SamplingPolicy, stratum: string): StratumSpec {
  const tier = stratum.split('|')[0];
  if (task.counts) return { stratum, count: task.counts[stratum] ?? task.counts[tier] ?? 0 };
  const own = task.ratiosBp?.[stratum] ?? task.ratiosBp?.[tier];
  if (own !== undefined) return { stratum, ratioBp: own };
  if (stratum === 'ALL') return { stratum, ratioBp: Math.max(...task.items.map((i) => i.defaultRatioBp)) };
  const fromPolicy = (policy.tierRatiosBp as Record<string, number>)[tier];
  if (fromPolicy === undefined) throw new DrawStateError('policy.tier_ratio_missing', task.id, 'ready', `抽查比例政策没有等级 ${tier} 的比例 / the sampling policy has no ratio for tier ${tier}`);
  return { stratum, ratioBp: fromPolicy };
}

export interface EligibilityPreview {
  taskId: string;
  rules: EligibilityRules;
  /** Objects matching the scope, before status, burden window and cap. */
  inScope: number;
  notActive: number;
  inBurdenWindow: number;
  /** Outside the burden window but covered by another department's recognised result within it. */
  recognised: number;
  atYearlyCap: number;
  /** Eligible objects without a risk tier (blocks a stratified draw). */
  untiered: number;
  eligible: number;
  strata: Array<StratumSpec & { eligible: number; quota: number }>;
}

/** How many objects a task would draw from and how many it would pick, without committing anything. */
export async function eligiblePopulation(q: Queryable, taskOrId: Task | string, options: { now?: Date } = {}): Promise<EligibilityPreview> {
  const task = typeof taskOrId === 'string' ? await getTask(q, taskOrId) : taskOrId;
  const p = await currentPolicy(q);
  const rules = eligibilityRules(task, p, shanghaiDate(options.now ?? new Date()), await recognitionOf(q, task));
  // One pass over the candidates: counts per stratum (NULL: no tier), summed below.
  const groups = await q.query<{ stratum: string | null; in_scope: number; not_active: number; in_burden_window: number; recognised: number; at_yearly_cap: number; eligible: number }>(
    sql`SELECT stratum, count(*) AS in_scope,
          count(*) FILTER (WHERE NOT active) AS not_active,
          count(*) FILTER (WHERE active AND in_burden_window) AS in_burden_window,
          count(*) FILTER (WHERE active AND recognised AND NOT in_burden_window) AS recognised,
          count(*) FILTER (WHERE active AND at_yearly_cap) AS at_yearly_cap,
          count(*) FILTER (WHERE active AND NOT in_burden_window AND NOT recognised AND NOT at_yearly_cap) AS eligible
        FROM (${candidates(rules)}) c GROUP BY stratum ORDER BY stratum`,
  );
  const sum = (field: 'in_scope' | 'not_active' | 'in_burden_window' | 'recognised' | 'at_yearly_cap' | 'eligible') => groups.reduce((n, g) => n + g[field], 0);
  const totals = {
    in_scope: sum('in_scope'),
    not_active: sum('not_active'),
    in_burden_window: sum('in_burden_window'),
    recognised: sum('recognised'),
    at_yearly_cap: sum('at_yearly_cap'),
    untiered: groups.find((g) => g.stratum === null)?.eligible ?? 0,
    eligible: sum('eligible'),
  };
  const byStratum = groups.filter((g) => g.stratum !== null && g.eligible > 0).map((g) => ({ stratum: g.stratum as string, n: g.eligible }));
  return {
    taskId: task.id,
    rules,
    inScope: totals.in_scope,
    notActive: totals.not_active,
    inBurdenWindow: totals.in_burden_window,
    recognised: totals.recognised,
    atYearlyCap: totals.at_yearly_cap,
    untiered: totals.untiered,
    eligible: totals.eligible,
    strata: byStratum.map(({ stratum, n }) => {
      const spec = stratumSpec(task, p, stratum);
      return { ...spec, eligible: n, quota: quota(n, spec) };
    }),
  };
}

/**
 * Freezes a draw's population: one set-based INSERT ... SELECT into draw_population. Refuses (the caller's
 * transaction rolls back) when a stratified task meets eligible objects without a risk tier.
 */
export async function insertPopulation(q: Queryable, drawId: string, rules: EligibilityRules): Promise<{ size: number; strata: Array<{ stratum: string; eligible: number }>; modelVersion: number | null }> {
  // An untiered object is stored with stratum '' so it is found below; the caller rolls back.
  const past = sql`active AND NOT in_burden_window AND NOT at_yearly_cap`;
  if (!rules.recognition?.length) {
    // without a pair nothing is recognised: the population is written straight, with no copy of its 18 M rows
    await q.exec(
      sql`INSERT INTO draw_population (draw_id, stratum, object_id)
          SELECT ${drawId}, coalesce(stratum, ''), object_id FROM (${candidates(rules)}) c WHERE ${past} AND NOT recognised`,
    );
  } else {
    // One pass over the candidates when a recognition pair applies: the population takes the ones recognition did not
    // cover, draw_recognised (for coverage) the ones it did. If a step fails, the caller's rollback drops the table too.
    await q.exec(
      sql`CREATE OR REPLACE TEMP TABLE draw_candidates AS
          SELECT coalesce(stratum, '') AS stratum, object_id, recognised FROM (${candidates(rules)}) c WHERE ${past}`,
    );
    await q.exec(sql`INSERT INTO draw_population (draw_id, stratum, object_id) SELECT ${drawId}, stratum, object_id FROM draw_candidates WHERE NOT recognised`);
    await q.exec(sql`INSERT INTO draw_recognised (draw_id, object_id) SELECT ${drawId}, object_id FROM draw_candidates WHERE recognised`);
    await q.exec(sql`DROP TABLE draw_candidates`);
  }
  const strata = await q.query<{ stratum: string; eligible: number }>(
    sql`SELECT stratum, count(*) AS eligible FROM draw_population WHERE draw_id = ${drawId} GROUP BY stratum ORDER BY stratum`,
  );
  const untiered = strata.find((s) => s.stratum === '');
  if (untiered) {
    const examples = (
      await q.query<{ object_id: string }>(sql`SELECT object_id FROM draw_population WHERE draw_id = ${drawId} AND stratum = '' ORDER BY object_id LIMIT 5`)
    ).map((r) => r.object_id);
    throw new DrawStateError(
      'task.objects_untiered',
      drawId,
      'committing',
      `${untiered.eligible} 个符合条件的对象没有风险等级（如 ${examples.join(', ')}）：请先运行风险评分，或将任务设为不分层 / ` +
        `${untiered.eligible} eligible objects have no risk tier (e.g. ${examples.join(', ')}): score them first, or use strata_mode none`,
    );
  }
  const model = await q.one<{ v: number | null }>(sql`SELECT max(model_version) AS v FROM risk_entity_codes`);
  return { size: strata.reduce((s, x) => s + x.eligible, 0), strata, modelVersion: rules.strataMode === 'none' ? null : (model?.v ?? null) };
}
