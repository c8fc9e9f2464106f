// The draw lifecycle (fd2 for new draws, docs/fd2.md; fd1 draws stay as they were): commit (population frozen, secret
// drawn, the beacon's source and due time declared, commitment and digest to the audit log), beacon (recorded
// verbatim, once, at or after its due time), run (selection, pools, exclusions, teams; only after the beacon), void
// (with a reason, never deleted). A draw is never re-run: a new draw is a new record. publicView() is what the public
// may see, and when.
import { createHash, randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql, type Sql } from '../db/sql.ts';
import { appendAudit } from '../audit/chain.ts';
import { recordDrawHead } from '../audit/heads.ts';
import { rowHashes } from '../audit/rows.ts';
import { currentPolicy } from '../policy/policy.ts';
import { assignTeams, digestSalt, PROTOCOL, sha256Hex, type DigestMode, type Protocol, type RankPool, type StratumQuota } from './fd1.ts';
import { drawSelectionTable, populationDigestSql } from './select-sql.ts';
import { confidentialStrata, eligibilityRules, insertPopulation, recognitionOf, stratumSpec, type StratumSpec } from './eligibility.ts';
import { EngineError } from '../kernel/errors.ts';
import { freezeExclusions, freezePools, loadExclusions, loadPools, taskCaps } from './matching.ts';
import { DrawInputError, DrawNotFoundError, DrawStateError, nextYearlyId } from './plans.ts';
import { assertPartnersAccepted } from './invitations.ts';
import { shanghaiDate, shanghaiTime } from '../kernel/time.ts';
import { checklist, getTask, type TaskKind } from './tasks.ts';
import type { CapRecord, DrawHeader, DrawStatus, EligibilityRules, StratumRecord } from './schemas.ts';

export type { CapRecord, DrawHeader, DrawStatus, StratumRecord } from './schemas.ts';

export interface SelectionRow {
  stratum: string;
  objectId: string;
  key: string;
  rank: number;
  drawOrder: number;
}
export interface TeamRow {
  objectId: string;
  department: string;
  inspectorId: string;
  position: number;
}
export interface UnstaffedRow {
  objectId: string;
  department: string;
  reason: string;
}

/** Everything stored about a draw, secret included: server-side only; the public gets publicView(). */
export interface DrawDetail extends DrawHeader {
  secret: string;
  seed: string | null;
  checklist: ReturnType<typeof checklist>;
  selection?: SelectionRow[];
  teams?: TeamRow[];
  unstaffed?: UnstaffedRow[];
}

interface DrawRow {
  id: string;
  task_id: string;
  task_name: string;
  task_public_name: string;
  task_kind: TaskKind;
  departments: string[];
  protocol: Protocol;
  status: DrawStatus;
  beacon_source: string | null;
  beacon_due: Date | null;
  digest: DigestMode;
  secret: string;
  commitment: string;
  population_digest: string;
  population_size: number;
  beacon: string | null;
  grind_proof: boolean | null;
  seed: string | null;
  committed_at: Date;
  beaconed_at: Date | null;
  drawn_at: Date | null;
  voided_at: Date | null;
  void_reason: string | null;
  voided_by: string | null;
  voided_from: DrawStatus | null;
  committed_by: string;
  beaconed_by: string | null;
  drawn_by: string | null;
  policy_version: number | null;
  model_version: number | null;
  eligibility: string;
  team_spec: string;
  strata: string;
  caps: string | null;
  window_start: string;
  window_end: string;
  selected: number;
  team_members: number;
  unstaffed_objects: number;
  exclusions: number;
  pool: number;
}

/**
 * One row per draw with its task and row counts; `drawId` narrows the counts as well as the draws (null: every draw),
 * so one draw's header never aggregates every draw's rows.
 */
