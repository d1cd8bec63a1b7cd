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
};
