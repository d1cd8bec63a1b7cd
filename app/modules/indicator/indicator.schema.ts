import { z } from "zod";
import { parseCertificateNumber, type CertificateNumberError } from "#app/modules/certificate/certificate-number.ts";
import { COMPARATORS, isCalendarDate } from "./indicator-rules.ts";

/* The indicator forms, shared by react-hook-form in the browser and safeParse in the actions. */

/** The file input of the evidence (last in its form, after the text fields). */
export const EVIDENCE_FIELD = "evidence";

const date = z.string().trim().refine(isCalendarDate, "indicator.errors.date");
const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || undefined)
  .pipe(date.optional());
const text = (max: number) => z.string().trim().min(1, "errors.required").max(max, "errors.tooLong");
const optionalText = (max: number) => z.string().trim().max(max, "errors.tooLong").optional().default("");

/** The number parser's errors as this catalogue's messages (the certificate catalogue belongs to the issuing pages). */
export const NUMBER_ERROR_KEYS: Record<CertificateNumberError, string> = {
  "certificate.errors.format": "indicator.numberErrors.format",
  "certificate.errors.province": "indicator.numberErrors.province",
  "certificate.errors.authority": "indicator.numberErrors.authority",
  "certificate.errors.year": "indicator.numberErrors.year",
  "certificate.errors.code": "indicator.numberErrors.code",
  "certificate.errors.serial": "indicator.numberErrors.serial",
};

/** A certificate obtained elsewhere (NMPA, another province, a Class I filing), recorded by window staff with evidence. */
export const ZRecordCertificate = z
  .object({
    number: text(40),
    companyId: z.uuid("indicator.errors.company"),
    productName: text(200),
    modelSpec: text(1000),
    /** 注册人名称 / 备案人名称; the company's name when left empty. */
    registrantName: optionalText(200),
    approvalDate: date,
    /** 有效期至: filings have none. */
    validUntil: optionalDate,
    authority: text(100),
    remarks: optionalText(1000),
  })
  .superRefine((v, ctx) => {
    const datesOk = isCalendarDate(v.approvalDate) && (!v.validUntil || isCalendarDate(v.validUntil));
    if (datesOk && v.validUntil && v.validUntil <= v.approvalDate) ctx.addIssue({ code: "custom", path: ["validUntil"], message: "indicator.errors.validUntilOrder" });
    const parsed = parseCertificateNumber(v.number);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", path: ["number"], message: NUMBER_ERROR_KEYS[parsed.error] });
      return;
    }
    if (parsed.value.kind === "registration" && !v.validUntil) ctx.addIssue({ code: "custom", path: ["validUntil"], message: "indicator.errors.validUntilRequired" });
    // YYYY in the number is the year of first registration (or of the filing): the approval cannot be earlier.
    if (datesOk && Number(v.approvalDate.slice(0, 4)) < parsed.value.year) ctx.addIssue({ code: "custom", path: ["approvalDate"], message: "indicator.errors.approvalBeforeNumber" });
  });
export type TRecordCertificate = z.output<typeof ZRecordCertificate>;

/** Decimal(14, 2): up to 12 digits before the point and 2 after. */
const decimal = (message: string) =>
  z
    .string()
    .trim()
    .transform((v) => v.replace(/,/g, ""))
    .pipe(z.string().regex(/^-?\d{1,12}(\.\d{1,2})?$/, message));

export const ZIndicatorValue = z.object({
  value: decimal("indicator.errors.value"),
  asOf: date,
  note: optionalText(1000),
});
export type TIndicatorValue = z.output<typeof ZIndicatorValue>;

export const ZIndicatorDefinition = z
  .object({
    name: text(200),
    nameEn: optionalText(200),
    target: decimal("indicator.errors.target").refine((v) => !v.startsWith("-"), "indicator.errors.target"),
    unit: text(20),
    periodStart: date,
    periodEnd: date,
    comparator: z.enum(COMPARATORS, "errors.choose"),
    /** The definition's updatedAt when the form was loaded: a second editor meanwhile is "changed meanwhile". */
    updatedAt: z.string().trim().optional(),
  })
  .refine((v) => v.periodEnd >= v.periodStart, { path: ["periodEnd"], message: "indicator.errors.periodOrder" });
export type TIndicatorDefinition = z.output<typeof ZIndicatorDefinition>;

/** Verify or reject a recorded certificate from the dashboard. */
export const ZCertificateDecision = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("verify"), certificateId: z.uuid() }),
  z.object({ intent: z.literal("reject"), certificateId: z.uuid(), reason: text(500) }),
]);

/** The report's query string (allow-list): an optional quarter such as 2021-Q3. */
export const ZReportQuery = z.strictObject({ quarter: z.string().regex(/^\d{4}-Q[1-4]$/).optional() });