const drawSelect = (drawId: string | null) => {
  const ofDraw = (column: Sql) => (drawId === null ? sql`true` : sql`${column} = ${drawId}`);
  const where = ofDraw(sql`draw_id`);
  return sql`
WITH selected AS (SELECT draw_id, count(*) AS n FROM draw_selection WHERE ${where} GROUP BY draw_id),
members AS (SELECT draw_id, count(*) AS n FROM draw_teams WHERE ${where} GROUP BY draw_id),
unstaffed AS (SELECT draw_id, count(DISTINCT object_id) AS n FROM draw_unstaffed WHERE ${where} GROUP BY draw_id),
excluded AS (SELECT draw_id, count(*) AS n FROM draw_exclusions WHERE ${where} GROUP BY draw_id),
pooled AS (SELECT draw_id, count(*) AS n FROM draw_pools WHERE ${where} GROUP BY draw_id)
SELECT d.id, d.task_id, t.name AS task_name, t.public_name AS task_public_name, t.kind AS task_kind, t.departments, d.protocol, d.status, d.beacon_source, d.beacon_due, d.digest, d.secret, d.commitment,
  d.population_digest, d.population_size, d.beacon, d.grind_proof, d.seed, d.committed_at, d.beaconed_at, d.drawn_at,
  d.voided_at, d.void_reason, d.voided_by, d.voided_from, d.committed_by, d.beaconed_by, d.drawn_by, d.policy_version,
  d.model_version, d.eligibility::VARCHAR AS eligibility, d.team_spec::VARCHAR AS team_spec, d.strata::VARCHAR AS strata,
  d.caps::VARCHAR AS caps, t.window_start, t.window_end,
  coalesce(selected.n, 0) AS selected, coalesce(members.n, 0) AS team_members, coalesce(unstaffed.n, 0) AS unstaffed_objects,
  coalesce(excluded.n, 0) AS exclusions, coalesce(pooled.n, 0) AS pool
FROM draws d JOIN tasks t ON t.id = d.task_id
LEFT JOIN selected ON selected.draw_id = d.id
LEFT JOIN members ON members.draw_id = d.id
LEFT JOIN unstaffed ON unstaffed.draw_id = d.id
LEFT JOIN excluded ON excluded.draw_id = d.id
LEFT JOIN pooled ON pooled.draw_id = d.id
WHERE ${ofDraw(sql`d.id`)}`;
};

function toHeader(r: DrawRow): DrawHeader {
  return {
    id: r.id,
    taskId: r.task_id,
    taskName: r.task_name,
    taskPublicName: r.task_public_name,
    taskKind: r.task_kind,
    departments: r.departments,
    protocol: r.protocol,
    status: r.status,
    beaconSource: r.beacon_source,
    beaconDue: r.beacon_due,
    digest: r.digest,
    commitment: r.commitment,
    populationDigest: r.population_digest,
    populationSize: r.population_size,
    beacon: r.beacon,
    grindProof: r.grind_proof,
    committedAt: r.committed_at,
    beaconedAt: r.beaconed_at,
    drawnAt: r.drawn_at,
    voidedAt: r.voided_at,
    voidReason: r.void_reason,
    voidedBy: r.voided_by,
    voidedFrom: r.voided_from,
    committedBy: r.committed_by,
    beaconedBy: r.beaconed_by,
    drawnBy: r.drawn_by,
    policyVersion: r.policy_version,
    modelVersion: r.model_version,
    eligibility: JSON.parse(r.eligibility),
    teamSpec: JSON.parse(r.team_spec),
    strata: JSON.parse(r.strata),
    caps: r.caps ? JSON.parse(r.caps) : null,
    windowStart: r.window_start,
    windowEnd: r.window_end,
    counts: { selected: r.selected, teamMembers: r.team_members, unstaffedObjects: r.unstaffed_objects, exclusions: r.exclusions, pool: r.pool },
  };
}

async function drawRow(q: Queryable, id: string): Promise<DrawRow> {
  const row = await q.one<DrawRow>(drawSelect(id));
  if (!row) throw new DrawNotFoundError('draw', id);
  return row;
}

/** The frozen population of one draw as fd1's (stratum, id) source. */
export function populationSource(drawId: string): { populationSql: Sql } {
  return { populationSql: sql`SELECT stratum, object_id AS id FROM draw_population WHERE draw_id = ${drawId}` };
}

