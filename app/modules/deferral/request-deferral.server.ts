import { audit, transaction } from "#app/.server/audit.ts";
import { now } from "#app/.server/clock.ts";
import { prisma, type Tx } from "#app/.server/db.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { DossierRuleError } from "#app/modules/dossier/errors.ts";
import { claimDossierVersion } from "#app/modules/dossier/transition-dossier.server.ts";
import { EDITABLE } from "#app/modules/dossier/transitions.ts";
import { AWAITING_DOCUMENT, deferrableItems, dueDateProblem, toDateColumn } from "./deferral-rules.ts";
import type { TDeferralRequest } from "./deferral.schema.ts";
import { currentDeferralPolicy } from "./policy.server.ts";

/** Until when a broken commitment bars the company from deferring (null: not barred). */
export async function companyBarUntil(companyId: string, at: Date = now(), tx: Tx = prisma): Promise<Date | null> {
  const breach = await tx.commitmentBreach.findFirst({ where: { companyId, barUntil: { gt: at } }, orderBy: { barUntil: "desc" }, select: { barUntil: true } });
  return breach?.barUntil ?? null;
}

/** The items of an editable dossier that may be deferred now, under the policy in force. */
export async function deferrableItemsOf(dossierId: string, tx: Tx = prisma) {
  const policy = await currentDeferralPolicy();
  const items = await tx.dossierItem.findMany({
    where: { dossierId },
    orderBy: { position: "asc" },
    select: { id: true, code: true, titleZh: true, titleEn: true, requirement: true, notApplicableReason: true, _count: { select: { versions: true } } },
  });
  return { policy, items: deferrableItems(items.map((i) => ({ ...i, versionCount: i._count.versions })), policy.deferrableCodes) };
}

/**
 * The applicant asks to defer an item (容缺后补), before submitting: the item
 * must be deferrable under the current policy and have no document, the due
 * date a working day within the policy's limit, and the company not barred by
 * a broken commitment. Saving the same item again updates its request (one
 * row per item: QUALITY R8). Bumps the dossier version (optimistic lock).
 */
export async function requestDeferral(user: SessionUser, dossierId: string, expectedVersion: number, input: TDeferralRequest) {
  if (user.role !== "APPLICANT" || !user.companyId) throw new DossierRuleError("dossierErrors.notAllowed");
  const calendar = await loadHolidayCalendar();
  const at = now();
  return transaction(async (tx) => {
    await claimDossierVersion(tx, dossierId, expectedVersion, EDITABLE);
    const dossier = await tx.dossier.findUniqueOrThrow({ where: { id: dossierId }, select: { companyId: true } });
    const bar = await companyBarUntil(dossier.companyId, at, tx);
    if (bar) throw new DossierRuleError("deferral.errors.barred");
    const { policy, items } = await deferrableItemsOf(dossierId, tx);
    const item = items.find((i) => i.id === input.itemId);
    if (!item) throw new DossierRuleError("deferral.errors.notDeferrable");
    const problem = dueDateProblem(calendar, shanghaiDate(at), input.dueDate, policy.maxDeferralWorkingDays);
    if (problem) throw new DossierRuleError(problem);
    const existing = await tx.deferral.findFirst({ where: { itemId: item.id, state: { in: [...AWAITING_DOCUMENT, "FULFILLED"] } } });
    if (existing && existing.state !== "REQUESTED") throw new DossierRuleError("dossierErrors.notAllowed");
    const data = { dueDate: toDateColumn(input.dueDate), reason: input.reason, policyId: policy.id, requestedById: user.id, requestedAt: at };
    const deferral = existing
      ? await tx.deferral.update({ where: { id: existing.id }, data: { ...data, version: { increment: 1 } } })
      : await tx.deferral.create({ data: { ...data, dossierId, itemId: item.id, state: "REQUESTED" } });
    await audit({ actor: user, action: "deferral.request", objectType: "deferral", objectId: deferral.id, details: { dossierId, code: item.code, dueDate: input.dueDate } }, tx);
    return deferral;
  });
}

/** The applicant drops a deferral request before submitting (the item then needs its document). */
export async function dropDeferralRequest(user: SessionUser, dossierId: string, expectedVersion: number, deferralId: string) {
  if (user.role !== "APPLICANT") throw new DossierRuleError("dossierErrors.notAllowed");
  await transaction(async (tx) => {
    await claimDossierVersion(tx, dossierId, expectedVersion, EDITABLE);
    const { count } = await tx.deferral.updateMany({ where: { id: deferralId, dossierId, state: "REQUESTED" }, data: { state: "CANCELLED", closedAt: now(), version: { increment: 1 } } });
    if (count === 0) throw new DossierRuleError("dossierErrors.notAllowed");
    await audit({ actor: user, action: "deferral.drop", objectType: "deferral", objectId: deferralId, details: { dossierId } }, tx);
  });
}
