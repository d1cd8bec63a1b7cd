import type { ReminderSpec } from "#app/modules/reminders/reminder-types.ts";
import { monthsBefore } from "./certificate-number.ts";

/*
 * 延续注册 reminders (DOMAIN.md: apply at least 6 months before expiry). The
 * company and the advisor hear of it 9 and 7 months before expiry, and on the
 * last day to apply (6 months before). Pure: the caller writes the rows.
 */

/** Reminder owner type of renewal reminders (owner id: the certificate). */
export const CERTIFICATE_OWNER = "certificate";

/** Months before 有效期至 on which the renewal reminders go out; the last is the last day to apply. */
export const RENEWAL_REMINDER_MONTHS = [9, 7, 6] as const;

export const renewalReminderKind = (months: number) => `certificate.renewal-${months}m`;

/** The months of a renewal reminder kind ("certificate.renewal-7m" → 7), or null. */
export function parseRenewalKind(kind: string): number | null {
  const m = /^certificate\.renewal-(\d+)m$/.exec(kind);
  return m ? Number(m[1]) : null;
}

/** Reminders go out at 09:00 Shanghai time on their day. */
const at0900 = (date: string) => new Date(`${date}T09:00:00+08:00`);

/**
 * The renewal reminders of a certificate valid until `validUntil`. Reminders
 * whose moment has already passed at `now` are left out (a certificate
 * recorded late must not fire a burst of stale reminders).
 */
export function renewalReminderSpecs(validUntil: string, now: Date): ReminderSpec[] {
  return RENEWAL_REMINDER_MONTHS.map((months) => ({
    kind: renewalReminderKind(months),
    audience: ["company", "advisor"] as const,
    fireAt: at0900(monthsBefore(validUntil, months)),
  })).filter((s) => s.fireAt > now);
}
