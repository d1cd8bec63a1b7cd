import { Queue } from "bullmq";
import { EMAIL_JOB_OPTIONS, emailJobId, JOB_EMAIL_SEND, QUEUE_EMAIL, type TEmailSendPayload } from "#workers/contracts.ts";
import { env } from "./env.ts";
import { logger } from "./logger.ts";
import { producerConnection } from "./redis.ts";

declare global {
  var __greenlaneEmailQueue: Queue | undefined;
}

export function emailQueue(): Queue {
  if (!globalThis.__greenlaneEmailQueue) {
    const queue = new Queue(QUEUE_EMAIL, {
      connection: producerConnection(),
      prefix: env().QUEUE_PREFIX,
      defaultJobOptions: EMAIL_JOB_OPTIONS,
    });
    queue.on("error", (err) => logger.warn({ err: err.message }, "email queue connection error"));
    globalThis.__greenlaneEmailQueue = queue;
  }
  return globalThis.__greenlaneEmailQueue;
}

/**
 * Best-effort fast path after a commit: hand the emails to BullMQ now. If Redis
 * is down this logs and returns; the worker's sweep publishes the rows later,
 * because the email_message row, not the job, is the source of truth.
 */
export async function publishEmails(emailIds: string[]): Promise<void> {
  if (emailIds.length === 0) return;
  try {
    await emailQueue().addBulk(
      emailIds.map((emailId) => ({
        name: JOB_EMAIL_SEND,
        data: { emailId } satisfies TEmailSendPayload,
        opts: { jobId: emailJobId(emailId) },
      })),
    );
  } catch (error) {
    logger.warn({ err: (error as Error).message, count: emailIds.length }, "emails left for the sweep: queue unavailable");
  }
}
