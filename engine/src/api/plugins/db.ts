// Gives every route the one Db of this process, and each request a DuckDB connection of its own (Db.serveRequest),
// so requests run beside one another rather than in one queue.
import fp from 'fastify-plugin';
import type { Db } from '../../db/duckdb.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

export const dbPlugin = fp<{ db: Db }>(
  async (app, { db }) => {
    app.decorate('db', db);
    // The callback form matters: the rest of the request's life continues from `done`, inside serveRequest's context.
    app.addHook('onRequest', (request, reply, done) => {
      const connection = db.serveRequest(done);
      reply.raw.once('close', () => connection.end());
    });
  },
  { name: 'fairdraw-db' },
);
