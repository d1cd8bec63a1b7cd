import { audit, transaction } from "#app/.server/audit.ts";
import { now } from "#app/.server/clock.ts";
import { type Dossier, type Prisma, type Reminder, type Tx } from "#app/.server/db.ts";
import { publishEmails } from "#app/.server/queue.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { refreshDossierClock } from "#app/modules/clock/clock.server.ts";
import { CLOCK_EVENTS } from "#app/modules/clock/stage-clock.ts";
import { closeDeferrals } from "#app/modules/deferral/deferral-lifecycle.server.ts";
import { DossierRuleError } from "#app/modules/dossier/errors.ts";
import { claimDossierVersion, transitionDossier } from "#app/modules/dossier/transition-dossier.server.ts";
import type { DossierAction } from "#app/modules/dossier/transitions.ts";
import { dossierAudience, notifyUsers, type DossierAudience, type NotifyKind } from "#app/modules/notify/notify.server.ts";
import { parseAudience } from "#app/modules/reminders/reminder-types.ts";
import { cancelReminders, scheduleReminders } from "#app/modules/reminders/schedule.server.ts";
import type { ReminderDelivery } from "#workers/jobs/fire-reminder.ts";
import { letterHash } from "#app/modules/deferral/letters.ts";
import { parseSupplementKind, qmsState, QMS_STATUSES, supplementDueDate, supplementReminderSpecs, SUPPLEMENT_OWNER } from "./milestone-rules.ts";
import type { TConclude, TDecide, TQmsFinish, TRequestSupplement, TReturnForCorrection } from "./milestone.schema.ts";
import { listLines, NOTICE_TEMPLATE_VERSION, type NoticeContent, type NoticeKind } from "./notices.ts";

/*
 * The window's review milestones (Order 47 Art. 99 steps), each through the
 * one transition function (or, for the QMS inspection that runs beside the
 * status flow, the dossier's optimistic version), audited, and told to the
 * company and its advisor in the portal and by email. Emails go out after the
 * commit.
 */

interface Told {
  kind: NotifyKind;
  params?: Record<string, string>;
  audience?: readonly DossierAudience[];
}

/** Runs a milestone in one transaction and tells the dossier's people; returns what `step` returned. */
async function milestone<T>(dossierId: string, step: (tx: Tx) => Promise<{ result: T; told: Told }>): Promise<T> {
  const { result, emailIds } = await transaction(async (tx) => {
    const { result, told } = await step(tx);
    const dossier = await tx.dossier.findUniqueOrThrow({ where: { id: dossierId } });
    const emailIds = await notifyUsers(tx, {
      userIds: await dossierAudience(tx, dossier, told.audience ?? ["company", "advisor"]),
      kind: told.kind,
      params: { number: dossier.number, product: dossier.productName, ...told.params },
      link: `/dossiers/${dossierId}/progress`,
      dossierId,
    });
    return { result, emailIds };
  });
  await publishEmails(emailIds);
  return result;
}

async function move(tx: Tx, user: SessionUser, dossierId: string, expectedVersion: number, action: DossierAction, details: Record<string, unknown> = {}, data?: Prisma.DossierUpdateManyMutationInput) {
  return transitionDossier(tx, { dossierId, expectedVersion, action, actor: user, details, data });
}

/** Freezes a notice (补正 / 不予受理 / 发补) as an issued letter, numbered per dossier and kind. */
async function issueNotice(tx: Tx, user: SessionUser, dossierId: string, kind: NoticeKind, input: { items: string[]; reason: string | null; dueDate: string | null }, at: Date) {
  const dossier = await tx.dossier.findUniqueOrThrow({ where: { id: dossierId }, include: { company: { select: { name: true, uscc: true } } } });
  const content: NoticeContent = {
    templateVersion: NOTICE_TEMPLATE_VERSION,
    kind,
    dossier: { id: dossier.id, number: dossier.number, productName: dossier.productName, model: dossier.model, registrationType: dossier.registrationType, productKind: dossier.productKind },
    company: { name: dossier.company.name, uscc: dossier.company.uscc },
    items: input.items,
    reason: input.reason,
    dueDate: input.dueDate,
    person: { name: user.name, email: user.email },
    at: at.toISOString(),
    date: shanghaiDate(at),
  };
  const sequence = (await tx.issuedLetter.count({ where: { dossierId, kind } })) + 1;
  return tx.issuedLetter.create({ data: { dossierId, kind, sequence, content: content as unknown as Prisma.InputJsonValue, sha256: letterHash(content), issuedById: user.id, issuedAt: at } });
}

