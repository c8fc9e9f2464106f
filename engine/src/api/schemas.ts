// Shapes the route files share: the answer of every refused request, and the id parameters.
import type { Readable } from 'node:stream';
import { described, Nullable, Type, type Static } from '../kernel/schema.ts';

/** The body of every 4xx answer (plugins/errors.ts): a stable code, the message in both languages, its parameters. */
export const ErrorAnswer = Type.Object({
  error: Type.String({ description: '稳定的错误代码，如 draw.not_found stable code, e.g. draw.not_found' }),
  message: Type.String({ description: '中文 / English' }),
  params: Type.Optional(
    Type.Unsafe<Record<string, string | number | boolean | null>>({
      type: 'object',
      additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
      description: '代码的参数（字段、值、编号） what the code is about: field, value, id',
    }),
  ),
});
export type ErrorAnswer = Static<typeof ErrorAnswer>;

/** The error answer documented for one status with what it means there. */
export const errorAnswer = (description: string) => described(ErrorAnswer, description);

/**
 * A binary answer (a zip, a CSV file) documented by its media type; the handler sends a stream or a buffer that no
 * JSON serializer touches.
 */
export const BinaryAnswer = <T = Readable>(description: string, mediaType: string) =>
  Type.Unsafe<T>({ description, content: { [mediaType]: { schema: { type: 'string', format: 'binary' } } } });

/** A path parameter naming a record by its id. */
export const IdParam = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });

export { Nullable };

