import { randomUUID } from "node:crypto";
import { Queue, Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma, type Reminder } from "#app/.server/db.ts";
import { env } from "#app/.server/env.ts";
import { workerConnection } from "#app/.server/redis.ts";
import { reminderEmailId } from "#app/modules/reminders/ids.ts";
import { cancelReminders, rescheduleReminders, scheduleReminders, type ReminderSpec } from "#app/modules/reminders/schedule.server.ts";
import { createUser } from "#scripts/test/harness.ts";
import { CLAIM_STALE_MS, QUEUE_REMINDERS, REMINDER_JOB_OPTIONS, reminderJobId } from "./contracts.ts";
import { fireReminder, reminderProcessor, type FireReminderDeps } from "./jobs/fire-reminder.ts";
import { relayOutbox } from "./jobs/relay-outbox.ts";
import { sweepReminders } from "./jobs/sweep-reminders.ts";

/*
 * The reminder path with real PostgreSQL and Redis: rows and an outbox row in
 * one transaction, the relay, delayed BullMQ jobs, the worker's claim, the
 * notifications — and the faults of QUALITY R3, R8, R9 and a stale claim.
 * Fire times are a few hundred milliseconds ahead of the real clock.
 */
const OWNER = "deferral";
const prefix = `${env().QUEUE_PREFIX}_rem`;
const connections = [workerConnection(), workerConnection()];
let queue: Queue;
let worker: Worker;
let userId: string;
const unwanted = new Set<string>();
const now = () => new Date();

const deps = (): FireReminderDeps => ({
  prisma,
  now,
  isWanted: async (r: Reminder) => !unwanted.has(r.ownerId),
  recipients: async (r: Reminder) => ({ userIds: [userId], params: { number: "GL-TEST", subject: r.kind, due: `d:${r.fireAt.toISOString()}` }, link: "/notifications" }),
});

beforeAll(async () => {
  userId = (await createUser("WINDOW")).id;
  queue = new Queue(QUEUE_REMINDERS, { connection: connections[0]!, prefix, defaultJobOptions: REMINDER_JOB_OPTIONS });
  worker = new Worker(QUEUE_REMINDERS, reminderProcessor(deps()), { connection: connections[1]!, prefix, concurrency: 8, lockDuration: 30_000 });
  await worker.waitUntilReady();
});

afterAll(async () => {
  await worker?.close();
  await queue?.obliterate({ force: true }).catch(() => {});
  await queue?.close();
  for (const c of connections) c.disconnect();
});

