/**
 * The worker process: sends queued email and runs the sweep that re-publishes
 * anything Redis lost. Start several for more throughput (`npm run start:worker`).
 */
import { Queue, Worker, type Job } from "bullmq";
import { envOrExit } from "#app/.server/env.ts";
import {
  EMAIL_ATTEMPTS,
  EMAIL_JOB_OPTIONS,
  JOB_SWEEP,
  QUEUE_EMAIL,
  QUEUE_MAINTENANCE,
  SWEEP_EVERY_MS,
  SWEEP_SCHEDULER_ID,
  ZEmailSendPayload,
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

// BullMQ does not close connections it is given: they are kept here to be closed on shutdown.
const emailWorkerConnection = workerConnection();
const maintenanceWorkerConnection = workerConnection();
const emailWorker = new Worker(
  QUEUE_EMAIL,
  async (job: Job) => {
    const { emailId } = ZEmailSendPayload.parse(job.data);
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? EMAIL_ATTEMPTS);
    return sendEmail(emailId, { prisma, transport, from: config.MAIL_FROM, now }, last);
  },
  { connection: emailWorkerConnection, prefix, concurrency: 8, lockDuration: 30_000 },
);

const maintenanceWorker = new Worker(
  QUEUE_MAINTENANCE,
  async (job: Job) => {
    if (job.name !== JOB_SWEEP) return null;
    const result = await sweep({ prisma, emailQueue, now });
    if (result.published || result.released) logger.info(result, "sweep");
    return result;
  },
  { connection: maintenanceWorkerConnection, prefix, concurrency: 1 },
);

for (const [name, w] of [["email", emailWorker], ["maintenance", maintenanceWorker]] as const) {
  w.on("error", (err) => logger.error({ err: err.message, worker: name }, "worker error"));
  w.on("failed", (job, err) => logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, "job failed"));
}
emailQueue.on("error", (err) => logger.error({ err: err.message }, "queue error"));

await maintenanceQueue.upsertJobScheduler(SWEEP_SCHEDULER_ID, { every: SWEEP_EVERY_MS }, { name: JOB_SWEEP });
// Once at start too: whatever piled up while no worker ran goes out now.
const initial = await sweep({ prisma, emailQueue, now });
logger.info({ ...initial }, "worker started");
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
  await Promise.allSettled([emailWorker.close(), maintenanceWorker.close()]);
  await Promise.allSettled([emailQueue.close(), maintenanceQueue.close()]);
  transport.close();
  for (const c of [checkConnection, queueConnection, emailWorkerConnection, maintenanceWorkerConnection]) c.disconnect();
  await prisma.$disconnect();
  clearTimeout(force);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