/** What a case that ends leaves behind: open deferrals closed, the supplement deadline's reminders cancelled. */
export async function closeObligations(tx: Tx, dossierId: string) {
  await closeDeferrals(tx, dossierId);
  await cancelReminders(tx, SUPPLEMENT_OWNER, dossierId);
}

/** 一次性告知补正: every defect in one notice; the dossier goes back to the applicant. */
export async function returnForCorrection(user: SessionUser, dossierId: string, input: TReturnForCorrection) {
  const defects = listLines(input.defects);
  return milestone(dossierId, async (tx) => {
    const at = now();
    await move(tx, user, dossierId, input.version, "returnForCorrection", { defects: defects.length });
    const notice = await issueNotice(tx, user, dossierId, "CORRECTION_NOTICE", { items: defects, reason: input.note || null, dueDate: null }, at);
    return { result: notice.id, told: { kind: "dossierReturned", params: { count: String(defects.length) } } };
  });
}

/** 不予受理 (out of scope), with its reason in a notice. */
export async function notAcceptDossier(user: SessionUser, dossierId: string, input: { version: number; reason: string }) {
  return milestone(dossierId, async (tx) => {
    const at = now();
    await move(tx, user, dossierId, input.version, "notAccept", { reason: input.reason });
    const notice = await issueNotice(tx, user, dossierId, "NOT_ACCEPTED_NOTICE", { items: [], reason: input.reason, dueDate: null }, at);
    await closeObligations(tx, dossierId);
    return { result: notice.id, told: { kind: "dossierNotAccepted", params: { reason: input.reason } } };
  });
}

/** 转技术审评 (within 3 working days of acceptance). */
export async function handOver(user: SessionUser, dossierId: string, input: { version: number }) {
  return milestone(dossierId, async (tx) => {
    await move(tx, user, dossierId, input.version, "handover");
    return { result: null, told: { kind: "dossierHandedOver" } };
  });
}

/**
 * 发补: one notice listing every question; the applicant answers all at once
 * within a year; the review clock stops meanwhile (Art. 98). The deadline's
 * reminders are written in the same transaction.
 */
export async function requestSupplement(user: SessionUser, dossierId: string, input: TRequestSupplement) {
  const items = listLines(input.items);
  return milestone(dossierId, async (tx) => {
    const at = now();
    const dueDate = supplementDueDate(shanghaiDate(at));
    await move(tx, user, dossierId, input.version, "requestSupplement", { items: items.length, dueDate }, { supplementDueOn: new Date(`${dueDate}T00:00:00Z`) });
    const notice = await issueNotice(tx, user, dossierId, "SUPPLEMENT_NOTICE", { items, reason: input.note || null, dueDate }, at);
    await scheduleReminders(tx, { ownerType: SUPPLEMENT_OWNER, ownerId: dossierId, reminders: supplementReminderSpecs(notice.sequence, dueDate, at) });
    return { result: notice.id, told: { kind: "supplementRequested", params: { count: String(items.length), due: `day:${dueDate}` } } };
  });
}

/** 补正资料已收到: one reply answers all; the review resumes with its own limit (another 60 working days). */
export async function receiveSupplement(user: SessionUser, dossierId: string, input: { version: number; note: string }) {
  return milestone(dossierId, async (tx) => {
    await move(tx, user, dossierId, input.version, "supplementReceived", { note: input.note || undefined }, { supplementDueOn: null });
    await cancelReminders(tx, SUPPLEMENT_OWNER, dossierId);
    return { result: null, told: { kind: "supplementReceived" } };
  });
}

/** Records a milestone that is not a status change (the QMS inspection) under the dossier's optimistic version. */
async function recordEvent(tx: Tx, user: SessionUser, dossier: Pick<Dossier, "id">, expectedVersion: number, type: string, details: Record<string, unknown>) {
  await claimDossierVersion(tx, dossier.id, expectedVersion, QMS_STATUSES);
  await tx.dossierEvent.create({ data: { dossierId: dossier.id, actorId: user.id, type, details: details as Prisma.InputJsonValue, at: now() } });
  await refreshDossierClock(tx, dossier.id);
  await audit({ actor: user, action: `dossier.${type.toLowerCase()}`, objectType: "dossier", objectId: dossier.id, details }, tx);
}

