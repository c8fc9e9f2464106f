// The authorisation matrix: every /api route the app registers x every caller, against `expectedAccess`.
// A new route fails this test until its row is added here.
import { describe, it, expect } from 'vitest';
import type { TempDb } from '../testing/db.ts';
import { apiForBlock, referenceDb, type App } from './test-support.ts';
import { CALLERS, headersFor } from '../auth/test-support.ts';
import { AUTHENTICATED, only, PUBLIC, type Expectation } from './access-rows.ts';
import { coverageAccess } from './routes/coverage.access.ts';
import { riskAccess } from './routes/risk.access.ts';
import { notebooksAccess } from './routes/notebooks.access.ts';
import { outcomeCodesAccess } from './routes/outcome-codes.access.ts';
import { drawsAccess } from './routes/draws.access.ts';
import { importsAccess } from './routes/imports.access.ts';
import { auditAccess } from './routes/audit.access.ts';
import { inboxAccess } from './routes/inbox.access.ts';

/** Keyed by `METHOD url` exactly as registered. Each area's rows live beside its routes (`routes/<area>.access.ts`). */
const expectedAccess: Record<string, Expectation> = {
  'GET /api/health': PUBLIC,
  'GET /api/health/details': only('admin'),
  'POST /api/backups': only('admin'),

  'GET /api/docs': PUBLIC,
  'GET /api/docs/json': PUBLIC,
  'GET /api/docs/yaml': PUBLIC,
  'GET /api/docs/static/index.html': PUBLIC,
  'GET /api/docs/static/swagger-initializer.js': PUBLIC,
  'GET /api/docs/static/*': { ...PUBLIC, url: '/api/docs/static/swagger-ui.css' },

  'POST /api/auth/login': PUBLIC,
  'POST /api/auth/logout': PUBLIC,
  'GET /api/auth/me': AUTHENTICATED,
  'GET /api/auth/session': PUBLIC,

  'GET /api/users': only('admin'),
  'POST /api/users': only('admin'),
  'PATCH /api/users/:username': only('admin'),

  // Results (operators limited to their own department by the route; 'x' names no draw: 404 after access passed).
  'GET /api/results/assignments': only('admin', 'analyst', 'leader', 'operator', 'auditor'),
  'GET /api/results/deadlines': only('admin', 'analyst', 'leader', 'operator', 'auditor'),
  'POST /api/results': only('admin', 'operator'),
  'PUT /api/results/:drawId/:objectId/:itemCode': only('admin', 'operator'),
  'GET /api/results/:drawId/:objectId/:itemCode/history': only('admin', 'analyst', 'leader', 'operator', 'auditor'),
  'POST /api/results/:drawId/:objectId/:itemCode/review': only('admin', 'operator'),
  'POST /api/results/:drawId/:objectId/:itemCode/publish': only('admin', 'operator'),
  'POST /api/results/publish': only('admin', 'operator'),
  'GET /api/entities/:objectId/results': only('admin', 'analyst', 'leader', 'operator', 'auditor'),
  'GET /api/item-equivalences': only('admin', 'analyst', 'leader', 'operator', 'auditor'),
  'POST /api/item-equivalences': only('admin'),
  'DELETE /api/item-equivalences/:itemA/:itemB': { ...only('admin'), url: '/api/item-equivalences/x/y?reason=test%20reason' },
  'GET /api/visits/:drawId/:objectId': only('admin', 'leader', 'operator', 'auditor'),
  'POST /api/results/:drawId/:objectId/:itemCode/evidence': only('admin', 'operator'),
  'GET /api/results/:drawId/:objectId/:itemCode/evidence': only('admin', 'leader', 'operator', 'auditor'),
  'GET /api/results/:drawId/:objectId/:itemCode/evidence/:number': { ...only('admin', 'leader', 'operator', 'auditor'), url: '/api/results/x/x/x/evidence/1' },

  // The public portal.
  'GET /api/public/items': PUBLIC,
  'GET /api/public/plans': PUBLIC,
  'GET /api/public/draws': PUBLIC,
  'GET /api/public/draws/:drawId': PUBLIC,
  'GET /api/public/draws/:drawId/files/:file': { ...PUBLIC, url: '/api/public/draws/x/files/manifest.json' },
  'GET /api/public/draws/:drawId/package.zip': PUBLIC,
  'GET /api/public/results': PUBLIC,
  'GET /api/public/audit-heads': PUBLIC,

  // Areas with their own rows file (one import above, one spread here each).
  ...coverageAccess,
  ...drawsAccess,
  ...importsAccess,
  ...auditAccess,
  ...riskAccess,
  ...notebooksAccess,
  ...outcomeCodesAccess,
  ...inboxAccess,
};

describe('authorisation matrix', () => {
  let t: TempDb;
  let app: App;
  apiForBlock((api, opened) => {
    app = api.app;
    t = opened;
  }, referenceDb);

  it('has an expectation for every registered /api route, and no stale ones', () => {
    const registered = app.routeAccess.map((r) => `${r.method} ${r.url}`);
    expect(registered.filter((key) => !(key in expectedAccess)), 'routes without a row in expectedAccess').toEqual([]);
    expect(Object.keys(expectedAccess).filter((key) => !registered.includes(key)), 'rows for routes that do not exist').toEqual([]);
  });

  it('answers every route x caller as expected', async () => {
    const mismatches: string[] = [];
    for (const route of app.routeAccess) {
      const key = `${route.method} ${route.url}`;
      const expectation = expectedAccess[key];
      if (!expectation) continue; // reported by the test above
      const url = expectation.url ?? route.url.replace(/:(\w+)/g, 'x');
      const hasBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
      for (const caller of CALLERS) {
        // A fresh session per request: a route may end the session it is called with (logout).
        const response = await app.inject({
          method: route.method as 'GET',
          url,
          headers: await headersFor(t.db, caller),
          ...(hasBody ? { payload: (expectation.body ?? {}) as object } : {}),
        });
        const status = response.statusCode;
        const expected = expectation.outcomes[caller];
        const ok = expected === 'allow' ? status !== 401 && status !== 403 && status < 500 : status === expected;
        if (!ok) mismatches.push(`${key} as ${caller}: expected ${expected}, got ${status} ${response.body.slice(0, 160)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('documents every route in the OpenAPI document with tags, responses per status and its access', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    const problems: string[] = [];
    for (const route of app.routeAccess) {
      if (route.url.startsWith('/api/docs')) continue; // the document itself and the UI (hidden)
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths?.[path]?.[route.method.toLowerCase()];
      const key = `${route.method} ${route.url}`;
      if (!op) {
        problems.push(`${key}: missing from the OpenAPI document`);
        continue;
      }
      if (!op.tags?.length) problems.push(`${key}: no tags`);
      const codes = Object.keys(op.responses ?? {});
      if (!codes.some((c) => /^2/.test(c))) problems.push(`${key}: no 2xx response schema`);
      if (route.access !== 'public' && !(codes.includes('401') && codes.includes('403'))) problems.push(`${key}: 401/403 not documented`);
      if ((op.requestBody || op.parameters?.length) && !codes.includes('400')) problems.push(`${key}: 400 not documented`);
      expect(op['x-access']).toEqual(route.access);
    }
    expect(problems).toEqual([]);
  });
});
