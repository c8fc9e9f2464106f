// Annual plans (/api/plans) and what a task form chooses from (/api/task-options).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Query, Type } from '../../kernel/schema.ts';
import { listPlans } from '../../draw/plans.ts';
import { createPlanAs } from '../../draw/operations.ts';
import { DepartmentCode, Plan, PlanBody, Year } from '../../draw/schemas.ts';
import { referenceNames, ReferenceNames } from '../../reference/names.ts';
import { requirePrincipal } from '../plugins/auth.ts';
import { DEPARTMENT_WRITERS, EVERY_ROLE } from '../roles.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('draws');

export const planRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/plans', route(EVERY_ROLE, {
    summary: '年度抽查工作计划 Annual plans',
    querystring: Query({ year: Type.Optional(Year), leadDepartment: Type.Optional(DepartmentCode) }),
    response: { 200: Type.Object({ plans: Type.Array(Plan) }) },
  }), async (request) => ({ plans: await listPlans(app.db, request.query) }));

  app.post('/plans', route(DEPARTMENT_WRITERS, {
    summary: '新建年度计划 Create an annual plan (operators: their own department leads it)',
    body: PlanBody,
    response: { 201: Plan },
  }), async (request, reply) => reply.code(201).send(await createPlanAs(app.db, requirePrincipal(request), request.body)));

  app.get('/task-options', route(EVERY_ROLE, {
    summary: '任务表单选项 What a task form chooses from: departments, regions (cities and districts), industries',
    response: { 200: ReferenceNames },
  }), async () => referenceNames(app.db));
};
