import { audit, transaction } from "#app/.server/audit.ts";
import { now } from "#app/.server/clock.ts";
import { prisma, Prisma } from "#app/.server/db.ts";
import { FieldError } from "#app/.server/errors.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { discardUpload, type ReceivedFile } from "#app/.server/upload.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { parseCertificateNumber } from "#app/modules/certificate/certificate-number.ts";
import { IndicatorRuleError } from "./errors.ts";
import { withEvidence } from "./evidence.server.ts";
import { certificateOrigin, dateOnly, toDateColumn } from "./indicator-rules.ts";
import { NUMBER_ERROR_KEYS, type TRecordCertificate } from "./indicator.schema.ts";

/*
 * Certificates the cluster's companies obtained elsewhere (an NMPA Class III
 * registration, another province's Class II, a Class I filing) count for
 * 医疗器械证（含一、二、三类） too. Window staff record them with evidence; they
 * count only after a second window staff member has verified them against
 * the evidence (four eyes), so one person cannot raise the number alone.
 */

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

function requireWindow(user: SessionUser) {
  if (user.role !== "WINDOW") throw new IndicatorRuleError("indicator.errors.notAllowed");
}

/**
 * Records a certificate obtained elsewhere: source RECORDED, state
 * UNVERIFIED, the evidence in the file store. A number already issued or
 * recorded is refused on the number field (the unique constraint decides
 * a race); a number whose earlier record was rejected may be recorded again
 * (the rejected row takes the new content). Nothing is left behind on any
 * failure: no row, no temporary file, no stored copy no row refers to.
 */