/** Digest of stored rows, one line per row with tab-separated fields (selection in draw order): recorded in the audit log. */
function rowsDigest(lines: Iterable<string>): string {
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line}\n`, 'utf8');
  return hash.digest('hex');
}

/** A draw's population kept outside DuckDB (engine/src/cluster), frozen there under the draw's id at commit. */
export interface ExternalPopulation {
  where: NonNullable<EligibilityRules['population']>;
  /** Freezes the population as draw `drawId`'s, checks it (fd1 §2) and returns its strata and digest. */
  /** `salt` goes before the digest's rows (fd1.ts digestSalt). */
  freeze(drawId: string, salt: string): Promise<{ size: number; strata: Array<{ stratum: string; eligible: number }>; digest: string; rows: number }>;
}

/** Where a draw kept outside DuckDB is computed: its selection, and the ranked inspector candidates for assignTeams. */
export interface ExternalDrawEngine {
  /** Leaves the selection in TEMP table `resultTable` (stratum, id, key, rank, draw_order) on `tx`, as drawSelectionTable does. */
  select(tx: Queryable, options: { protocol: string; drawId: string; seed: string; taskId: string; strata: SelectionStratum[]; resultTable: string }): Promise<{ strata: StratumQuota[] }>;
  rankPool(options: { protocol: string; seed: string; taskId: string; drawOrder: string[]; pools: Record<string, string[]> }): Promise<RankPool>;
}
type SelectionStratum = { stratum: string; count: number } | { stratum: string; ratioBp: number };

export interface CommitOptions {
  actor: string;
  /** fd2 §1: the public event whose value will be the beacon, e.g. "上证综合指数收盘价 / SSE Composite Index close". */
  beaconSource: string;
  /** When that value exists: strictly after the commitment, at least the task's minimum gap later. */
  beaconDue: Date;
  now?: Date;
  /** The population is a set kept outside DuckDB (a cluster's); default: the task's eligible objects in DuckDB. */
  population?: ExternalPopulation;
}

/** A beacon due this long after `now` at the least, or the refusal (fd2 §1). */
function checkBeaconDeclaration(options: CommitOptions, now: Date, minGapMinutes: number): { source: string; due: Date } {
  const source = typeof options.beaconSource === 'string' ? options.beaconSource.trim() : '';
  if (source === '')
    throw new DrawInputError('beaconSource', options.beaconSource, '承诺时须指定信标来源（如“上证综合指数收盘价”） / name the beacon source at commitment (e.g. "SSE Composite Index close")');
  const due = options.beaconDue;
  if (!(due instanceof Date) || Number.isNaN(due.getTime()))
    throw new DrawInputError('beaconDue', options.beaconDue, '须为带时区的时间，如 2026-03-02T15:00+08:00 / must be a time with its offset, e.g. 2026-03-02T15:00+08:00');
  const earliest = new Date(now.getTime() + minGapMinutes * 60_000);
  if (due.getTime() < earliest.getTime())
    throw new EngineError(
      'invalid',
      'draw.beacon_due_too_early',
      {
        zh: `信标时间 ${shanghaiTime(due)} 须晚于承诺时间 ${shanghaiTime(now)} 至少 ${minGapMinutes} 分钟（最早 ${shanghaiTime(earliest)}）：承诺前已存在的值不是信标`,
        en: `the beacon due time ${shanghaiTime(due)} must be at least ${minGapMinutes} minutes after the commitment at ${shanghaiTime(now)} (${shanghaiTime(earliest)} at the earliest): a value that exists before the commitment is no beacon`,
      },
      { beaconDue: due.toISOString(), committedAt: now.toISOString(), minGapMinutes },
    );
  return { source, due };
}

/**
 * Commits a task's draw: freezes the eligible population and the inspector pools, draws the secret from a CSPRNG
 * and records commitment, population digest and the declared beacon (source, due time) in the audit log, all in one
 * transaction.
 */
export async function commitDraw(db: Db, taskId: string, options: CommitOptions): Promise<DrawHeader> {
  if (!options.actor?.trim()) throw new DrawInputError('actor', options.actor, '须记录操作人 / the operator must be recorded');
  const now = options.now ?? new Date();
  const today = shanghaiDate(now);
  const drawId = await db.transaction(async (tx) => {
    const task = await getTask(tx, taskId);
    if (task.status === 'awaiting_approval')
      throw new DrawStateError('task.awaiting_approval', taskId, task.status, `专项任务 ${taskId} 须经领导审批后才能抽取 / special task ${taskId} needs a leader's approval before its draw`);
    await assertPartnersAccepted(tx, task);
    const live = await tx.one<{ id: string; status: string }>(sql`SELECT id, status FROM draws WHERE task_id = ${taskId} AND status <> 'voided'`);
    if (live)
      throw new DrawStateError('task.live_draw_exists', live.id, live.status, `任务 ${taskId} 已有抽取 ${live.id}（${live.status}），不得重抽；如有错误请先作废并说明理由 / task ${taskId} already has draw ${live.id} (${live.status}): no re-roll; void it with a reason first`);
    if (task.windowEnd < today)
      throw new DrawStateError('task.window_closed', taskId, 'window_closed', `检查窗口已于 ${task.windowEnd} 结束 / the inspection window ended on ${task.windowEnd}`);
    const beacon = checkBeaconDeclaration(options, now, task.minBeaconGapMinutes);

    const policy = await currentPolicy(tx);
    const rules: EligibilityRules = { ...eligibilityRules(task, policy, today, await recognitionOf(tx, task)), ...(options.population ? { population: options.population.where } : {}) };
    const id = await nextYearlyId(tx, 'draws', 'D', Number(today.slice(0, 4)));
    // Pools first: a pool too small for one team refuses the commit before the (large) population is frozen.
    const pools = await freezePools(tx, id, task);
    const short = pools.filter((p, i) => p.pool < task.teamSpec[i].count);
    if (short.length > 0)
      throw new DrawStateError(
        'task.pool_too_small',
        taskId,
        'pool_too_small',
        short.map((p) => `${p.department} 人员库仅 ${p.pool} 人，少于每组所需 ${task.teamSpec.find((e) => e.department === p.department)!.count} 人`).join('；') +
          ` / the inspector pool is smaller than one team needs (${short.map((p) => `${p.department}: ${p.pool}`).join(', ')}): active inspectors in ${task.jurisdictionRegionCode} with a certificate valid on ${task.windowStart} and the items' specialties`,
      );
    const secret = randomBytes(32).toString('hex');
    const digest: DigestMode = confidentialStrata(task.strataMode) ? 'salted' : 'plain';
    const salt = digestSalt(digest, secret);
    const external = await options.population?.freeze(id, salt);
    const population = external ? { ...external, modelVersion: null } : await insertPopulation(tx, id, rules);
    if (population.size === 0)
      throw new DrawStateError('task.nothing_eligible', taskId, 'empty', `任务 ${taskId} 没有符合条件的检查对象，无法抽取 / task ${taskId} has no eligible objects to draw from`);
    const digested = external ?? (await populationDigestSql(tx, populationSource(id), salt));
    if (digested.rows !== population.size) throw new Error(`population of ${id}: digest read ${digested.rows} rows, ${population.size} were frozen`);
    const populationDigest = digested.digest;
    const strata: StratumRecord[] = population.strata.map(({ stratum, eligible }) => {
      const spec: StratumSpec = stratumSpec(task, policy, stratum);
      return 'count' in spec ? { stratum, eligible, count: spec.count } : { stratum, eligible, ratio_bp: spec.ratioBp };
    });
    const poolsDigest = rowsDigest(
      (await tx.query<{ line: string }>(sql`SELECT department_code || chr(9) || inspector_id AS line FROM draw_pools WHERE draw_id = ${id} ORDER BY department_code, inspector_id`)).map((r) => r.line),
    );
    const commitment = sha256Hex(secret);
    await tx.exec(
      sql`INSERT INTO draws (id, task_id, protocol, status, beacon_source, beacon_due, digest, secret, commitment, population_digest, population_size, committed_at, committed_by,
         policy_version, model_version, eligibility, team_spec, strata)
       VALUES (${id}, ${taskId}, ${PROTOCOL}, 'committed', ${beacon.source}, ${beacon.due.toISOString()}::TIMESTAMPTZ, ${digest}, ${secret}, ${commitment}, ${populationDigest}, ${population.size}, ${now.toISOString()}::TIMESTAMPTZ, ${options.actor}, ${rules.policyVersion}, ${population.modelVersion}, ${JSON.stringify(rules)}::JSON, ${JSON.stringify(task.teamSpec)}::JSON, ${JSON.stringify(strata)}::JSON)`,
    );
    await appendAudit(tx, {
      actor: options.actor,
      action: 'draw.commit',
      subject: id,
      payload: {
        drawId: id,
        taskId,
        protocol: PROTOCOL,
        beaconSource: beacon.source,
        beaconDue: beacon.due.toISOString(),
        digest,
        commitment,
        populationDigest,
        populationSize: population.size,
        strata,
        pools,
        poolsDigest,
        policyVersion: rules.policyVersion,
        modelVersion: population.modelVersion,
        eligibility: rules,
        committedAt: now.toISOString(),
        rowHashes: { draws: await rowHashes(tx, 'draws', sql`id = ${id}`) },
      },
    });
    return id;
  });
  await recordDrawHead(db, drawId, 'commit', now);
  await db.checkpoint();
  return toHeader(await drawRow(db, drawId));
}

