// What can go wrong in the engine, by kind, so that every caller (the HTTP error handler, the CLI) answers the same
// way without reading message text: invalid input, something missing, a state that does not allow the step, a
// caller that may not do it. Each error carries a stable code and its parameters beside the message in both languages.

export type ErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden';

export type ErrorParams = Record<string, string | number | boolean | null>;

/** A message in both of the product's languages. */
export interface Bilingual {
  zh: string;
  en: string;
}

export class EngineError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** Stable, dotted: 'draw.already_run', 'task.not_found'. Pages and clients key on it, never on the text. */
    readonly code: string,
    readonly text: Bilingual,
    readonly params: ErrorParams = {},
  ) {
    super(text.zh === text.en ? text.zh : `${text.zh} / ${text.en}`);
    this.name = new.target.name;
  }
}

export const isEngineError = (err: unknown): err is EngineError => err instanceof EngineError;

/**
 * A message written "中文 / English" as one text, split into its two languages at the separator after which no Chinese
 * follows (values in the Chinese half may hold " / " themselves); a text without one is the same in both. `prefix` (the
 * field and value a rule speaks of) leads the Chinese, so the message reads as it always did: "field = value: 中文 /
 * English"; the parameters carry the field and value for each language.
 */
export function bilingual(text: string, prefix = ''): Bilingual {
  const separators = [...text.matchAll(/ \/ /g)].map((m) => m.index);
  const at = separators.find((i) => !HAN.test(text.slice(i + 3))) ?? separators.at(-1);
  return at === undefined ? { zh: prefix + text, en: prefix + text } : { zh: prefix + text.slice(0, at), en: text.slice(at + 3) };
}

const HAN = /\p{Script=Han}/u;

/** A value as an error parameter: kept when it is a scalar, else its JSON text. */
export function paramValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value);
}
