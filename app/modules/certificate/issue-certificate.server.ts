import { audit, transaction } from "#app/.server/audit.ts";
import { now } from "#app/.server/clock.ts";
import { prisma, Prisma, type Tx } from "#app/.server/db.ts";
import { FieldError } from "#app/.server/errors.ts";
import { publishEmails } from "#app/.server/queue.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { refreshDossierClock } from "#app/modules/clock/clock.server.ts";
import { CLOCK_EVENTS } from "#app/modules/clock/stage-clock.ts";
import { isCatalogueCode, type CatalogueCode } from "#app/modules/dossier/catalogue-codes.ts";
import { ConflictError, DossierRuleError } from "#app/modules/dossier/errors.ts";
import { claimDossierVersion } from "#app/modules/dossier/transition-dossier.server.ts";
import { dossierAudience, notifyUsers } from "#app/modules/notify/notify.server.ts";
import { FIRST_YEAR, IVD_CODE, TIANJIN, tianjinCertificateNumber, validUntil } from "./certificate-number.ts";
import { DEFAULT_ATTACHMENT, TIANJIN_AUTHORITY, type TCertificateFields } from "./certificate.schema.ts";
import { CertificateRuleError } from "./errors.ts";
import { cancelRenewalReminders, scheduleRenewalReminders } from "./renewal-reminders.server.ts";

/*
 * 发证: window staff issue the registration certificate of an approved
 * green-channel dossier (within 10 working days of the decision, Order 47
 * Art. 99; the 发证 clock ends here). The number's serial is allocated in the
 * issuing transaction, so a rolled-back issue leaves no gap and two issuers
 * never share a number.
 */

/** Timeline event of a cancelled certificate (no clock reads it). */
export const CERTIFICATE_CANCELLED_EVENT = "CERTIFICATE_CANCELLED";

const toDateColumn = (date: string) => new Date(`${date}T00:00:00.000Z`);
const dateOnly = (d: Date) => d.toISOString().slice(0, 10);

/** NN of the number: IVD reagents are 40 whatever the dossier's code (DOMAIN.md "Numbers and codes"). */
export function certificateCode(dossier: { productKind: string; catalogueCode: string }): CatalogueCode {
  const code = dossier.productKind === "IVD" ? IVD_CODE : dossier.catalogueCode;
  if (!isCatalogueCode(code)) throw new DossierRuleError("certificate.errors.catalogueCode");
  return code;
}

/** The number's fixed part before the serial, for the form ("津械注准2026219"). */
export const numberPrefix = (year: number, code: CatalogueCode) => `${TIANJIN}械注准${year}2${code}`;

/**
 * Every certificate field prefilled from the dossier and its company. The
 * company record holds no address: 注册人住所 and 生产地址 are left for
 * window staff to fill (required on issue). 批准日期 defaults to today
 * (Shanghai); 有效期至 follows from it.
 */
export async function certificateDraft(dossierId: string) {
  const dossier = await prisma.dossier.findUniqueOrThrow({
    where: { id: dossierId },
    select: {
      id: true,
      number: true,
      status: true,
      version: true,
      productName: true,
      model: true,
      structure: true,
      intendedUse: true,
      productKind: true,
      catalogueCode: true,
      company: { select: { name: true } },
    },
  });
  const today = shanghaiDate(now());
  const code = certificateCode(dossier);
  const fields: TCertificateFields = {
    registrantName: dossier.company.name,
    registrantAddress: "",
    manufacturingAddress: "",
    productName: dossier.productName,
    modelSpec: dossier.model,
    structure: dossier.structure,
    intendedUse: dossier.intendedUse,
    attachment: DEFAULT_ATTACHMENT,
    otherContent: "",
    remarks: "",
    authority: TIANJIN_AUTHORITY,
    approvalDate: today,
  };
  return {
    dossier: { id: dossier.id, number: dossier.number, status: dossier.status, version: dossier.version, productKind: dossier.productKind },
    code,
    prefix: numberPrefix(Number(today.slice(0, 4)), code),
    fields,
    validUntil: validUntil(today),
    today,
  };
}

/**
 * SSSS for (year, code). The upsert's row lock serialises concurrent
 * issuers of the same year and code until the first commits, so each gets
 * its own serial (READ COMMITTED: the waiting upsert sees the committed row
 * and increments it). A number already held by a certificate recorded from
 * elsewhere (a Tianjin registration outside the green channel) is skipped.
 */
async function allocateNumber(tx: Tx, year: number, code: CatalogueCode): Promise<{ number: string; serial: number }> {
  for (;;) {
    const [row] = await tx.$queryRaw<{ last: number }[]>`
      INSERT INTO certificate_serial (year, code, last) VALUES (${year}, ${code}, 1)
      ON CONFLICT (year, code) DO UPDATE SET last = certificate_serial.last + 1
      RETURNING last`;
    const serial = Number(row!.last);
    if (serial > 9999) throw new DossierRuleError("certificate.errors.serialExhausted");
    const number = tianjinCertificateNumber({ year, code, serial });
    if (!(await tx.certificate.findUnique({ where: { number }, select: { id: true } }))) return { number, serial };
  }
}

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/**
 * Issues the certificate of an APPROVED dossier that has none, in one
 * transaction: the dossier's version is claimed (a stale form or a second
 * issuer gets ConflictError, "changed meanwhile"), the number allocated, the
 * certificate written VALID, the CERTIFICATE_ISSUED event recorded and the
 * stage clock refreshed (发证 ends), the renewal reminders scheduled, the
 * company's users and the advisor told, the issue audited. Emails go out
 * after the commit.
 */
