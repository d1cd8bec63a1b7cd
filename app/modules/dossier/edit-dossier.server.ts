import { audit, transaction } from "#app/.server/audit.ts";
import type { SessionUser } from "#app/.server/session.ts";
import type { TDossierFields } from "./dossier.schema.ts";
import { DossierRuleError } from "./errors.ts";
import { claimDossierVersion } from "./transition-dossier.server.ts";
import { EDITABLE } from "./transitions.ts";

/**
 * Edits a draft's description. The kind and registration type decide the
 * checklist, so they cannot change once items exist; start a new dossier instead.
 */
export async function updateDossier(user: SessionUser, dossierId: string, expectedVersion: number, input: TDossierFields) {
  await transaction(async (tx) => {
    const current = await tx.dossier.findUniqueOrThrow({ where: { id: dossierId } });
    if (current.productKind !== input.productKind || current.registrationType !== input.registrationType) {
      throw new DossierRuleError("dossierUi.errors.kindFixed");
    }
    await claimDossierVersion(tx, dossierId, expectedVersion, EDITABLE);
    await tx.dossier.update({
      where: { id: dossierId },
      data: {
        productName: input.productName,
        model: input.model,
        structure: input.structure,
        intendedUse: input.intendedUse,
        catalogueCode: input.catalogueCode,
        greenBasis: input.greenBasis,
        greenGrounds: input.greenGrounds,
      },
    });
    await tx.dossierEvent.create({ data: { dossierId, actorId: user.id, type: "EDITED" } });
    await audit({ actor: user, action: "dossier.edit", objectType: "dossier", objectId: dossierId }, tx);
  });
}

/** A CR item marked "not applicable" with a reason (an empty reason clears the mark). */
export async function setNotApplicable(user: SessionUser, dossierId: string, itemId: string, expectedVersion: number, reason: string) {
  await transaction(async (tx) => {
    const item = await tx.dossierItem.findFirstOrThrow({ where: { id: itemId, dossierId } });
    if (item.requirement !== "CR") throw new DossierRuleError("dossierErrors.notAllowed");
    await claimDossierVersion(tx, dossierId, expectedVersion, EDITABLE);
    await tx.dossierItem.update({ where: { id: itemId }, data: { notApplicableReason: reason.trim() || null } });
    await audit({ actor: user, action: reason.trim() ? "dossier.item.not-applicable" : "dossier.item.applicable", objectType: "dossier-item", objectId: itemId, details: { code: item.code } }, tx);
  });
}
