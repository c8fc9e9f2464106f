// The one error policy: an engine error answers by its kind with its code, message and parameters; a schema failure
// and an HttpError keep their status; a 5xx never shows its message (see also health.test.ts).
import { afterAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { EngineError, type ErrorKind } from '../../kernel/errors.ts';
import { HttpError } from './auth.ts';
import { errorsPlugin } from './errors.ts';

describe('errorsPlugin', async () => {
  const app = Fastify();
  await app.register(errorsPlugin);
  app.get<{ Params: { kind: ErrorKind } }>('/engine/:kind', async (request) => {
    throw new EngineError(request.params.kind, 'draw.test', { zh: '测试', en: 'a test' }, { id: 'D1' });
  });
  app.get('/http', async () => {
    throw new HttpError(415, 'unsupported media type', 'send multipart');
  });
  app.get('/schema', { schema: { querystring: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } } }, async () => 'ok');
  afterAll(() => app.close());

  it('maps each kind to its status and answers the code, the bilingual message and the parameters', async () => {
    const statuses: Record<ErrorKind, number> = { invalid: 400, not_found: 404, conflict: 409, forbidden: 403 };
    for (const [kind, status] of Object.entries(statuses)) {
      const response = await app.inject({ url: `/engine/${kind}` });
      expect(response.statusCode).toBe(status);
      expect(response.json()).toEqual({ error: 'draw.test', message: '测试 / a test', params: { id: 'D1' } });
    }
  });

  it('keeps the status of HTTP-only refusals and of schema failures', async () => {
    expect((await app.inject({ url: '/http' })).json()).toEqual({ error: 'unsupported media type', message: 'send multipart' });
    const invalid = await app.inject({ url: '/schema' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ error: 'FST_ERR_VALIDATION', message: expect.stringMatching(/querystring must have required property 'n'/) });
  });
});
