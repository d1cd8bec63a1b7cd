import { audit, transaction } from "#app/.server/audit.ts";
import { publishEmails } from "#app/.server/queue.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { companyUserIds, notifyUsers } from "#app/modules/notify/notify.server.ts";
import { DossierRuleError } from "./errors.ts";

/** The dossier's message thread between the company and its advisor; the other side is notified. */
export async function postMessage(user: SessionUser, dossierId: string, body: string) {
  const emailIds = await transaction(async (tx) => {
    const dossier = await tx.dossier.findUniqueOrThrow({ where: { id: dossierId } });
    const isCompany = user.role === "APPLICANT" && user.companyId === dossier.companyId;
    const isAdvisor = user.role === "ADVISOR" && user.id === dossier.advisorId;
    if (!isCompany && !isAdvisor) throw new DossierRuleError("dossierErrors.notAllowed");
    const message = await tx.dossierMessage.create({ data: { dossierId, authorId: user.id, body } });
    await audit({ actor: user, action: "dossier.message", objectType: "dossier-message", objectId: message.id, details: { dossierId } }, tx);
    const recipients = isCompany ? (dossier.advisorId ? [dossier.advisorId] : []) : await companyUserIds(tx, dossier.companyId);
    return notifyUsers(tx, {
      userIds: recipients,
      excludeUserId: user.id,
      kind: "messagePosted",
      params: { number: dossier.number, product: dossier.productName },
      link: `/dossiers/${dossierId}#messages`,
      dossierId,
    });
  });
  await publishEmails(emailIds);
}
