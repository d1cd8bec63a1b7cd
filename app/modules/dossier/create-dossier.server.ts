import { audit, transaction } from "#app/.server/audit.ts";
import { publishEmails } from "#app/.server/queue.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { autoAssignAdvisor } from "./assign-advisor.server.ts";
import { buildChecklist, TABLE_OF_CONTENTS } from "./checklist.ts";
import type { TDossierFields } from "./dossier.schema.ts";
import { nextDossierNumber } from "./dossier-number.server.ts";

/**
 * A company user starts a dossier: its reference number, its checklist from
 * the table of contents, its advisor, its first event and the audit row
 * commit together. The company always comes from the session (S2).
 */
export async function createDossier(user: SessionUser, input: TDossierFields) {
  if (user.role !== "APPLICANT" || !user.companyId) throw new Error("only company users create dossiers");
  const companyId = user.companyId;
  const checklist = buildChecklist(input.productKind, input.registrationType);
  const { dossier, emailIds } = await transaction(async (tx) => {
    const number = await nextDossierNumber(tx);
    const dossier = await tx.dossier.create({
      data: {
        number,
        companyId,
        createdById: user.id,
        productName: input.productName,
        model: input.model,
        structure: input.structure,
        intendedUse: input.intendedUse,
        registrationType: input.registrationType,
        productKind: input.productKind,
        catalogueCode: input.catalogueCode,
        greenBasis: input.greenBasis,
        greenGrounds: input.greenGrounds,
        tocVersion: TABLE_OF_CONTENTS.version,
      },
    });
    await tx.dossierItem.createMany({
      data: checklist.map((item) => ({ dossierId: dossier.id, ...item })),
    });
    await tx.dossierEvent.create({ data: { dossierId: dossier.id, actorId: user.id, type: "CREATED", toStatus: "DRAFT" } });
    const assigned = await autoAssignAdvisor(tx, dossier);
    await audit({ actor: user, action: "dossier.create", objectType: "dossier", objectId: dossier.id, details: { number, items: checklist.length } }, tx);
    return { dossier: { ...dossier, advisorId: assigned.advisorId }, emailIds: assigned.emailIds };
  });
  await publishEmails(emailIds);
  return dossier;
}
