// One error policy: 4xx errors say what was wrong with the request; a 5xx never shows its message.
import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';

export const errorsPlugin = fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError, request, reply) => {
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
