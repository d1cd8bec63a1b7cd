import { z } from "zod";
import { listLines } from "./notices.ts";

/* The window's milestone forms (one schema each, used in the browser and by the action). */

const version = z.coerce.number().int().min(1);
const text = (max: number) => z.string().trim().min(1, "errors.required").max(max, "errors.tooLong");
const optionalText = (max: number) => z.string().trim().max(max, "errors.tooLong").optional().default("");
/** A textarea holding a list, one item per line: at least one item. */
const lines = (max: number) =>
  z
    .string()
    .max(max, "errors.tooLong")
    .refine((value) => listLines(value).length > 0, "milestone.errors.noItems");

/** The milestones the progress page offers window staff, one form each. */
export const MILESTONE_INTENTS = ["handover", "returnForCorrection", "notAccept", "requestSupplement", "supplementReceived", "qmsStart", "qmsFinish", "conclude", "decide", "terminate"] as const;
export type MilestoneIntent = (typeof MILESTONE_INTENTS)[number];

export const ZVersionOnly = z.object({ version });

/** 一次性告知补正: every defect at once. */
export const ZReturnForCorrection = z.object({ version, defects: lines(20_000), note: optionalText(2000) });

/** 不予受理, with its reason. */
export const ZNotAccept = z.object({ version, reason: text(2000) });

/** 发补: every question at once; the applicant answers within a year. */
export const ZRequestSupplement = z.object({ version, items: lines(20_000), note: optionalText(2000) });

export const ZSupplementReceived = z.object({ version, note: optionalText(2000) });

export const ZQmsStart = z.object({ version, note: optionalText(2000) });

export const QMS_RESULTS = ["pass", "rectify", "fail"] as const;
export const ZQmsFinish = z.object({ version, result: z.enum(QMS_RESULTS, "errors.choose"), note: optionalText(2000) });

export const CONCLUSIONS = ["approve", "reject"] as const;
/** 审评结论: the recommendation and its summary. */
export const ZConclude = z.object({ version, recommendation: z.enum(CONCLUSIONS, "errors.choose"), summary: text(4000) });

/** 审批决定: 准予注册 or 不予注册 (a refusal needs its reason). */
export const ZDecide = z
  .object({ version, decision: z.enum(CONCLUSIONS, "errors.choose"), reason: optionalText(2000) })
  .refine((v) => v.decision === "approve" || v.reason.length > 0, { path: ["reason"], message: "errors.required" });

/** 终止 (e.g. the supplement year missed), with its reason. */
export const ZTerminate = z.object({ version, reason: text(2000) });

export type TReturnForCorrection = z.infer<typeof ZReturnForCorrection>;
export type TRequestSupplement = z.infer<typeof ZRequestSupplement>;
export type TQmsFinish = z.infer<typeof ZQmsFinish>;
export type TConclude = z.infer<typeof ZConclude>;
export type TDecide = z.infer<typeof ZDecide>;
