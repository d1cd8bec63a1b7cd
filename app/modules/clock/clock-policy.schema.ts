import { z } from "zod";

/* The stage-limits form (电子监察 policy), shared by react-hook-form and the action. Field names: <key>Legal, <key>Target. */

const whole = z.coerce.number("policy.errors.whole").int("policy.errors.whole").min(1, "policy.errors.range").max(400, "policy.errors.range");
/** An empty target means "none" (the legal limit colours the clock). */
const optionalWhole = z.preprocess((v) => (v === "" || v === undefined || v === null ? undefined : v), whole.optional());

export const ZClockPolicy = z
  .object({
    acceptanceLegal: whole,
    acceptanceTarget: optionalWhole,
    handoverLegal: whole,
    handoverTarget: optionalWhole,
    reviewLegal: whole,
    reviewTarget: optionalWhole,
    reviewAfterSupplementLegal: whole,
    reviewAfterSupplementTarget: optionalWhole,
    approvalLegal: whole,
    approvalTarget: optionalWhole,
    issuanceLegal: whole,
    issuanceTarget: optionalWhole,
    basis: z.enum(["legal", "target"], "errors.choose"),
    /** Percent of the limit from which a clock is yellow. */
    yellowPercent: z.coerce.number("policy.errors.whole").int("policy.errors.whole").min(1, "policy.errors.range").max(100, "policy.errors.range"),
    reason: z.string().trim().min(1, "errors.required").max(500, "errors.tooLong"),
  })
  .superRefine((v, ctx) => {
    for (const key of ["acceptance", "handover", "review", "reviewAfterSupplement", "approval", "issuance"] as const) {
      const target = v[`${key}Target`];
      if (target !== undefined && target > v[`${key}Legal`]) ctx.addIssue({ code: "custom", path: [`${key}Target`], message: "clockPolicy.errors.targetAboveLimit" });
    }
  });
export type TClockPolicy = z.infer<typeof ZClockPolicy>;
