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

/** How long a web request waits for Redis before leaving its emails to the worker's sweep. */
export const PUBLISH_TIMEOUT_MS = 1_500;

/**
 * Best-effort fast path after a commit: hand the emails to BullMQ now. If Redis
 * is down (BullMQ would wait for the connection indefinitely) this gives up
 * after PUBLISH_TIMEOUT_MS, logs and returns; the worker's sweep publishes the
 * rows later, because the email_message row, not the job, is the source of
 * truth (QUALITY R4: the request answers at normal speed).
 */
export async function publishEmails(emailIds: string[]): Promise<void> {
  if (emailIds.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  try {
    const adding = emailQueue().addBulk(
      emailIds.map((emailId) => ({
        name: JOB_EMAIL_SEND,
        data: { emailId } satisfies TEmailSendPayload,
        opts: { jobId: emailJobId(emailId) },
      })),
    );
    // A late success after the timeout is harmless: the job id is derived from the row.
    adding.catch(() => {});
    await Promise.race([
      adding,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis did not answer within ${PUBLISH_TIMEOUT_MS} ms`)), PUBLISH_TIMEOUT_MS);
        timer.unref();
      }),
    ]);
  } catch (error) {
    logger.warn({ err: (error as Error).message, count: emailIds.length }, "emails left for the sweep: queue unavailable");
  } finally {
    clearTimeout(timer);
  }
}