async function waitFor<T>(fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 5_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

const inMs = (ms: number) => new Date(Date.now() + ms);
const spec = (kind: string, ms: number): ReminderSpec => ({ kind, audience: ["window"], fireAt: inMs(ms) });
const schedule = (ownerId: string, reminders: ReminderSpec[]) => prisma.$transaction((tx) => scheduleReminders(tx, { ownerType: OWNER, ownerId, reminders }));
const relay = () => relayOutbox({ prisma, reminderQueue: queue, now });
const notificationsFor = (kind: string) => prisma.notification.count({ where: { userId, kind: "reminder", params: { path: ["subject"], equals: kind } } });
const allSent = (ids: string[]) => async () => ((await prisma.reminder.count({ where: { id: { in: ids }, state: "SENT" } })) === ids.length ? true : undefined);
/** The job has run and been removed (removeOnComplete). */
const jobGone = (id: string) => async () => ((await queue.getJobState(reminderJobId(id))) === "unknown" ? true : undefined);

describe("reminders", () => {
  it("schedule → outbox → relay → delayed job → SENT once, with the notification and a deterministic email row", async () => {
    const ownerId = randomUUID();
    const kind = `t.${ownerId}.due-0`;
    const [id] = await schedule(ownerId, [spec(kind, 300)]);
    expect(await prisma.outbox.count({ where: { payload: { path: ["reminderIds"], array_contains: [id!] } } })).toBe(1);
    const relayed = await relay();
    expect(relayed.jobs).toBeGreaterThanOrEqual(1);
    expect(await queue.getJobState(reminderJobId(id!))).toBe("delayed");
    expect((await prisma.reminder.findUniqueOrThrow({ where: { id: id! } })).state).toBe("SCHEDULED");
    await waitFor(allSent([id!]));
    const row = await prisma.reminder.findUniqueOrThrow({ where: { id: id! } });
    expect(row.sentAt!.getTime()).toBeGreaterThanOrEqual(row.fireAt.getTime() - 1_000);
    expect(row.attempts).toBe(1);
    expect(await notificationsFor(kind)).toBe(1);
    expect(await prisma.emailMessage.count({ where: { id: reminderEmailId(id!, userId) } })).toBe(1);
    // Relayed rows are stamped and not relayed again.
    expect(await prisma.outbox.count({ where: { payload: { path: ["reminderIds"], array_contains: [id!] }, publishedAt: null } })).toBe(0);
  });

  it("the same reminder scheduled twice and relayed twice is one row, one job, one notification (R8)", async () => {
    const ownerId = randomUUID();
    const kind = `t.${ownerId}.due-1`;
    const [a] = await schedule(ownerId, [spec(kind, 300)]);
    const [b] = await schedule(ownerId, [spec(kind, 350)]);
    expect(b).toBe(a);
    expect(await prisma.reminder.count({ where: { ownerType: OWNER, ownerId } })).toBe(1);
    await relay();
    await queue.add("reminder.fire", { reminderId: a }, { jobId: reminderJobId(a!), delay: 300 });
    await relay();
    await waitFor(allSent([a!]));
    await waitFor(jobGone(a!));
    expect(await notificationsFor(kind)).toBe(1);
    expect((await prisma.reminder.findUniqueOrThrow({ where: { id: a! } })).attempts).toBe(1);
  });

  it("a reminder cancelled before it fires sends nothing (R9)", async () => {
    const ownerId = randomUUID();
    const kind = `t.${ownerId}.due-2`;
    const [id] = await schedule(ownerId, [spec(kind, 250)]);
    await relay();
    expect(await prisma.$transaction((tx) => cancelReminders(tx, OWNER, ownerId))).toBe(1);
    await waitFor(jobGone(id!));
    expect((await prisma.reminder.findUniqueOrThrow({ where: { id: id! } })).state).toBe("CANCELLED");
    expect(await notificationsFor(kind)).toBe(0);
  });

  it("a moved deadline: the reminder fires at its new time, not the old one (R9)", async () => {
    const ownerId = randomUUID();
    const kind = `t.${ownerId}.due-0`;
    const [id] = await schedule(ownerId, [spec(kind, 150)]);
    await relay();
    const later = inMs(700);
    await prisma.$transaction((tx) => rescheduleReminders(tx, { ownerType: OWNER, ownerId, reminders: [{ kind, audience: ["window"], fireAt: later }] }));
    await relay();
    await waitFor(allSent([id!]));
    const row = await prisma.reminder.findUniqueOrThrow({ where: { id: id! } });
    expect(row.fireAt.getTime()).toBe(later.getTime());
    expect(row.sentAt!.getTime()).toBeGreaterThanOrEqual(later.getTime() - 1_000);
    expect(await notificationsFor(kind)).toBe(1);
  });

  it("Redis loses the jobs: the sweep re-enqueues them and each fires once (R3)", async () => {
    await worker.pause();
    const ownerId = randomUUID();
    const kinds = [0, 1, 2].map((i) => `t.${ownerId}.flush-${i}`);
    const ids = await schedule(ownerId, kinds.map((k) => spec(k, 200)));
    await relay();
    await queue.obliterate({ force: true });
    expect(await queue.getJobState(reminderJobId(ids[0]!))).toBe("unknown");
    const first = await sweepReminders({ prisma, reminderQueue: queue, now });
    expect(first.enqueued).toBeGreaterThanOrEqual(3);
    await sweepReminders({ prisma, reminderQueue: queue, now });
    worker.resume();
    await waitFor(allSent(ids));
    for (const id of ids) await waitFor(jobGone(id));
    for (const k of kinds) expect(await notificationsFor(k)).toBe(1);
    expect((await prisma.reminder.findMany({ where: { id: { in: ids } } })).every((r) => r.attempts === 1)).toBe(true);
  });

  it("a stale SENDING claim is taken over once; a fresh one is left alone; the sweep releases stale claims", async () => {
    const ownerId = randomUUID();
    const kind = `t.${ownerId}.stale`;
    const staleAt = new Date(Date.now() - CLAIM_STALE_MS - 60_000);
    const stale = await prisma.reminder.create({ data: { ownerType: OWNER, ownerId, kind, audience: "window", fireAt: inMs(-60_000), state: "SENDING", claimedAt: staleAt, attempts: 1 } });
    const fresh = await prisma.reminder.create({ data: { ownerType: OWNER, ownerId, kind: `${kind}-fresh`, audience: "window", fireAt: inMs(-60_000), state: "SENDING", claimedAt: new Date(), attempts: 1 } });
    const outcomes = await Promise.all([fireReminder(stale.id, deps()), fireReminder(stale.id, deps()), fireReminder(fresh.id, deps())]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["sent", "skipped", "skipped"]);
    expect(await notificationsFor(kind)).toBe(1);
    expect(await notificationsFor(`${kind}-fresh`)).toBe(0);
    const row = await prisma.reminder.findUniqueOrThrow({ where: { id: stale.id } });
    expect(row.state).toBe("SENT");
    expect(row.attempts).toBe(2);
    // Later the fresh claim is stale too: the sweep puts it back on the schedule, and it fires once.
    await prisma.reminder.update({ where: { id: fresh.id }, data: { claimedAt: staleAt } });
    const swept = await sweepReminders({ prisma, reminderQueue: queue, now });
    expect(swept.released).toBeGreaterThanOrEqual(1);
    await waitFor(allSent([fresh.id]));
    expect(await notificationsFor(`${kind}-fresh`)).toBe(1);
  });

  it("a reminder no longer wanted ends CANCELLED without a notification", async () => {
    const ownerId = randomUUID();
    const kind = `t.${ownerId}.unwanted`;
    unwanted.add(ownerId);
    const [id] = await schedule(ownerId, [spec(kind, -1_000)]);
    expect(await fireReminder(id!, deps())).toEqual({ outcome: "cancelled" });
    expect(await fireReminder(id!, deps())).toEqual({ outcome: "skipped" });
    expect((await prisma.reminder.findUniqueOrThrow({ where: { id: id! } })).state).toBe("CANCELLED");
    expect(await notificationsFor(kind)).toBe(0);
  });

  it("a job that runs before its reminder's time does nothing yet", async () => {
    const ownerId = randomUUID();
    const [id] = await schedule(ownerId, [spec(`t.${ownerId}.early`, 60_000)]);
    const outcome = await fireReminder(id!, deps());
    expect(outcome.outcome).toBe("early");
    expect((await prisma.reminder.findUniqueOrThrow({ where: { id: id! } })).state).toBe("SCHEDULED");
    await prisma.$transaction((tx) => cancelReminders(tx, OWNER, ownerId));
  });
});
