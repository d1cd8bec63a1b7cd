import { beforeAll, describe, expect, it } from "vitest";
import { now } from "#app/.server/clock.ts";
import { prisma, type Reminder } from "#app/.server/db.ts";
import { loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { addWorkingDays, shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { addDocumentVersion } from "#app/modules/dossier/add-document.server.ts";
import { ConflictError, DossierRuleError } from "#app/modules/dossier/errors.ts";
import { dossierBlockers, submitDossier } from "#app/modules/dossier/submit-dossier.server.ts";
import { withdrawDossier } from "#app/modules/dossier/withdraw-dossier.server.ts";
import { createUser } from "#scripts/test/harness.ts";
import { dossierVersion, pdfFile, readyDossier, sessionUser } from "#scripts/test/dossier-fixtures.ts";
import { fireReminder } from "#workers/jobs/fire-reminder.ts";
import { acceptDossier, refuseDeferral } from "./accept-dossier.server.ts";
import { advanceDeferrals } from "./advance-deferrals.server.ts";
import { dateOnly, deadlineOf, graceEndDate } from "./deferral-rules.ts";
import { extendDeferral, terminateForBreach, verifyDeferral } from "./deferral-lifecycle.server.ts";
import { deferralReminderDelivery, deferralReminderWanted } from "./deferral-reminders.server.ts";
import { companyBarUntil, requestDeferral } from "./request-deferral.server.ts";

/* 容缺后补 through the domain functions against a real database: request, commitment, 容缺受理, supply, verify, clock, breach, extension. */

const commitment = { confirmed: true, ip: "203.0.113.7", userAgent: "vitest" };

/*
 * The policy test saves new policy versions while other files run; these
 * tests pin their deferrals to a policy of their own (dated long ago, so it
 * never becomes the current one) — a deferral keeps the policy it was
 * requested under, which is the rule under test anyway.
 */
let pinnedPolicyId: string;
beforeAll(async () => {
  const pinned = await prisma.deferralPolicy.create({
    data: { deferrableCodes: ["3.4"], maxDeferralWorkingDays: 30, reminderOffsets: [5, 2, 1, 0, -1], graceWorkingDays: 15, barMonths: 12, reason: "test: pinned", createdAt: new Date("2000-01-01T00:00:00Z") },
  });
  pinnedPolicyId = pinned.id;
});
const pin = (dossierId: string) => prisma.deferral.updateMany({ where: { dossierId }, data: { policyId: pinnedPolicyId } });

async function dueIn(workingDays: number) {
  return addWorkingDays(await loadHolidayCalendar(), shanghaiDate(now()), workingDays);
}

/** A dossier submitted with 3.4 deferred and accepted as 容缺受理. */
async function acceptedWithDeferral(due?: string) {
  const f = await readyDossier(["3.4"]);
  const dueDate = due ?? (await dueIn(10));
  await requestDeferral(f.applicant, f.dossier.id, f.dossier.version, { itemId: f.itemByCode("3.4").id, dueDate, reason: "检验报告尚在检验机构出具中" });
  await pin(f.dossier.id);
  await submitDossier(f.applicant, f.dossier.id, await dossierVersion(f.dossier.id), { commitment });
  await acceptDossier(f.window, f.dossier.id, await dossierVersion(f.dossier.id));
  const deferral = await prisma.deferral.findFirstOrThrow({ where: { dossierId: f.dossier.id } });
  return { ...f, deferral, dueDate };
}

describe("requesting a deferral", () => {
  it("accepts only deferrable items without a document, on a working day within the policy's limit; saving twice keeps one row", async () => {
    const f = await readyDossier(["3.4", "1.2"]);
    const item = f.itemByCode("3.4");
    const request = async (itemId: string, dueDate: string) => requestDeferral(f.applicant, f.dossier.id, await dossierVersion(f.dossier.id), { itemId, dueDate, reason: "检验中" });
    await expect(request(f.itemByCode("1.2").id, await dueIn(5))).rejects.toMatchObject({ messageKey: "deferral.errors.notDeferrable" });
    await expect(request(item.id, await dueIn(31))).rejects.toMatchObject({ messageKey: "deferral.errors.tooLate" });
    await expect(request(item.id, shanghaiDate(now()))).rejects.toMatchObject({ messageKey: "deferral.errors.tooEarly" });
    // A Sunday within the limit.
    const calendar = await loadHolidayCalendar();
    let sunday = await dueIn(3);
    while (new Date(`${sunday}T00:00:00Z`).getUTCDay() !== 0) sunday = dateOnly(new Date(Date.parse(`${sunday}T00:00:00Z`) + 86_400_000));
    if (!calendar.work.has(sunday)) await expect(request(item.id, sunday)).rejects.toMatchObject({ messageKey: "deferral.errors.notWorkingDay" });

    const first = await request(item.id, await dueIn(10));
    const second = await request(item.id, await dueIn(12));
    expect(second.id).toBe(first.id);
    expect(await prisma.deferral.count({ where: { itemId: item.id } })).toBe(1);
    expect(dateOnly(second.dueDate)).toBe(await dueIn(12));
    // A stale form (old dossier version) is "changed meanwhile".
    await expect(requestDeferral(f.applicant, f.dossier.id, f.dossier.version, { itemId: item.id, dueDate: await dueIn(10), reason: "x" })).rejects.toBeInstanceOf(ConflictError);
    // The deferred item no longer blocks; 1.2 still does.
    expect((await dossierBlockers(f.dossier.id)).map((b) => b.code)).toEqual(["1.2"]);
  });

  it("submission needs the confirmed commitment letter, which records who, when and from where", async () => {
    const f = await readyDossier(["3.4"]);
    const dueDate = await dueIn(10);
    await requestDeferral(f.applicant, f.dossier.id, f.dossier.version, { itemId: f.itemByCode("3.4").id, dueDate, reason: "检验中" });
    await expect(submitDossier(f.applicant, f.dossier.id, await dossierVersion(f.dossier.id))).rejects.toMatchObject({ messageKey: "deferral.errors.commitmentRequired" });
    expect((await prisma.dossier.findUniqueOrThrow({ where: { id: f.dossier.id } })).status).toBe("DRAFT");
    const submission = await submitDossier(f.applicant, f.dossier.id, await dossierVersion(f.dossier.id), { commitment });
    const letter = await prisma.issuedLetter.findFirstOrThrow({ where: { dossierId: f.dossier.id, kind: "COMMITMENT" } });
    expect(letter).toMatchObject({ issuedById: f.applicant.id, ip: "203.0.113.7", userAgent: "vitest", sequence: 1 });
    expect(letter.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((letter.content as { items: { code: string; dueDate: string }[] }).items).toEqual([expect.objectContaining({ code: "3.4", dueDate })]);
    expect((await prisma.deferral.findFirstOrThrow({ where: { dossierId: f.dossier.id } })).commitmentId).toBe(letter.id);
    const snapshot = submission.snapshot as { code: string; deferred: boolean }[];
    expect(snapshot.find((s) => s.code === "3.4")?.deferred).toBe(true);
  });
});

describe("容缺受理 and after", () => {
  it("acceptance makes the deferral pending, writes its reminders and one outbox row in the same transaction, and issues and emails the notice", async () => {
    const f = await acceptedWithDeferral();
    expect(f.deferral).toMatchObject({ state: "PENDING", acceptedById: f.window.id });
    const reminders = await prisma.reminder.findMany({ where: { ownerType: "deferral", ownerId: f.deferral.id }, orderBy: { fireAt: "asc" } });
    expect(reminders.map((r) => [r.kind, r.audience, r.state])).toEqual([
      ["deferral.due-5", "company", "SCHEDULED"],
      ["deferral.due-2", "company", "SCHEDULED"],
      ["deferral.due-1", "company", "SCHEDULED"],
      ["deferral.due-0", "company,advisor", "SCHEDULED"],
      ["deferral.overdue-1", "company,advisor,window", "SCHEDULED"],
    ]);
    expect(shanghaiDate(reminders[3]!.fireAt)).toBe(f.dueDate);
    expect(await prisma.outbox.count({ where: { payload: { path: ["reminderIds"], array_contains: [reminders[0]!.id] } } })).toBe(1);
    const notice = await prisma.issuedLetter.findFirstOrThrow({ where: { dossierId: f.dossier.id, kind: "DEFERRAL_NOTICE" } });
    expect(f.deferral.noticeId).toBe(notice.id);
    const mails = await prisma.emailMessage.findMany({ where: { template: "deferral-notice", toAddress: f.applicant.email } });
    expect(mails).toHaveLength(1);
    expect((await prisma.dossier.findUniqueOrThrow({ where: { id: f.dossier.id } })).status).toBe("ACCEPTED");
  });

  it("a refused deferral sends the dossier back for correction; the item then needs its document", async () => {
    const f = await readyDossier(["3.4"]);
    await requestDeferral(f.applicant, f.dossier.id, f.dossier.version, { itemId: f.itemByCode("3.4").id, dueDate: await dueIn(10), reason: "检验中" });
    await submitDossier(f.applicant, f.dossier.id, await dossierVersion(f.dossier.id), { commitment });
    const deferral = await prisma.deferral.findFirstOrThrow({ where: { dossierId: f.dossier.id } });
    await expect(refuseDeferral(f.window, f.dossier.id, (await dossierVersion(f.dossier.id)) - 1, deferral.id, "检验报告为核心资料")).rejects.toBeInstanceOf(ConflictError);
    await refuseDeferral(f.window, f.dossier.id, await dossierVersion(f.dossier.id), deferral.id, "检验报告为核心资料");
    expect(await prisma.deferral.findUniqueOrThrow({ where: { id: deferral.id } })).toMatchObject({ state: "REFUSED", refusalReason: "检验报告为核心资料" });
    expect((await prisma.dossier.findUniqueOrThrow({ where: { id: f.dossier.id } })).status).toBe("CORRECTION_REQUESTED");
    expect((await dossierBlockers(f.dossier.id)).map((b) => b.code)).toEqual(["3.4"]);
    expect(await prisma.notification.count({ where: { userId: f.applicant.id, kind: "deferralRefused" } })).toBe(1);
  });

  it("supplying the document fulfils the deferral and cancels its reminders; only the dossier's advisor verifies it", async () => {
    const f = await acceptedWithDeferral();
    await addDocumentVersion(f.applicant, { dossierId: f.dossier.id, itemId: f.deferral.itemId }, await pdfFile());
    const fulfilled = await prisma.deferral.findUniqueOrThrow({ where: { id: f.deferral.id } });
    expect(fulfilled.state).toBe("FULFILLED");
    expect(await prisma.reminder.count({ where: { ownerId: f.deferral.id, state: { not: "CANCELLED" } } })).toBe(0);
    expect(await prisma.notification.count({ where: { userId: { in: [f.advisor.id, f.window.id] }, kind: "deferralSupplied" } })).toBe(2);
    const stranger = sessionUser(await createUser("ADVISOR"));
    await expect(verifyDeferral(stranger, f.deferral.id, fulfilled.version)).rejects.toBeInstanceOf(DossierRuleError);
    await verifyDeferral(f.advisor, f.deferral.id, fulfilled.version);
    expect((await prisma.deferral.findUniqueOrThrow({ where: { id: f.deferral.id } })).state).toBe("VERIFIED");
    expect((await prisma.dossierItem.findUniqueOrThrow({ where: { id: f.deferral.itemId } })).review).toBe("LOOKS_COMPLETE");
    // Other items stay closed to uploads after acceptance.
    await expect(addDocumentVersion(f.applicant, { dossierId: f.dossier.id, itemId: f.itemByCode("1.2").id }, await pdfFile())).rejects.toMatchObject({ messageKey: "dossierErrors.notEditable" });
  });

  it("a firing reminder reaches the company, the advisor from the due day, window staff for the escalation; none once supplied", async () => {
    const f = await acceptedWithDeferral();
    const reminders = await prisma.reminder.findMany({ where: { ownerId: f.deferral.id } });
    const byKind = (k: string) => reminders.find((r) => r.kind === k)!;
    const fire = (r: Reminder) =>
      fireReminder(r.id, { prisma, now: () => new Date(r.fireAt.getTime() + 1000), isWanted: deferralReminderWanted, recipients: (rem, tx) => deferralReminderDelivery(rem, tx, new Date(rem.fireAt.getTime() + 1000)) });
    expect((await fire(byKind("deferral.due-5"))).outcome).toBe("sent");
    expect(await prisma.notification.count({ where: { kind: "deferralDue", dossierId: f.dossier.id } })).toBe(1);
    expect((await fire(byKind("deferral.due-0"))).outcome).toBe("sent");
    expect(await prisma.notification.count({ where: { kind: "deferralDue", userId: f.advisor.id, dossierId: f.dossier.id } })).toBe(1);
    expect((await fire(byKind("deferral.overdue-1"))).outcome).toBe("sent");
    expect(await prisma.notification.count({ where: { kind: "deferralEscalated", userId: f.window.id, dossierId: f.dossier.id } })).toBe(1);
    const params = (await prisma.notification.findFirstOrThrow({ where: { kind: "deferralDue", userId: f.applicant.id, dossierId: f.dossier.id } })).params as Record<string, string>;
    expect(params).toMatchObject({ item: "3.4", due: `day:${f.dueDate}`, left: "5" });
    await addDocumentVersion(f.applicant, { dossierId: f.dossier.id, itemId: f.deferral.itemId }, await pdfFile());
    // A job still in Redis for a cancelled reminder finds nothing to do.
    expect((await fire(byKind("deferral.due-1"))).outcome).toBe("skipped");
  });
});

describe("the deferral's clock", () => {
  it("goes overdue after 23:59 on the due date, is breached after the grace period, marks the company's record and bars new deferrals", async () => {
    const f = await acceptedWithDeferral();
    const deadline = deadlineOf(f.dueDate);
    const at = (t: Date) => advanceDeferrals({ prisma, now: () => t });
    await at(new Date(deadline.getTime() - 1000));
    expect((await prisma.deferral.findUniqueOrThrow({ where: { id: f.deferral.id } })).state).toBe("PENDING");
    await at(new Date(deadline.getTime() + 1000));
    expect((await prisma.deferral.findUniqueOrThrow({ where: { id: f.deferral.id } })).state).toBe("OVERDUE");
    const graceEnd = deadlineOf(graceEndDate(await loadHolidayCalendar(), f.dueDate, 15));
    const result = await at(new Date(graceEnd.getTime() + 1000));
    expect(result.breached).toBeGreaterThanOrEqual(1);
    // A second sweep changes nothing.
    await at(new Date(graceEnd.getTime() + 2000));
    const breached = await prisma.deferral.findUniqueOrThrow({ where: { id: f.deferral.id }, include: { breach: true } });
    expect(breached.state).toBe("BREACHED");
    expect(breached.breach?.companyId).toBe(f.dossier.companyId);
    expect(await prisma.notification.count({ where: { kind: "deferralBreached", userId: { in: [f.applicant.id, f.window.id] }, dossierId: f.dossier.id } })).toBe(2);
    expect(await prisma.auditEvent.count({ where: { action: "deferral.breach", objectId: f.deferral.id } })).toBe(1);
    // The breach's time is the sweep's (domain) time; the bar is counted from it.
    expect(await companyBarUntil(f.dossier.companyId, new Date(graceEnd.getTime() + 3000))).not.toBeNull();
  });

  it("window staff grant the one extension (reminders follow the new date) or terminate the case after a breach", async () => {
    const f = await acceptedWithDeferral();
    const newDue = await dueIn(20);
    const v = (await prisma.deferral.findUniqueOrThrow({ where: { id: f.deferral.id } })).version;
    await expect(extendDeferral(f.window, { deferralId: f.deferral.id, version: v, dueDate: await dueIn(5), reason: "检验延误" })).rejects.toMatchObject({ messageKey: "deferral.errors.extensionNotLater" });
    await expect(extendDeferral(f.applicant, { deferralId: f.deferral.id, version: v, dueDate: newDue, reason: "检验延误" })).rejects.toBeInstanceOf(DossierRuleError);
    await extendDeferral(f.window, { deferralId: f.deferral.id, version: v, dueDate: newDue, reason: "检验机构排期延误" });
    const extended = await prisma.deferral.findUniqueOrThrow({ where: { id: f.deferral.id } });
    expect(extended).toMatchObject({ state: "EXTENDED", extensionReason: "检验机构排期延误" });
    expect(dateOnly(extended.originalDueDate!)).toBe(f.dueDate);
    const scheduled = await prisma.reminder.findMany({ where: { ownerId: f.deferral.id, state: "SCHEDULED" }, orderBy: { fireAt: "asc" } });
    expect(scheduled.map((r) => r.kind)).toEqual(["deferral.ext.due-5", "deferral.ext.due-2", "deferral.ext.due-1", "deferral.ext.due-0", "deferral.ext.overdue-1"]);
    expect(shanghaiDate(scheduled[3]!.fireAt)).toBe(newDue);
    await expect(extendDeferral(f.window, { deferralId: f.deferral.id, version: extended.version, dueDate: await dueIn(25), reason: "再次" })).rejects.toBeInstanceOf(DossierRuleError);

    // Past the new date and its grace period: breached; the extension is used, so the window terminates.
    const graceEnd = deadlineOf(graceEndDate(await loadHolidayCalendar(), newDue, 15));
    await advanceDeferrals({ prisma, now: () => new Date(graceEnd.getTime() + 1000) });
    const breached = await prisma.deferral.findUniqueOrThrow({ where: { id: f.deferral.id } });
    expect(breached.state).toBe("BREACHED");
    await terminateForBreach(f.window, { deferralId: f.deferral.id, version: breached.version, dossierVersion: await dossierVersion(f.dossier.id), reason: "未按承诺补交检验报告" });
    const dossier = await prisma.dossier.findUniqueOrThrow({ where: { id: f.dossier.id } });
    expect(dossier.status).toBe("TERMINATED");
    expect(dossier.terminatedAt).not.toBeNull();
    expect(await prisma.reminder.count({ where: { ownerId: f.deferral.id, state: "SCHEDULED" } })).toBe(0);
    expect(await prisma.notification.count({ where: { kind: "dossierTerminated", userId: f.applicant.id } })).toBe(1);
  });

  it("a barred company cannot request deferrals, and withdrawing a dossier cancels its deferrals and reminders", async () => {
    const f = await acceptedWithDeferral();
    await prisma.commitmentBreach.create({ data: { companyId: f.dossier.companyId, deferralId: f.deferral.id, breachedAt: now(), barUntil: new Date(now().getTime() + 86_400_000) } });
    const other = await readyDossier(["3.4"]);
    const colleague = sessionUser(await createUser("APPLICANT", { companyId: f.dossier.companyId }));
    const { createDossier } = await import("#app/modules/dossier/create-dossier.server.ts");
    const { DOSSIER_FIELDS } = await import("#scripts/test/dossier-fixtures.ts");
    const second = await createDossier(colleague, DOSSIER_FIELDS);
    const item = await prisma.dossierItem.findFirstOrThrow({ where: { dossierId: second.id, code: "3.4" } });
    await expect(requestDeferral(colleague, second.id, await dossierVersion(second.id), { itemId: item.id, dueDate: await dueIn(10), reason: "检验中" })).rejects.toMatchObject({
      messageKey: "deferral.errors.barred",
    });
    // Another company is not affected.
    await requestDeferral(other.applicant, other.dossier.id, other.dossier.version, { itemId: other.itemByCode("3.4").id, dueDate: await dueIn(10), reason: "检验中" });

    await withdrawDossier(f.applicant, f.dossier.id, await dossierVersion(f.dossier.id), "产品设计变更");
    expect((await prisma.deferral.findUniqueOrThrow({ where: { id: f.deferral.id } })).state).toBe("CANCELLED");
    expect(await prisma.reminder.count({ where: { ownerId: f.deferral.id, state: "SCHEDULED" } })).toBe(0);
  });
});
