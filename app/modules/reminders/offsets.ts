import { addWorkingDays, type HolidayCalendar } from "#app/modules/calendar/working-days.ts";

/** Reminders fire at 09:00 Asia/Shanghai (UTC+8, no daylight saving) = 01:00 UTC. */
export const REMINDER_HOUR_SHANGHAI = 9;

/** The instant of hh:00 Asia/Shanghai on a Shanghai calendar date "YYYY-MM-DD", stored in UTC (QUALITY R10). */
export function shanghaiInstant(date: string, hour = REMINDER_HOUR_SHANGHAI): Date {
  const instant = new Date(`${date}T${String(hour).padStart(2, "0")}:00:00+08:00`);
  if (Number.isNaN(instant.getTime())) throw new Error(`not a date: ${date}`);
  return instant;
}

/** The reminder kind of an offset: "deferral.due-5" (5 working days before), "deferral.due-0" (the due day), "deferral.overdue-1" (1 working day after). */
export function deferralReminderKind(offset: number): string {
  return offset >= 0 ? `deferral.due-${offset}` : `deferral.overdue-${-offset}`;
}

/**
 * When a deferral's reminders fire: for offset n > 0 at 09:00 on the working
 * day n working days before the due date, for 0 at 09:00 on the due day, for
 * -n at 09:00 on the n-th working day after it. Pure; working days come from
 * the holiday calendar. Duplicate offsets give one reminder.
 */
export function deferralReminderTimes(calendar: HolidayCalendar, dueDate: string, offsets: readonly number[]): { kind: string; fireAt: Date }[] {
  const seen = new Set<number>();
  const out: { kind: string; fireAt: Date }[] = [];
  for (const offset of offsets) {
    if (!Number.isInteger(offset)) throw new Error(`reminder offset must be a whole number of working days: ${offset}`);
    if (seen.has(offset)) continue;
    seen.add(offset);
    const day = offset === 0 ? dueDate : addWorkingDays(calendar, dueDate, -offset);
    out.push({ kind: deferralReminderKind(offset), fireAt: shanghaiInstant(day) });
  }
  return out.sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime());
}
