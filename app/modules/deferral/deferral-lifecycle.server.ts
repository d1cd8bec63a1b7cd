import { audit, transaction } from "#app/.server/audit.ts";
import { now } from "#app/.server/clock.ts";
import { type Tx } from "#app/.server/db.ts";
import { publishEmails } from "#app/.server/queue.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { ConflictError, DossierRuleError } from "#app/modules/dossier/errors.ts";
import { transitionDossier } from "#app/modules/dossier/transition-dossier.server.ts";
import { PRE_DECISION } from "#app/modules/dossier/transitions.ts";
import { dossierAudience, notifyUsers } from "#app/modules/notify/notify.server.ts";
import { cancelReminders, rescheduleReminders } from "#app/modules/reminders/schedule.server.ts";
import { dateOnly, DEFERRAL_OWNER, deferralReminderSpecs, type DeferralStateName, dueDateProblem, OPEN_DEFERRAL, RUNNING, toDateColumn } from "./deferral-rules.ts";
import type { TDeferralExtension } from "./deferral.schema.ts";

/** Takes the deferral if it is still at the version the user saw and in one of `states`; else ConflictError / DossierRuleError. */
async function claimDeferral(tx: Tx, deferralId: string, expectedVersion: number, states: readonly DeferralStateName[]) {
  const { count } = await tx.deferral.updateMany({ where: { id: deferralId, version: expectedVersion, state: { in: [...states] } }, data: { version: { increment: 1 } } });
  const row = await tx.deferral.findUniqueOrThrow({ where: { id: deferralId }, include: { item: true, dossier: true, policy: true } });
  if (count === 1) return row;
  if (!states.includes(row.state)) throw new DossierRuleError("dossierErrors.notAllowed");
  throw new ConflictError();
}

/** Whether the applicant may upload to this item outside the editing statuses: a deferral awaits its document. */
export async function itemAwaitsDeferredDocument(tx: Tx, itemId: string): Promise<boolean> {
  return (await tx.deferral.count({ where: { itemId, state: { in: [...RUNNING] } } })) > 0;
}

/**
 * Inside addDocumentVersion's transaction: a document on a deferred item
 * fulfils the deferral (FULFILLED, pending reminders cancelled: QUALITY R9)
 * and tells the advisor and window staff; on a merely requested deferral the
 * request is no longer needed and is dropped. Returns email ids to publish.
 */
export async function onDocumentAdded(tx: Tx, user: SessionUser, itemId: string, versionId: string): Promise<string[]> {
  const deferral = await tx.deferral.findFirst({ where: { itemId, state: { in: [...OPEN_DEFERRAL] } }, include: { item: true, dossier: true } });
  if (!deferral) return [];
  const at = now();
  if (deferral.state === "REQUESTED") {
    await tx.deferral.update({ where: { id: deferral.id }, data: { state: "CANCELLED", closedAt: at, version: { increment: 1 } } });
    await audit({ actor: user, action: "deferral.drop", objectType: "deferral", objectId: deferral.id, details: { reason: "document-supplied" } }, tx);
    return [];
  }
  if (!RUNNING.includes(deferral.state)) return [];
  await tx.deferral.update({ where: { id: deferral.id }, data: { state: "FULFILLED", fulfilledAt: at, fulfilledVersionId: versionId, version: { increment: 1 } } });
  const cancelled = await cancelReminders(tx, DEFERRAL_OWNER, deferral.id);
  await audit({ actor: user, action: "deferral.fulfil", objectType: "deferral", objectId: deferral.id, details: { versionId, from: deferral.state, remindersCancelled: cancelled } }, tx);
  const { dossier } = deferral;
  return notifyUsers(tx, {
    userIds: await dossierAudience(tx, dossier, ["advisor", "window"]),
    kind: "deferralSupplied",
    params: { number: dossier.number, product: dossier.productName, item: deferral.item.code },
    link: `/dossiers/${dossier.id}/deferrals`,
    dossierId: dossier.id,
  });
}

/** The dossier's advisor verifies a supplied document (VERIFIED); the item is then "looks complete". Unresolved gaps on the item block it. */
export async function verifyDeferral(user: SessionUser, deferralId: string, expectedVersion: number) {
  const at = now();
  const emailIds = await transaction(async (tx) => {
    const d = await claimDeferral(tx, deferralId, expectedVersion, ["FULFILLED"]);
    if (user.role !== "ADVISOR" || d.dossier.advisorId !== user.id) throw new DossierRuleError("dossierErrors.notAllowed");
    if ((await tx.gap.count({ where: { itemId: d.itemId, state: { not: "RESOLVED" } } })) > 0) throw new DossierRuleError("review.errors.cannotComplete");
    await tx.deferral.update({ where: { id: d.id }, data: { state: "VERIFIED", verifiedAt: at, verifiedById: user.id } });
    await tx.dossierItem.update({ where: { id: d.itemId }, data: { review: "LOOKS_COMPLETE", reviewedAt: at, reviewedById: user.id } });
    await audit({ actor: user, action: "deferral.verify", objectType: "deferral", objectId: d.id, details: { dossierId: d.dossierId, code: d.item.code } }, tx);
    return notifyUsers(tx, {
      userIds: await dossierAudience(tx, d.dossier, ["company", "window"]),
      kind: "deferralVerified",
      params: { number: d.dossier.number, product: d.dossier.productName, item: d.item.code },
      link: `/dossiers/${d.dossierId}/deferrals`,
      dossierId: d.dossierId,
    });
  });
  await publishEmails(emailIds);
}

