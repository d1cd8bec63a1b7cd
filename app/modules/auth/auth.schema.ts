import { z } from "zod";
import { passwordProblems } from "./password-policy.ts";
import { normalizeUscc, usccProblem } from "./uscc.ts";

/*
 * One schema per form, used by react-hook-form in the browser and by the
 * action on the server. Messages are message-catalogue keys, translated where
 * they are shown.
 */

export const STAFF_ROLES = ["ADVISOR", "WINDOW", "ADMIN", "AUDITOR"] as const;
export const LOCALES = ["zh-CN", "en"] as const;

const email = z
  .string()
  .trim()
  .min(1, "errors.required")
  .max(254, "errors.email")
  .pipe(z.email("errors.email"))
  .transform((v) => v.toLowerCase());

const personName = z.string().trim().min(1, "errors.required").max(60, "errors.tooLong");

/** Mainland mobile number; optional. Shown masked (S15). */
const phone = z
  .string()
  .trim()
  .regex(/^(1[3-9]\d{9})?$/, "errors.phone")
  .optional()
  .transform((v) => (v ? v : undefined));

const newPassword = z.string().max(1024, "errors.password.tooLong");

function checkPassword(
  value: { password: string; confirmPassword: string; email?: string },
  ctx: z.RefinementCtx,
) {
  for (const problem of passwordProblems(value.password, value.email)) {
    ctx.addIssue({ code: "custom", path: ["password"], message: `errors.password.${problem}` });
  }
  if (value.password !== value.confirmPassword) {
    ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "errors.password.mismatch" });
  }
}

export const ZLogin = z.object({
  email: z.string().trim().min(1, "errors.required").max(254).transform((v) => v.toLowerCase()),
  password: z.string().min(1, "errors.required").max(1024),
  redirectTo: z.string().optional(),
});
export type TLogin = z.infer<typeof ZLogin>;

export const ZUscc = z
  .string()
  .min(1, "errors.required")
  .transform(normalizeUscc)
  .superRefine((code, ctx) => {
    const problem = usccProblem(code);
    if (problem) ctx.addIssue({ code: "custom", message: `errors.uscc.${problem}` });
  });

export const ZRegister = z
  .object({
    companyName: z.string().trim().min(2, "errors.companyName").max(100, "errors.tooLong"),
    uscc: ZUscc,
    contactName: personName,
    email,
    phone,
    password: newPassword,
    confirmPassword: z.string(),
  })
  .superRefine(checkPassword);
export type TRegister = z.infer<typeof ZRegister>;

export const ZForgotPassword = z.object({ email });

export const ZResetPassword = z
  .object({ token: z.string().min(16).max(200), password: newPassword, confirmPassword: z.string() })
  .superRefine(checkPassword);

export const ZAcceptInvite = z
  .object({
    token: z.string().min(16).max(200),
    name: personName,
    password: newPassword,
    confirmPassword: z.string(),
  })
  .superRefine(checkPassword);

export const ZInviteColleague = z.object({ name: personName, email, phone });

export const ZCreateStaff = z.object({
  name: personName,
  email,
  role: z.enum(STAFF_ROLES, "errors.role"),
});
export type TCreateStaff = z.infer<typeof ZCreateStaff>;

export const ZLanguage = z.object({
  locale: z.enum(LOCALES),
  redirectTo: z.string().optional(),
});
