import { prisma } from "#app/.server/db.ts";
import { buildCalendar, type HolidayCalendar } from "./working-days.ts";

// Holiday rows change a few times a year; a short cache keeps clocks cheap on busy pages.
const CACHE_MS = 60_000;
let cached: { at: number; calendar: HolidayCalendar } | undefined;

/** The holiday calendar from the database (seeded 2020–2026 by the holidays migration, maintained by window staff). */
export async function loadHolidayCalendar(now = Date.now()): Promise<HolidayCalendar> {
  if (cached && now - cached.at < CACHE_MS) return cached.calendar;
  const rows = await prisma.holiday.findMany({ select: { date: true, kind: true } });
  const calendar = buildCalendar(rows.map((r) => ({ date: r.date.toISOString().slice(0, 10), kind: r.kind })));
  cached = { at: now, calendar };
  return calendar;
}

/** Drops the cache after window staff edit the calendar. */
export function forgetHolidayCalendar() {
  cached = undefined;
}
