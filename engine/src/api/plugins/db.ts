// Gives every route the one Db of this process.
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
  },
  { name: 'fairdraw-db' },
);
