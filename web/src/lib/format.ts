// Number and date formats shared by every page, in the current language's conventions.
import { i18n } from './i18n.svelte';

const locale = () => (i18n.lang === 'zh' ? 'zh-CN' : 'en-GB');

export function fmtInt(n: number | null | undefined): string {
  return n === null || n === undefined || Number.isNaN(n) ? '—' : Math.round(n).toLocaleString(locale());
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
  return n === null || n === undefined || Number.isNaN(n) ? '—' : n.toLocaleString(locale(), { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** 'YYYY-MM-DD' strings pass through; Dates and ISO times are shown as Beijing dates. */
export function fmtDate(d: string | Date | null | undefined): string {
  if (!d) return '—';
  if (typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d)) return d;
  return new Date(d).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

export function fmtDateTime(d: string | Date | null | undefined): string {
  if (!d) return '—';
  return new Date(d).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false }).slice(0, 16);
}