export async function issueCertificate(user: SessionUser, dossierId: string, expectedVersion: number, fields: TCertificateFields) {
  if (user.role !== "WINDOW") throw new DossierRuleError("certificate.errors.notAllowed");
  const at = now();
  const today = shanghaiDate(at);
  if (fields.approvalDate > today) throw new FieldError("approvalDate", "certificate.errors.approvalFuture");
  let result: { certificate: { id: string; number: string; validUntil: string }; emailIds: string[] };
  try {
    result = await transaction(
      async (tx) => {
        const dossier = await tx.dossier.findUniqueOrThrow({ where: { id: dossierId }, include: { certificate: { select: { id: true } } } });
        if (dossier.certificate) throw new DossierRuleError("certificate.errors.alreadyIssued");
        if (dossier.status !== "APPROVED") throw new DossierRuleError("certificate.errors.notApproved");
        await claimDossierVersion(tx, dossierId, expectedVersion, ["APPROVED"]);

        // 批准日期 lies between the decision (准予注册) and today.
        const decision = await tx.dossierEvent.findFirst({ where: { dossierId, toStatus: "APPROVED" }, orderBy: { at: "desc" }, select: { at: true } });
        const year = Number(fields.approvalDate.slice(0, 4));
        if ((decision && fields.approvalDate < shanghaiDate(decision.at)) || year < FIRST_YEAR) {
          throw new FieldError("approvalDate", "certificate.errors.approvalBeforeDecision");
        }

        const code = certificateCode(dossier);
        const { number, serial } = await allocateNumber(tx, year, code);
        const until = validUntil(fields.approvalDate);
        const certificate = await tx.certificate.create({
          data: {
            number,
            kind: "REGISTRATION",
            deviceClass: 2,
            source: "GREEN_CHANNEL",
            state: "VALID",
            companyId: dossier.companyId,
            dossierId,
            ...fields,
            approvalDate: toDateColumn(fields.approvalDate),
            validUntil: toDateColumn(until),
            recordedById: user.id,
          },
          select: { id: true, number: true },
        });
        await tx.dossierEvent.create({
          data: { dossierId, actorId: user.id, type: CLOCK_EVENTS.certificateIssued, details: { certificateId: certificate.id, number }, at },
        });
        await refreshDossierClock(tx, dossierId);
        await scheduleRenewalReminders(tx, { id: certificate.id, validUntil: until }, at);
        const emailIds = await notifyUsers(tx, {
          userIds: await dossierAudience(tx, dossier, ["company", "advisor"]),
          kind: "certificateIssued",
          params: { number: dossier.number, product: dossier.productName, certificate: number, validUntil: `day:${until}` },
          link: `/certificates/${certificate.id}`,
          dossierId,
        });
        await audit(
          {
            actor: user,
            action: "certificate.issue",
            objectType: "certificate",
            objectId: certificate.id,
            details: { number, dossierId, dossierNumber: dossier.number, code, serial, approvalDate: fields.approvalDate, validUntil: until },
          },
          tx,
        );
        return { certificate: { ...certificate, validUntil: until }, emailIds };
      },
      // A second issuer of the same year and code waits for the first one's commit.
      { timeout: 15_000 },
    );
  } catch (error) {
    // The number was recorded from elsewhere at this very moment: nothing was written; try again.
    if (isUniqueViolation(error)) throw new ConflictError();
    throw error;
  }
  await publishEmails(result.emailIds);
  return result.certificate;
}

/**
 * 注销: window staff cancel a green-channel certificate with a reason. It no
 * longer verifies as valid, no longer counts, and its renewal reminders stop.
 */
export async function cancelCertificate(user: SessionUser, certificateId: string, reason: string) {
  if (user.role !== "WINDOW") throw new CertificateRuleError("certificate.errors.notAllowed");
  return transaction(async (tx) => {
    const c = await tx.certificate.findUnique({ where: { id: certificateId }, select: { id: true, number: true, source: true, dossierId: true, validUntil: true } });
    if (!c || c.source !== "GREEN_CHANNEL") throw new CertificateRuleError("certificate.errors.notFound");
    const at = now();
    // Conditional: of two cancellations at once, one wins; the other is told it is no longer valid.
    const { count } = await tx.certificate.updateMany({ where: { id: c.id, state: "VALID" }, data: { state: "CANCELLED", cancelledAt: at, cancelReason: reason } });
    if (count === 0) throw new CertificateRuleError("certificate.errors.notValid");
    const reminders = await cancelRenewalReminders(tx, c.id);
    if (c.dossierId) {
      await tx.dossierEvent.create({ data: { dossierId: c.dossierId, actorId: user.id, type: CERTIFICATE_CANCELLED_EVENT, details: { certificateId: c.id, number: c.number, reason }, at } });
    }
    await audit(
      {
        actor: user,
        action: "certificate.cancel",
        objectType: "certificate",
        objectId: c.id,
        details: { number: c.number, reason, validUntil: c.validUntil ? dateOnly(c.validUntil) : null, remindersCancelled: reminders },
      },
      tx,
    );
    return tx.certificate.findUniqueOrThrow({ where: { id: c.id } });
  });
}
