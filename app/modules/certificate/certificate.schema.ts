import { z } from "zod";

/*
 * The certificate forms, shared by react-hook-form in the browser and
 * safeParse in the actions. The 注册证编号 and 有效期至 are not fields: the
 * number is allocated when the certificate is issued and the validity
 * follows from the approval date (5 years less a day).
 */

/** 审批部门 of a Tianjin Class II registration (the default on the form). */
export const TIANJIN_AUTHORITY = "天津市药品监督管理局";
/** 附件: the product technical requirements go with every registration certificate (Order 47). */
export const DEFAULT_ATTACHMENT = "产品技术要求";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real YYYY-MM-DD calendar date (2026-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return t.toISOString().slice(0, 10) === value;
}

const text = (max: number) => z.string().trim().min(1, "errors.required").max(max, "errors.tooLong");
const optionalText = (max: number) => z.string().trim().max(max, "errors.tooLong").optional().default("");

/** Every field printed on the certificate that window staff fill or confirm. */
export const ZCertificateFields = z.object({
  registrantName: text(200),
  registrantAddress: text(300),
  manufacturingAddress: text(300),
  productName: text(200),
  modelSpec: text(4000),
  structure: text(4000),
  intendedUse: text(4000),
  attachment: text(200),
  otherContent: optionalText(2000),
  remarks: optionalText(2000),
  authority: text(100),
  approvalDate: z.string().trim().refine(isCalendarDate, "certificate.errors.date"),
});
export type TCertificateFields = z.output<typeof ZCertificateFields>;
export type CertificateFieldName = keyof TCertificateFields;
export const CERTIFICATE_FIELD_NAMES = Object.keys(ZCertificateFields.shape) as CertificateFieldName[];

/** The issue form: the fields and the dossier version the window saw (optimistic lock). */
export const ZIssueCertificate = ZCertificateFields.extend({ version: z.coerce.number().int().min(1) });
export type TIssueCertificate = z.output<typeof ZIssueCertificate>;

/** 注销: a reason is required. */
export const ZCancelCertificate = z.object({ reason: text(2000) });
export type TCancelCertificate = z.output<typeof ZCancelCertificate>;

/** The public lookup's query (?number=…); anything else in the query is a 400. */
export const ZVerifyQuery = z.strictObject({
  number: z.string().max(64, "errors.tooLong").optional(),
});
