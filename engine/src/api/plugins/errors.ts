// One error policy. An engine error answers by its kind (invalid 400, not_found 404, conflict 409, forbidden 403) with
// its stable code, its message in both languages and its parameters; an HttpError (refusals only HTTP knows: 401, 413,
// 415, 429) and a request that fails its schema answer their own status; a 5xx never shows its message.
import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { isEngineError, type ErrorKind } from '../../kernel/errors.ts';

export const STATUS_OF_KIND: Record<ErrorKind, number> = { invalid: 400, not_found: 404, conflict: 409, forbidden: 403 };

export const errorsPlugin = fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      if (isEngineError(err)) return reply.status(STATUS_OF_KIND[err.kind]).send({ error: err.code, message: err.message, params: err.params });
      const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
      if (status >= 500) {
        request.log.error({ err }, 'request failed');
        return reply.status(status).send({ error: 'internal error', message: '服务器内部错误 Internal server error', requestId: request.id });
      }
      return reply.status(status).send({ error: err.code ?? 'bad request', message: err.message });
    });
    app.setNotFoundHandler((request, reply) => {
      // With the dashboard mounted (web.ts), a page path gets index.html so the client router can take it.
      if (app.hasReplyDecorator('sendFile') && request.method === 'GET' && !request.url.startsWith('/api/')) return reply.sendFile('index.html');
      return reply.status(404).send({ error: 'not found', message: `no route ${request.method} ${request.url}` });
    });
  },
  { name: 'fairdraw-errors' },
);
