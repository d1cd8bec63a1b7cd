import { now } from "#app/.server/clock.ts";
import { prisma, type Tx } from "#app/.server/db.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { shanghaiDate, workingDaysBetween, type HolidayCalendar } from "#app/modules/calendar/working-days.ts";
import { DossierRuleError } from "#app/modules/dossier/errors.ts";
import { dateOnly, dueDateProblem } from "./deferral-rules.ts";
import { LETTER_TEMPLATE_VERSION, letterHash, type LetterContent } from "./letters.ts";
import { companyBarUntil } from "./request-deferral.server.ts";

export interface CommitmentConfirmation {
  confirmed: boolean;
  ip: string | null;
  userAgent: string | null;
}

/** The letter a set of deferrals makes: used for the preview before confirming and for the frozen copy. */
export async function buildLetter(
  tx: Tx,
  input: { dossierId: string; kind: LetterContent["kind"]; deferralIds?: string[]; states: ("REQUESTED" | "PENDING")[]; person: { name: string; email: string }; at: Date; ip: string | null; calendar: HolidayCalendar },
): Promise<LetterContent | null> {
  const dossier = await tx.dossier.findUniqueOrThrow({ where: { id: input.dossierId }, include: { company: true } });
  const deferrals = await tx.deferral.findMany({
    where: { dossierId: input.dossierId, state: { in: input.states }, ...(input.deferralIds && { id: { in: input.deferralIds } }) },
    include: { item: true, policy: true },
    orderBy: { item: { position: "asc" } },
  });
  if (deferrals.length === 0) return null;
  const today = shanghaiDate(input.at);
  // The strictest policy among the items (normally all share one version).
  const policy = deferrals.map((d) => d.policy).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0]!;
  return {
    templateVersion: LETTER_TEMPLATE_VERSION,
    kind: input.kind,
    dossier: { id: dossier.id, number: dossier.number, productName: dossier.productName, model: dossier.model, registrationType: dossier.registrationType, productKind: dossier.productKind },
    company: { name: dossier.company.name, uscc: dossier.company.uscc },
    items: deferrals.map((d) => ({
      code: d.item.code,
      titleZh: d.item.titleZh,
      titleEn: d.item.titleEn,
      dueDate: dateOnly(d.dueDate),
      reason: d.reason,
      workingDays: workingDaysBetween(input.calendar, today, dateOnly(d.dueDate)),
    })),
    policy: { maxDeferralWorkingDays: policy.maxDeferralWorkingDays, graceWorkingDays: policy.graceWorkingDays, barMonths: policy.barMonths },
    person: input.person,
    at: input.at.toISOString(),
    date: today,
    ip: input.ip,
  };
}

/** The commitment letter the applicant is about to confirm (null when nothing is deferred). */
export async function previewCommitment(user: SessionUser, dossierId: string) {
  const calendar = await loadHolidayCalendar();
  return buildLetter(prisma, { dossierId, kind: "COMMITMENT", states: ["REQUESTED"], person: { name: user.name, email: user.email }, at: now(), ip: null, calendar });
}

/**
 * Inside the submission transaction: re-checks every requested deferral
 * (company not barred, due date still allowed today) and, if there are any,
 * freezes the confirmed commitment letter (申请容缺受理承诺书) with who, when
 * and from which IP, and links the deferrals to it. Without confirmation the
 * submission is refused.
 */
export async function confirmCommitment(tx: Tx, user: SessionUser, dossierId: string, confirmation: CommitmentConfirmation | undefined) {
  const requested = await tx.deferral.findMany({ where: { dossierId, state: "REQUESTED" }, include: { policy: true } });
  if (requested.length === 0) return null;
  const at = now();
  const calendar = await loadHolidayCalendar();
  const dossier = await tx.dossier.findUniqueOrThrow({ where: { id: dossierId }, select: { companyId: true } });
  if (await companyBarUntil(dossier.companyId, at, tx)) throw new DossierRuleError("deferral.errors.barred");
  for (const d of requested) {
    if (dueDateProblem(calendar, shanghaiDate(at), dateOnly(d.dueDate), d.policy.maxDeferralWorkingDays)) throw new DossierRuleError("deferral.errors.dueDateStale");
  }
  if (!confirmation?.confirmed) throw new DossierRuleError("deferral.errors.commitmentRequired");
  const content = await buildLetter(tx, { dossierId, kind: "COMMITMENT", states: ["REQUESTED"], person: { name: user.name, email: user.email }, at, ip: confirmation.ip, calendar });
  const sequence = (await tx.issuedLetter.count({ where: { dossierId, kind: "COMMITMENT" } })) + 1;
  const letter = await tx.issuedLetter.create({
    data: { dossierId, kind: "COMMITMENT", sequence, content: content as object, sha256: letterHash(content!), issuedById: user.id, issuedAt: at, ip: confirmation.ip, userAgent: confirmation.userAgent?.slice(0, 500) ?? null },
  });
  await tx.deferral.updateMany({ where: { id: { in: requested.map((d) => d.id) } }, data: { commitmentId: letter.id } });
  return letter;
}
