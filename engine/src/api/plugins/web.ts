// Serves the built SvelteKit single-page app; unknown non-API paths get index.html so client routing works.
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

export const webPlugin = fp<{ root: string }>(
  async (app, { root }) => {
    await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: ['index.html'] });
    app.setNotFoundHandler((request, reply) => {
      if (request.url.startsWith('/api/') || request.method !== 'GET') {
        return reply.status(404).send({ error: 'not found', message: `no route ${request.method} ${request.url}` });
      }
      return reply.sendFile('index.html');
    });
  },
  { name: 'fairdraw-web', dependencies: ['fairdraw-errors'] },
);
