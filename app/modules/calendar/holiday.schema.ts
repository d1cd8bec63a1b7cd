import { z } from "zod";

/* The holiday form, shared by react-hook-form and the action. */

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "calendar.errors.date").refine((d) => new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d, "calendar.errors.date");

export const ZHoliday = z
  .object({
    date,
    kind: z.enum(["REST", "WORK"], "errors.choose"),
    nameZh: z.string().trim().min(1, "errors.required").max(40, "errors.tooLong"),
    nameEn: z.string().trim().min(1, "errors.required").max(60, "errors.tooLong"),
  })
  .superRefine((v, ctx) => {
    // A make-up working day only means something on a weekend.
    const weekday = new Date(`${v.date}T00:00:00Z`).getUTCDay();
    if (v.kind === "WORK" && weekday !== 0 && weekday !== 6) ctx.addIssue({ code: "custom", path: ["kind"], message: "calendar.errors.kindMismatch" });
  });
export type THoliday = z.infer<typeof ZHoliday>;

export const ZHolidayDate = z.object({ date });

