import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { tableFromIPC, tableToIPC, tableFromArrays } from 'apache-arrow';
import { session } from '../session.svelte';
import * as api from './index';
import { ApiError, getArrow, query, uploadFile } from './request';

interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

let calls: Call[];
let answer: () => Response;

beforeEach(() => {
  calls = [];
  answer = () => Response.json({ ok: true });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : init.body;
      calls.push({ url, method: init.method ?? 'GET', headers: new Headers(init.headers), body });
      return answer();
    }),
  );
  vi.stubGlobal('location', { pathname: '/results', search: '?state=entered', assign: vi.fn() });
  session.user = { username: 'operator-samr', role: 'operator', department: 'SAMR', csrfToken: 'token-1', expiresAt: '2026-12-31T00:00:00Z' };
});

afterEach(() => {
  vi.unstubAllGlobals();
  session.user = null;
});

const key = { drawId: 'D2026-0001', objectId: '91440300MA5F0000X1', itemCode: 'SAMR-005' };

describe('the API client', () => {
  it('asks each route with its method, URL and body', async () => {
    const cases: Array<[() => Promise<unknown>, string, string, unknown?]> = [
      [() => api.getCoverage({ year: 2026, city: '440300' }), 'GET', '/api/coverage?year=2026&city=440300'],
      [() => api.getCoverage({ year: 2026, city: null }), 'GET', '/api/coverage?year=2026'],
      [() => api.getOutcomes({ year: 2026, city: null, department: 'SAMR', industry: null, tier: 'D' }), 'GET', '/api/outcomes?year=2026&department=SAMR&tier=D'],
      [() => api.getOutcomeResults({ year: 2026, finding: false, month: '2026-03', limit: 50, offset: 100 }), 'GET', '/api/outcomes/results?year=2026&finding=false&month=2026-03&limit=50&offset=100'],
      [() => api.getAlerts(), 'GET', '/api/alerts'],
      [() => api.getAlerts({ windowWeeks: 8, q: 0.01, minObserved: 10 }), 'GET', '/api/alerts?windowWeeks=8&q=0.01&minObserved=10'],
      [() => api.getPolicy(), 'GET', '/api/policy'],
      [() => api.previewPolicy(), 'POST', '/api/policy/preview', {}],
      [() => api.previewPolicy({ A: 300, B: 500, C: 1000, D: 3000 }), 'POST', '/api/policy/preview', { tierRatiosBp: { A: 300, B: 500, C: 1000, D: 3000 } }],
      [() => api.savePolicy({ A: 300, B: 500, C: 1000, D: 3500 }, 'D 类发现率上升'), 'POST', '/api/policy', { tierRatiosBp: { A: 300, B: 500, C: 1000, D: 3500 }, reason: 'D 类发现率上升' }],
      [() => api.getPolicyVersions(), 'GET', '/api/policy/versions'],
      [() => api.getModels(), 'GET', '/api/models'],
      [() => api.getBacktest(3), 'GET', '/api/models/3/backtest'],
      [() => api.getPlans(), 'GET', '/api/plans'],
      [() => api.getTaskOptions(), 'GET', '/api/task-options'],
      [() => api.getTasks(), 'GET', '/api/tasks'],
      [() => api.getTask('T2026-0001'), 'GET', '/api/tasks/T2026-0001'],
      [() => api.approveTask('T2026-0004'), 'POST', '/api/tasks/T2026-0004/approve'],
      [
        () => api.commitDraw('T2026-0001', { beaconSource: '上证综合指数收盘价', beaconDue: '2026-03-02T15:00+08:00' }),
        'POST',
        '/api/tasks/T2026-0001/draws',
        { beaconSource: '上证综合指数收盘价', beaconDue: '2026-03-02T15:00+08:00' },
      ],
      [() => api.enterBeacon('D2026-0001', '上证指数 收盘 3,100.00'), 'POST', '/api/draws/D2026-0001/beacon', { beacon: '上证指数 收盘 3,100.00' }],
      [() => api.runDraw('D2026-0001'), 'POST', '/api/draws/D2026-0001/run', {}],
      [() => api.voidDraw('D2026-0001', '任务范围有误'), 'POST', '/api/draws/D2026-0001/void', { reason: '任务范围有误' }],
      [() => api.getDraws({ status: 'drawn' }), 'GET', '/api/draws?status=drawn'],
      [() => api.getDraw('D2026-0001', { limit: 100, offset: 0 }), 'GET', '/api/draws/D2026-0001?limit=100&offset=0'],
      [() => api.verifyDraw('D2026-0001'), 'GET', '/api/draws/D2026-0001/verify'],
      [() => api.getAssignments({ drawId: 'D2026-0001', dueSoonDays: 5, state: 'not_entered', limit: 50, offset: 0 }), 'GET', '/api/results/assignments?drawId=D2026-0001&dueSoonDays=5&state=not_entered&limit=50&offset=0'],
      [() => api.getDeadlines({ department: 'SAMR', dueSoonDays: 5 }), 'GET', '/api/results/deadlines?department=SAMR&dueSoonDays=5'],
      [() => api.getOutcomeCodes(), 'GET', '/api/results/outcome-codes'],
      [() => api.enterResult({ ...key, outcomeCode: 'PENDING', inspectedOn: '2026-03-02', findings: null }), 'POST', '/api/results', { ...key, outcomeCode: 'PENDING', inspectedOn: '2026-03-02', findings: null }],
      [() => api.correctResult(key, { outcomeCode: 'FIXED', reason: '复查已整改' }), 'PUT', '/api/results/D2026-0001/91440300MA5F0000X1/SAMR-005', { outcomeCode: 'FIXED', reason: '复查已整改' }],
      [() => api.getResultHistory(key), 'GET', '/api/results/D2026-0001/91440300MA5F0000X1/SAMR-005/history'],
      [() => api.reviewResult(key, { decision: 'withheld', publicText: null, note: null }), 'POST', '/api/results/D2026-0001/91440300MA5F0000X1/SAMR-005/review', { decision: 'withheld', publicText: null, note: null }],
      [() => api.publishResult(key), 'POST', '/api/results/D2026-0001/91440300MA5F0000X1/SAMR-005/publish'],
      [() => api.publishDrawResults('D2026-0001', null), 'POST', '/api/results/publish', { drawId: 'D2026-0001', department: null }],
      [() => api.getReference(), 'GET', '/api/public/reference'],
      [() => api.getPublicItems(), 'GET', '/api/public/items'],
      [() => api.getPublicItems('TAX'), 'GET', '/api/public/items?department=TAX'],
      [() => api.getPublicPlans(), 'GET', '/api/public/plans'],
      [() => api.getPublicDraws(100), 'GET', '/api/public/draws?limit=100'],
      [() => api.getPublicDraw('D2026-0001'), 'GET', '/api/public/draws/D2026-0001'],
      [() => api.searchPublicResults({ q: '南山 餐饮', limit: 20, offset: 40 }), 'GET', '/api/public/results?q=%E5%8D%97%E5%B1%B1+%E9%A4%90%E9%A5%AE&limit=20&offset=40'],
      [() => api.verifyAuditChain(), 'GET', '/api/audit/verify'],
      [() => api.getAuditHeads(50, 100), 'GET', '/api/public/audit-heads?limit=50&offset=100'],
      [() => api.getAuditTrail('T2026-0001', 2000), 'GET', '/api/audit?subject=T2026-0001&limit=2000'],
      [() => api.getNotebooks(), 'GET', '/api/notebooks'],
      [() => api.runNotebook('alert-review'), 'GET', '/api/notebooks/alert-review'],
    ];
    for (const [call, method, url, body] of cases) {
      calls = [];
      await call();
      expect(calls, url).toHaveLength(1);
      expect({ method: calls[0].method, url: calls[0].url, body: calls[0].body }, url).toEqual({ method, url, body });
    }
  });

  it('escapes what goes into a path, and builds download links the same way', () => {
    expect(api.drawExportHref('D2026-0001')).toBe('/api/draws/D2026-0001/export?package=public');
    expect(api.drawExportHref('D2026-0001', 'auditor')).toBe('/api/draws/D2026-0001/export?package=auditor');
    expect(api.publicDrawFileHref('D2026/0001', 'manifest.json')).toBe('/api/public/draws/D2026%2F0001/files/manifest.json');
    expect(api.publicDrawZipHref('D2026-0003')).toBe('/api/public/draws/D2026-0003/package.zip');
    expect(api.notebookHtmlHref('risk review', 'en')).toBe('/api/notebooks/risk%20review/html?lang=en');
  });

  it('sends the CSRF token with writes only, and asks for JSON', async () => {
    await api.getTasks();
    await api.approveTask('T2026-0004');
    expect(calls[0].headers.get('x-csrf-token')).toBeNull();
    expect(calls[1].headers.get('x-csrf-token')).toBe('token-1');
    expect(calls.map((c) => c.headers.get('accept'))).toEqual(['application/json', 'application/json']);
    expect(calls[1].headers.get('content-type')).toBeNull(); // no body, no content type
    await api.voidDraw('D2026-0001', '任务范围有误');
    expect(calls[2].headers.get('content-type')).toBe('application/json');
  });

  it('turns a refusal into an ApiError with its code and its message in the language shown', async () => {
    answer = () => Response.json({ error: 'draw.already_run', message: '抽取 D1 已执行 / draw D1 has already run', params: { subject: 'D1' } }, { status: 409, statusText: 'Conflict' });
    const err = await api.runDraw('D2026-0001').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, message: '该抽取已执行，不能重复执行：抽取 D1 已执行', code: 'draw.already_run' });
    expect(location.assign).not.toHaveBeenCalled();
  });

  it('falls back to the status line when the error has no JSON body', async () => {
    answer = () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' });
    await expect(api.getTasks()).rejects.toMatchObject({ status: 502, message: '请求失败（HTTP 502）', code: undefined });
  });

  it('sends a signed-out user to the sign-in form and back to where they were', async () => {
    answer = () => Response.json({ error: 'unauthenticated', message: '请先登录' }, { status: 401 });
    await expect(api.getTasks()).rejects.toMatchObject({ status: 401 });
    expect(session.user).toBeNull();
    expect(location.assign).toHaveBeenCalledWith('/login?next=%2Fresults%3Fstate%3Dentered');
  });

  it('leaves the public portal where it is on a 401', async () => {
    vi.stubGlobal('location', { pathname: '/portal', search: '', assign: vi.fn() });
    answer = () => Response.json({ message: 'no' }, { status: 401 });
    await expect(api.getReference()).rejects.toBeInstanceOf(ApiError);
    expect(location.assign).not.toHaveBeenCalled();
  });

  it('answers nothing for 204', async () => {
    answer = () => new Response(null, { status: 204 });
    expect(await api.publishResult(key)).toBeUndefined();
  });

  it('reads a tabular answer as Arrow and uploads a form as multipart', async () => {
    const bytes = tableToIPC(tableFromArrays({ city: ['广州市', '深圳市'], n: Int32Array.from([3, 5]) }), 'stream');
    answer = () => new Response(new Blob([bytes.slice()]), { headers: { 'content-type': 'application/vnd.apache.arrow.stream' } });
    const table = await getArrow('/api/scores?limit=2');
    expect(calls[0].headers.get('accept')).toBe('application/vnd.apache.arrow.stream');
    expect(tableFromIPC(tableToIPC(table)).getChild('city')?.toArray()).toEqual(['广州市', '深圳市']);

    answer = () => Response.json({ imported: 2 });
    const form = new FormData();
    form.set('file', new Blob(['a,b\n']), 'entities.csv');
    expect(await uploadFile('/api/imports/entities', form)).toEqual({ imported: 2 });
    expect(calls[1]).toMatchObject({ method: 'POST', url: '/api/imports/entities', body: form });
    expect(calls[1].headers.get('x-csrf-token')).toBe('token-1');
  });
});

describe('query', () => {
  it('keeps defined values in order and drops empty ones', () => {
    expect(query({ a: 1, b: null, c: undefined, d: '', e: false, f: 0, g: 'x y' })).toBe('?a=1&e=false&f=0&g=x+y');
    expect(query({})).toBe('');
  });
});
