import { z } from "zod";

/* The deferral policy form, shared by react-hook-form and the action. */

const stringList = z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()));
const whole = (min: number, max: number) => z.coerce.number("policy.errors.whole").int("policy.errors.whole").min(min, "policy.errors.range").max(max, "policy.errors.range");

export const ZDeferralPolicy = z.object({
  deferrableCodes: stringList.pipe(z.array(z.string().regex(/^\d+(\.\d+)*$/)).min(1, "policy.errors.codes")),
  maxDeferralWorkingDays: whole(1, 120),
  /** Comma-separated working-day offsets, e.g. "5, 2, 1, 0, -1". */
  reminderOffsets: z
    .string()
    .trim()
    .regex(/^-?\d{1,2}(\s*,\s*-?\d{1,2})*$/, "policy.errors.offsets")
    .transform((v) => [...new Set(v.split(",").map((x) => Number(x.trim())))].sort((a, b) => b - a)),
  graceWorkingDays: whole(0, 120),
  barMonths: whole(0, 60),
  reason: z.string().trim().min(1, "errors.required").max(500, "errors.tooLong"),
});
export type TDeferralPolicy = z.infer<typeof ZDeferralPolicy>;
