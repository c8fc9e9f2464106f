// 待我处理 (/api/inbox): what needs the signed-in person now, by role; each item names the page where it is dealt with.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { alertReportsOf } from '../../alerts/reports.ts';
import { inboxFor } from '../../inbox/inbox.ts';
import { Inbox } from '../../inbox/schemas.ts';
import { requirePrincipal } from '../plugins/auth.ts';
import { EVERY_ROLE } from '../roles.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('inbox');

export const inboxRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const alertReports = alertReportsOf(app.db);
  app.get('/inbox', route(EVERY_ROLE, {
    summary: '待我处理 What needs me: approvals (leaders), tasks ready to commit (operators), unstaffed objects, results overdue or due within 5 working days, high alerts no task answers yet',
    response: { 200: Inbox },
  }), async (request) => inboxFor({ q: app.db, caller: requirePrincipal(request), alerts: async () => (await alertReports.report({})).alerts }));
};
