import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { now } from "#app/.server/clock.ts";
import { prisma } from "#app/.server/db.ts";
import { FieldError } from "#app/.server/errors.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { ConflictError, DossierRuleError } from "#app/modules/dossier/errors.ts";
import { fireReminder } from "#workers/jobs/fire-reminder.ts";
import { createUser } from "#scripts/test/harness.ts";
import { approvedDossier, dossierVersion, readyDossier, sessionUser } from "#scripts/test/dossier-fixtures.ts";
import { monthsBefore, validUntil } from "./certificate-number.ts";
import { CertificateRuleError } from "./errors.ts";
import { cancelCertificate, certificateDraft, issueCertificate } from "./issue-certificate.server.ts";
import { CERTIFICATE_OWNER, certificateReminderDelivery, certificateReminderWanted } from "./renewal-reminders.server.ts";
import { findCertificateForPublic } from "./verify-certificate.server.ts";

/*
 * 发证 through the domain functions: numbers and serials, the issuance
 * clock, refusals, renewal reminders, cancellation, public lookup. Serials
 * are per (year, code) and other test files may share the database, so each
 * test takes its own catalogue code and compares serials with each other.
 */

const NUMBER = /^津械注准(\d{4})2(\d{2})(\d{4})$/;
const ADDRESSES = { registrantAddress: "天津市东丽区华明高新区智慧山南港 1 号", manufacturingAddress: "天津市东丽区华明高新区智慧山南港 2 号厂房" };

/** An APPROVED dossier (applicant, advisor, window user) of the given catalogue code and product kind. */
async function approved(code: string, productKind: "DEVICE" | "IVD" = "DEVICE") {
  const f = await approvedDossier();
  await prisma.dossier.update({ where: { id: f.dossier.id }, data: { catalogueCode: code, productKind } });
  return f;
}

type Fixture = Awaited<ReturnType<typeof approved>>;

async function issue(f: Fixture, overrides: Record<string, string> = {}, version?: number) {
  const draft = await certificateDraft(f.dossier.id);
  return issueCertificate(f.window, f.dossier.id, version ?? (await dossierVersion(f.dossier.id)), { ...draft.fields, ...ADDRESSES, ...overrides });
}

const serialOf = (number: string) => Number(NUMBER.exec(number)![3]);
const today = () => shanghaiDate(now());

