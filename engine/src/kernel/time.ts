// Dates and times as Fairdraw states them: calendar dates are 'YYYY-MM-DD' text, instants are read in Asia/Shanghai
// (UTC+8 all year, no daylight saving). The one place that knows the time zone.

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `text` is a real calendar date written 'YYYY-MM-DD' (2026-02-30 is not). */
export function isIsoDate(text: unknown): text is string {
  if (typeof text !== 'string' || !DATE_RE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** The calendar date of an instant in Asia/Shanghai, 'YYYY-MM-DD' (today by default). */
export function shanghaiDate(at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** An instant as 'YYYY-MM-DD HH:MM:SS' in Asia/Shanghai, for messages and listings. */
export function shanghaiTime(at: Date): string {
  return at.toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

/** An instant as Chinese readers write it ('2026年3月1日 10:00:05'), in Asia/Shanghai, for rendered pages. */
export function shanghaiTimeZh(at: Date): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'medium' }).format(at);
}

/** ISO 8601 with the Asia/Shanghai offset, milliseconds included ('2026-03-01T10:00:05.000+08:00'); text passes as is. */
export function formatShanghai(value: Date | string): string {
  if (typeof value === 'string') return value;
  if (Number.isNaN(value.getTime())) throw new Error('invalid timestamp');
  return new Date(value.getTime() + 8 * 3600_000).toISOString().replace('Z', '+08:00');
}

const MS_PER_DAY = 86_400_000;

/** The calendar date `days` after (or before, when negative) `day`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An instant written in ISO 8601 with its offset ('2026-03-02T15:00+08:00', or Z), or undefined: a time without an
 * offset would depend on the reader's time zone, so it is refused rather than guessed.
 */
export function parseInstant(text: unknown): Date | undefined {
  if (typeof text !== 'string' || !INSTANT_RE.test(text)) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
