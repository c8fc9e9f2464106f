// Tabular answers: Arrow IPC when the client asks for it (`Accept: application/vnd.apache.arrow.stream`),
// JSON rows otherwise. The query runs once in DuckDB either way; aggregates are computed there, not here.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../db/duckdb.ts';
import type { TableQuery } from '../kernel/table.ts';
import { Type, type Static, type TSchema } from '../kernel/schema.ts';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

/** True when the request prefers the Arrow IPC stream over JSON. */
export function wantsArrow(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes(ARROW_STREAM);
}

/**
 * Answers a table's rows as Arrow IPC or as `{ rows }` JSON beside its `extra` figures (totals, the page). Declare the
 * route's 200 response with `tableResponse(row)` so the OpenAPI document shows both forms.
 */
export async function replyTable<R extends FastifyReply>(request: FastifyRequest, reply: R, q: Queryable, table: TableQuery<object>): Promise<R> {
  if (wantsArrow(request)) {
    const bytes = await q.arrow(table.statement);
    return reply.type(ARROW_STREAM).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as R;
  }
  return reply.send({ ...table.extra, rows: await q.query(table.statement) }) as R;
}

/** The 200 response of a tabular route: the JSON page (`{ rows: [row], ...figures }`), or its rows as an Arrow IPC stream. */
export function tableResponse<Page extends TSchema>(page: Page) {
  return Type.Unsafe<Static<Page> | Buffer>({
    description: `JSON（默认）或 Arrow IPC（Accept: ${ARROW_STREAM}） JSON by default, Arrow IPC stream when asked`,
    content: {
      'application/json': { schema: page },
      [ARROW_STREAM]: { schema: { type: 'string', format: 'binary' } },
    },
  });
}
