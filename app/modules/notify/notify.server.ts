import type { Tx } from "#app/.server/db.ts";
import { queueEmail } from "#app/.server/email.ts";
import { env } from "#app/.server/env.ts";
import type { ReminderAudience } from "#app/modules/reminders/reminder-types.ts";

/** Notification kinds; each has notify.<kind>.title and .text in the catalogues. */
export type NotifyKind =
  | "advisorAssigned"
  | "dossierAssigned"
  | "gapFlagged"
  | "gapReplied"
  | "gapResolved"
  | "gapReopened"
  | "messagePosted"
  | "dossierSubmitted"
  | "dossierWithdrawn"
  | "itemReviewed"
  | "reminder"
  | "dossierAccepted"
  | "deferralRefused"
  | "deferralDue"
  | "deferralOverdue"
  | "deferralEscalated"
  | "deferralSupplied"
  | "deferralVerified"
  | "deferralExtended"
  | "deferralBreached"
  | "dossierTerminated"
  | "dossierReturned"
  | "dossierNotAccepted"
  | "dossierHandedOver"
  | "supplementRequested"
  | "supplementReceived"
  | "qmsStarted"
  | "qmsFinished"
  | "reviewConcluded"
  | "dossierApproved"
  | "dossierRejected"
  | "certificateIssued"
  | "clockYellow"
  | "clockRed"
  | "supplementDue"
  | "supplementOverdue"
  | "renewalDue";

/**
 * Tells users about an event, in the portal and by email, inside the business
 * transaction. Returns the email ids to publish after the commit. Params hold
 * display values only (reference number, product name, item code) — never
 * personal identifiers beyond what the recipient already sees.
 */
export async function notifyUsers(
  tx: Tx,
  input: {
    userIds: readonly string[];
    kind: NotifyKind;
    params: Record<string, string>;
    link: string;
    dossierId?: string;
    excludeUserId?: string;
    /** Deterministic email id per recipient (reminders): a re-run cannot double the email. */
    emailIdFor?: (userId: string) => string;
  },
): Promise<string[]> {
  const ids = [...new Set(input.userIds)].filter((id) => id !== input.excludeUserId);
  if (ids.length === 0) return [];
  const users = await tx.user.findMany({ where: { id: { in: ids }, active: true }, select: { id: true, email: true, name: true, locale: true, emailVerifiedAt: true, passwordHash: true } });
  await tx.notification.createMany({
    data: users.map((u) => ({ userId: u.id, dossierId: input.dossierId ?? null, kind: input.kind, params: input.params, link: input.link })),
  });
  const emailIds: string[] = [];
  for (const u of users) {
    // Only to addresses that are confirmed (a pending invitation gets its invitation, not notices).
    if (!u.emailVerifiedAt || !u.passwordHash) continue;
    emailIds.push(
      await queueEmail(tx, {
        id: input.emailIdFor?.(u.id),
        to: u.email,
        template: "notification",
        locale: u.locale,
        props: { name: u.name, kind: input.kind, params: input.params, url: new URL(input.link, env().APP_URL).href },
      }),
    );
  }
  return emailIds;
}

/** The company's active applicant users. */
export async function companyUserIds(tx: Tx, companyId: string): Promise<string[]> {
  const rows = await tx.user.findMany({ where: { companyId, role: "APPLICANT", active: true }, select: { id: true } });
  return rows.map((r) => r.id);
}

/** Active window staff. */
export async function windowUserIds(tx: Tx): Promise<string[]> {
  const rows = await tx.user.findMany({ where: { role: "WINDOW", active: true }, select: { id: true } });
  return rows.map((r) => r.id);
}

/** Who is told about a dossier's event: the company's users, its advisor, window staff (as reminder rows name them). */
export type DossierAudience = ReminderAudience;

/** The users of the given audiences of a dossier (the audience names match reminder rows'). */
export async function dossierAudience(tx: Tx, dossier: { companyId: string; advisorId: string | null }, audience: readonly DossierAudience[]): Promise<string[]> {
  return [
    ...(audience.includes("company") ? await companyUserIds(tx, dossier.companyId) : []),
    ...(audience.includes("advisor") && dossier.advisorId ? [dossier.advisorId] : []),
    ...(audience.includes("window") ? await windowUserIds(tx) : []),
  ];
}
