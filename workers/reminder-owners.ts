import type { Reminder, Tx } from "#app/.server/db.ts";
import { CERTIFICATE_OWNER, certificateReminderDelivery, certificateReminderWanted } from "#app/modules/certificate/renewal-reminders.server.ts";
import { CLOCK_OWNER, clockAlertDelivery, clockAlertWanted } from "#app/modules/clock/clock.server.ts";
import { deferralReminderDelivery, deferralReminderWanted } from "#app/modules/deferral/deferral-reminders.server.ts";
import { DEFERRAL_OWNER } from "#app/modules/deferral/deferral-rules.ts";
import { SUPPLEMENT_OWNER } from "#app/modules/milestone/milestone-rules.ts";
import { supplementReminderDelivery, supplementReminderWanted } from "#app/modules/milestone/milestones.server.ts";
import { defaultRecipients, type FireReminderDeps, type ReminderDelivery } from "./jobs/fire-reminder.ts";

/**
 * Each reminder owner's module says whether its reminder is still wanted when
 * it fires and to whom it goes: deferred documents (容缺后补), stage clocks
 * turning yellow or red (电子监察), the supplement year (发补), certificate
 * renewals (延续注册). Unknown owners keep the engine's defaults.
 */
interface Owner {
  wanted(reminder: Reminder, tx: Tx, at: Date): Promise<boolean>;
  delivery(reminder: Reminder, tx: Tx, at: Date): Promise<ReminderDelivery>;
}

const OWNERS: Record<string, Owner> = {
  [DEFERRAL_OWNER]: { wanted: (r, tx) => deferralReminderWanted(r, tx), delivery: (r, tx, at) => deferralReminderDelivery(r, tx, at) },
  [CLOCK_OWNER]: { wanted: clockAlertWanted, delivery: clockAlertDelivery },
  [SUPPLEMENT_OWNER]: { wanted: (r, tx) => supplementReminderWanted(r, tx), delivery: (r, tx) => supplementReminderDelivery(r, tx) },
  [CERTIFICATE_OWNER]: { wanted: certificateReminderWanted, delivery: certificateReminderDelivery },
};

export function reminderOwners(now: () => Date): Pick<FireReminderDeps, "isWanted" | "recipients"> {
  return {
    isWanted: (reminder, tx) => OWNERS[reminder.ownerType]?.wanted(reminder, tx, now()) ?? Promise.resolve(true),
    recipients: (reminder, tx) => OWNERS[reminder.ownerType]?.delivery(reminder, tx, now()) ?? defaultRecipients(reminder, tx),
  };
}
