import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { EMAIL_JOB_OPTIONS, emailJobId, JOB_EMAIL_SEND, QUEUE_EMAIL, type TEmailSendPayload } from "#workers/contracts.ts";
import { env } from "./env.ts";
import { logger } from "./logger.ts";
import { producerConnection } from "./redis.ts";

declare global {
  var __greenlaneEmailQueue: { queue: Queue; connection: Redis } | undefined;
}

export function emailQueue(): Queue {
  if (!globalThis.__greenlaneEmailQueue) {
    const connection = producerConnection();
    const queue = new Queue(QUEUE_EMAIL, { connection, prefix: env().QUEUE_PREFIX, defaultJobOptions: EMAIL_JOB_OPTIONS });
    queue.on("error", (err) => logger.warn({ err: err.message }, "email queue connection error"));
    globalThis.__greenlaneEmailQueue = { queue, connection };
  }
  return globalThis.__greenlaneEmailQueue.queue;
}

/** Closes the email queue and its Redis connection (scripts and tests that published emails, so the process can exit). */
export async function closeEmailQueue(): Promise<void> {
  const current = globalThis.__greenlaneEmailQueue;
  if (!current) return;
  globalThis.__greenlaneEmailQueue = undefined;
  await current.queue.close().catch(() => {});
  // The connection was handed in, so BullMQ leaves it open.
  current.connection.disconnect();
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
