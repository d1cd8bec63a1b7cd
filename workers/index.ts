/**
 * The worker process: sends queued email, fires reminders, relays the outbox
 * and runs the sweep that re-publishes anything Redis lost. Start several for
 * more throughput (`npm run start:worker`).
 */
import { Queue, Worker, type Job } from "bullmq";
import { envOrExit } from "#app/.server/env.ts";
import {
  EMAIL_ATTEMPTS,
  EMAIL_JOB_OPTIONS,
  emailJobId,
  JOB_EMAIL_SEND,
  JOB_OUTBOX_RELAY,
  JOB_SWEEP,
  QUEUE_EMAIL,
  QUEUE_MAINTENANCE,
  QUEUE_REMINDERS,
  RELAY_EVERY_MS,
  RELAY_SCHEDULER_ID,
  REMINDER_JOB_OPTIONS,
  SWEEP_EVERY_MS,
  SWEEP_SCHEDULER_ID,
  ZEmailSendPayload,
  type TEmailSendPayload,
} from "./contracts.ts";

process.env.GREENLANE_SERVICE ??= "worker";

const config = envOrExit();

const { logger } = await import("#app/.server/logger.ts");
const { prisma } = await import("#app/.server/db.ts");
const { workerConnection } = await import("#app/.server/redis.ts");
const { createMailTransport } = await import("./mailer.ts");
const { redisPolicyProblem } = await import("./redis-check.ts");
const { sendEmail } = await import("./jobs/send-email.ts");
const { sweep } = await import("./jobs/sweep.ts");
const { reminderProcessor } = await import("./jobs/fire-reminder.ts");
const { relayOutbox } = await import("./jobs/relay-outbox.ts");
const { sweepReminders } = await import("./jobs/sweep-reminders.ts");

const now = () => new Date();
const prefix = config.QUEUE_PREFIX;

const checkConnection = workerConnection();
const problem = await redisPolicyProblem(checkConnection);
if (problem) {
  logger.fatal({ problem }, "worker refuses to start");
  console.error(`Worker refuses to start: ${problem}`);
  checkConnection.disconnect();
  process.exit(1);
}

const transport = createMailTransport(config.SMTP_URL);
const queueConnection = workerConnection();
const emailQueue = new Queue(QUEUE_EMAIL, { connection: queueConnection, prefix, defaultJobOptions: EMAIL_JOB_OPTIONS });
const maintenanceQueue = new Queue(QUEUE_MAINTENANCE, { connection: queueConnection, prefix });
const reminderQueue = new Queue(QUEUE_REMINDERS, { connection: queueConnection, prefix, defaultJobOptions: REMINDER_JOB_OPTIONS });

/** A fired reminder's emails go to the email queue at once; if that fails the email sweep publishes them. */
async function publishEmails(emailIds: string[]) {
  if (emailIds.length === 0) return;
  try {
    await emailQueue.addBulk(emailIds.map((emailId) => ({ name: JOB_EMAIL_SEND, data: { emailId } satisfies TEmailSendPayload, opts: { jobId: emailJobId(emailId) } })));
  } catch (error) {
    logger.warn({ err: (error as Error).message, count: emailIds.length }, "reminder emails left for the sweep");
  }
}

// BullMQ does not close connections it is given: they are kept here to be closed on shutdown.
const emailWorkerConnection = workerConnection();
const maintenanceWorkerConnection = workerConnection();
const reminderWorkerConnection = workerConnection();
const emailWorker = new Worker(
  QUEUE_EMAIL,
  async (job: Job) => {
    const { emailId } = ZEmailSendPayload.parse(job.data);
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? EMAIL_ATTEMPTS);
    return sendEmail(emailId, { prisma, transport, from: config.MAIL_FROM, now }, last);
  },
  { connection: emailWorkerConnection, prefix, concurrency: 8, lockDuration: 30_000 },
);

// The deferral issue plugs in isWanted ("deferral still pending") and recipients (company / advisor lookups).
const reminderWorker = new Worker(QUEUE_REMINDERS, reminderProcessor({ prisma, now, publishEmails }), {
  connection: reminderWorkerConnection,
  prefix,
  concurrency: 8,
  lockDuration: 30_000,
});

const maintenanceWorker = new Worker(
  QUEUE_MAINTENANCE,
  async (job: Job) => {
    if (job.name === JOB_OUTBOX_RELAY) return relayOutbox({ prisma, reminderQueue, now });
    if (job.name !== JOB_SWEEP) return null;
    const result = await sweep({ prisma, emailQueue, now });
    if (result.published || result.released) logger.info(result, "sweep");
    const reminders = await sweepReminders({ prisma, reminderQueue, now });
    if (reminders.released || reminders.relayed) logger.info(reminders, "reminder sweep");
    return { ...result, reminders };
  },
  { connection: maintenanceWorkerConnection, prefix, concurrency: 1 },
);

for (const [name, w] of [["email", emailWorker], ["reminders", reminderWorker], ["maintenance", maintenanceWorker]] as const) {
  w.on("error", (err) => logger.error({ err: err.message, worker: name }, "worker error"));
  w.on("failed", (job, err) => logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, "job failed"));
}
emailQueue.on("error", (err) => logger.error({ err: err.message }, "queue error"));
reminderQueue.on("error", (err) => logger.error({ err: err.message }, "queue error"));

await maintenanceQueue.upsertJobScheduler(SWEEP_SCHEDULER_ID, { every: SWEEP_EVERY_MS }, { name: JOB_SWEEP });
// Fast path for the outbox: new reminders reach Redis within ~2 s. Its runs are not kept in Redis.
await maintenanceQueue.upsertJobScheduler(
  RELAY_SCHEDULER_ID,
  { every: RELAY_EVERY_MS },
  { name: JOB_OUTBOX_RELAY, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
);
// Once at start too: whatever piled up while no worker ran goes out now.
const initial = await sweep({ prisma, emailQueue, now });
const initialReminders = await sweepReminders({ prisma, reminderQueue, now });
logger.info({ ...initial, reminders: initialReminders }, "worker started");
process.send?.({ type: "ready", service: "worker" });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping");
  // In-flight jobs finish within the grace period; after it, their locks lapse and another worker takes them (QUALITY R7).
  const force = setTimeout(() => {
    logger.warn("worker grace period over; exiting with jobs in flight");
    process.exit(1);
  }, 20_000).unref();
  await Promise.allSettled([emailWorker.close(), reminderWorker.close(), maintenanceWorker.close()]);
  await Promise.allSettled([emailQueue.close(), reminderQueue.close(), maintenanceQueue.close()]);
  transport.close();
  for (const c of [checkConnection, queueConnection, emailWorkerConnection, reminderWorkerConnection, maintenanceWorkerConnection]) c.disconnect();
  await prisma.$disconnect();
  clearTimeout(force);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
