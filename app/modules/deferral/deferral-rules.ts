import { addWorkingDays, endOfShanghaiDate, isProvisional, isWorkingDay, shanghaiDate, workingDaysBetween, type HolidayCalendar } from "#app/modules/calendar/working-days.ts";
import { deferralReminderTimes } from "#app/modules/reminders/offsets.ts";
import type { ReminderAudience, ReminderSpec } from "#app/modules/reminders/reminder-types.ts";

/*
 * The pure rules of 容缺后补: which items may be deferred, which due dates are
 * allowed, when the grace period ends, which reminders a deferral gets and who
 * receives them. Dates are Asia/Shanghai calendar dates "YYYY-MM-DD".
 */

/** The reminder rows' ownerType for deferrals. */
export const DEFERRAL_OWNER = "deferral";

export type DeferralStateName = "REQUESTED" | "PENDING" | "EXTENDED" | "OVERDUE" | "BREACHED" | "FULFILLED" | "VERIFIED" | "REFUSED" | "CANCELLED";

/** A deferral still open: the item has no accepted document yet (the partial unique index covers the same states plus FULFILLED). */
export const AWAITING_DOCUMENT: readonly DeferralStateName[] = ["REQUESTED", "PENDING", "EXTENDED", "OVERDUE", "BREACHED"];
/** Accepted and awaiting the document: reminders are wanted, uploads fulfil it. */
export const RUNNING: readonly DeferralStateName[] = ["PENDING", "EXTENDED", "OVERDUE", "BREACHED"];
/** Open in any sense (one per item). */
export const OPEN_DEFERRAL: readonly DeferralStateName[] = [...AWAITING_DOCUMENT, "FULFILLED"];

export interface DeferrableCandidate {
  id: string;
  code: string;
  requirement: "R" | "CR" | "NR";
  versionCount: number;
  notApplicableReason: string | null;
}

/** Items the applicant may defer: listed by the policy, required or conditional, with no document and not marked not-applicable. */
export function deferrableItems<T extends DeferrableCandidate>(items: readonly T[], deferrableCodes: readonly string[]): T[] {
  const codes = new Set(deferrableCodes);
  return items.filter((i) => codes.has(i.code) && i.requirement !== "NR" && i.versionCount === 0 && !i.notApplicableReason);
}

/** The due dates allowed on `today`: from the next working day up to `maxWorkingDays` working days ahead. */
export function dueDateBounds(calendar: HolidayCalendar, today: string, maxWorkingDays: number): { min: string; max: string } {
  return { min: addWorkingDays(calendar, today, 1), max: addWorkingDays(calendar, today, maxWorkingDays) };
}

export type DueDateProblem = "deferral.errors.notWorkingDay" | "deferral.errors.tooEarly" | "deferral.errors.tooLate";

/** Why a due date is not allowed today, or null. */
export function dueDateProblem(calendar: HolidayCalendar, today: string, dueDate: string, maxWorkingDays: number): DueDateProblem | null {
  const { min, max } = dueDateBounds(calendar, today, maxWorkingDays);
  if (dueDate < min) return "deferral.errors.tooEarly";
  if (dueDate > max) return "deferral.errors.tooLate";
  if (!isWorkingDay(calendar, dueDate)) return "deferral.errors.notWorkingDay";
  return null;
}

/** The instant a due date passes: 23:59:59.999 Asia/Shanghai on that date, stored in UTC (QUALITY R10). */
export const deadlineOf = (dueDate: string) => endOfShanghaiDate(dueDate);

/** The last day of the grace period: `graceWorkingDays` working days after the due date. */
export function graceEndDate(calendar: HolidayCalendar, dueDate: string, graceWorkingDays: number): string {
  return addWorkingDays(calendar, dueDate, graceWorkingDays);
}

/** Working days left until the due date (0 on the due day, negative once overdue), for countdowns. */
export function workingDaysLeft(calendar: HolidayCalendar, now: Date, dueDate: string): number {
  return workingDaysBetween(calendar, shanghaiDate(now), dueDate);
}

/** A countdown as pages show it. */
export interface CountdownData {
  dueDate: string;
  left: number;
  provisional: boolean;
  overdue: boolean;
  /** The grace period's last day, for overdue deferrals. */
  graceEnd?: string | null;
}

/** What a countdown shows, including whether the date lies in a year whose holidays are not yet published. */
export function countdown(calendar: HolidayCalendar, now: Date, dueDate: string) {
  return { dueDate, left: workingDaysLeft(calendar, now, dueDate), provisional: isProvisional(calendar, dueDate), overdue: now > deadlineOf(dueDate) };
}

/** The state a running deferral should be in at `now` (the sweep applies it). */
export function stateAt(
  calendar: HolidayCalendar,
  now: Date,
  deferral: { state: DeferralStateName; dueDate: string },
  graceWorkingDays: number,
): DeferralStateName {
  if (deferral.state !== "PENDING" && deferral.state !== "EXTENDED" && deferral.state !== "OVERDUE") return deferral.state;
  if (now <= deadlineOf(deferral.dueDate)) return deferral.state;
  if (now > deadlineOf(graceEndDate(calendar, deferral.dueDate, graceWorkingDays))) return "BREACHED";
  return "OVERDUE";
}

/**
 * Who hears a reminder: the company always; the advisor from the due day on;
 * window staff for the escalation after the due date.
 */
export function audienceOf(offset: number): ReminderAudience[] {
  if (offset > 0) return ["company"];
  if (offset === 0) return ["company", "advisor"];
  return ["company", "advisor", "window"];
}

/** The reminder kind prefix per round: the one extension starts a second round, so reminders already sent for the old date come again for the new one. */
export const roundPrefix = (extended: boolean) => (extended ? "deferral.ext." : "deferral.");

/** The reminders of a deferral (kinds per round, 09:00 Shanghai on working days around the due date). */
export function deferralReminderSpecs(calendar: HolidayCalendar, dueDate: string, offsets: readonly number[], extended: boolean): ReminderSpec[] {
  const byKind = new Map(offsets.map((o) => [o, audienceOf(o)] as const));
  return deferralReminderTimes(calendar, dueDate, offsets).map((r) => {
    const offset = offsetOfKind(r.kind);
    return { kind: extended ? r.kind.replace(/^deferral\./, roundPrefix(true)) : r.kind, audience: byKind.get(offset) ?? ["company"], fireAt: r.fireAt };
  });
}

/** The offset encoded in a reminder kind ("deferral.due-5" → 5, "deferral.ext.overdue-1" → -1). */
export function offsetOfKind(kind: string): number {
  const m = /\.(due|overdue)-(\d+)$/.exec(kind);
  if (!m) throw new Error(`not a deferral reminder kind: ${kind}`);
  return m[1] === "due" ? Number(m[2]) : -Number(m[2]);
}

/** The date a breach bars the company from deferring until. */
export function barUntil(breachedAt: Date, barMonths: number): Date {
  const d = new Date(breachedAt);
  d.setUTCMonth(d.getUTCMonth() + barMonths);
  return d;
}

/** A Date column holding a calendar date → "YYYY-MM-DD". */
export const dateOnly = (d: Date) => d.toISOString().slice(0, 10);
/** "YYYY-MM-DD" → the Date a @db.Date column takes. */
export const toDateColumn = (date: string) => new Date(`${date}T00:00:00.000Z`);
