import { audit, transaction } from "#app/.server/audit.ts";
import type { PrismaClient } from "#app/.server/db.ts";
import { loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { dossierAudience, notifyUsers } from "#app/modules/notify/notify.server.ts";
import { barUntil, dateOnly, graceEndDate, stateAt, toDateColumn } from "./deferral-rules.ts";

/**
 * Moves running deferrals along the clock (run by the worker's sweep, and at
 * once when a test moves the clock): past the due date's end (23:59:59
 * Shanghai) PENDING/EXTENDED → OVERDUE; past the grace period → BREACHED,
 * which marks the company's commitment record (barring new deferrals for the
 * policy's months), is audited, and tells window staff and the company. Each
 * row moves with a conditional update, so concurrent sweeps do it once.
 */
export async function advanceDeferrals(deps: { prisma: PrismaClient; now: () => Date }): Promise<{ overdue: number; breached: number; emailIds: string[] }> {
  const at = deps.now();
  const calendar = await loadHolidayCalendar();
  const today = shanghaiDate(at);
  const candidates = await deps.prisma.deferral.findMany({
    where: { state: { in: ["PENDING", "EXTENDED", "OVERDUE"] }, dueDate: { lt: toDateColumn(today) } },
    include: { policy: true },
    take: 1000,
  });
  let overdue = 0;
  let breached = 0;
  const emailIds: string[] = [];
  for (const d of candidates) {
    const dueDate = dateOnly(d.dueDate);
    const target = stateAt(calendar, at, { state: d.state, dueDate }, d.policy.graceWorkingDays);
    if (target === d.state) continue;
    const ids = await transaction(async (tx) => {
      const { count } = await tx.deferral.updateMany({
        where: { id: d.id, state: d.state, version: d.version },
        data: { state: target, ...(d.state !== "OVERDUE" && { overdueAt: at }), ...(target === "BREACHED" && { breachedAt: at }), version: { increment: 1 } },
      });
      if (count === 0) return null;
      if (target === "OVERDUE") {
        await audit({ action: "deferral.overdue", objectType: "deferral", objectId: d.id, details: { dueDate } }, tx);
        return [];
      }
      const dossier = await tx.dossier.findUniqueOrThrow({ where: { id: d.dossierId } });
      const item = await tx.dossierItem.findUniqueOrThrow({ where: { id: d.itemId }, select: { code: true } });
      const until = barUntil(at, d.policy.barMonths);
      await tx.commitmentBreach.create({ data: { companyId: dossier.companyId, deferralId: d.id, breachedAt: at, barUntil: until } });
      await audit(
        { action: "deferral.breach", objectType: "deferral", objectId: d.id, details: { dossierId: d.dossierId, companyId: dossier.companyId, dueDate, graceEnd: graceEndDate(calendar, dueDate, d.policy.graceWorkingDays), barUntil: until.toISOString() } },
        tx,
      );
      return notifyUsers(tx, {
        userIds: await dossierAudience(tx, dossier, ["company", "advisor", "window"]),
        kind: "deferralBreached",
        params: { number: dossier.number, product: dossier.productName, item: item.code },
        link: `/dossiers/${d.dossierId}/deferrals`,
        dossierId: d.dossierId,
      });
    }, undefined, deps.prisma);
    if (ids === null) continue;
    if (target === "OVERDUE") overdue++;
    else breached++;
    emailIds.push(...ids);
  }
  return { overdue, breached, emailIds };
}
