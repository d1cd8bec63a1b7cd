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
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;
