// Tabular answers: Arrow IPC when the client asks for it (`Accept: application/vnd.apache.arrow.stream`),
// JSON rows otherwise. The query runs once in DuckDB either way; aggregates are computed there, not here.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../db/duckdb.ts';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

type Params = Parameters<Queryable['query']>[1];

/** True when the request prefers the Arrow IPC stream over JSON. */
export function wantsArrow(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes(ARROW_STREAM);
}

/**
 * Answers `sql` as Arrow IPC or as `{ rows }` JSON (plus `extra` fields, e.g. totals). Declare the route's
 * 200 response with `tableResponse(rowSchema)` so the OpenAPI document shows both forms.
 */
export async function replyTable(
  request: FastifyRequest,
  reply: FastifyReply,
  q: Queryable,
  sql: string,
  params?: Params,
  extra: Record<string, unknown> = {},
): Promise<unknown> {
  if (wantsArrow(request)) {
    const bytes = await q.arrow(sql, params);
    return reply.type(ARROW_STREAM).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return { ...extra, rows: await q.query(sql, params) };
}

/** The 200 response of a tabular route: JSON `{ rows: [row] }`, or the same columns as an Arrow IPC stream. */
export function tableResponse(row: object, extraProperties: Record<string, object> = {}) {
  return {
    description: `JSON（默认）或 Arrow IPC（Accept: ${ARROW_STREAM}） JSON by default, Arrow IPC stream when asked`,
    content: {
      'application/json': {
        schema: { type: 'object', required: ['rows'], properties: { ...extraProperties, rows: { type: 'array', items: row } } },
      },
      [ARROW_STREAM]: { schema: { type: 'string', format: 'binary' } },
    },
  };
}
