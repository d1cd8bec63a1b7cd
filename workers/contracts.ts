import { z } from "zod";

/*
 * The queue contracts shared by producers (web) and the worker. Payloads carry
 * ids only: personal data stays in PostgreSQL, never in Redis (QUALITY S15).
 */

export const QUEUE_EMAIL = "email";
export const QUEUE_MAINTENANCE = "maintenance";

export const JOB_EMAIL_SEND = "email.send";
export const ZEmailSendPayload = z.object({ emailId: z.uuid() });
export type TEmailSendPayload = z.infer<typeof ZEmailSendPayload>;
/** Derived job id: re-adding the same email while its job exists is a no-op (BullMQ ids must not contain ':'). */
export const emailJobId = (emailId: string) => `email-${emailId}`;

export const JOB_SWEEP = "maintenance.sweep";
export const SWEEP_SCHEDULER_ID = "sweep-every-30s";
export const SWEEP_EVERY_MS = 30_000;

/** Retry policy for sends: 5 attempts, exponential backoff from 5 s (5, 10, 20, 40 s). */
export const EMAIL_ATTEMPTS = 5;
export const EMAIL_BACKOFF_MS = 5_000;
/** A SENDING claim older than this is considered abandoned by a crashed worker. */
export const CLAIM_STALE_MS = 5 * 60_000;

export const EMAIL_JOB_OPTIONS = {
  attempts: EMAIL_ATTEMPTS,
  backoff: { type: "exponential", delay: EMAIL_BACKOFF_MS },
  // Completed jobs are removed at once: a kept job would turn the sweep's re-add (same job id) into a no-op
  // after a crash left the row QUEUED again. The row's state, not the job, prevents double sends.
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/*
 * Reminders (issue 4): the reminder row is the schedule; the delayed job only
 * carries its id. The relay moves outbox rows into these jobs.
 */
export const QUEUE_REMINDERS = "reminders";
export const JOB_REMINDER_FIRE = "reminder.fire";
export const ZReminderFirePayload = z.object({ reminderId: z.uuid() });
export type TReminderFirePayload = z.infer<typeof ZReminderFirePayload>;
/** Derived job id: the relay and the sweep may both add it; while the job exists that is a no-op (QUALITY R8). */
export const reminderJobId = (reminderId: string) => `reminder-${reminderId}`;

export const JOB_OUTBOX_RELAY = "outbox.relay";
/** Fast path: the outbox is relayed every 2 s (and in every sweep). */
export const RELAY_SCHEDULER_ID = "relay-every-2s";
export const RELAY_EVERY_MS = 2_000;
export const OUTBOX_TOPIC_REMINDERS_SCHEDULED = "reminders.scheduled";
/** The fireAt of these reminders changed: the relay replaces their delayed jobs. */
export const OUTBOX_TOPIC_REMINDERS_RESCHEDULED = "reminders.rescheduled";
export const ZRemindersOutboxPayload = z.object({ reminderIds: z.array(z.uuid()) });
/** A reminder job that runs more than this before its fireAt (clock skew, a moved deadline) is put back to sleep. */
export const REMINDER_EARLY_TOLERANCE_MS = 1_000;

/**
 * Completed and failed reminder jobs are removed at once, so that the sweep
 * can re-add a job for any reminder still SCHEDULED (a retained job with the
 * derived id would make that a no-op). The reminder row's state is what keeps
 * it from firing twice.
 */
export const REMINDER_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: true,
  removeOnFail: true,
} as const;
