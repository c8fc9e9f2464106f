// Number and date formats shared by every page, in the current language's conventions.
import { i18n } from './i18n.svelte';

const locale = () => (i18n.lang === 'zh' ? 'zh-CN' : 'en-GB');

// Formatters are made once and kept: toLocaleString with a locale or time zone builds one per call (measured in
// Node 20: 25 µs a number, 300 µs a time, against 3 µs kept), and a table formats hundreds of cells.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function kept<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
  let f = formatters.get(key) as F | undefined;
  if (!f) formatters.set(key, (f = make()));
  return f;
}
const numberFormat = (digits: number | null) =>
  kept(`n|${locale()}|${digits}`, () => new Intl.NumberFormat(locale(), digits === null ? {} : { maximumFractionDigits: digits, minimumFractionDigits: digits }));
/** Asia/Shanghai dates as YYYY-MM-DD and times as YYYY-MM-DD HH:MM (the Swedish locale writes them that way). */
const shanghaiFormat = (withTime: boolean) =>
  kept(
    `d|${withTime}`,
    () =>
      new Intl.DateTimeFormat('sv-SE', {
        timeZone: 'Asia/Shanghai',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
      }),
  );

export function fmtInt(n: number | null | undefined): string {
  return n === null || n === undefined || Number.isNaN(n) ? '—' : numberFormat(null).format(Math.round(n));
}

/** A ratio (0.123) as a percentage ("12.3%"). */
export function fmtPct(ratio: number | null | undefined, digits = 1): string {
  return ratio === null || ratio === undefined || Number.isNaN(ratio) ? '—' : `${(ratio * 100).toFixed(digits)}%`;
}

/** Basis points (300) as a percentage ("3%", "2.5%"). */
export function fmtBp(bp: number | null | undefined): string {
  return bp === null || bp === undefined ? '—' : `${Number((bp / 100).toFixed(2))}%`;
}

export function fmtNum(n: number | null | undefined, digits = 2): string {
  return n === null || n === undefined || Number.isNaN(n) ? '—' : numberFormat(digits).format(n);
}

/** 'YYYY-MM-DD' strings pass through; Dates and ISO times are shown as Beijing dates. */
export function fmtDate(d: string | Date | null | undefined): string {
  if (!d) return '—';
  if (typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d)) return d;
  return shanghaiFormat(false).format(new Date(d));
}

export function fmtDateTime(d: string | Date | null | undefined): string {
  if (!d) return '—';
  return shanghaiFormat(true).format(new Date(d));
}

/** Today in Asia/Shanghai, 'YYYY-MM-DD'. */
export const shanghaiToday = (now = new Date()): string => shanghaiFormat(false).format(now);

/** This year in Asia/Shanghai. */
export const shanghaiYear = (now = new Date()): number => Number(shanghaiToday(now).slice(0, 4));

/** The years a report offers: next year, this year (Asia/Shanghai) and the two before. */
export function reportYears(thisYear = shanghaiYear()): number[] {
  return [thisYear + 1, thisYear, thisYear - 1, thisYear - 2];
}

/** The Asia/Shanghai wall time `minutes` from `now`, as a datetime-local input holds it ('YYYY-MM-DDTHH:MM'). */
export const shanghaiInputAfter = (minutes: number, now = Date.now()): string => new Date(now + minutes * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16);

/** What is left until `due`, as 'H:MM:SS' (or 'D天 H:MM:SS' beyond a day), or null once due. */
export function countdown(due: string | Date, now = Date.now()): string | null {
  const left = Math.ceil((new Date(due).getTime() - now) / 1000);
  if (left <= 0) return null;
  const days = Math.floor(left / 86_400);
  const clock = [Math.floor((left % 86_400) / 3600), Math.floor((left % 3600) / 60), left % 60].map((n, i) => (i === 0 ? String(n) : String(n).padStart(2, '0'))).join(':');
  return days > 0 ? `${days}d ${clock}` : clock;
}
