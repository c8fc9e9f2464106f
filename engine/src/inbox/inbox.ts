// The 待我处理 inbox: what needs the signed-in person now, by role, from the sources in sources.ts.
import { shanghaiDate } from '../kernel/time.ts';
import type { Role } from '../auth/roles.ts';
import { approvalsWaiting, highAlertsOpen, invitationsWaiting, readyToCommit, resultsDue, unstaffedObjects, type InboxContext, type InboxSourceFn } from './sources.ts';
import type { Inbox } from './schemas.ts';

/** Which sources fill whose inbox, in the order they are listed. */
export const SOURCES_BY_ROLE: Record<Role, InboxSourceFn[]> = {
  leader: [approvalsWaiting, highAlertsOpen, unstaffedObjects, resultsDue],
  analyst: [highAlertsOpen],
  operator: [invitationsWaiting, readyToCommit, unstaffedObjects, resultsDue],
  admin: [approvalsWaiting, invitationsWaiting, readyToCommit, unstaffedObjects, resultsDue, highAlertsOpen],
  // An auditor acts on nothing but its own attestations: it chooses which draws to verify.
  auditor: [],
};

export async function inboxFor(ctx: InboxContext, now = new Date()): Promise<Inbox> {
  const items = [];
  for (const source of SOURCES_BY_ROLE[ctx.caller.role]) items.push(...(await source(ctx)));
  return { today: shanghaiDate(now), items };
}
