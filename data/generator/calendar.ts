// Day arithmetic for the generator: days as integers (days since 1970-01-01), cached 'YYYY-MM-DD' strings,
// and working days from the holidays reference (weekends otherwise).

export const MS_PER_DAY = 86_400_000;

export function parseDay(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new Error(`not a date (YYYY-MM-DD): '${text}'`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const day = ms / MS_PER_DAY;
  if (formatDay(day) !== text) throw new Error(`not a calendar date: '${text}'`);
  return day;
}

export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 Sunday .. 6 Saturday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The same calendar date `years` earlier (29 Feb falls back to 28 Feb). */
export function yearsBefore(day: number, years: number): number {
  const d = new Date(day * MS_PER_DAY);
  const y = d.getUTCFullYear() - years;
  const m = d.getUTCMonth();
  const lastOfMonth = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), lastOfMonth)) / MS_PER_DAY;
}

/** Date strings for a contiguous range of days, plus working-day flags. */
export class Calendar {
  private readonly strings: string[] = [];
  private readonly compact: string[] = [];
  private readonly working: Uint8Array;

  constructor(
    readonly firstDay: number,
    readonly lastDay: number,
    holidays: ReadonlyMap<number, 'holiday' | 'workday'>,
  ) {
    const n = lastDay - firstDay + 1;
    this.working = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const day = firstDay + i;
      const text = formatDay(day);
      this.strings.push(text);
      this.compact.push(text.slice(0, 4) + text.slice(5, 7) + text.slice(8, 10));
      const kind = holidays.get(day);
      const wd = weekday(day);
      this.working[i] = kind === 'holiday' ? 0 : kind === 'workday' ? 1 : wd === 0 || wd === 6 ? 0 : 1;
    }
  }

  /** 'YYYY-MM-DD' */
  date(day: number): string {
    return this.strings[day - this.firstDay];
  }

  /** 'YYYYMMDD' */
  compactDate(day: number): string {
    return this.compact[day - this.firstDay];
  }

  year(day: number): string {
    return this.strings[day - this.firstDay].slice(0, 4);
  }

  isWorkingDay(day: number): boolean {
    return this.working[day - this.firstDay] === 1;
  }
}
