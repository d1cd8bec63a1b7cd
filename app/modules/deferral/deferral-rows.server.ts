import { isProvisional, type HolidayCalendar } from "#app/modules/calendar/working-days.ts";
import { AWAITING_DOCUMENT, countdown, dateOnly, graceEndDate, type CountdownData, type DeferralStateName } from "./deferral-rules.ts";

/**
 * The countdown a deferral row shows, computed on the server with the domain
 * clock: only while the document is still awaited; overdue rows also carry
 * the grace period's last day.
 */
export function deferralCountdown(
  calendar: HolidayCalendar,
  at: Date,
  deferral: { state: DeferralStateName; dueDate: Date; policy: { graceWorkingDays: number } },
): CountdownData | null {
  if (!AWAITING_DOCUMENT.includes(deferral.state)) return null;
  const due = dateOnly(deferral.dueDate);
  const c = countdown(calendar, at, due);
  return { ...c, graceEnd: c.overdue ? graceEndDate(calendar, due, deferral.policy.graceWorkingDays) : null };
}

/** What the deferral lists read per row. */
export const LIST_SELECT = {
  id: true,
  state: true,
  dueDate: true,
  extendedAt: true,
  item: { select: { code: true, titleZh: true, titleEn: true } },
  policy: { select: { graceWorkingDays: true } },
  dossier: { select: { id: true, number: true, productName: true, company: { select: { name: true } } } },
} as const;

interface ListSource {
  id: string;
  state: DeferralStateName;
  dueDate: Date;
  extendedAt: Date | null;
  item: { code: string; titleZh: string; titleEn: string };
  policy: { graceWorkingDays: number };
  dossier: { id: string; number: string; productName: string; company: { name: string } };
}

/** One row of the advisor's and the window's deferral lists. */
export function toListRow(calendar: HolidayCalendar, at: Date, r: ListSource) {
  const dueDate = dateOnly(r.dueDate);
  return {
    id: r.id,
    state: r.state,
    dueDate,
    provisional: isProvisional(calendar, dueDate),
    extended: !!r.extendedAt,
    code: r.item.code,
    titleZh: r.item.titleZh,
    titleEn: r.item.titleEn,
    dossierId: r.dossier.id,
    number: r.dossier.number,
    productName: r.dossier.productName,
    company: r.dossier.company.name,
    countdown: deferralCountdown(calendar, at, r),
  };
}
export type DeferralListRow = ReturnType<typeof toListRow>;