describe("issuing a certificate", () => {
  it("prefills the draft from the dossier and the company", async () => {
    const f = await approved("09");
    const draft = await certificateDraft(f.dossier.id);
    const company = await prisma.company.findUniqueOrThrow({ where: { id: f.applicant.companyId! } });
    expect(draft.fields).toEqual({
      registrantName: company.name,
      registrantAddress: "",
      manufacturingAddress: "",
      productName: f.dossier.productName,
      modelSpec: f.dossier.model,
      structure: f.dossier.structure,
      intendedUse: f.dossier.intendedUse,
      attachment: "产品技术要求",
      otherContent: "",
      remarks: "",
      authority: "天津市药品监督管理局",
      approvalDate: today(),
    });
    expect(draft.validUntil).toBe(validUntil(today()));
    expect(draft.prefix).toBe(`津械注准${today().slice(0, 4)}209`);
  });

  it("assigns 津械注准YYYY2NNSSSS, ends the 发证 clock, tells the company and the advisor, audits, schedules renewal reminders", async () => {
    const f = await approved("07");
    expect((await prisma.dossier.findUniqueOrThrow({ where: { id: f.dossier.id } })).stage).toBe("issuance");
    const issued = await issue(f, { remarks: "首次注册" });
    const [, year, code] = NUMBER.exec(issued.number)!;
    expect(year).toBe(today().slice(0, 4));
    expect(code).toBe("07");

    const cert = await prisma.certificate.findUniqueOrThrow({ where: { id: issued.id } });
    expect(cert).toMatchObject({
      number: issued.number,
      kind: "REGISTRATION",
      deviceClass: 2,
      source: "GREEN_CHANNEL",
      state: "VALID",
      dossierId: f.dossier.id,
      companyId: f.applicant.companyId,
      recordedById: f.window.id,
      remarks: "首次注册",
      ...ADDRESSES,
    });
    expect(cert.approvalDate.toISOString().slice(0, 10)).toBe(today());
    expect(cert.validUntil!.toISOString().slice(0, 10)).toBe(validUntil(today()));

    const dossier = await prisma.dossier.findUniqueOrThrow({ where: { id: f.dossier.id } });
    expect(dossier.stage).toBeNull();
    expect(dossier.status).toBe("APPROVED");
    const event = await prisma.dossierEvent.findFirstOrThrow({ where: { dossierId: f.dossier.id, type: "CERTIFICATE_ISSUED" } });
    expect(event).toMatchObject({ actorId: f.window.id, details: { certificateId: issued.id, number: issued.number } });
    // The issuance clock's alerts are gone with the stage.
    expect(await prisma.reminder.count({ where: { ownerType: "dossier-clock", ownerId: f.dossier.id, state: "SCHEDULED" } })).toBe(0);

    const notes = await prisma.notification.findMany({ where: { dossierId: f.dossier.id, kind: "certificateIssued" } });
    expect(notes.map((n) => n.userId).sort()).toEqual([f.applicant.id, f.advisor.id].sort());
    expect(notes[0]).toMatchObject({ link: `/certificates/${issued.id}`, params: { number: f.dossier.number, certificate: issued.number, validUntil: `day:${validUntil(today())}` } });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "certificate.issue", objectId: issued.id } });
    expect(audit).toMatchObject({ actorId: f.window.id, objectType: "certificate" });

    const reminders = await prisma.reminder.findMany({ where: { ownerType: CERTIFICATE_OWNER, ownerId: issued.id }, orderBy: { fireAt: "asc" } });
    const until = validUntil(today());
    expect(reminders.map((r) => [r.kind, r.fireAt.toISOString(), r.audience, r.state])).toEqual(
      [9, 7, 6].map((m) => [`certificate.renewal-${m}m`, new Date(`${monthsBefore(until, m)}T09:00:00+08:00`).toISOString(), "company,advisor", "SCHEDULED"]),
    );
  });

  it("numbers IVD reagents with catalogue code 40", async () => {
    const f = await approved("22", "IVD");
    const issued = await issue(f);
    expect(NUMBER.exec(issued.number)![2]).toBe("40");
  });

  it("gives two dossiers of the same code, issued at the same moment, two consecutive serials", async () => {
    const [a, b] = await Promise.all([approved("16"), approved("16")]);
    const [x, y] = await Promise.all([issue(a), issue(b)]);
    expect(x.number).not.toBe(y.number);
    expect(Math.abs(serialOf(x.number) - serialOf(y.number))).toBe(1);
    expect(x.number.slice(0, -4)).toBe(y.number.slice(0, -4));
    // And the next one continues after both.
    const c = await approved("16");
    const z = await issue(c);
    expect(serialOf(z.number)).toBe(Math.max(serialOf(x.number), serialOf(y.number)) + 1);
  });

  it("skips a serial whose number a certificate recorded from elsewhere already holds", async () => {
    const first = await issue(await approved("05"));
    const taken = first.number.slice(0, -4) + String(serialOf(first.number) + 1).padStart(4, "0");
    const f = await approved("05");
    await prisma.certificate.create({
      data: {
        number: taken, kind: "REGISTRATION", deviceClass: 2, source: "RECORDED", state: "VALID", companyId: f.applicant.companyId!,
        registrantName: "另一企业", registrantAddress: "", manufacturingAddress: "", productName: "其他产品", modelSpec: "X", structure: "", intendedUse: "",
        authority: "天津市药品监督管理局", approvalDate: new Date(`${today()}T00:00:00Z`), validUntil: new Date(`${validUntil(today())}T00:00:00Z`),
        recordedById: f.window.id, verifiedById: f.advisor.id, verifiedAt: new Date(),
      },
    });
    const second = await issue(f);
    expect(serialOf(second.number)).toBe(serialOf(first.number) + 2);
  });

  it("refuses a dossier that is not approved, a second certificate, a user who is not window staff, a stale version", async () => {
    const draft = await readyDossier([]);
    await expect(
      issueCertificate(draft.window, draft.dossier.id, draft.dossier.version, { ...(await certificateDraft(draft.dossier.id)).fields, ...ADDRESSES }),
    ).rejects.toMatchObject({ name: "DossierRuleError", messageKey: "certificate.errors.notApproved" });

    const f = await approved("04");
    const version = await dossierVersion(f.dossier.id);
    const fields = { ...(await certificateDraft(f.dossier.id)).fields, ...ADDRESSES };
    await expect(issueCertificate(f.applicant, f.dossier.id, version, fields)).rejects.toMatchObject({ messageKey: "certificate.errors.notAllowed" });
    await expect(issueCertificate(f.window, f.dossier.id, version - 1, fields)).rejects.toBeInstanceOf(ConflictError);
    expect(await prisma.certificate.count({ where: { dossierId: f.dossier.id } })).toBe(0);
    expect(await dossierVersion(f.dossier.id)).toBe(version);

    // Two window staff at once on the same dossier: one certificate, the other is told it changed meanwhile.
    const colleague = sessionUser(await createUser("WINDOW"));
    const results = await Promise.allSettled([issueCertificate(f.window, f.dossier.id, version, fields), issueCertificate(colleague, f.dossier.id, version, fields)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(ConflictError);
    expect(await prisma.certificate.count({ where: { dossierId: f.dossier.id } })).toBe(1);

    // Issued already: with the current version it is a rule refusal, not a second certificate.
    await expect(issue(f)).rejects.toMatchObject({ name: "DossierRuleError", messageKey: "certificate.errors.alreadyIssued" });
    await expect(issue(f)).rejects.toBeInstanceOf(DossierRuleError);
  });

  it("refuses an approval date after today or before the decision", async () => {
    const f = await approved("03");
    const tomorrow = new Date(Date.parse(`${today()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await expect(issue(f, { approvalDate: tomorrow })).rejects.toMatchObject({ field: "approvalDate", messageKey: "certificate.errors.approvalFuture" });
    await expect(issue(f, { approvalDate: "2025-01-02" })).rejects.toBeInstanceOf(FieldError);
    await expect(issue(f, { approvalDate: "2025-01-02" })).rejects.toMatchObject({ messageKey: "certificate.errors.approvalBeforeDecision" });
    expect(await prisma.certificate.count({ where: { dossierId: f.dossier.id } })).toBe(0);
  });
});

describe("renewal reminders", () => {
  it("are wanted while the certificate is valid and go to the company and the advisor with the expiry and the last day to apply", async () => {
    const f = await approved("08");
    const issued = await issue(f);
    const until = validUntil(today());
    const reminder = await prisma.reminder.findFirstOrThrow({ where: { ownerType: CERTIFICATE_OWNER, ownerId: issued.id, kind: "certificate.renewal-7m" } });
    const at = reminder.fireAt;
    await prisma.$transaction(async (tx) => {
      expect(await certificateReminderWanted(reminder, tx, at)).toBe(true);
      expect(await certificateReminderWanted(reminder, tx, new Date(`${until}T23:00:00+08:00`))).toBe(true);
      expect(await certificateReminderWanted(reminder, tx, new Date(Date.parse(`${until}T00:00:00+08:00`) + 86_400_000))).toBe(false);
      const delivery = await certificateReminderDelivery(reminder, tx, at);
      expect(delivery.userIds.sort()).toEqual([f.applicant.id, f.advisor.id].sort());
      expect(delivery).toMatchObject({
        kind: "renewalDue",
        params: { certificate: issued.number, product: f.dossier.productName, validUntil: `day:${until}`, applyBy: `day:${monthsBefore(until, 6)}` },
        link: `/certificates/${issued.id}`,
        dossierId: f.dossier.id,
      });
    });

    // Through the reminder engine as the worker wires it.
    const result = await fireReminder(reminder.id, {
      prisma,
      now: () => at,
      isWanted: (r, tx) => certificateReminderWanted(r, tx, at),
      recipients: (r, tx) => certificateReminderDelivery(r, tx, at),
    });
    expect(result).toMatchObject({ outcome: "sent", notified: 2 });
    expect(await prisma.notification.count({ where: { kind: "renewalDue", link: `/certificates/${issued.id}` } })).toBe(2);
  });
});

describe("cancelling a certificate", () => {
  it("marks it cancelled with time and reason, stops its renewal reminders, audits; only window staff, only once", async () => {
    const f = await approved("10");
    const issued = await issue(f);
    await expect(cancelCertificate(f.applicant, issued.id, "x")).rejects.toBeInstanceOf(CertificateRuleError);
    const cancelled = await cancelCertificate(f.window, issued.id, "企业申请注销");
    expect(cancelled).toMatchObject({ state: "CANCELLED", cancelReason: "企业申请注销" });
    expect(cancelled.cancelledAt).not.toBeNull();
    const reminders = await prisma.reminder.findMany({ where: { ownerType: CERTIFICATE_OWNER, ownerId: issued.id } });
    expect(reminders.map((r) => r.state)).toEqual(["CANCELLED", "CANCELLED", "CANCELLED"]);
    expect(await prisma.auditEvent.count({ where: { action: "certificate.cancel", objectId: issued.id } })).toBe(1);
    await expect(cancelCertificate(f.window, issued.id, "再次")).rejects.toMatchObject({ messageKey: "certificate.errors.notValid" });
    await expect(cancelCertificate(f.window, randomUUID(), "无")).rejects.toMatchObject({ messageKey: "certificate.errors.notFound" });
    const lookup = await findCertificateForPublic(issued.number);
    expect(lookup).toMatchObject({ ok: true, certificate: { state: "cancelled" } });
    // A reminder of a cancelled certificate is not wanted any more.
    await prisma.$transaction(async (tx) => expect(await certificateReminderWanted(reminders[0]!, tx, reminders[0]!.fireAt)).toBe(false));
  });
});

describe("public lookup", () => {
  const PUBLIC_KEYS = [
    "approvalDate",
    "attachment",
    "authority",
    "intendedUse",
    "manufacturingAddress",
    "modelSpec",
    "number",
    "otherContent",
    "productName",
    "registrantAddress",
    "registrantName",
    "remarks",
    "state",
    "structure",
    "validUntil",
  ];

  it("returns only the printed fields and the state, for the number however it is written", async () => {
    const f = await approved("11");
    const issued = await issue(f);
    const lookup = await findCertificateForPublic(issued.number);
    expect(lookup.ok).toBe(true);
    if (!lookup.ok) return;
    expect(Object.keys(lookup.certificate!).sort()).toEqual(PUBLIC_KEYS);
    expect(lookup.certificate).toMatchObject({ number: issued.number, state: "valid", approvalDate: today(), validUntil: validUntil(today()), ...ADDRESSES });
    const text = JSON.stringify(lookup);
    for (const secret of [f.dossier.id, f.dossier.number, issued.id, f.applicant.email, f.advisor.email, f.window.email]) expect(text).not.toContain(secret);

    // Spaces, full-width digits and a trailing 号, as people type it.
    const loose = ` ${issued.number.slice(0, 4)} ${issued.number.slice(4).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))}号 `;
    expect(await findCertificateForPublic(loose)).toMatchObject({ ok: true, certificate: { number: issued.number } });
  });

  it("shows an expired certificate as expired", async () => {
    const f = await approved("12");
    const issued = await issue(f);
    await prisma.certificate.update({ where: { id: issued.id }, data: { approvalDate: new Date("2020-01-10T00:00:00Z"), validUntil: new Date("2025-01-09T00:00:00Z") } });
    expect(await findCertificateForPublic(issued.number)).toMatchObject({ ok: true, certificate: { state: "expired", validUntil: "2025-01-09" } });
  });

  it("hides unknown numbers and recorded certificates not (or never) verified; says why a number is malformed", async () => {
    const window = await createUser("WINDOW");
    const company = (await createUser("APPLICANT")).company!;
    const recorded = async (state: "UNVERIFIED" | "VALID" | "CANCELLED", verified: boolean) => {
      const number = `苏械注准2024214${String(Math.floor(Math.random() * 9000) + 1000)}`;
      await prisma.certificate.create({
        data: {
          number, kind: "REGISTRATION", deviceClass: 2, source: "RECORDED", state, companyId: company.id, registrantName: "江苏企业", registrantAddress: "", manufacturingAddress: "",
          productName: "外省产品", modelSpec: "Y", structure: "", intendedUse: "", authority: "江苏省药品监督管理局", approvalDate: new Date("2024-03-01T00:00:00Z"),
          validUntil: new Date("2029-02-28T00:00:00Z"), recordedById: window.id, ...(verified ? { verifiedAt: new Date(), verifiedById: randomUUID() } : {}),
        },
      });
      return number;
    };
    expect(await findCertificateForPublic(await recorded("UNVERIFIED", false))).toMatchObject({ ok: true, certificate: null });
    // Rejected before anyone verified it: never a certificate for the public.
    expect(await findCertificateForPublic(await recorded("CANCELLED", false))).toMatchObject({ ok: true, certificate: null });
    expect(await findCertificateForPublic(await recorded("VALID", true))).toMatchObject({ ok: true, certificate: { state: "valid", productName: "外省产品" } });

    expect(await findCertificateForPublic("津械注准20262079999")).toMatchObject({ ok: true, number: "津械注准20262079999", certificate: null });
    expect(await findCertificateForPublic("not a number")).toEqual({ ok: false, error: "certificate.errors.format" });
    expect(await findCertificateForPublic("津械注准20262990001")).toEqual({ ok: false, error: "certificate.errors.code" });
    expect(await findCertificateForPublic(`津械注准${Number(today().slice(0, 4)) + 1}2070001`)).toEqual({ ok: false, error: "certificate.errors.year" });
  });
});
