import type { Reminder, Tx } from "#app/.server/db.ts";
import { bilingual } from "#app/i18n/i18n.ts";
import { loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { dossierAudience } from "#app/modules/notify/notify.server.ts";
import { parseAudience } from "#app/modules/reminders/reminder-types.ts";
import type { ReminderDelivery } from "#workers/jobs/fire-reminder.ts";
import { dateOnly, DEFERRAL_OWNER, graceEndDate, offsetOfKind, RUNNING, workingDaysLeft } from "./deferral-rules.ts";

/** Still wanted when it fires: the deferral still awaits its document (not supplied, refused, cancelled or ended). */
export async function deferralReminderWanted(reminder: Reminder, tx: Tx): Promise<boolean> {
  if (reminder.ownerType !== DEFERRAL_OWNER) return true;
  const d = await tx.deferral.findUnique({ where: { id: reminder.ownerId }, select: { state: true } });
  return !!d && RUNNING.includes(d.state) && d.state !== "BREACHED";
}

/**
 * Who a deferral reminder reaches and what it says: the company's users
 * always, the advisor from the due day, window staff for the escalation
 * (the audience stored on the row, from the policy's offsets).
 */
export async function deferralReminderDelivery(reminder: Reminder, tx: Tx, now: Date): Promise<ReminderDelivery> {
  const d = await tx.deferral.findUniqueOrThrow({ where: { id: reminder.ownerId }, include: { item: true, dossier: true, policy: true } });
  const audience = parseAudience(reminder.audience);
  const userIds = await dossierAudience(tx, d.dossier, audience);
  const calendar = await loadHolidayCalendar();
  const dueDate = dateOnly(d.dueDate);
  const offset = offsetOfKind(reminder.kind);
  return {
    userIds,
    kind: offset >= 0 ? "deferralDue" : audience.includes("window") ? "deferralEscalated" : "deferralOverdue",
    params: {
      number: d.dossier.number,
      product: d.dossier.productName,
      item: d.item.code,
      title: bilingual(d.item.titleZh, d.item.titleEn),
      due: `day:${dueDate}`,
      left: String(Math.max(0, workingDaysLeft(calendar, now, dueDate))),
      graceEnd: `day:${graceEndDate(calendar, dueDate, d.policy.graceWorkingDays)}`,
    },
    link: `/dossiers/${d.dossierId}/deferrals`,
    dossierId: d.dossierId,
  };
}
