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
const { clockOffsetMs, now } = await import("#app/.server/clock.ts");
const { advanceDeferrals } = await import("#app/modules/deferral/advance-deferrals.server.ts");
const { refreshClocksIfAsked } = await import("#app/modules/clock/clock.server.ts");
const { reminderOwners } = await import("./reminder-owners.ts");

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
    return sendEmail(emailId, { prisma, transport, from: config.MAIL_FROM, now }, last, { takeOver: job.stalledCounter > 0 });
  },
  { connection: emailWorkerConnection, prefix, concurrency: 8, lockDuration: config.WORKER_LOCK_MS, stalledInterval: config.WORKER_STALLED_MS },
);

// Reminders of every owner (deferrals, stage clocks, supplement deadlines, renewals): each owner says whether it is still wanted and to whom.
const reminderWorker = new Worker(
  QUEUE_REMINDERS,
  reminderProcessor({ prisma, now, publishEmails, ...reminderOwners(now) }),
  { connection: reminderWorkerConnection, prefix, concurrency: 8, lockDuration: config.WORKER_LOCK_MS, stalledInterval: config.WORKER_STALLED_MS },
);

/** Deferrals past their due date or grace period move on (OVERDUE, BREACHED); their notices go out at once. */
async function advance() {
  const result = await advanceDeferrals({ prisma, now });
  await publishEmails(result.emailIds);
  return { overdue: result.overdue, breached: result.breached };
}

const maintenanceWorker = new Worker(
  QUEUE_MAINTENANCE,
  async (job: Job) => {
    if (job.name === JOB_OUTBOX_RELAY) return relayOutbox({ prisma, reminderQueue, now });
    if (job.name !== JOB_SWEEP) return null;
    const result = await sweep({ prisma, emailQueue, now });
    if (result.published || result.released) logger.info(result, "sweep");
    const reminders = await sweepReminders({ prisma, reminderQueue, now });
    if (reminders.released || reminders.relayed) logger.info(reminders, "reminder sweep");
    const deferrals = await advance();
    if (deferrals.overdue || deferrals.breached) logger.info(deferrals, "deferrals advanced");
    // The stage limits or the holiday calendar changed: recompute the running clocks (电子监察).
    const clocks = await refreshClocksIfAsked(prisma, now);
    if (clocks !== null) logger.info({ clocks }, "stage clocks recomputed");
    return { ...result, reminders, deferrals, clocks };
  },
  { connection: maintenanceWorkerConnection, prefix, concurrency: 1, lockDuration: config.WORKER_LOCK_MS, stalledInterval: config.WORKER_STALLED_MS },
);

for (const [name, w] of [["email", emailWorker], ["reminders", reminderWorker], ["maintenance", maintenanceWorker]] as const) {
  w.on("error", (err) => logger.error({ err: err.message, worker: name }, "worker error"));
  w.on("failed", (job, err) => logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, "job failed"));
}
emailQueue.on("error", (err) => logger.error({ err: err.message }, "queue error"));
reminderQueue.on("error", (err) => logger.error({ err: err.message }, "queue error"));

async function upsertSchedulers() {
  await maintenanceQueue.upsertJobScheduler(SWEEP_SCHEDULER_ID, { every: SWEEP_EVERY_MS }, { name: JOB_SWEEP });
  // Fast path for the outbox: new reminders reach Redis within ~2 s. Its runs are not kept in Redis.
  await maintenanceQueue.upsertJobScheduler(
    RELAY_SCHEDULER_ID,
    { every: RELAY_EVERY_MS },
    { name: JOB_OUTBOX_RELAY, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
  );
}
await upsertSchedulers();
// The schedulers live in Redis: a FLUSHALL (or a lost Redis) takes them along, and then nothing would sweep or
// relay again until a restart. Checked every 2 s and put back (their first run is immediate: the sweep
// re-enqueues everything from the database, QUALITY R3).
let checkingSchedulers = false;
const schedulerCheck = setInterval(() => {
  if (checkingSchedulers) return; // Redis down: the last check is still waiting
  checkingSchedulers = true;
  void (async () => {
    const [sweepScheduler, relayScheduler] = await Promise.all([maintenanceQueue.getJobScheduler(SWEEP_SCHEDULER_ID), maintenanceQueue.getJobScheduler(RELAY_SCHEDULER_ID)]);
    if (sweepScheduler && relayScheduler) return;
    logger.warn("job schedulers missing from Redis (flushed?): restoring them");
    await upsertSchedulers();
  })()
    .catch((error: unknown) => logger.error({ err: (error as Error).message }, "scheduler check failed"))
    .finally(() => (checkingSchedulers = false));
}, RELAY_EVERY_MS);
// Once at start too: whatever piled up while no worker ran goes out now.
const initial = await sweep({ prisma, emailQueue, now });
const initialReminders = await sweepReminders({ prisma, reminderQueue, now });
const initialDeferrals = await advance();
logger.info({ ...initial, reminders: initialReminders, deferrals: initialDeferrals }, "worker started");

// Tests and demos move the domain clock (CLOCK_FILE): sweep at once, so what became due fires now.
// The offset is read here, before "ready" is announced, and polled: a change made right after "ready" is seen
// (fs.watchFile takes its baseline asynchronously and could miss such a change).
let clockTimer: NodeJS.Timeout | undefined;
if (config.CLOCK_FILE) {
  logger.warn({ file: config.CLOCK_FILE }, "adjustable clock in use: for tests and demonstrations only");
  let sweeping = Promise.resolve();
  let offset = clockOffsetMs();
  clockTimer = setInterval(() => {
    const next = clockOffsetMs();
    if (next === offset) return;
    offset = next;
    sweeping = sweeping
      .then(async () => {
        const reminders = await sweepReminders({ prisma, reminderQueue, now });
        const deferrals = await advance();
        logger.info({ now: now().toISOString(), reminders, deferrals }, "clock moved: swept");
      })
      .catch((error: unknown) => logger.error({ err: (error as Error).message }, "sweep after clock change failed"));
  }, 200);
}
process.send?.({ type: "ready", service: "worker" });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping");
  clearInterval(schedulerCheck);
  clearInterval(clockTimer);
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
