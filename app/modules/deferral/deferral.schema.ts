import { z } from "zod";

/* Deferral forms, shared by react-hook-form in the browser and the actions. */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "deferral.errors.date");
const reason = z.string().trim().min(1, "errors.required").max(1000, "errors.tooLong");
const version = z.coerce.number().int().min(1);

/** The applicant asks to defer one item (容缺后补): due date and reason. */
export const ZDeferralRequest = z.object({
  itemId: z.uuid(),
  dueDate: isoDate,
  reason,
});
export type TDeferralRequest = z.infer<typeof ZDeferralRequest>;

/** The one extension, by window staff. */
export const ZDeferralExtension = z.object({ deferralId: z.uuid(), version, dueDate: isoDate, reason });
export type TDeferralExtension = z.infer<typeof ZDeferralExtension>;

/** Window staff refuse a deferral (the dossier goes back for correction) or terminate a breached case. */
export const ZDeferralDecision = z.object({ deferralId: z.uuid(), version, reason });
export type TDeferralDecision = z.infer<typeof ZDeferralDecision>;

/** Advisor verifies a supplied document; applicant drops a request. */
export const ZDeferralRef = z.object({ deferralId: z.uuid(), version });
