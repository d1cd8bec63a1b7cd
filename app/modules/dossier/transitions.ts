import type { DossierStatus, Role } from "#app/.server/generated/prisma/enums.ts";
import type { StageName } from "#app/modules/clock/stage-clock.ts";

/*
 * The dossier state machine (DESIGN.md "Dossier states"): which role may move
 * a dossier from which states to which. transitionDossier() is the only code
 * that writes `status`.
 */

export type DossierAction =
  | "submit"
  | "withdraw"
  | "accept"
  | "returnForCorrection"
  | "notAccept"
  | "handover"
  | "requestSupplement"
  | "supplementReceived"
  | "conclude"
  | "approve"
  | "reject"
  | "terminate";

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

/** End states (DOMAIN.md): 不予受理, 准予注册, 不予注册, 视为撤回 / 撤回, 终止审评. No action leaves them. */
export const END_STATES: readonly DossierStatus[] = ["NOT_ACCEPTED", "APPROVED", "REJECTED", "WITHDRAWN", "TERMINATED"];

export const TRANSITIONS: Record<DossierAction, TransitionRule> = {
  submit: { from: ["DRAFT", "CORRECTION_REQUESTED"], to: "SUBMITTED", roles: ["APPLICANT"] },
  withdraw: { from: PRE_DECISION, to: "WITHDRAWN", roles: ["APPLICANT"] },
  /** 受理 (with deferrals: 容缺受理). */
  accept: { from: ["SUBMITTED"], to: "ACCEPTED", roles: ["WINDOW"] },
  /** 一次性告知补正: every defect in one notice, back to the applicant (also when a deferral is refused). */
  returnForCorrection: { from: ["SUBMITTED"], to: "CORRECTION_REQUESTED", roles: ["WINDOW"] },
  /** 不予受理: out of scope, with a reason. */
  notAccept: { from: ["SUBMITTED"], to: "NOT_ACCEPTED", roles: ["WINDOW"] },
  /** 转技术审评 (Art. 99: within 3 working days of acceptance). */
  handover: { from: ["ACCEPTED"], to: "IN_REVIEW", roles: ["WINDOW"] },
  /** 发补: one notice listing every gap; the applicant has one year; the review clock stops (Art. 98). */
  requestSupplement: { from: ["IN_REVIEW"], to: "SUPPLEMENT_REQUESTED", roles: ["WINDOW"] },
  /** 补正资料已收到: one reply answers all; the review clock resumes with another 60 working days. */
  supplementReceived: { from: ["SUPPLEMENT_REQUESTED"], to: "IN_REVIEW", roles: ["WINDOW"] },
  /** 审评结论. */
  conclude: { from: ["IN_REVIEW"], to: "REVIEW_CONCLUDED", roles: ["WINDOW"] },
  /** 准予注册: the certificate follows within 10 working days. */
  approve: { from: ["REVIEW_CONCLUDED"], to: "APPROVED", roles: ["WINDOW"] },
  /** 不予注册. */
  reject: { from: ["REVIEW_CONCLUDED"], to: "REJECTED", roles: ["WINDOW"] },
  /** 终止: after a breached deferral or a missed supplement year (终止审评 → 不予注册). */
  terminate: { from: ["ACCEPTED", "IN_REVIEW", "SUPPLEMENT_REQUESTED", "REVIEW_CONCLUDED"], to: "TERMINATED", roles: ["WINDOW"] },
};

export const DOSSIER_ACTIONS = Object.keys(TRANSITIONS) as DossierAction[];

/** Statuses in which the applicant edits the dossier and uploads freely. */
export const EDITABLE: readonly DossierStatus[] = ["DRAFT", "CORRECTION_REQUESTED"];

/** Open = not yet at an end state; counts towards an advisor's load. */
export const OPEN_STATUSES: readonly DossierStatus[] = PRE_DECISION;

export function canTransition(action: DossierAction, status: DossierStatus, role: Role): boolean {
  const rule = TRANSITIONS[action];
  return rule.roles.includes(role) && rule.from.includes(status);
}

/** The actions `role` may take on a dossier in `status` (for the buttons a page shows). */
export function availableActions(status: DossierStatus, role: Role): DossierAction[] {
  return DOSSIER_ACTIONS.filter((action) => canTransition(action, status, role));
}

/*
 * Working-day clocks (电子监察, Order 47 Art. 99): each status before the
 * certificate belongs to one stage with its own limit. Time excluded by
 * Art. 98 pauses the stage's clock: the supplement wait (SUPPLEMENT_REQUESTED
 * stays in "review" with the clock stopped) and QMS inspection (not a status;
 * the lead records it beside the review). DRAFT and CORRECTION_REQUESTED are
 * the applicant's time (a resubmission starts a new acceptance check); end
 * states have no clock, except that after APPROVED the certificate is due
 * within 10 working days, so "issuance" runs until it is issued.
 */
export type ClockStage = StageName;

export const STAGE_OF_STATUS: Record<DossierStatus, ClockStage | null> = {
  DRAFT: null,
  SUBMITTED: "acceptance",
  CORRECTION_REQUESTED: null,
  NOT_ACCEPTED: null,
  ACCEPTED: "handover",
  IN_REVIEW: "review",
  SUPPLEMENT_REQUESTED: "review",
  REVIEW_CONCLUDED: "approval",
  APPROVED: "issuance",
  REJECTED: null,
  WITHDRAWN: null,
  TERMINATED: null,
};

/** Statuses whose stage clock is stopped (Art. 98: the applicant's supplement time). */
export const CLOCK_PAUSED: readonly DossierStatus[] = ["SUPPLEMENT_REQUESTED"];

// The limits per stage (policy, DOMAIN.md Art. 99) and the clock arithmetic live in app/modules/clock/stage-clock.ts.
/** The applicant answers a supplement notice within one year (calendar, not working days). */
export const SUPPLEMENT_ANSWER_MONTHS = 12;

export function clockOf(status: DossierStatus): { stage: ClockStage; running: boolean } | null {
  const stage = STAGE_OF_STATUS[status];
  return stage ? { stage, running: !CLOCK_PAUSED.includes(status) } : null;
}