/** Records the public beacon value verbatim, once, after the commitment. */
export async function enterBeacon(db: Db, drawId: string, beacon: string, options: { actor: string; now?: Date }): Promise<DrawHeader> {
  if (!options.actor?.trim()) throw new DrawInputError('actor', options.actor, '须记录操作人 / the operator must be recorded');
  if (typeof beacon !== 'string' || beacon.trim() === '')
    throw new DrawInputError('beacon', beacon, '信标不能为空：须为承诺之后才产生的公开值（如某指数某日收盘价） / the beacon must be a public value that did not exist at commitment time');
  const now = options.now ?? new Date();
  await db.transaction(async (tx) => {
    const draw = await drawRow(tx, drawId);
    if (draw.status !== 'committed')
      throw new DrawStateError('draw.beacon_not_open', drawId, draw.status, `抽取 ${drawId} 当前为 ${draw.status}，信标只能在承诺后录入一次 / draw ${drawId} is ${draw.status}: the beacon is entered once, after the commitment`);
    if (draw.beacon_due && now.getTime() < draw.beacon_due.getTime())
      throw new EngineError(
        'conflict',
        'draw.beacon_not_due',
        {
          zh: `信标时间未到：承诺时指定的“${draw.beacon_source}”在 ${shanghaiTime(draw.beacon_due)} 才产生，现在是 ${shanghaiTime(now)}；之前录入的值不是信标`,
          en: `the beacon is not due: "${draw.beacon_source}", declared at commitment, exists from ${shanghaiTime(draw.beacon_due)}; it is now ${shanghaiTime(now)}, and a value entered before then is no beacon`,
        },
        { subject: drawId, beaconDue: draw.beacon_due.toISOString(), now: now.toISOString() },
      );
    await tx.exec(sql`UPDATE draws SET status = 'beaconed', beacon = ${beacon}, beaconed_at = ${now.toISOString()}::TIMESTAMPTZ, beaconed_by = ${options.actor} WHERE id = ${drawId}`);
    const rows = { draws: await rowHashes(tx, 'draws', sql`id = ${drawId}`) };
    await appendAudit(tx, { actor: options.actor, action: 'draw.beacon', subject: drawId, payload: { drawId, taskId: draw.task_id, beacon, beaconedAt: now.toISOString(), rowHashes: rows } });
  });
  return toHeader(await drawRow(db, drawId));
}

