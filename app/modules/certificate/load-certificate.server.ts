import QRCode from "qrcode";
import { notFoundInScope, type SessionUser } from "#app/.server/auth.ts";
import { now } from "#app/.server/clock.ts";
import { prisma, type Prisma } from "#app/.server/db.ts";
import { env } from "#app/.server/env.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { publicState } from "./verify-certificate.server.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_ROW = "00000000-0000-0000-0000-000000000000";

/**
 * Green-channel certificates a user may open: window staff and
 * administrators all; an advisor those of the dossiers they coach; a
 * company's users their company's; anyone else none. Recorded certificates
 * (obtained elsewhere) have no electronic certificate here: they live on the
 * indicator pages.
 */
export function scopedCertificates(user: SessionUser): Prisma.CertificateWhereInput {
  const base: Prisma.CertificateWhereInput = { source: "GREEN_CHANNEL" };
  switch (user.role) {
    case "WINDOW":
    case "ADMIN":
      return base;
    case "ADVISOR":
      return { ...base, dossier: { advisorId: user.id } };
    case "APPLICANT":
      return { ...base, companyId: user.companyId ?? NO_ROW };
    default:
      return { id: NO_ROW };
  }
}

/** The public verification address the QR code carries (absolute: it is scanned by phones). */
export const verificationUrl = (number: string) => `${env().APP_URL}/verify/${encodeURIComponent(number)}`;

/** The QR code as an SVG string (rendered on the server; the page inlines it). */
export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

const dateOnly = (d: Date) => d.toISOString().slice(0, 10);

/** The certificate if it is in the user's scope, with its QR code (unless `qr: false`); otherwise a 404 (audited). */
export async function requireCertificate(user: SessionUser, request: Request, certificateId: string | undefined, options: { qr?: boolean } = {}) {
  const c =
    certificateId && UUID.test(certificateId)
      ? await prisma.certificate.findFirst({
          where: { AND: [{ id: certificateId }, scopedCertificates(user)] },
          include: { dossier: { select: { id: true, number: true } } },
        })
      : null;
  if (!c) return notFoundInScope(user, request, "certificate", String(certificateId));
  const validUntil = c.validUntil ? dateOnly(c.validUntil) : null;
  const url = verificationUrl(c.number);
  return {
    id: c.id,
    number: c.number,
    registrantName: c.registrantName,
    registrantAddress: c.registrantAddress,
    manufacturingAddress: c.manufacturingAddress,
    productName: c.productName,
    modelSpec: c.modelSpec,
    structure: c.structure,
    intendedUse: c.intendedUse,
    attachment: c.attachment,
    otherContent: c.otherContent,
    remarks: c.remarks,
    authority: c.authority,
    approvalDate: dateOnly(c.approvalDate),
    validUntil,
    state: publicState({ state: c.state, validUntil }, shanghaiDate(now())),
    cancelledAt: c.cancelledAt,
    cancelReason: c.cancelReason,
    dossier: c.dossier,
    verifyUrl: url,
    qr: options.qr === false ? "" : await qrSvg(url),
  };
}
