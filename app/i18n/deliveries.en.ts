import type { Widen } from "./widen.ts";
import type { deliveriesZhCN } from "./deliveries.zh-CN.ts";

/** Delivery problems page (en). */
export const deliveriesEn: Widen<typeof deliveriesZhCN> = {
  deliveries: {
    nav: "Delivery problems",
    title: "Email and reminder delivery problems",
    intro: "Emails that could not be sent after every retry, and reminders that keep failing. Once the cause is fixed (mail server down, wrong address), send the email again.",
    emails: "Failed emails ({{count}})",
    noEmails: "No failed emails.",
    reminders: "Failing reminders ({{count}})",
    noReminders: "No failing reminders.",
    createdAt: "Created",
    to: "Recipient",
    template: "Type",
    attempts: "Attempts",
    error: "Last error",
    action: "Action",
    retry: "Send again",
    retried: "Queued for sending again.",
    notFailed: "This email is no longer failed (someone may have sent it again).",
    fireAt: "Due at",
    kind: "Reminder kind",
  },
};
