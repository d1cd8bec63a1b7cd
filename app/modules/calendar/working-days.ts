/*
 * Working days (工作日) for legal time limits (Order 47 Art. 99), over the
 * holiday table: weekdays work and weekends rest, unless the State Council's
 * schedule makes a weekday a holiday (REST) or a weekend day a make-up
 * working day (调休, WORK). Dates are Asia/Shanghai calendar dates written
 * "YYYY-MM-DD"; as in Chinese administrative practice, the day a period starts
 * on is not counted (期间开始的当日不计算在内).
 */

export interface HolidayCalendar {
  /** Public holidays (rest days), including those falling on weekends. */
  rest: ReadonlySet<string>;
  /** Make-up working days on weekends. */
  work: ReadonlySet<string>;
  /** The last year whose schedule is published; dates after it are provisional. */
  lastPublishedYear: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function toUtcMs(date: string): number {
  const m = DATE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== date) throw new Error(`not a date: ${date}`);
  return ms;
}

const fromUtcMs = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The calendar date in Asia/Shanghai (UTC+8, no daylight saving) of an instant. */
export function shanghaiDate(instant: Date): string {
  return fromUtcMs(instant.getTime() + 8 * 3_600_000);
}

/** The instant a Shanghai date ends (23:59:59.999 +08:00), for deadlines that fall "on" a date. */
export function endOfShanghaiDate(date: string): Date {
  return new Date(toUtcMs(date) + DAY_MS - 8 * 3_600_000 - 1);
}

export function isWorkingDay(calendar: HolidayCalendar, date: string): boolean {
  if (calendar.work.has(date)) return true;
  if (calendar.rest.has(date)) return false;
  const weekday = new Date(toUtcMs(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The date `n` working days after `date` (the start day itself not counted);
 * negative `n` counts backwards; 0 returns `date`.
 */
export function addWorkingDays(calendar: HolidayCalendar, date: string, n: number): string {
  if (!Number.isInteger(n)) throw new Error("n must be a whole number of working days");
  let ms = toUtcMs(date);
  const step = n < 0 ? -DAY_MS : DAY_MS;
  let left = Math.abs(n);
  while (left > 0) {
    ms += step;
    if (isWorkingDay(calendar, fromUtcMs(ms))) left--;
  }
  return fromUtcMs(ms);
}

/**
 * Working days passed going from `from` to `to`, counting the days arrived
 * at: forwards those after `from` up to and including `to`; backwards those
 * from `to` up to the day before `from`, negated. So
 * workingDaysBetween(d, addWorkingDays(d, n)) === n for every n.
 */
export function workingDaysBetween(calendar: HolidayCalendar, from: string, to: string): number {
  const a = toUtcMs(from);
  const b = toUtcMs(to);
  let count = 0;
  if (a < b) {
    for (let ms = a + DAY_MS; ms <= b; ms += DAY_MS) if (isWorkingDay(calendar, fromUtcMs(ms))) count++;
    return count;
  }
  for (let ms = b; ms < a; ms += DAY_MS) if (isWorkingDay(calendar, fromUtcMs(ms))) count++;
  return count === 0 ? 0 : -count;
}

/** A date in a year whose schedule is not published yet: shown as provisional. */
export function isProvisional(calendar: HolidayCalendar, date: string): boolean {
  return Number(date.slice(0, 4)) > calendar.lastPublishedYear;
}

export function buildCalendar(rows: readonly { date: string; kind: "REST" | "WORK" }[]): HolidayCalendar {
  const rest = new Set<string>();
  const work = new Set<string>();
  let lastPublishedYear = 0;
  for (const row of rows) {
    (row.kind === "REST" ? rest : work).add(row.date);
    lastPublishedYear = Math.max(lastPublishedYear, Number(row.date.slice(0, 4)));
  }
  return { rest, work, lastPublishedYear };
}
