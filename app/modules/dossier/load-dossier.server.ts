import { notFoundInScope, type SessionUser } from "#app/.server/auth.ts";
import { prisma } from "#app/.server/db.ts";
import { scopedDossiers } from "#app/.server/scope.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The dossier if it is in the user's scope; otherwise a 404 (audited), never a 403 that reveals it exists (S1). */
export async function requireDossier(user: SessionUser, request: Request, dossierId: string | undefined) {
  const dossier =
    dossierId && UUID.test(dossierId)
      ? await prisma.dossier.findFirst({ where: { AND: [{ id: dossierId }, scopedDossiers(user)] } })
      : null;
  if (!dossier) return notFoundInScope(user, request, "dossier", String(dossierId));
  return dossier;
}

/** An item of an in-scope dossier, or 404. */
export async function requireItem(user: SessionUser, request: Request, dossierId: string | undefined, itemId: string | undefined) {
  const dossier = await requireDossier(user, request, dossierId);
  const item = itemId && UUID.test(itemId) ? await prisma.dossierItem.findFirst({ where: { id: itemId, dossierId: dossier.id } }) : null;
  if (!item) return notFoundInScope(user, request, "dossier-item", String(itemId));
  return { dossier, item };
}

/** A document version of an in-scope dossier, or 404. */
export async function requireDocument(user: SessionUser, request: Request, dossierId: string | undefined, versionId: string | undefined) {
  const dossier = await requireDossier(user, request, dossierId);
  const doc =
    versionId && UUID.test(versionId)
      ? await prisma.documentVersion.findFirst({ where: { id: versionId, item: { dossierId: dossier.id } }, include: { item: true } })
      : null;
  if (!doc) return notFoundInScope(user, request, "document", String(versionId));
  return { dossier, doc };
}
