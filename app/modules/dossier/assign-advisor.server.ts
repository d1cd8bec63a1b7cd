import { audit, type AuditActor } from "#app/.server/audit.ts";
import type { Tx } from "#app/.server/db.ts";
import { companyUserIds, notifyUsers } from "#app/modules/notify/notify.server.ts";
import { chooseAdvisor, type AdvisorCandidate } from "./assignment.ts";
import { DossierRuleError } from "./errors.ts";
import { OPEN_STATUSES } from "./transitions.ts";

interface DossierRef {
  id: string;
  number: string;
  productName: string;
  companyId: string;
  catalogueCode: string;
  advisorId: string | null;
}

async function loadCandidates(tx: Tx): Promise<AdvisorCandidate[]> {
  const advisors = await tx.user.findMany({
    where: { role: "ADVISOR", advisorProfile: { isNot: null } },
    select: { id: true, active: true, advisorProfile: true },
  });
  const loads = await tx.dossier.groupBy({
    by: ["advisorId"],
    where: { advisorId: { in: advisors.map((a) => a.id) }, status: { in: [...OPEN_STATUSES] } },
    _count: { _all: true },
  });
  const load = new Map(loads.map((l) => [l.advisorId, l._count._all]));
  return advisors.map((a) => ({
    id: a.id,
    active: a.active,
    specialties: a.advisorProfile!.specialties,
    capacity: a.advisorProfile!.capacity,
    lastAssignedAt: a.advisorProfile!.lastAssignedAt,
    openDossiers: load.get(a.id) ?? 0,
  }));
}

async function recordAssignment(
  tx: Tx,
  dossier: DossierRef,
  advisorId: string | null,
  reason: string,
  by: AuditActor | null,
): Promise<string[]> {
  await tx.dossier.update({ where: { id: dossier.id }, data: { advisorId, version: { increment: 1 } } });
  await tx.advisorAssignment.create({
    data: { dossierId: dossier.id, advisorId, previousId: dossier.advisorId, assignedById: by?.id ?? null, reason },
  });
  await tx.dossierEvent.create({
    data: { dossierId: dossier.id, actorId: by?.id ?? null, type: advisorId ? "ADVISOR_ASSIGNED" : "ADVISOR_UNASSIGNED", details: { advisorId, previousId: dossier.advisorId, reason } },
  });
  if (!advisorId) return [];
  const advisor = await tx.user.findUniqueOrThrow({ where: { id: advisorId }, select: { name: true } });
  await tx.advisorProfile.update({ where: { userId: advisorId }, data: { lastAssignedAt: new Date() } });
  const params = { number: dossier.number, product: dossier.productName, advisor: advisor.name };
  const link = `/dossiers/${dossier.id}`;
  return [
    ...(await notifyUsers(tx, { userIds: [advisorId], kind: "dossierAssigned", params, link, dossierId: dossier.id })),
    ...(await notifyUsers(tx, { userIds: await companyUserIds(tx, dossier.companyId), kind: "advisorAssigned", params, link, dossierId: dossier.id })),
  ];
}

/**
 * Automatic assignment when a dossier is created (专人辅导): continuity with
 * the company's current advisor, else specialty and load (see assignment.ts).
 * Leaves the dossier unassigned when nobody fits. Returns emails to publish.
 */
export async function autoAssignAdvisor(tx: Tx, dossier: DossierRef): Promise<{ advisorId: string | null; emailIds: string[] }> {
  // Serialises concurrent assignments so two new dossiers cannot both take an advisor's last slot.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(727002)`;
  const previous = await tx.dossier.findFirst({
    where: { companyId: dossier.companyId, advisorId: { not: null }, id: { not: dossier.id } },
    orderBy: { createdAt: "desc" },
    select: { advisorId: true },
  });
  const chosen = chooseAdvisor(await loadCandidates(tx), { catalogueCode: dossier.catalogueCode, companyAdvisorId: previous?.advisorId });
  if (!chosen) {
    await tx.dossierEvent.create({ data: { dossierId: dossier.id, type: "ADVISOR_UNASSIGNED", details: { reason: "no-advisor-available" } } });
    return { advisorId: null, emailIds: [] };
  }
  const reason = chosen.id === previous?.advisorId ? "auto:continuity" : "auto:specialty-load";
  const emailIds = await recordAssignment(tx, dossier, chosen.id, reason, null);
  await audit({ action: "dossier.advisor.auto-assign", objectType: "dossier", objectId: dossier.id, details: { advisorId: chosen.id, reason } }, tx);
  return { advisorId: chosen.id, emailIds };
}

/** Window staff or an administrator reassigns, with a reason; kept in the history and audited. */
export async function reassignAdvisor(tx: Tx, ref: { id: string }, advisorId: string, reason: string, by: AuditActor): Promise<string[]> {
  // Re-read under a row lock: two staff reassigning at once are serialised and the history names the true previous advisor.
  await tx.$queryRaw`SELECT id FROM dossier WHERE id = ${ref.id}::uuid FOR UPDATE`;
  const dossier = await tx.dossier.findUniqueOrThrow({ where: { id: ref.id } });
  if (!OPEN_STATUSES.includes(dossier.status)) throw new DossierRuleError("dossierErrors.notAllowed");
  const advisor = await tx.user.findFirst({ where: { id: advisorId, role: "ADVISOR", active: true, advisorProfile: { isNot: null } } });
  if (!advisor) throw new DossierRuleError("review.errors.noSuchAdvisor");
  if (dossier.advisorId === advisorId) return [];
  const emailIds = await recordAssignment(tx, dossier, advisorId, reason, by);
  await audit({ actor: by, action: "dossier.advisor.reassign", objectType: "dossier", objectId: dossier.id, details: { from: dossier.advisorId, to: advisorId, reason } }, tx);
  return emailIds;
}
