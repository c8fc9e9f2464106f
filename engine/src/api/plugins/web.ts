// Serves the built SvelteKit single-page app; unknown page paths fall back to index.html (see errors.ts).
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

export const webPlugin = fp<{ root: string }>(
  async (app, { root }) => {
    await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: ['index.html'] });
  },
  { name: 'fairdraw-web', dependencies: ['fairdraw-errors'] },
);
