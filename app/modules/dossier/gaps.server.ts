import { audit, transaction } from "#app/.server/audit.ts";
import { type GapEventKind, type GapState, type Tx } from "#app/.server/db.ts";
import { publishEmails } from "#app/.server/queue.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { companyUserIds, notifyUsers, type NotifyKind } from "#app/modules/notify/notify.server.ts";
import { DossierRuleError } from "./errors.ts";
import { PRE_DECISION } from "./transitions.ts";

/*
 * Advisor review (专人辅导): per item "looks complete" or a gap with a
 * severity. Gap states: OPEN → RESPONDED → RESOLVED, or REOPENED → RESPONDED …
 * Each event notifies the other side in the portal and by email.
 */

async function loadForAdvisor(tx: Tx, user: SessionUser, dossierId: string, itemId: string) {
  const dossier = await tx.dossier.findUniqueOrThrow({ where: { id: dossierId } });
  // Only the dossier's own advisor reviews it (S3): the route's scope already made others a 404.
  if (user.role !== "ADVISOR" || dossier.advisorId !== user.id) throw new DossierRuleError("dossierErrors.notAllowed");
  if (!PRE_DECISION.includes(dossier.status)) throw new DossierRuleError("dossierErrors.notAllowed");
  const item = await tx.dossierItem.findFirstOrThrow({ where: { id: itemId, dossierId } });
  return { dossier, item };
}

async function notifyCompany(tx: Tx, dossier: { id: string; number: string; productName: string; companyId: string }, kind: NotifyKind, item: { id: string; code: string }, extra: Record<string, string> = {}) {
  return notifyUsers(tx, {
    userIds: await companyUserIds(tx, dossier.companyId),
    kind,
    params: { number: dossier.number, product: dossier.productName, item: item.code, ...extra },
    link: `/dossiers/${dossier.id}/items/${item.id}`,
    dossierId: dossier.id,
  });
}

export async function flagGap(user: SessionUser, dossierId: string, itemId: string, input: { text: string; severity: "MUST" | "SHOULD" }) {
  const emailIds = await transaction(async (tx) => {
    const { dossier, item } = await loadForAdvisor(tx, user, dossierId, itemId);
    const gap = await tx.gap.create({ data: { dossierId, itemId, authorId: user.id, text: input.text, severity: input.severity } });
    await tx.gapEvent.create({ data: { gapId: gap.id, actorId: user.id, kind: "OPENED", text: input.text } });
    // A flagged item is no longer "looks complete".
    await tx.dossierItem.update({ where: { id: itemId }, data: { review: "PENDING", reviewedAt: null, reviewedById: null } });
    await audit({ actor: user, action: "dossier.gap.flag", objectType: "gap", objectId: gap.id, details: { dossierId, code: item.code, severity: input.severity } }, tx);
    // "t:" params are message keys, rendered in each recipient's language (see translateParams).
    return notifyCompany(tx, dossier, "gapFlagged", item, { severity: `t:gapSeverity.${input.severity}` });
  });
  await publishEmails(emailIds);
}

/** The advisor marks an item "looks complete" (only when it has a document or a not-applicable reason and no unresolved gap). */
export async function markItemComplete(user: SessionUser, dossierId: string, itemId: string) {
  const emailIds = await transaction(async (tx) => {
    const { dossier, item } = await loadForAdvisor(tx, user, dossierId, itemId);
    const versions = await tx.documentVersion.count({ where: { itemId } });
    const openGaps = await tx.gap.count({ where: { itemId, state: { not: "RESOLVED" } } });
    if ((versions === 0 && !item.notApplicableReason) || openGaps > 0) throw new DossierRuleError("review.errors.cannotComplete");
    await tx.dossierItem.update({ where: { id: itemId }, data: { review: "LOOKS_COMPLETE", reviewedAt: new Date(), reviewedById: user.id } });
    await audit({ actor: user, action: "dossier.item.review", objectType: "dossier-item", objectId: itemId, details: { code: item.code } }, tx);
    return notifyCompany(tx, dossier, "itemReviewed", item);
  });
  await publishEmails(emailIds);
}

const ADVISOR_MOVES: Record<"resolve" | "reopen", { from: GapState[]; to: GapState; kind: GapEventKind; notify: NotifyKind }> = {
  resolve: { from: ["OPEN", "RESPONDED", "REOPENED"], to: "RESOLVED", kind: "RESOLVED", notify: "gapResolved" },
  reopen: { from: ["RESPONDED", "RESOLVED"], to: "REOPENED", kind: "REOPENED", notify: "gapReopened" },
};

export async function moveGap(user: SessionUser, dossierId: string, gapId: string, move: "resolve" | "reopen", text?: string) {
  const rule = ADVISOR_MOVES[move];
  const emailIds = await transaction(async (tx) => {
    const gap = await tx.gap.findFirst({ where: { id: gapId, dossierId } });
    if (!gap) throw new DossierRuleError("dossierErrors.notAllowed");
    const { dossier, item } = await loadForAdvisor(tx, user, dossierId, gap.itemId);
    const { count } = await tx.gap.updateMany({ where: { id: gapId, state: { in: rule.from } }, data: { state: rule.to } });
    if (count === 0) throw new DossierRuleError("dossierErrors.notAllowed");
    await tx.gapEvent.create({ data: { gapId, actorId: user.id, kind: rule.kind, text: text?.trim() || null } });
    await audit({ actor: user, action: `dossier.gap.${move}`, objectType: "gap", objectId: gapId, details: { dossierId, code: item.code } }, tx);
    return notifyCompany(tx, dossier, rule.notify, item);
  });
  await publishEmails(emailIds);
}

/** The applicant answers a gap in words (a new document version answers it through addDocumentVersion). */
export async function replyToGap(user: SessionUser, dossierId: string, gapId: string, text: string) {
  const emailIds = await transaction(async (tx) => {
    const gap = await tx.gap.findFirst({ where: { id: gapId, dossierId }, include: { item: true, dossier: true } });
    if (!gap || user.role !== "APPLICANT" || gap.dossier.companyId !== user.companyId || !PRE_DECISION.includes(gap.dossier.status)) {
      throw new DossierRuleError("dossierErrors.notAllowed");
    }
    if (!text.trim()) throw new DossierRuleError("errors.required");
    const { count } = await tx.gap.updateMany({ where: { id: gapId, state: { in: ["OPEN", "REOPENED", "RESPONDED"] } }, data: { state: "RESPONDED" } });
    if (count === 0) throw new DossierRuleError("dossierErrors.notAllowed");
    await tx.gapEvent.create({ data: { gapId, actorId: user.id, kind: "REPLIED", text: text.trim() } });
    await audit({ actor: user, action: "dossier.gap.reply", objectType: "gap", objectId: gapId, details: { dossierId, code: gap.item.code } }, tx);
    if (!gap.dossier.advisorId) return [];
    return notifyUsers(tx, {
      userIds: [gap.dossier.advisorId],
      kind: "gapReplied",
      params: { number: gap.dossier.number, product: gap.dossier.productName, item: gap.item.code },
      link: `/dossiers/${dossierId}/items/${gap.itemId}`,
      dossierId,
    });
  });
  await publishEmails(emailIds);
}
