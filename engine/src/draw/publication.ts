// When a draw's results may be public: once its inspection window has closed (the day after its last day, Asia/Shanghai),
// or earlier by a leader's recorded decision (reason, who, when; audited). Publishing checks it, and every public
// reading of results filters by it, so a result published before this rule existed stays hidden too.
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { appendAudit } from '../audit/chain.ts';
import { EngineError } from '../kernel/errors.ts';
import { shanghaiDate } from '../kernel/time.ts';
import { DrawInputError, DrawNotFoundError, DrawStateError } from './plans.ts';
import type { EarlyPublication } from './schemas.ts';

interface EarlyRow {
  draw_id: string;
  reason: string;
  decided_by: string;
  decided_at: Date;
}

const toEarly = (r: EarlyRow): EarlyPublication => ({ drawId: r.draw_id, reason: r.reason, decidedBy: r.decided_by, decidedAt: r.decided_at });

/**
 * The draws whose results are withheld from the public on `today` (a Shanghai date): window not closed, no leader's
 * decision. Grain: one row per draw (`id`). Public queries exclude results of these draws.
 */
export const withheldDrawsSql = (today: string) => sql`
SELECT d.id FROM draws d JOIN tasks t ON t.id = d.task_id
WHERE t.window_end >= ${today}::DATE AND d.id NOT IN (SELECT draw_id FROM early_publications)`;

/** The ids of the draws whose results the public may not see at `now`. */
export async function withheldDraws(q: Queryable, now: Date): Promise<string[]> {
  return (await q.query<{ id: string }>(sql`${withheldDrawsSql(shanghaiDate(now))} ORDER BY d.id`)).map((r) => r.id);
}

/** The leaders' early-publication decisions on a task's draws, in draw order. */
export async function earlyPublicationsOf(q: Queryable, taskId: string): Promise<EarlyPublication[]> {
  return (
    await q.query<EarlyRow>(sql`SELECT e.* FROM early_publications e JOIN draws d ON d.id = e.draw_id WHERE d.task_id = ${taskId} ORDER BY e.draw_id`)
  ).map(toEarly);
}

/** Refuses publishing a draw's results while its window is open and no leader decided to publish early (`result.window_open`). */
export async function assertResultsPublishable(q: Queryable, drawId: string, now: Date): Promise<void> {
  const row = await q.one<{ window_end: string; early: boolean }>(
    sql`SELECT t.window_end, d.id IN (SELECT draw_id FROM early_publications) AS early FROM draws d JOIN tasks t ON t.id = d.task_id WHERE d.id = ${drawId}`,
  );
  if (!row) throw new DrawNotFoundError('draw', drawId);
  if (row.early || shanghaiDate(now) > row.window_end) return;
  throw new EngineError(
    'conflict',
    'result.window_open',
    {
      zh: `抽取 ${drawId} 的检查窗口至 ${row.window_end} 结束，结果在窗口结束后公开；如需提前公开，须由领导记录决定和理由`,
      en: `the inspection window of draw ${drawId} runs to ${row.window_end}: its results are published after the window closes, or earlier by a leader's recorded decision with a reason`,
    },
    { drawId, windowEnd: row.window_end },
  );
}

/** A leader's decision to publish a drawn draw's results before its window closes: once per draw, with a reason; audited. */
export async function decideEarlyPublication(db: Db, drawId: string, options: { reason: string; actor: string; now?: Date }): Promise<EarlyPublication> {
  const reason = options.reason?.trim() ?? '';
  if (reason.length < 2) throw new DrawInputError('reason', options.reason, '须说明提前公开的理由 / give the reason for publishing early');
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const draw = await tx.one<{ status: string; window_end: string }>(sql`SELECT d.status, t.window_end FROM draws d JOIN tasks t ON t.id = d.task_id WHERE d.id = ${drawId}`);
    if (!draw) throw new DrawNotFoundError('draw', drawId);
    if (draw.status !== 'drawn')
      throw new DrawStateError('draw.not_run', drawId, draw.status, `抽取 ${drawId} 当前为 ${draw.status}，只有已完成的抽取才有结果可公开 / draw ${drawId} is ${draw.status}: only a drawn draw has results to publish`);
    const earlier = await tx.one<EarlyRow>(sql`SELECT * FROM early_publications WHERE draw_id = ${drawId}`);
    if (earlier)
      throw new DrawStateError(
        'draw.early_publication_exists',
        drawId,
        'decided',
        `${earlier.decided_by} 已决定提前公开抽取 ${drawId} 的结果 / ${earlier.decided_by} already decided to publish the results of draw ${drawId} early`,
      );
    const decision: EarlyPublication = { drawId, reason, decidedBy: options.actor, decidedAt: now };
    await tx.exec(sql`INSERT INTO early_publications VALUES (${drawId}, ${reason}, ${options.actor}, ${now.toISOString()}::TIMESTAMPTZ)`);
    await appendAudit(tx, { actor: options.actor, action: 'draw.publish_early', subject: drawId, payload: { drawId, reason, windowEnd: draw.window_end, decidedAt: now.toISOString() } });
    return decision;
  });
}
