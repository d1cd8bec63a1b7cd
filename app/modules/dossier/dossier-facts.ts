import type { Dossier } from "#app/.server/generated/prisma/client.ts";

/** The dossier's descriptive fields as pages show and edit them (no company, advisor or history). */
export function dossierFacts(d: Dossier) {
  return {
    id: d.id,
    number: d.number,
    status: d.status,
    version: d.version,
    productName: d.productName,
    model: d.model,
    structure: d.structure,
    intendedUse: d.intendedUse,
    registrationType: d.registrationType,
    productKind: d.productKind,
    catalogueCode: d.catalogueCode,
    greenBasis: d.greenBasis,
    greenGrounds: d.greenGrounds,
  };
}
