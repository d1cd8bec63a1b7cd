import { audit, transaction } from "#app/.server/audit.ts";
import { prisma } from "#app/.server/db.ts";
import type { SessionUser } from "#app/.server/session.ts";
import type { TDeferralPolicy } from "./policy.schema.ts";

/** The policy in force: the newest version (the migration seeds the default). */
export async function currentDeferralPolicy() {
  return prisma.deferralPolicy.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
}

/** Window staff change the policy: a new version, audited with the before and after values; it applies to new deferrals only. */
export async function saveDeferralPolicy(user: SessionUser, input: TDeferralPolicy) {
  return transaction(async (tx) => {
    const before = await tx.deferralPolicy.findFirst({ orderBy: { createdAt: "desc" } });
    const created = await tx.deferralPolicy.create({ data: { ...input, createdById: user.id } });
    const pick = (p: typeof created | null) =>
      p && { deferrableCodes: p.deferrableCodes, maxDeferralWorkingDays: p.maxDeferralWorkingDays, reminderOffsets: p.reminderOffsets, graceWorkingDays: p.graceWorkingDays, barMonths: p.barMonths };
    await audit({ actor: user, action: "policy.deferral.save", objectType: "deferral-policy", objectId: created.id, details: { before: pick(before), after: pick(created), reason: input.reason } }, tx);
    return created;
  });
}
