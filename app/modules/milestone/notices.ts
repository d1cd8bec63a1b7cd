/*
 * The window's notices, frozen as data when issued (like the deferral
 * letters): 补正材料通知书 (一次性告知: every defect at once), 不予受理通知书,
 * 补充资料通知书 (发补: every gap at once, one reply within a year). The
 * wording comes from the catalogue (milestone.notice.*) at display time.
 */

export const NOTICE_TEMPLATE_VERSION = 1;

export type NoticeKind = "CORRECTION_NOTICE" | "NOT_ACCEPTED_NOTICE" | "SUPPLEMENT_NOTICE";

export const NOTICE_KINDS: readonly NoticeKind[] = ["CORRECTION_NOTICE", "NOT_ACCEPTED_NOTICE", "SUPPLEMENT_NOTICE"];

export interface NoticeContent {
  templateVersion: number;
  kind: NoticeKind;
  dossier: { id: string; number: string; productName: string; model: string; registrationType: string; productKind: string };
  company: { name: string; uscc: string };
  /** The defects (补正) or the questions (发补), in order; empty for 不予受理. */
  items: string[];
  /** 不予受理: the reason; otherwise an optional note. */
  reason: string | null;
  /** 发补: the answer is due by this Asia/Shanghai date. */
  dueDate: string | null;
  person: { name: string; email: string };
  /** ISO instant (UTC) of issue. */
  at: string;
  /** Asia/Shanghai date of the notice. */
  date: string;
}

export const isNoticeKind = (kind: string): kind is NoticeKind => (NOTICE_KINDS as readonly string[]).includes(kind);

/** Free-text lists from a textarea: one item per line, blank lines and list markers dropped. */
export function listLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*•·]|\d+[.、)）])\s*/, "").trim())
    .filter((line) => line.length > 0);
}
