// Validated rows on their way to the staging table, in a shape that crosses threads cheaply: typed arrays for
// line numbers and verdicts, and the normalised values of a whole batch joined into one string (one copy
// instead of a structured clone per value). The row rules forbid control characters, so the separators
// cannot occur inside a value.
import type { RowBatch } from './csv.ts';
import type { RowProblem, RowValidator } from './validate.ts';

/** Separates values in a joined batch. */
export const VALUE_SEPARATOR = '\u0001';
/** Stands for "no value" (SQL NULL) in `values`. */
export const NO_VALUE = '\u0002';

export interface StagedBatch {
  /** The line (or row) of each row. */
  lines: Int32Array;
  /** 1 when the row passed every row rule. */
  ok: Uint8Array;
  /** rows × fields normalised values, in field order; NO_VALUE where a field has none. */
  values: string[];
  problems: RowProblem[];
}

export interface StagedMessage {
  lines: Int32Array;
  ok: Uint8Array;
  values: string;
  problems: RowProblem[];
}

/** Validates a batch of rows with `validate`, which knows the kind's `fieldCount` fields. */
export function stageBatch(batch: RowBatch, validate: RowValidator, fieldCount: number): StagedBatch {
  const count = batch.rows.length;
  const lines = new Int32Array(count);
  const ok = new Uint8Array(count);
  const values: string[] = new Array(count * fieldCount);
  const problems: RowProblem[] = [];
  const out: (string | null)[] = new Array(fieldCount).fill(null);
  for (let r = 0; r < count; r++) {
    lines[r] = batch.lines[r];
    ok[r] = validate(batch.rows[r], batch.lines[r], out, problems) ? 1 : 0;
    for (let f = 0, at = r * fieldCount; f < fieldCount; f++, at++) values[at] = out[f] ?? NO_VALUE;
  }
  return { lines, ok, values, problems };
}

export function toMessage(batch: StagedBatch): StagedMessage {
  return { lines: batch.lines, ok: batch.ok, values: batch.values.join(VALUE_SEPARATOR), problems: batch.problems };
}

export function fromMessage(message: StagedMessage): StagedBatch {
  const values = message.lines.length ? message.values.split(VALUE_SEPARATOR) : [];
  return { lines: message.lines, ok: message.ok, values, problems: message.problems };
}
