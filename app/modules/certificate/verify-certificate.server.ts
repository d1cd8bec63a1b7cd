import { now } from "#app/.server/clock.ts";
import { prisma } from "#app/.server/db.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { certificateState, parseCertificateNumber, type CertificateNumberError, type CertificateState } from "./certificate-number.ts";
import type { CertificateContent } from "./certificate-view.tsx";

/*
 * Public verification (扫码核验, no sign-in): what is printed on the
 * certificate and whether it is valid, expired or cancelled — nothing else.
 * No ids, no dossier reference, no people, no evidence, no cancel reason.
 * Recorded certificates show only once a second window staff member has
 * verified them; a record rejected before verification never existed for the
 * public.
 */

/** Exactly the fields printed on the certificate, and its state (the view's content type). */
export type PublicCertificate = CertificateContent;

export type PublicLookup =
  | { ok: false; error: CertificateNumberError }
  | { ok: true; number: string; certificate: PublicCertificate | null };

const dateOnly = (d: Date) => d.toISOString().slice(0, 10);

/** The public state on `today` (Shanghai date): cancelled, else valid through its expiry day, else expired. */
export function publicState(cert: { state: string; validUntil: string | null }, today: string): CertificateState {
  const cancelled = cert.state === "CANCELLED";
  if (cert.validUntil === null) return cancelled ? "cancelled" : "valid";
  return certificateState({ validUntil: cert.validUntil, cancelled }, today);
}

/** Looks a number up as the public typed or scanned it (spaces, full-width digits and a trailing 号 are forgiven). */
export async function findCertificateForPublic(numberInput: string): Promise<PublicLookup> {
  const today = shanghaiDate(now());
  const parsed = parseCertificateNumber(numberInput, { currentYear: Number(today.slice(0, 4)) });
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const number = parsed.value.number;
  const row = await prisma.certificate.findUnique({
    where: { number },
    select: {
      number: true,
      registrantName: true,
      registrantAddress: true,
      manufacturingAddress: true,
      productName: true,
      modelSpec: true,
      structure: true,
      intendedUse: true,
      attachment: true,
      otherContent: true,
      remarks: true,
      authority: true,
      approvalDate: true,
      validUntil: true,
      state: true,
      source: true,
      verifiedAt: true,
    },
  });
  const shown = row && row.state !== "UNVERIFIED" && (row.source === "GREEN_CHANNEL" || row.verifiedAt !== null);
  if (!row || !shown) return { ok: true, number, certificate: null };
  const validUntil = row.validUntil ? dateOnly(row.validUntil) : null;
  return {
    ok: true,
    number,
    certificate: {
      number: row.number,
      registrantName: row.registrantName,
      registrantAddress: row.registrantAddress,
      manufacturingAddress: row.manufacturingAddress,
      productName: row.productName,
      modelSpec: row.modelSpec,
      structure: row.structure,
      intendedUse: row.intendedUse,
      attachment: row.attachment,
      otherContent: row.otherContent,
      remarks: row.remarks,
      authority: row.authority,
      approvalDate: dateOnly(row.approvalDate),
      validUntil,
      state: publicState({ state: row.state, validUntil }, today),
    },
  };
}
