import { audit, transaction } from "#app/.server/audit.ts";
import { prisma } from "#app/.server/db.ts";
import { fileStore } from "#app/.server/file-store.ts";
import { publishEmails } from "#app/.server/queue.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { discardUpload, type ReceivedFile } from "#app/.server/upload.ts";
import { notifyUsers } from "#app/modules/notify/notify.server.ts";
import { itemAwaitsDeferredDocument, onDocumentAdded } from "#app/modules/deferral/deferral-lifecycle.server.ts";
import { DossierRuleError } from "./errors.ts";
import { EDITABLE, PRE_DECISION } from "./transitions.ts";

/**
 * Stores an uploaded file as the item's next version. Never overwrites: the
 * version number is taken under a lock on the item row. Allowed while the
 * dossier is editable, or at any time to answer an open gap on the item.
 * If the row cannot be written, the stored file is removed again (unless an
 * earlier version already holds the same content), so nothing is left behind.
 */
export async function addDocumentVersion(
  user: SessionUser,
  ref: { dossierId: string; itemId: string },
  file: ReceivedFile,
  options: { gapId?: string; replyText?: string } = {},
) {
  const store = fileStore();
  let stored = false;
  try {
    const existedBefore = await store.has(file.sha256);
    const result = await transaction(async (tx) => {
      const [item] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM dossier_item WHERE id = ${ref.itemId}::uuid AND dossier_id = ${ref.dossierId}::uuid FOR UPDATE`;
      if (!item) throw new DossierRuleError("dossierErrors.notAllowed");
      const dossier = await tx.dossier.findUniqueOrThrow({ where: { id: ref.dossierId } });
      const gap = options.gapId
        ? await tx.gap.findFirst({ where: { id: options.gapId, itemId: ref.itemId, state: { in: ["OPEN", "REOPENED", "RESPONDED"] } } })
        : null;
      if (options.gapId && (!gap || !PRE_DECISION.includes(dossier.status))) throw new DossierRuleError("dossierErrors.notAllowed");
      // Outside editing: to answer a gap, or to supply a deferred document (容缺后补) while the case runs.
      const deferredDue = !EDITABLE.includes(dossier.status) && !gap && PRE_DECISION.includes(dossier.status) && (await itemAwaitsDeferredDocument(tx, ref.itemId));
      if (user.role !== "APPLICANT" || (!EDITABLE.includes(dossier.status) && !gap && !deferredDue)) throw new DossierRuleError("dossierErrors.notEditable");
      const last = await tx.documentVersion.findFirst({ where: { itemId: ref.itemId }, orderBy: { version: "desc" }, select: { version: true } });
      // The file goes into the store before the row commits, so a committed row always has its file.
      if (!stored) {
        await store.put(file.tempPath, file.sha256);
        stored = !existedBefore;
      }
      const version = await tx.documentVersion.create({
        data: {
          itemId: ref.itemId,
          version: (last?.version ?? 0) + 1,
          sha256: file.sha256,
          size: BigInt(file.size),
          mediaType: file.mediaType,
          originalName: file.originalName,
          uploadedById: user.id,
        },
      });
      // A new document replaces a "not applicable" mark and needs a fresh review.
      await tx.dossierItem.update({ where: { id: ref.itemId }, data: { notApplicableReason: null, review: "PENDING", reviewedAt: null, reviewedById: null } });
      let emailIds: string[] = [];
      if (gap) {
        await tx.gapEvent.create({ data: { gapId: gap.id, actorId: user.id, kind: "REPLIED", text: options.replyText?.trim() || null, documentVersionId: version.id } });
        await tx.gap.update({ where: { id: gap.id }, data: { state: "RESPONDED" } });
        const itemRow = await tx.dossierItem.findUniqueOrThrow({ where: { id: ref.itemId }, select: { code: true } });
        if (dossier.advisorId) {
          emailIds = await notifyUsers(tx, {
            userIds: [dossier.advisorId],
            kind: "gapReplied",
            params: { number: dossier.number, product: dossier.productName, item: itemRow.code },
            link: `/dossiers/${dossier.id}/items/${ref.itemId}`,
            dossierId: dossier.id,
          });
        }
      }
      // A deferred document arriving fulfils its deferral and stops its reminders (QUALITY R9).
      emailIds = [...emailIds, ...(await onDocumentAdded(tx, user, ref.itemId, version.id))];
      await audit(
        {
          actor: user,
          action: "dossier.document.upload",
          objectType: "document",
          objectId: version.id,
          details: { dossierId: ref.dossierId, itemId: ref.itemId, version: version.version, sha256: file.sha256, size: file.size, mediaType: file.mediaType },
        },
        tx,
      );
      return { version, emailIds };
    });
    await publishEmails(result.emailIds);
    return result.version;
  } catch (error) {
    await discardUpload(file);
    if (stored) await removeIfUnreferenced(file.sha256);
    throw error;
  }
}

async function removeIfUnreferenced(sha256: string) {
  const referenced = await prisma.documentVersion.count({ where: { sha256 } });
  if (referenced === 0) await fileStore().remove(sha256);
}