export interface RunOptions {
  actor: string;
  /** Rehearsal without a beacon: recorded beacon '' and marked not grind-proof. Only when explicitly asked. */
  allowNoBeacon?: boolean;
  now?: Date;
  /** Required for a draw whose population lives outside DuckDB (the engine holding it). */
  engine?: ExternalDrawEngine;
}

/** Refuses to compute a draw kept on a cluster without that cluster's engine (DuckDB holds none of its population). */
export function requireEngine(draw: Pick<DrawHeader, 'id' | 'status' | 'eligibility'>, engine: unknown): void {
  const where = draw.eligibility.population;
  if (where && !engine)
    throw new DrawStateError(
      'draw.needs_cluster_engine',
      draw.id,
      draw.status,
      `抽取 ${draw.id} 的总体在 ClickHouse 集群（集合 ${where.set}），请加 --engine clickhouse / the population of draw ${draw.id} lives on a ClickHouse cluster (set ${where.set}): use --engine clickhouse`,
    );
}

/**
 * Runs a committed draw once: selection (fd1 section 4), exclusions of the selected objects, team assignment
 * (section 5) over the pools frozen at commit; stores every row and the audit entry in one transaction.
 */
export async function runDraw(db: Db, drawId: string, options: RunOptions): Promise<DrawHeader> {
  if (!options.actor?.trim()) throw new DrawInputError('actor', options.actor, '须记录操作人 / the operator must be recorded');
  const now = options.now ?? new Date();
  await db.transaction(async (tx) => {
    const draw = toHeader(await drawRow(tx, drawId));
    requireEngine(draw, options.engine);
    if (draw.status === 'drawn')
      throw new DrawStateError('draw.already_run', drawId, draw.status, `抽取 ${drawId} 已于 ${draw.drawnAt ? shanghaiTime(draw.drawnAt) : '?'} 完成，不得重抽；如有错误请作废并新建抽取 / draw ${drawId} was already run: no re-roll; void it and commit a new draw`);
    if (draw.status === 'voided')
      throw new DrawStateError('draw.voided', drawId, draw.status, `抽取 ${drawId} 已作废（${draw.voidReason}） / draw ${drawId} is voided`);
    if (draw.status === 'committed' && draw.protocol !== 'fd1')
      // The source's own name may hold " / ", so both languages are given apart.
      throw new EngineError(
        'conflict',
        'draw.no_beacon',
        {
          zh: `抽取 ${drawId} 尚未录入信标：须在 ${draw.beaconDue ? shanghaiTime(draw.beaconDue) : '信标时间'} 之后录入“${draw.beaconSource}”的值，再执行抽取；${draw.protocol} 不允许无信标抽取`,
          en: `draw ${drawId} has no beacon yet: record the value of "${draw.beaconSource}" once it is due${draw.beaconDue ? ` (${shanghaiTime(draw.beaconDue)})` : ''}, then run the draw; ${draw.protocol} has no draw without a beacon`,
        },
        { subject: drawId, state: draw.status },
      );
    if (draw.status === 'committed' && !options.allowNoBeacon)
      throw new DrawStateError('draw.no_beacon', drawId, draw.status, `抽取 ${drawId} 尚未录入信标；演练可明确选择无信标抽取（--no-beacon） / draw ${drawId} has no beacon yet; a rehearsal may run without one only when asked (--no-beacon)`);
    if (draw.beaconedAt && now.getTime() < draw.beaconedAt.getTime())
      throw new DrawStateError('draw.no_beacon', drawId, draw.status, `抽取时间 ${shanghaiTime(now)} 早于信标录入时间 ${shanghaiTime(draw.beaconedAt)} / the draw cannot run (${shanghaiTime(now)}) before its beacon was recorded (${shanghaiTime(draw.beaconedAt)})`);
    const secret = (await tx.one<{ secret: string }>(sql`SELECT secret FROM draws WHERE id = ${drawId}`))!.secret;
    const beacon = draw.beacon ?? '';
    const grindProof = beacon !== '';
    const seed = `${secret}|${beacon}`;

    // Selection in DuckDB (hash once, threshold, exact): the population never leaves the database.
    const resultName = `fd1_result_${randomBytes(6).toString('hex')}`;
    const resultTable = sql.id(resultName);
    const strataSpecs = draw.strata.map((s) => (s.count !== undefined ? { stratum: s.stratum, count: s.count } : { stratum: s.stratum, ratioBp: s.ratio_bp as number }));
    const selected = options.engine
      ? await options.engine.select(tx, { protocol: draw.protocol, drawId, seed, taskId: draw.taskId, strata: strataSpecs, resultTable: resultName })
      : await drawSelectionTable(tx, {
          ...populationSource(drawId),
          protocol: draw.protocol,
          seed,
          taskId: draw.taskId,
          strata: strataSpecs,
          resultTable: resultName,
          // Commit already checked these frozen rows (duplicates, labels) when it computed their digest.
          populationChecked: true,
        });
    // Only the ids leave DuckDB (reading rows into JS costs about 10 µs a value); the digest is computed in SQL.
    const drawOrder = (await tx.query<{ id: string }>(sql`SELECT id FROM ${resultTable} ORDER BY draw_order`)).map((r) => r.id);
    const selectionDigest = (
      await tx.one<{ digest: string | null }>(
        sql`SELECT sha256(string_agg(stratum || chr(9) || id || chr(9) || key || chr(9) || rank::VARCHAR || chr(10), '' ORDER BY draw_order)) AS digest FROM ${resultTable}`,
      )
    )?.digest ?? rowsDigest([]);
    await tx.exec(sql`INSERT INTO draw_selection (draw_id, stratum, object_id, key, rank, draw_order) SELECT ${drawId}, stratum, id, key, rank, draw_order FROM ${resultTable}`);
    await tx.exec(sql`DROP TABLE ${resultTable}`);

    await freezeExclusions(tx, drawId);
    const pools = await loadPools(tx, drawId, draw.teamSpec);
    const exclusions = await loadExclusions(tx, drawId);
    const assigned = assignTeams({
      protocol: draw.protocol,
      seed,
      taskId: draw.taskId,
      drawOrder,
      teamSpec: draw.teamSpec.map((e) => ({ department: e.department, count: e.count })),
      pools,
      exclusions,
      caps: taskCaps(draw.teamSpec, drawOrder.length, pools),
      rankPool: await options.engine?.rankPool({ protocol: draw.protocol, seed, taskId: draw.taskId, drawOrder, pools }),
    });
    const teamAppender = await tx.appender('draw_teams');
    const positions = new Map<string, number>();
    for (const t of assigned.teams) {
      const position = (positions.get(t.objectId) ?? 0) + 1;
      positions.set(t.objectId, position);
      teamAppender.appendVarchar(drawId);
      teamAppender.appendVarchar(t.objectId);
      teamAppender.appendVarchar(t.department);
      teamAppender.appendVarchar(t.inspectorId);
      teamAppender.appendInteger(position);
      teamAppender.endRow();
    }
    teamAppender.closeSync();
    const unstaffedAppender = await tx.appender('draw_unstaffed');
    for (const u of assigned.unstaffed) {
      unstaffedAppender.appendVarchar(drawId);
      unstaffedAppender.appendVarchar(u.objectId);
      unstaffedAppender.appendVarchar(u.department);
      unstaffedAppender.appendVarchar(u.reason);
      unstaffedAppender.endRow();
    }
    unstaffedAppender.closeSync();

    const strata: StratumRecord[] = selected.strata.map((s) => ({
      stratum: s.stratum,
      eligible: s.eligible,
      ...(s.count !== undefined ? { count: s.count } : { ratio_bp: s.ratioBp }),
      quota: s.quota,
    }));
    await tx.exec(
      sql`UPDATE draws SET status = 'drawn', beacon = ${beacon}, grind_proof = ${grindProof}, seed = ${seed}, drawn_at = ${now.toISOString()}::TIMESTAMPTZ, drawn_by = ${options.actor},
         strata = ${JSON.stringify(strata)}::JSON, caps = ${JSON.stringify(assigned.caps)}::JSON WHERE id = ${drawId}`,
    );
    await appendAudit(tx, {
      actor: options.actor,
      action: 'draw.run',
      subject: drawId,
      payload: {
        drawId,
        taskId: draw.taskId,
        beacon,
        grindProof,
        strata,
        caps: assigned.caps,
        selected: drawOrder.length,
        teamMembers: assigned.teams.length,
        exclusions: exclusions.length,
        unstaffed: assigned.unstaffed.length,
        selectionDigest,
        teamsDigest: rowsDigest(assigned.teams.map((t) => `${t.objectId}\t${t.department}\t${t.inspectorId}`)),
        drawnAt: now.toISOString(),
        rowHashes: { draws: await rowHashes(tx, 'draws', sql`id = ${drawId}`), draw_selection: await rowHashes(tx, 'draw_selection', sql`draw_id = ${drawId}`) },
      },
    });
  });
  await recordDrawHead(db, drawId, 'draw', now);
  await db.checkpoint();
  return toHeader(await drawRow(db, drawId));
}

