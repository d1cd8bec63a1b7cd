import type { Widen } from "./widen.ts";
import type { policyZhCN } from "./policy.zh-CN.ts";


export const policyEn: Widen<typeof policyZhCN> = {
  policy: {
    nav: "Deferral policy",
    title: "Deferral (容缺后补) policy",
    intro: "Which documents may be deferred, for how long, when reminders go out, the grace period and the bar after a broken commitment. Every change is saved as a new version and audited; it applies to deferrals accepted from then on.",
    current: "Policy in force (since {{time}})",
    deferrableCodes: "Items that may be deferred",
    deferrableHint: "Usually secondary documents such as the test report; core documents may not be deferred.",
    maxDeferralWorkingDays: "Longest deferral (working days from acceptance)",
    reminderOffsets: "Reminders (working days before the due date, comma-separated)",
    reminderHint: "0 is the due day, -1 one working day overdue (escalation to window staff).",
    graceWorkingDays: "Grace period after the due date (working days)",
    barMonths: "Bar on deferring after a broken commitment (months)",
    reason: "Reason for the change",
    save: "Save as a new version",
    saved: "The new policy is in force for deferrals accepted from now on.",
    history: "Earlier versions",
    createdAt: "In force from",
    by: "Changed by",
    defaultVersion: "System default",
    errors: {
      whole: "Enter a whole number",
      range: "The value is out of range",
      codes: "Choose at least one item",
      offsets: "Enter whole numbers separated by commas, e.g. 5, 2, 1, 0, -1",
    },
  },
};
