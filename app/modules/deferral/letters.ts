import { createHash } from "node:crypto";

/*
 * The two letters of 容缺受理, frozen as data when issued: 申请容缺受理承诺书
 * (the applicant's commitment, confirmed at submission) and 容缺受理通知书
 * (the window's notice at acceptance). The wording comes from the message
 * catalogue (deferral.letter.*) at display time; the facts — who, what, by
 * when, under which policy — are fixed here and hashed.
 */

export const LETTER_TEMPLATE_VERSION = 1;

export interface LetterItem {
  code: string;
  titleZh: string;
  titleEn: string;
  dueDate: string;
  reason: string;
  /** Working days from the letter's date to the due date. */
  workingDays: number;
}

export interface LetterContent {
  templateVersion: number;
  kind: "COMMITMENT" | "DEFERRAL_NOTICE";
  dossier: { id: string; number: string; productName: string; model: string; registrationType: string; productKind: string };
  company: { name: string; uscc: string };
  items: LetterItem[];
  policy: { maxDeferralWorkingDays: number; graceWorkingDays: number; barMonths: number };
  /** Who confirmed (commitment) or issued (notice) it. */
  person: { name: string; email: string };
  /** ISO instant (UTC) of confirmation or issue. */
  at: string;
  /** Asia/Shanghai date of the letter. */
  date: string;
  ip: string | null;
}

/** SHA-256 over the letter's canonical JSON (keys in the order built here). */
export function letterHash(content: object): string {
  return createHash("sha256").update(JSON.stringify(content)).digest("hex");
}