/** Voids a draw with a reason. The record and all its rows stay, visible; a new draw is a new record. */
export async function voidDraw(db: Db, drawId: string, options: { reason: string; actor: string; now?: Date }): Promise<DrawHeader> {
  if (!options.actor?.trim()) throw new DrawInputError('actor', options.actor, '须记录操作人 / the operator must be recorded');
  if (typeof options.reason !== 'string' || options.reason.trim().length < 2)
    throw new DrawInputError('reason', options.reason, '作废须说明理由 / voiding a draw needs a reason');
  const now = options.now ?? new Date();
  await db.transaction(async (tx) => {
    const draw = await drawRow(tx, drawId);
    if (draw.status === 'voided') throw new DrawStateError('draw.already_voided', drawId, draw.status, `抽取 ${drawId} 已于 ${draw.voided_at ? shanghaiTime(draw.voided_at) : '?'} 作废 / draw ${drawId} is already voided`);
    await tx.exec(
      sql`UPDATE draws SET status = 'voided', voided_at = ${now.toISOString()}::TIMESTAMPTZ, void_reason = ${options.reason.trim()}, voided_by = ${options.actor}, voided_from = status WHERE id = ${drawId}`,
    );
    await appendAudit(tx, {
      actor: options.actor,
      action: 'draw.void',
      subject: drawId,
      payload: {
        drawId,
        taskId: draw.task_id,
        reason: options.reason.trim(),
        previousStatus: draw.status,
        voidedAt: now.toISOString(),
        rowHashes: { draws: await rowHashes(tx, 'draws', sql`id = ${drawId}`) },
      },
    });
  });
  return toHeader(await drawRow(db, drawId));
}

