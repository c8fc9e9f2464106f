// Where inbox items come from: one function per source, each reading what the caller may see and answering items
// that link to the page where they are dealt with. A new source is one more function here and one line in inbox.ts.
import type { Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import type { Principal } from '../auth/roles.ts';
import { departmentScope } from '../auth/departments.ts';
import { listTasks } from '../draw/tasks.ts';
import { invitationsToAnswer, tasksAwaitingPartners } from '../draw/invitations.ts';
import { taskRows } from '../draw/views.ts';
import { deadlineReport } from '../results/results.ts';
import type { Assignment } from '../results/schemas.ts';
import type { AlertView } from '../alerts/schemas.ts';
import type { InboxItem, InboxSource } from './schemas.ts';

/** Results due within this many working days are listed (besides those overdue). */
export const DUE_SOON_WORKING_DAYS = 5;

export interface InboxContext {
  q: Queryable;
  caller: Principal;
  /** The regional alerts in force (the server keeps them per data version). */
  alerts: () => Promise<AlertView[]>;
}

export type InboxSourceFn = (ctx: InboxContext) => Promise<InboxItem[]>;

const same = (text: string) => ({ zh: text, en: text });
const taskItem = (source: InboxSource, task: { id: string; name: string }): InboxItem => ({ source, subject: task.id, title: same(task.name), href: `/tasks/${task.id}`, count: null, dueOn: null });

/** Special tasks waiting for a leader's approval. */
export const approvalsWaiting: InboxSourceFn = async ({ q, caller }) =>
  (await taskRows(q, { status: 'awaiting_approval', department: departmentScope(caller) })).map((t) => taskItem('approval', t));

/**
 * Tasks the caller's department leads that are approved (or need none), whose partner departments all accepted, and
 * have no draw yet: ready to commit.
 */
export const readyToCommit: InboxSourceFn = async ({ q, caller }) => {
  const department = departmentScope(caller);
  const awaiting = await tasksAwaitingPartners(q);
  return (await taskRows(q, { department }))
    .filter((t) => t.stage === 'ready' && !awaiting.has(t.id) && (department === null || t.leadDepartment === department))
    .map((t) => taskItem('ready_to_commit', t));
};

/** Invitations into joint tasks the caller's department (an admin: any department) has still to answer. */
export const invitationsWaiting: InboxSourceFn = async ({ q, caller }) =>
  (await invitationsToAnswer(q, departmentScope(caller))).map((i) => ({
    source: 'invitation' as const,
    subject: i.taskId,
    title: departmentScope(caller) ? same(i.taskName) : same(`${i.taskName}（${i.department}）`),
    href: `/tasks/${i.taskId}`,
    count: null,
    dueOn: null,
  }));

/** Drawn draws with objects a department (the caller's, for an operator) could not staff. Grain: one row per draw. */
export const unstaffedObjects: InboxSourceFn = async ({ q, caller }) => {
  const department = departmentScope(caller);
  const rows = await q.query<{ draw_id: string; task_id: string; task_name: string; objects: number }>(
    sql`SELECT d.id AS draw_id, d.task_id, t.name AS task_name, count(DISTINCT u.object_id) AS objects
     FROM draw_unstaffed u JOIN draws d ON d.id = u.draw_id JOIN tasks t ON t.id = d.task_id
     WHERE d.status = 'drawn' AND (${department}::VARCHAR IS NULL OR u.department_code = ${department})
     GROUP BY ALL ORDER BY d.id`,
  );
  return rows.map((r) => ({ source: 'unstaffed', subject: r.draw_id, title: same(r.task_name), href: `/tasks/${r.task_id}`, count: r.objects, dueOn: null }));
};

function byDraw(source: InboxSource, assignments: Assignment[]): InboxItem[] {
  const draws = new Map<string, InboxItem>();
  for (const a of assignments) {
    const item = draws.get(a.drawId);
    if (!item) draws.set(a.drawId, { source, subject: a.drawId, title: same(a.taskName), href: `/results?drawId=${encodeURIComponent(a.drawId)}`, count: 1, dueOn: a.dueOn });
    else {
      item.count = (item.count ?? 0) + 1;
      if (a.dueOn < item.dueOn!) item.dueOn = a.dueOn;
    }
  }
  return [...draws.values()];
}

/** Results not published and overdue, or due within DUE_SOON_WORKING_DAYS working days, per draw. */
export const resultsDue: InboxSourceFn = async ({ q, caller }) => {
  const report = await deadlineReport(q, { department: departmentScope(caller), dueSoonWorkingDays: DUE_SOON_WORKING_DAYS });
  return [...byDraw('results_overdue', report.overdue), ...byDraw('results_due_soon', report.dueSoon)];
};

/**
 * High alerts no task answers yet. A special task answers an alert when it was raised from the same region, industry
 * and kind (the alert's id) for a window that reaches into this alert's window.
 */
export const highAlertsOpen: InboxSourceFn = async ({ q, alerts }) => {
  const high = (await alerts()).filter((a) => a.severity === 'high');
  if (high.length === 0) return [];
  const answered = (await listTasks(q)).flatMap((t) => (t.alertEvidence ? [t.alertEvidence] : []));
  return high
    .filter((a) => !answered.some((e) => e.alertId === a.id && e.windowTo >= a.window.from))
    .map((a) => ({
      source: 'alert' as const,
      subject: a.id,
      title: { zh: `${a.level === 'city' ? '' : a.cityName.zh}${a.regionName.zh} × ${a.industryName.zh}`, en: `${a.regionName.en}${a.level === 'city' ? '' : `, ${a.cityName.en}`} × ${a.industryName.en}` },
      href: `/alerts?alert=${encodeURIComponent(a.id)}`,
      count: a.observed,
      dueOn: null,
    }));
};
