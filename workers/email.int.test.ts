import { Queue, QueueEvents, Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "#app/.server/env.ts";
import { workerConnection } from "#app/.server/redis.ts";
import { startDevMailbox, type DevMailboxMessage } from "#scripts/infra/mailbox.ts";
import { ownDatabase } from "#scripts/test/own-database.ts";
import { EMAIL_JOB_OPTIONS, emailJobId, JOB_EMAIL_SEND, QUEUE_EMAIL } from "./contracts.ts";
import { createMailTransport } from "./mailer.ts";

// The sweep publishes every queued email in the database: this file works in a database of its own.
const database = await ownDatabase("email");
const { prisma } = await import("#app/.server/db.ts");
const { queueEmail } = await import("#app/.server/email.ts");
const { sendEmail } = await import("./jobs/send-email.ts");
const { sweep } = await import("./jobs/sweep.ts");
const { uniqueEmail } = await import("#scripts/test/harness.ts");

/*
 * The email path end to end with real services: a row written in a
 * transaction, a BullMQ job, the worker's claim, real SMTP into a local
 * mailbox. And the sweep: after the queue is wiped, nothing is lost or doubled.
 */
const received: DevMailboxMessage[] = [];
let mailbox: Awaited<ReturnType<typeof startDevMailbox>>;
let queue: Queue;
let worker: Worker;
let events: QueueEvents;
const connections = [workerConnection(), workerConnection(), workerConnection()];
const prefix = `${env().QUEUE_PREFIX}_mail`;

beforeAll(async () => {
  mailbox = await startDevMailbox({ log: () => {}, onMessage: async (m) => void received.push(m) });
  const transport = createMailTransport(mailbox.url);
  queue = new Queue(QUEUE_EMAIL, { connection: connections[0]!, prefix, defaultJobOptions: EMAIL_JOB_OPTIONS });
  events = new QueueEvents(QUEUE_EMAIL, { connection: connections[1]!, prefix });
  worker = new Worker(
    QUEUE_EMAIL,
    async (job) => sendEmail(job.data.emailId as string, { prisma, transport, from: "绿通 <no-reply@greenlane.local>", now: () => new Date() }, false),
    { connection: connections[2]!, prefix },
  );
  await events.waitUntilReady();
});

afterAll(async () => {
  await worker?.close();
  await events?.close();
  await queue?.obliterate({ force: true }).catch(() => {});
  await queue?.close();
  for (const c of connections) c.disconnect();
  await mailbox?.stop();
  await prisma.$disconnect();
  await database.drop();
});

async function waitFor<T>(fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("email delivery", () => {
  it("sends a queued email once, in the recipient's language, with its row's Message-ID, and forgets the link", async () => {
    const to = uniqueEmail("mail");
    const id = await prisma.$transaction((tx) =>
      queueEmail(tx, { to, template: "verify-email", locale: "en", props: { name: "Zhang San", url: "http://localhost:3000/verify-email?token=abc" } }),
    );
    await queue.add(JOB_EMAIL_SEND, { emailId: id }, { jobId: emailJobId(id) });
    // The same job published twice (fast path and sweep) is one job.
    await queue.add(JOB_EMAIL_SEND, { emailId: id }, { jobId: emailJobId(id) });
    const row = await waitFor(async () => {
      const r = await prisma.emailMessage.findUniqueOrThrow({ where: { id } });
      return r.state === "SENT" ? r : undefined;
    });
    const mails = received.filter((m) => m.to.includes(to));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("[Greenlane] Please verify your email");
    expect(mails[0]!.messageId).toBe(row.messageId);
    expect(mails[0]!.text).toContain("http://localhost:3000/verify-email?token=abc");
    expect(row.props).toBeNull();
    expect(row.attempts).toBe(1);
  });

  it("a claimed email is not sent again by a second run of its job", async () => {
    const to = uniqueEmail("twice");
    const id = await prisma.$transaction((tx) => queueEmail(tx, { to, template: "reset-password", locale: "zh-CN", props: { name: "张三", url: "http://x/y" } }));
    const transport = createMailTransport(mailbox.url);
    const deps = { prisma, transport, from: "a@b.c", now: () => new Date() };
    const [a, b] = await Promise.all([sendEmail(id, deps, false), sendEmail(id, deps, false)]);
    expect([a, b].sort()).toEqual(["sent", "skipped"]);
    await waitFor(() => received.some((m) => m.to.includes(to)) || undefined);
    expect(received.filter((m) => m.to.includes(to))).toHaveLength(1);
    expect(received.find((m) => m.to.includes(to))!.subject).toBe("【绿通】重置密码");
  });

  it("the sweep re-publishes emails Redis lost, once each", async () => {
    await worker.pause();
    const to = uniqueEmail("sweep");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await prisma.$transaction((tx) => queueEmail(tx, { to, template: "invite", locale: "zh-CN", props: { name: "李四", inviter: "张三", role: "ADVISOR", url: "http://x/i" } })));
    }
    await queue.addBulk(ids.map((id) => ({ name: JOB_EMAIL_SEND, data: { emailId: id }, opts: { jobId: emailJobId(id) } })));
    // Redis loses everything (FLUSHALL of this queue).
    await queue.obliterate({ force: true });
    // Rows older than the fast-path grace are the sweep's: run it with a clock 1 minute ahead, twice.
    const later = () => new Date(Date.now() + 60_000);
    const first = await sweep({ prisma, emailQueue: queue, now: later });
    expect(first.published).toBeGreaterThanOrEqual(3);
    await sweep({ prisma, emailQueue: queue, now: () => new Date(Date.now() + 120_000) });
    worker.resume();
    await waitFor(async () => ((await prisma.emailMessage.count({ where: { id: { in: ids }, state: "SENT" } })) === 3 ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(received.filter((m) => m.to.includes(to))).toHaveLength(3);
    expect((await prisma.emailMessage.findMany({ where: { id: { in: ids } } })).every((r) => r.attempts === 1)).toBe(true);
  });

  it("releases a claim abandoned by a crashed worker", async () => {
    const id = await prisma.$transaction((tx) => queueEmail(tx, { to: uniqueEmail("stale"), template: "invite", locale: "zh-CN", props: { name: "a", inviter: "b", role: "WINDOW", url: "http://x" } }));
    await prisma.emailMessage.update({ where: { id }, data: { state: "SENDING", claimedAt: new Date(Date.now() - 10 * 60_000) } });
    await worker.pause();
    const result = await sweep({ prisma, emailQueue: queue, now: () => new Date() });
    expect(result.released).toBeGreaterThanOrEqual(1);
    expect((await prisma.emailMessage.findUniqueOrThrow({ where: { id } })).state).toBe("QUEUED");
    worker.resume();
  });
});