export async function listDraws(q: Queryable, filter: { taskId?: string; status?: DrawStatus; department?: string } = {}): Promise<DrawHeader[]> {
  const task = filter.taskId ?? null;
  const status = filter.status ?? null;
  const dept = filter.department ?? null;
  const rows = await q.query<DrawRow>(
    sql`${drawSelect(null)}
       AND (${task}::VARCHAR IS NULL OR d.task_id = ${task})
       AND (${status}::VARCHAR IS NULL OR d.status = ${status})
       AND (${dept}::VARCHAR IS NULL OR list_contains(t.departments, ${dept}))
     ORDER BY d.id`,
  );
  return rows.map(toHeader);
}

/** The public list of draws at `now` (publicView of each, without rows): what the portal lists, voided ones included. */
export async function listPublicDraws(q: Queryable, now: Date, filter: { taskId?: string } = {}): Promise<PublicDraw[]> {
  const task = filter.taskId ?? null;
  const rows = await q.query<DrawRow>(sql`${drawSelect(null)} AND (${task}::VARCHAR IS NULL OR d.task_id = ${task}) ORDER BY d.id`);
  return rows.map((r) => publicView({ ...toHeader(r), secret: r.secret, seed: r.seed, checklist: [] }, now));
}

/** A draw with its secret and, unless `rows: false`, its selection, teams and unstaffed objects. */
export async function getDraw(q: Queryable, drawId: string, options: { rows?: boolean } = {}): Promise<DrawDetail> {
  const row = await drawRow(q, drawId);
  const task = await getTask(q, row.task_id);
  const detail: DrawDetail = { ...toHeader(row), secret: row.secret, seed: row.seed, checklist: checklist(task) };
  if (options.rows === false) return detail;
  detail.selection = (
    await q.query<{ stratum: string; object_id: string; key: string; rank: number; draw_order: number }>(
      sql`SELECT stratum, object_id, key, rank, draw_order FROM draw_selection WHERE draw_id = ${drawId} ORDER BY draw_order`,
    )
  ).map((r) => ({ stratum: r.stratum, objectId: r.object_id, key: r.key, rank: r.rank, drawOrder: r.draw_order }));
  detail.teams = (
    await q.query<{ object_id: string; department_code: string; inspector_id: string; position: number }>(
      sql`SELECT t.object_id, t.department_code, t.inspector_id, t.position
       FROM draw_teams t JOIN draw_selection s ON s.draw_id = t.draw_id AND s.object_id = t.object_id
       WHERE t.draw_id = ${drawId} ORDER BY s.draw_order, t.position`,
    )
  ).map((r) => ({ objectId: r.object_id, department: r.department_code, inspectorId: r.inspector_id, position: r.position }));
  detail.unstaffed = (
    await q.query<{ object_id: string; department_code: string; reason: string }>(
      sql`SELECT u.object_id, u.department_code, u.reason
       FROM draw_unstaffed u JOIN draw_selection s ON s.draw_id = u.draw_id AND s.object_id = u.object_id
       WHERE u.draw_id = ${drawId} ORDER BY s.draw_order, u.department_code`,
    )
  ).map((r) => ({ objectId: r.object_id, department: r.department_code, reason: r.reason }));
  return detail;
}

