import { transaction } from "#app/.server/audit.ts";
import { publishEmails } from "#app/.server/queue.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { notifyUsers, windowUserIds } from "#app/modules/notify/notify.server.ts";
import { closeObligations } from "#app/modules/milestone/milestones.server.ts";
import { transitionDossier } from "./transition-dossier.server.ts";

/** 撤回: the applicant withdraws before a decision, with a reason. */
export async function withdrawDossier(user: SessionUser, dossierId: string, expectedVersion: number, reason: string) {
  const emailIds = await transaction(async (tx) => {
    const { from } = await transitionDossier(tx, {
      dossierId,
      expectedVersion,
      action: "withdraw",
      actor: user,
      data: { withdrawnAt: new Date(), withdrawReason: reason },
      details: { reason },
    });
    await closeObligations(tx, dossierId);
    const dossier = await tx.dossier.findUniqueOrThrow({ where: { id: dossierId } });
    const recipients = [...(dossier.advisorId ? [dossier.advisorId] : []), ...(from === "DRAFT" ? [] : await windowUserIds(tx))];
    return notifyUsers(tx, { userIds: recipients, kind: "dossierWithdrawn", params: { number: dossier.number, product: dossier.productName }, link: `/dossiers/${dossierId}`, dossierId });
  });
  await publishEmails(emailIds);
}
