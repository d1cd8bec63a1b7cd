import type { Reminder, Tx } from "#app/.server/db.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { dossierAudience } from "#app/modules/notify/notify.server.ts";
import { parseAudience } from "#app/modules/reminders/reminder-types.ts";
import { cancelReminders, scheduleReminders } from "#app/modules/reminders/schedule.server.ts";
import type { ReminderDelivery } from "#workers/jobs/fire-reminder.ts";
import { renewalApplyBy } from "./certificate-number.ts";
import { CERTIFICATE_OWNER, parseRenewalKind, renewalReminderSpecs } from "./renewal-rules.ts";

export { CERTIFICATE_OWNER } from "./renewal-rules.ts";

const dateOnly = (d: Date) => d.toISOString().slice(0, 10);

/** Writes the certificate's renewal reminders in the issuing transaction (9, 7 and 6 months before expiry). */
export async function scheduleRenewalReminders(tx: Tx, certificate: { id: string; validUntil: string }, now: Date): Promise<string[]> {
  return scheduleReminders(tx, { ownerType: CERTIFICATE_OWNER, ownerId: certificate.id, reminders: renewalReminderSpecs(certificate.validUntil, now) });
}

/** A cancelled certificate needs no renewal: its pending reminders are cancelled with it. */
export async function cancelRenewalReminders(tx: Tx, certificateId: string): Promise<number> {
  return cancelReminders(tx, CERTIFICATE_OWNER, certificateId);
}

/**
 * Still wanted when it fires: the certificate is still VALID (not cancelled)
 * and has not expired (the expiry day itself still counts, DOMAIN.md).
 */
export async function certificateReminderWanted(reminder: Reminder, tx: Tx, at: Date): Promise<boolean> {
  if (reminder.ownerType !== CERTIFICATE_OWNER || parseRenewalKind(reminder.kind) === null) return false;
  const c = await tx.certificate.findUnique({ where: { id: reminder.ownerId }, select: { state: true, validUntil: true } });
  return !!c && c.state === "VALID" && c.validUntil !== null && shanghaiDate(at) <= dateOnly(c.validUntil);
}

/**
 * The company's users and the dossier's advisor (the audience stored on the
 * row) are told the expiry date and the last day to apply for 延续注册.
 */
export async function certificateReminderDelivery(reminder: Reminder, tx: Tx, _at: Date): Promise<ReminderDelivery> {
  const c = await tx.certificate.findUniqueOrThrow({ where: { id: reminder.ownerId }, include: { dossier: { select: { advisorId: true } } } });
  const validUntil = c.validUntil ? dateOnly(c.validUntil) : "";
  return {
    userIds: await dossierAudience(tx, { companyId: c.companyId, advisorId: c.dossier?.advisorId ?? null }, parseAudience(reminder.audience)),
    kind: "renewalDue",
    params: {
      certificate: c.number,
      product: c.productName,
      validUntil: validUntil ? `day:${validUntil}` : "",
      applyBy: validUntil ? `day:${renewalApplyBy(validUntil)}` : "",
    },
    link: `/certificates/${c.id}`,
    dossierId: c.dossierId ?? undefined,
  };
}