/** Whether a draw's selection and teams may be public: once its inspection window has closed (Asia/Shanghai). */
export function isPublished(draw: Pick<DrawHeader, 'windowEnd'>, now: Date): boolean {
  return shanghaiDate(now) > draw.windowEnd;
}

/** The fields of a draw that are public from its commitment on (never the secret before the window closes). */
export type PublicDrawFields = Pick<
  DrawHeader,
  | 'id' | 'taskId' | 'taskName' | 'taskKind' | 'protocol' | 'status' | 'commitment' | 'populationDigest' | 'populationSize'
  | 'beacon' | 'grindProof' | 'committedAt' | 'beaconedAt' | 'drawnAt' | 'voidedAt' | 'voidReason' | 'windowStart' | 'windowEnd'
>;

export interface PublicDraw extends PublicDrawFields {
  /** True once the window has closed: then secret, seed, strata, selection and teams are included. */
  published: boolean;
  secret?: string;
  seed?: string | null;
  strata?: StratumRecord[];
  caps?: CapRecord[] | null;
  selection?: SelectionRow[];
  teams?: TeamRow[];
  unstaffed?: UnstaffedRow[];
}

/**
 * What the public may see of a draw at `now`. Until the inspection window closes only the commitment, the
 * population digest and size, the times and the beacon; afterwards also the secret, strata, selection and teams.
 * Voided draws stay listed with their reason.
 */
export function publicView(draw: DrawDetail, now: Date): PublicDraw {
  const base: PublicDraw = {
    id: draw.id,
    taskId: draw.taskId,
    taskName: draw.taskPublicName,
    taskKind: draw.taskKind,
    protocol: draw.protocol,
    status: draw.status,
    commitment: draw.commitment,
    populationDigest: draw.populationDigest,
    populationSize: draw.populationSize,
    beacon: draw.beacon,
    grindProof: draw.grindProof,
    committedAt: draw.committedAt,
    beaconedAt: draw.beaconedAt,
    drawnAt: draw.drawnAt,
    voidedAt: draw.voidedAt,
    voidReason: draw.voidReason,
    windowStart: draw.windowStart,
    windowEnd: draw.windowEnd,
    published: false,
  };
  if (!isPublished(draw, now)) return base;
  const drawn = draw.drawnAt !== null;
  return {
    ...base,
    published: true,
    secret: draw.secret,
    seed: draw.seed,
    strata: draw.strata,
    caps: draw.caps,
    ...(drawn ? { selection: draw.selection, teams: draw.teams, unstaffed: draw.unstaffed } : {}),
  };
}
