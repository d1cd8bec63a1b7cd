import { audit, transaction } from "#app/.server/audit.ts";
import { prisma } from "#app/.server/db.ts";
import { publishEmails } from "#app/.server/queue.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { DossierRuleError } from "#app/modules/dossier/errors.ts";

/** Reminders that failed this often without being sent are listed as problems. */
export const REMINDER_PROBLEM_ATTEMPTS = 3;

/**
 * Delivery problems for window staff (QUALITY R6: a failure is visible after
 * the last attempt): emails that ended FAILED, and reminders that keep
 * failing, newest first.
 */
export async function deliveryProblems(take = 100) {
  const [emails, reminders] = await Promise.all([
    prisma.emailMessage.findMany({
      where: { state: "FAILED" },
      orderBy: { createdAt: "desc" },
      take,
      select: { id: true, toAddress: true, template: true, attempts: true, lastError: true, createdAt: true },
    }),
    prisma.reminder.findMany({
      where: { state: { in: ["SCHEDULED", "SENDING"] }, attempts: { gte: REMINDER_PROBLEM_ATTEMPTS }, lastError: { not: null } },
      orderBy: { fireAt: "asc" },
      take,
      select: { id: true, kind: true, ownerType: true, ownerId: true, fireAt: true, attempts: true, lastError: true },
    }),
  ]);
  return { emails, reminders };
}

/** Sends a failed email again (after the cause was fixed): back to QUEUED with fresh attempts, audited. */
export async function retryEmail(user: SessionUser, emailId: string) {
  await transaction(async (tx) => {
    const { count } = await tx.emailMessage.updateMany({ where: { id: emailId, state: "FAILED" }, data: { state: "QUEUED", attempts: 0, claimedAt: null } });
    if (count === 0) throw new DossierRuleError("deliveries.notFailed");
    await audit({ actor: user, action: "email.retry", objectType: "email", objectId: emailId }, tx);
  });
  await publishEmails([emailId]);
}