/**
 * The one extension, by window staff, with a reason: a new due date within
 * the policy's limit from today. Also the answer to a breach instead of
 * terminating. Reminders move to the new date as a second round of kinds, so
 * those already sent for the old date come again (QUALITY R9).
 */
export async function extendDeferral(user: SessionUser, input: TDeferralExtension) {
  if (user.role !== "WINDOW") throw new DossierRuleError("dossierErrors.notAllowed");
  const calendar = await loadHolidayCalendar();
  const at = now();
  const emailIds = await transaction(async (tx) => {
    const d = await claimDeferral(tx, input.deferralId, input.version, ["PENDING", "OVERDUE", "BREACHED"]);
    if (d.extendedAt) throw new DossierRuleError("deferral.errors.alreadyExtended");
    if (!PRE_DECISION.includes(d.dossier.status)) throw new DossierRuleError("dossierErrors.notAllowed");
    const oldDue = dateOnly(d.dueDate);
    if (input.dueDate <= oldDue) throw new DossierRuleError("deferral.errors.extensionNotLater");
    const problem = dueDateProblem(calendar, shanghaiDate(at), input.dueDate, d.policy.maxDeferralWorkingDays);
    if (problem) throw new DossierRuleError(problem);
    await tx.deferral.update({
      where: { id: d.id },
      data: { state: "EXTENDED", dueDate: toDateColumn(input.dueDate), originalDueDate: d.dueDate, extendedAt: at, extendedById: user.id, extensionReason: input.reason },
    });
    await rescheduleReminders(tx, { ownerType: DEFERRAL_OWNER, ownerId: d.id, reminders: deferralReminderSpecs(calendar, input.dueDate, d.policy.reminderOffsets, true) });
    await audit({ actor: user, action: "deferral.extend", objectType: "deferral", objectId: d.id, details: { dossierId: d.dossierId, from: oldDue, to: input.dueDate, reason: input.reason, state: d.state } }, tx);
    return notifyUsers(tx, {
      userIds: await dossierAudience(tx, d.dossier, ["company", "advisor"]),
      kind: "deferralExtended",
      params: { number: d.dossier.number, product: d.dossier.productName, item: d.item.code, due: `day:${input.dueDate}`, reason: input.reason },
      link: `/dossiers/${d.dossierId}/deferrals`,
      dossierId: d.dossierId,
    });
  });
  await publishEmails(emailIds);
}

/**
 * Ends every open deferral of a dossier that ended (withdrawn, terminated) and
 * cancels their reminders. A breached deferral keeps its state: it is the
 * record of the broken commitment.
 */
export async function closeDeferrals(tx: Tx, dossierId: string) {
  const open = await tx.deferral.findMany({ where: { dossierId, state: { in: [...OPEN_DEFERRAL] } }, select: { id: true, state: true } });
  for (const d of open) await cancelReminders(tx, DEFERRAL_OWNER, d.id);
  const closing = open.filter((d) => d.state !== "BREACHED").map((d) => d.id);
  if (closing.length > 0) await tx.deferral.updateMany({ where: { id: { in: closing } }, data: { state: "CANCELLED", closedAt: now(), version: { increment: 1 } } });
  return closing.length;
}

/** 终止: window staff end a case whose deferral was breached (the dossier's version guards a colleague's action). */
export async function terminateForBreach(user: SessionUser, input: { deferralId: string; version: number; dossierVersion: number; reason: string }) {
  const at = now();
  const emailIds = await transaction(async (tx) => {
    const d = await claimDeferral(tx, input.deferralId, input.version, ["BREACHED"]);
    await transitionDossier(tx, { dossierId: d.dossierId, expectedVersion: input.dossierVersion, action: "terminate", actor: user, data: { terminatedAt: at }, details: { reason: input.reason, deferralId: d.id } });
    await closeDeferrals(tx, d.dossierId);
    return notifyUsers(tx, {
      userIds: await dossierAudience(tx, d.dossier, ["company", "advisor"]),
      kind: "dossierTerminated",
      params: { number: d.dossier.number, product: d.dossier.productName, reason: input.reason },
      link: `/dossiers/${d.dossierId}`,
      dossierId: d.dossierId,
    });
  });
  await publishEmails(emailIds);
}