async function currentQms(tx: Tx, dossierId: string) {
  const events = await tx.dossierEvent.findMany({ where: { dossierId, type: { in: [CLOCK_EVENTS.qmsStarted, CLOCK_EVENTS.qmsFinished] } }, orderBy: { at: "asc" }, select: { type: true } });
  return qmsState(events);
}

/** 体系核查 starts (提前评证: possibly before acceptance); its time is excluded from the review clock. */
export async function startQms(user: SessionUser, dossierId: string, input: { version: number; note: string }) {
  return milestone(dossierId, async (tx) => {
    if ((await currentQms(tx, dossierId)) === "running") throw new DossierRuleError("milestone.errors.qmsRunning");
    await recordEvent(tx, user, { id: dossierId }, input.version, CLOCK_EVENTS.qmsStarted, { note: input.note || undefined });
    return { result: null, told: { kind: "qmsStarted" } };
  });
}

/** 体系核查 finishes with its result; the review clock counts again. */
export async function finishQms(user: SessionUser, dossierId: string, input: TQmsFinish) {
  return milestone(dossierId, async (tx) => {
    if ((await currentQms(tx, dossierId)) !== "running") throw new DossierRuleError("milestone.errors.qmsNotRunning");
    await recordEvent(tx, user, { id: dossierId }, input.version, CLOCK_EVENTS.qmsFinished, { result: input.result, note: input.note || undefined });
    return { result: null, told: { kind: "qmsFinished", params: { result: `t:milestone.qmsResult.${input.result}` } } };
  });
}

/** 审评结论: the technical review ends with a recommendation; 行政审批 starts. */
export async function concludeReview(user: SessionUser, dossierId: string, input: TConclude) {
  return milestone(dossierId, async (tx) => {
    await move(tx, user, dossierId, input.version, "conclude", { recommendation: input.recommendation, summary: input.summary });
    return { result: null, told: { kind: "reviewConcluded" } };
  });
}

/** 审批决定: 准予注册 (the certificate follows within 10 working days) or 不予注册 with its reason. */
export async function decideDossier(user: SessionUser, dossierId: string, input: TDecide) {
  return milestone(dossierId, async (tx) => {
    if (input.decision === "approve") {
      await move(tx, user, dossierId, input.version, "approve", { note: input.reason || undefined });
      return { result: "APPROVED" as const, told: { kind: "dossierApproved" } };
    }
    await move(tx, user, dossierId, input.version, "reject", { reason: input.reason });
    await closeObligations(tx, dossierId);
    return { result: "REJECTED" as const, told: { kind: "dossierRejected", params: { reason: input.reason } } };
  });
}

/** 终止 (e.g. the supplement year missed: 终止审评), with its reason. */
export async function terminateDossier(user: SessionUser, dossierId: string, input: { version: number; reason: string }) {
  return milestone(dossierId, async (tx) => {
    await move(tx, user, dossierId, input.version, "terminate", { reason: input.reason }, { terminatedAt: now() });
    await closeObligations(tx, dossierId);
    return { result: null, told: { kind: "dossierTerminated", params: { reason: input.reason } } };
  });
}

/** A supplement reminder is wanted while the dossier still waits for the answer to that notice. */
export async function supplementReminderWanted(reminder: Reminder, tx: Tx): Promise<boolean> {
  const parsed = parseSupplementKind(reminder.kind);
  if (!parsed) return false;
  const dossier = await tx.dossier.findUnique({ where: { id: reminder.ownerId }, select: { status: true } });
  if (dossier?.status !== "SUPPLEMENT_REQUESTED") return false;
  const latest = await tx.issuedLetter.count({ where: { dossierId: reminder.ownerId, kind: "SUPPLEMENT_NOTICE" } });
  return latest === parsed.sequence;
}

/** Before the due date: the company and the advisor; after it: window staff (and the advisor), to decide on 终止审评. */
export async function supplementReminderDelivery(reminder: Reminder, tx: Tx): Promise<ReminderDelivery> {
  const parsed = parseSupplementKind(reminder.kind)!;
  const dossier = await tx.dossier.findUniqueOrThrow({ where: { id: reminder.ownerId } });
  const due = dossier.supplementDueOn ? dossier.supplementDueOn.toISOString().slice(0, 10) : "";
  return {
    userIds: await dossierAudience(tx, dossier, parseAudience(reminder.audience)),
    kind: parsed.overdue ? "supplementOverdue" : "supplementDue",
    params: { number: dossier.number, product: dossier.productName, due: due ? `day:${due}` : "" },
    link: `/dossiers/${dossier.id}/progress`,
    dossierId: dossier.id,
  };
}
