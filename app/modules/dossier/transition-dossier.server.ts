import { audit } from "#app/.server/audit.ts";
import type { DossierStatus, Prisma, Tx } from "#app/.server/db.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { refreshDossierClock } from "#app/modules/clock/clock.server.ts";
import { ConflictError, DossierRuleError } from "./errors.ts";
import { TRANSITIONS, type DossierAction } from "./transitions.ts";

/**
 * The one function that changes a dossier's status. It checks the rule for
 * the action and role, applies it only if the dossier is still at the version
 * the user saw (optimistic lock: a double click or a colleague's change gets
 * ConflictError, never a lost update), records the DossierEvent, refreshes
 * the stage clock (and its yellow / red alerts) and audits.
 */
export async function transitionDossier(
  tx: Tx,
  input: {
    dossierId: string;
    expectedVersion: number;
    action: DossierAction;
    actor: SessionUser;
    data?: Prisma.DossierUpdateManyMutationInput;
    details?: Record<string, unknown>;
  },
): Promise<{ from: DossierStatus; to: DossierStatus; version: number }> {
  const rule = TRANSITIONS[input.action];
  if (!rule.roles.includes(input.actor.role)) throw new DossierRuleError("dossierErrors.notAllowed");
  const current = await tx.dossier.findUniqueOrThrow({ where: { id: input.dossierId }, select: { status: true, version: true } });
  if (current.version !== input.expectedVersion) throw new ConflictError();
  if (!rule.from.includes(current.status)) throw new DossierRuleError("dossierErrors.notAllowed");
  const { count } = await tx.dossier.updateMany({
    where: { id: input.dossierId, version: input.expectedVersion, status: current.status },
    data: { ...input.data, status: rule.to, version: { increment: 1 } },
  });
  if (count === 0) throw new ConflictError();
  await tx.dossierEvent.create({
    data: {
      dossierId: input.dossierId,
      actorId: input.actor.id,
      type: input.action.toUpperCase(),
      fromStatus: current.status,
      toStatus: rule.to,
      details: (input.details ?? {}) as Prisma.InputJsonValue,
    },
  });
  // Every status change starts, stops or ends a working-day clock (电子监察).
  await refreshDossierClock(tx, input.dossierId);
  await audit(
    { actor: input.actor, action: `dossier.${input.action}`, objectType: "dossier", objectId: input.dossierId, details: { from: current.status, to: rule.to, ...input.details } },
    tx,
  );
  return { from: current.status, to: rule.to, version: input.expectedVersion + 1 };
}

/**
 * For edits that are not status changes: bump the version if it is still the
 * one the user saw and the dossier is in one of `statuses`, else
 * ConflictError / DossierRuleError.
 */
export async function claimDossierVersion(tx: Tx, dossierId: string, expectedVersion: number, statuses: readonly DossierStatus[]) {
  const { count } = await tx.dossier.updateMany({
    where: { id: dossierId, version: expectedVersion, status: { in: [...statuses] } },
    data: { version: { increment: 1 } },
  });
  if (count === 1) return;
  const current = await tx.dossier.findUniqueOrThrow({ where: { id: dossierId }, select: { version: true, status: true } });
  if (!statuses.includes(current.status)) throw new DossierRuleError("dossierErrors.notEditable");
  throw new ConflictError();
}