export async function recordCertificate(user: SessionUser, input: TRecordCertificate, evidenceFile: ReceivedFile) {
  let checked: Awaited<ReturnType<typeof checkRecord>>;
  try {
    requireWindow(user);
    checked = await checkRecord(input);
  } catch (error) {
    await discardUpload(evidenceFile);
    throw error;
  }
  const { number, company, replaces } = checked;
  return withEvidence(evidenceFile, async (evidence) => {
    const data = {
      number: number.number,
      kind: number.kind === "filing" ? ("FILING" as const) : ("REGISTRATION" as const),
      deviceClass: number.class,
      source: "RECORDED" as const,
      state: "UNVERIFIED" as const,
      companyId: company.id,
      registrantName: input.registrantName || company.name,
      registrantAddress: "",
      manufacturingAddress: "",
      productName: input.productName,
      modelSpec: input.modelSpec,
      structure: "",
      intendedUse: "",
      remarks: input.remarks,
      authority: input.authority,
      approvalDate: toDateColumn(input.approvalDate),
      validUntil: input.validUntil ? toDateColumn(input.validUntil) : null,
      recordedById: user.id,
      ...evidence!,
    };
    try {
      return await transaction(async (tx) => {
        let id: string;
        if (replaces) {
          // Only while still rejected: a concurrent record of the same number wins, this one is "already recorded".
          const { count } = await tx.certificate.updateMany({
            where: { id: replaces.id, source: "RECORDED", state: "CANCELLED" },
            data: { ...data, recordedAt: new Date(), verifiedById: null, verifiedAt: null, cancelledAt: null, cancelReason: null },
          });
          if (count === 0) throw new FieldError("number", "indicator.errors.numberTaken");
          id = replaces.id;
        } else {
          id = (await tx.certificate.create({ data, select: { id: true } })).id;
        }
        await audit(
          {
            actor: user,
            action: "indicator.certificate.record",
            objectType: "certificate",
            objectId: id,
            details: {
              number: data.number,
              deviceClass: data.deviceClass,
              kind: data.kind,
              origin: certificateOrigin(data),
              companyId: company.id,
              approvalDate: input.approvalDate,
              evidenceSha256: data.evidenceSha256,
              ...(replaces ? { replacesRejected: replaces } : {}),
            },
          },
          tx,
        );
        return tx.certificate.findUniqueOrThrow({ where: { id } });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new FieldError("number", "indicator.errors.numberTaken");
      throw error;
    }
  });
}

async function checkRecord(input: TRecordCertificate) {
  const today = shanghaiDate(now());
  const parsed = parseCertificateNumber(input.number, { currentYear: Number(today.slice(0, 4)) });
  if (!parsed.ok) throw new FieldError("number", NUMBER_ERROR_KEYS[parsed.error]);
  if (input.approvalDate > today) throw new FieldError("approvalDate", "indicator.errors.future");
  const company = await prisma.company.findFirst({ where: { id: input.companyId, clusterMember: true }, select: { id: true, name: true } });
  if (!company) throw new FieldError("companyId", "indicator.errors.company");
  const existing = await prisma.certificate.findUnique({
    where: { number: parsed.value.number },
    select: { id: true, source: true, state: true, companyId: true, recordedById: true, cancelReason: true, evidenceSha256: true },
  });
  if (existing && !(existing.source === "RECORDED" && existing.state === "CANCELLED")) throw new FieldError("number", "indicator.errors.numberTaken");
  return { number: parsed.value, company, replaces: existing };
}

/**
 * The four-eyes check: a second window staff member, never the one who
 * recorded it, confirms the record against its evidence; from then on it
 * counts. The recorder's attempt is refused and audited as a denial.
 */
export async function verifyCertificate(user: SessionUser, certificateId: string) {
  requireWindow(user);
  const cert = await prisma.certificate.findUnique({ where: { id: certificateId }, select: { id: true, number: true, source: true, state: true, recordedById: true } });
  if (!cert || cert.source !== "RECORDED") throw new IndicatorRuleError("indicator.errors.notFound");
  if (cert.recordedById === user.id) {
    await audit({ actor: user, action: "indicator.certificate.verify", objectType: "certificate", objectId: cert.id, outcome: "DENIED", details: { number: cert.number, reason: "recorder" } });
    throw new IndicatorRuleError("indicator.errors.ownRecord");
  }
  if (cert.state !== "UNVERIFIED") throw new IndicatorRuleError("indicator.errors.notPending");
  return transaction(async (tx) => {
    const at = now();
    // Conditional: of two verifiers at once, one wins; the other is told it is no longer pending.
    const { count } = await tx.certificate.updateMany({
      where: { id: cert.id, state: "UNVERIFIED", recordedById: { not: user.id } },
      data: { state: "VALID", verifiedById: user.id, verifiedAt: at },
    });
    if (count === 0) throw new IndicatorRuleError("indicator.errors.notPending");
    await audit({ actor: user, action: "indicator.certificate.verify", objectType: "certificate", objectId: cert.id, details: { number: cert.number, recordedById: cert.recordedById } }, tx);
    return tx.certificate.findUniqueOrThrow({ where: { id: cert.id } });
  });
}

/**
 * A recorded certificate that does not match its evidence is rejected with a
 * reason (CANCELLED, never counted). The recorder may withdraw their own
 * mistake; the row stays, and the number may be recorded again correctly.
 */
export async function rejectRecordedCertificate(user: SessionUser, certificateId: string, reason: string) {
  requireWindow(user);
  return transaction(async (tx) => {
    const cert = await tx.certificate.findUnique({ where: { id: certificateId }, select: { id: true, number: true, source: true } });
    if (!cert || cert.source !== "RECORDED") throw new IndicatorRuleError("indicator.errors.notFound");
    const { count } = await tx.certificate.updateMany({
      where: { id: cert.id, state: "UNVERIFIED" },
      data: { state: "CANCELLED", cancelledAt: now(), cancelReason: reason },
    });
    if (count === 0) throw new IndicatorRuleError("indicator.errors.notPending");
    await audit({ actor: user, action: "indicator.certificate.reject", objectType: "certificate", objectId: cert.id, details: { number: cert.number, reason } }, tx);
    return tx.certificate.findUniqueOrThrow({ where: { id: cert.id } });
  });
}

/** Recorded certificates waiting for their verification, oldest first, with the recorder's name. */
export async function pendingCertificates() {
  const rows = await prisma.certificate.findMany({
    where: { source: "RECORDED", state: "UNVERIFIED" },
    orderBy: [{ recordedAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      number: true,
      kind: true,
      deviceClass: true,
      source: true,
      productName: true,
      approvalDate: true,
      authority: true,
      recordedById: true,
      recordedAt: true,
      evidenceSha256: true,
      evidenceName: true,
      company: { select: { name: true } },
    },
  });
  const recorders = await prisma.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.recordedById))] } }, select: { id: true, name: true } });
  const nameOf = new Map(recorders.map((u) => [u.id, u.name]));
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    deviceClass: r.deviceClass,
    origin: certificateOrigin(r),
    productName: r.productName,
    approvalDate: dateOnly(r.approvalDate),
    authority: r.authority,
    companyName: r.company.name,
    recordedById: r.recordedById,
    recordedBy: nameOf.get(r.recordedById) ?? "",
    recordedAt: r.recordedAt,
    evidenceName: r.evidenceSha256 ? (r.evidenceName ?? "") : null,
  }));
}
