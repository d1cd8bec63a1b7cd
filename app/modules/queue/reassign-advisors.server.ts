import { transaction } from "#app/.server/audit.ts";
import { prisma } from "#app/.server/db.ts";
import { FieldError } from "#app/.server/errors.ts";
import { logger } from "#app/.server/logger.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { reassignAdvisor } from "#app/modules/dossier/assign-advisor.server.ts";
import { ConflictError, DossierRuleError } from "#app/modules/dossier/errors.ts";
import type { TBulkReassign } from "./queue.schema.ts";

export type BulkFailure = "notAllowed" | "changed" | "notInQueue";

export interface BulkReassignResult {
  /** Reference numbers now with the new advisor. */
  reassigned: string[];
  /** Reference numbers that already had that advisor (nothing written). */
  unchanged: string[];
  /** Refused ones: `number` null for an id that is not a queue dossier. */
  failed: { id: string; number: string | null; reason: BulkFailure }[];
  /** Emails to publish once everything has committed (the caller's publishEmails). */
  emailIds: string[];
}

/**
 * Window staff move several dossiers to one advisor, with one reason. Each
 * dossier goes through reassignAdvisor() in its own transaction, so one that
 * cannot move (finished meanwhile, or changed under a concurrent edit) is
 * reported and the others still move; every move is audited there, with its
 * history row and notifications. Drafts are not the window's: refused as not
 * in the queue, like ids that name no dossier.
 */
export async function reassignAdvisors(user: SessionUser, input: TBulkReassign): Promise<BulkReassignResult> {
  const advisor = await prisma.user.findFirst({ where: { id: input.advisorId, role: "ADVISOR", active: true, advisorProfile: { isNot: null } }, select: { id: true } });
  if (!advisor) throw new FieldError("advisorId", "queue.bulk.errors.noSuchAdvisor");

  const ids = [...new Set(input.dossierIds.map((id) => id.toLowerCase()))];
  const dossiers = await prisma.dossier.findMany({
    where: { id: { in: ids }, status: { not: "DRAFT" } },
    select: { id: true, number: true, advisorId: true },
    orderBy: { number: "asc" },
  });
  const found = new Set(dossiers.map((d) => d.id));
  const result: BulkReassignResult = {
    reassigned: [],
    unchanged: [],
    failed: ids.filter((id) => !found.has(id)).map((id) => ({ id, number: null, reason: "notInQueue" as const })),
    emailIds: [],
  };
  for (const d of dossiers) {
    if (d.advisorId === advisor.id) {
      result.unchanged.push(d.number);
      continue;
    }
    try {
      const emailIds = await transaction((tx) => reassignAdvisor(tx, { id: d.id }, advisor.id, input.reason, user));
      result.reassigned.push(d.number);
      result.emailIds.push(...emailIds);
    } catch (error) {
      if (error instanceof DossierRuleError) result.failed.push({ id: d.id, number: d.number, reason: error.messageKey === "review.errors.noSuchAdvisor" ? "changed" : "notAllowed" });
      else if (error instanceof ConflictError) result.failed.push({ id: d.id, number: d.number, reason: "changed" });
      else {
        // A fault (database gone): the moves so far are committed; their emails go out with the sweep.
        logger.error({ err: (error as Error).message, dossierId: d.id }, "bulk reassignment stopped");
        throw error;
      }
    }
  }
  return result;
}
