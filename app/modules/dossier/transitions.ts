import type { DossierStatus, Role } from "#app/.server/generated/prisma/enums.ts";

/*
 * The dossier state machine (DESIGN.md "Dossier states"): which role may move
 * a dossier from which states to which. transitionDossier() is the only code
 * that writes `status`; window actions (受理, 一次性告知补正, …) join this
 * table with the window issue.
 */

export type DossierAction = "submit" | "withdraw" | "accept" | "returnForCorrection" | "terminate";

export interface TransitionRule {
  from: readonly DossierStatus[];
  to: DossierStatus;
  roles: readonly Role[];
}

/** Statuses before a decision: the applicant may still withdraw (撤回). */
export const PRE_DECISION: readonly DossierStatus[] = [
  "DRAFT",
  "SUBMITTED",
  "ACCEPTED",
  "CORRECTION_REQUESTED",
  "IN_REVIEW",
  "SUPPLEMENT_REQUESTED",
  "REVIEW_CONCLUDED",
];

export const TRANSITIONS: Record<DossierAction, TransitionRule> = {
  submit: { from: ["DRAFT", "CORRECTION_REQUESTED"], to: "SUBMITTED", roles: ["APPLICANT"] },
  withdraw: { from: PRE_DECISION, to: "WITHDRAWN", roles: ["APPLICANT"] },
  /** 受理 (with deferrals: 容缺受理). */
  accept: { from: ["SUBMITTED"], to: "ACCEPTED", roles: ["WINDOW"] },
  /** Back to the applicant for correction (e.g. a deferral refused). */
  returnForCorrection: { from: ["SUBMITTED"], to: "CORRECTION_REQUESTED", roles: ["WINDOW"] },
  /** 终止: after a breached deferral (or, with the window issue, a missed supplement year). */
  terminate: { from: ["ACCEPTED", "IN_REVIEW", "SUPPLEMENT_REQUESTED", "REVIEW_CONCLUDED"], to: "TERMINATED", roles: ["WINDOW"] },
};

/** Statuses in which the applicant edits the dossier and uploads freely. */
export const EDITABLE: readonly DossierStatus[] = ["DRAFT", "CORRECTION_REQUESTED"];

/** Open = not yet at an end state; counts towards an advisor's load. */
export const OPEN_STATUSES: readonly DossierStatus[] = PRE_DECISION;

export function canTransition(action: DossierAction, status: DossierStatus, role: Role): boolean {
  const rule = TRANSITIONS[action];
  return rule.roles.includes(role) && rule.from.includes(status);
}
