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
    super(`${text.zh} / ${text.en}`);
    this.name = new.target.name;
  }
}

export const isEngineError = (err: unknown): err is EngineError => err instanceof EngineError;
