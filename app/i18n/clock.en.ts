import type { Widen } from "./widen.ts";
import type { clockZhCN } from "./clock.zh-CN.ts";

/** Working-day clocks: stage names, colours, clock cells (en). */
export const clockEn: Widen<typeof clockZhCN> = {
  clock: {
    stage: {
      acceptance: "acceptance check",
      handover: "handover to review",
      review: "technical review",
      approval: "decision",
      issuance: "certificate issue",
    },
    colour: {
      green: "on time",
      yellow: "warning",
      red: "overdue",
    },
    elapsedOfLimit: "{{elapsed}} of {{limit}} working days used",
    remaining: "{{count}} working days left",
    overBy: "{{count}} working days over",
    dueOn: "due {{date}}",
    paused: "clock stopped",
    provisional: "provisional",
    none: "no clock",
  },
  clockPolicy: {
    nav: "Time limits",
    title: "Time limits (electronic supervision)",
    intro: "The legal limit of each stage (Order 47 Art. 99, in working days) and an optional shorter green-channel target. Each change is a new version with its reason; running clocks are recomputed with the new limits.",
    current: "Current version ({{time}})",
    legal: "{{stage}}: legal limit (working days)",
    target: "{{stage}}: green-channel target (working days, optional)",
    reviewAfterSupplement: "technical review after a supplement",
    basis: "Colour clocks against",
    basisLegal: "the legal limit",
    basisTarget: "the green-channel target (the legal limit where no target is set)",
    yellowPercent: "Warning from (percent of the limit used)",
    reason: "Reason for the change",
    save: "Save as a new version",
    saved: "Time limits saved; running clocks are recomputed within a minute.",
    history: "Earlier versions",
    historyCaption: "Earlier versions of the time limits",
    at: "When",
    summary: "Limits",
    by: "Changed by",
    errors: {
      targetAboveLimit: "The target cannot be longer than the legal limit",
    },
  },
};
