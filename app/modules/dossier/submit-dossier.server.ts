import { audit, transaction } from "#app/.server/audit.ts";
import { prisma, type Tx } from "#app/.server/db.ts";
import { publishEmails } from "#app/.server/queue.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { notifyUsers, windowUserIds } from "#app/modules/notify/notify.server.ts";
import { confirmCommitment, type CommitmentConfirmation } from "#app/modules/deferral/commitment.server.ts";
import { AWAITING_DOCUMENT } from "#app/modules/deferral/deferral-rules.ts";
import { completenessBlockers } from "./completeness.ts";
import { DossierRuleError } from "./errors.ts";
import { transitionDossier } from "./transition-dossier.server.ts";

export interface SnapshotEntry {
  code: string;
  titleZh: string;
  titleEn: string;
  requirement: "R" | "CR" | "NR";
  versionId: string | null;
  version: number | null;
  sha256: string | null;
  size: string | null;
  originalName: string | null;
  notApplicableReason: string | null;
  deferred: boolean;
}

/** The items whose documents the applicant defers (容缺后补): completeness and the snapshot honour them. */
export async function deferredItemIds(dossierId: string, tx: Tx = prisma): Promise<Set<string>> {
  const rows = await tx.deferral.findMany({ where: { dossierId, state: { in: [...AWAITING_DOCUMENT] } }, select: { itemId: true } });
  return new Set(rows.map((r) => r.itemId));
}

/** The completeness check of a dossier as it is in the database now. */
export async function dossierBlockers(dossierId: string) {
  const [items, gaps, deferred] = await Promise.all([
    prisma.dossierItem.findMany({ where: { dossierId }, select: { id: true, code: true, requirement: true, notApplicableReason: true, _count: { select: { versions: true } } }, orderBy: { position: "asc" } }),
    prisma.gap.findMany({ where: { dossierId }, select: { id: true, itemId: true, severity: true, state: true } }),
    deferredItemIds(dossierId),
  ]);
  return completenessBlockers({ items: items.map((i) => ({ ...i, versionCount: i._count.versions })), gaps, deferredItemIds: deferred });
}

/**
 * Submits: re-checks completeness inside the transaction, freezes which
 * version of each item is submitted, moves the dossier to SUBMITTED through
 * the transition function (optimistic lock) and notifies the window and the
 * advisor. Returns the submission (the receipt's content).
 */
export async function submitDossier(user: SessionUser, dossierId: string, expectedVersion: number, options: { commitment?: CommitmentConfirmation } = {}) {
  const { submission, emailIds } = await transaction(async (tx) => {
    // Lock the dossier row: no upload, gap or deferral change slips between the check and the snapshot.
    await tx.$queryRaw`SELECT id FROM dossier WHERE id = ${dossierId}::uuid FOR UPDATE`;
    const deferred = await deferredItemIds(dossierId, tx);
    const items = await tx.dossierItem.findMany({
      where: { dossierId },
      orderBy: { position: "asc" },
      include: { versions: { orderBy: { version: "desc" }, take: 1 }, _count: { select: { versions: true } } },
    });
    const gaps = await tx.gap.findMany({ where: { dossierId }, select: { id: true, itemId: true, severity: true, state: true } });
    const blockers = completenessBlockers({ items: items.map((i) => ({ ...i, versionCount: i._count.versions })), gaps, deferredItemIds: deferred });
    if (blockers.length > 0) throw new DossierRuleError("dossierErrors.incomplete");
    // With deferrals: the confirmed commitment letter (申请容缺受理承诺书), or the submission is refused.
    await confirmCommitment(tx, user, dossierId, options.commitment);
    const now = new Date();
    const { version } = await transitionDossier(tx, { dossierId, expectedVersion, action: "submit", actor: user, data: { submittedAt: now } });
    const snapshot: SnapshotEntry[] = items.map((i) => {
      const v = i.versions[0];
      return {
        code: i.code,
        titleZh: i.titleZh,
        titleEn: i.titleEn,
        requirement: i.requirement,
        versionId: v?.id ?? null,
        version: v?.version ?? null,
        sha256: v?.sha256 ?? null,
        size: v ? v.size.toString() : null,
        originalName: v?.originalName ?? null,
        notApplicableReason: i.notApplicableReason,
        deferred: deferred.has(i.id),
      };
    });
    const sequence = (await tx.submission.count({ where: { dossierId } })) + 1;
    const submission = await tx.submission.create({ data: { dossierId, sequence, submittedById: user.id, submittedAt: now, snapshot: snapshot as object[] } });
    const dossier = await tx.dossier.findUniqueOrThrow({ where: { id: dossierId } });
    const params = { number: dossier.number, product: dossier.productName, time: `d:${now.toISOString()}` };
    const link = `/dossiers/${dossierId}`;
    const emailIds = [
      ...(await notifyUsers(tx, { userIds: await windowUserIds(tx), kind: "dossierSubmitted", params, link, dossierId })),
      ...(dossier.advisorId ? await notifyUsers(tx, { userIds: [dossier.advisorId], kind: "dossierSubmitted", params, link, dossierId }) : []),
    ];
    await audit({ actor: user, action: "dossier.submission.snapshot", objectType: "submission", objectId: submission.id, details: { dossierId, sequence, version } }, tx);
    return { submission, emailIds };
  });
  await publishEmails(emailIds);
  return submission;
}
