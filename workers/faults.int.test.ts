import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { setClock } from "#app/.server/clock.ts";
import type { Reminder } from "#app/.server/db.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { addWorkingDays, shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { deadlineOf, deferralReminderSpecs } from "#app/modules/deferral/deferral-rules.ts";
import { reminderEmailId } from "#app/modules/reminders/ids.ts";
import { formatDateTime } from "#app/utils/format.ts";
import { findFreePort } from "#scripts/infra/postgres.ts";
import { ownDatabase } from "#scripts/test/own-database.ts";
import { JOB_REMINDER_FIRE, QUEUE_EMAIL, QUEUE_MAINTENANCE, QUEUE_REMINDERS, reminderJobId, RELAY_SCHEDULER_ID, SWEEP_SCHEDULER_ID } from "./contracts.ts";

/*
 * The reminder engine under faults (QUALITY R1–R4, R6–R11), through the full
 * path with real services and no mocks of our code: a dossier with item 3.4
 * deferred is submitted and accepted through the domain functions, the real
 * worker runs as a child process (`node --import tsx workers/index.ts`) and
 * sends through real SMTP to a local smtp-server that keeps every raw message.
 * Time moves with the clock file (the worker sweeps when it changes), never
 * with sleeps; waits are bounded polls of the database and the mailbox.
 *
 * The worker's sweeps cover the whole database and its clock runs days ahead,
 * so this file works in a database of its own: with the run's shared one it
 * would fire, advance and mail other test files' rows. Each case has its own
 * QUEUE_PREFIX, clock file, SMTP server and worker processes.
 */

const root = path.resolve(import.meta.dirname, "..");
const LOCK_MS = 2_000;
const STALLED_MS = 1_000;
const COMMITMENT = { confirmed: true, ip: "127.0.0.1", userAgent: "test" };
const NOT_UNDER_TEST = "fixture email (submission/acceptance notice): not under test here";

// ---- A database of this file's own (before any module reads DATABASE_URL) ----
const database = await ownDatabase("faults");
const databaseUrl = new URL(database.url);
const dbName = database.name;
const filePrefix = `${process.env.QUEUE_PREFIX}_faults`;
process.env.QUEUE_PREFIX = filePrefix;

const { prisma } = await import("#app/.server/db.ts");
const { createUser } = await import("#scripts/test/harness.ts");
const { dossierVersion, pdfFile, readyDossier } = await import("#scripts/test/dossier-fixtures.ts");
const { loadHolidayCalendar } = await import("#app/modules/calendar/calendar.server.ts");
const { requestDeferral } = await import("#app/modules/deferral/request-deferral.server.ts");
const { submitDossier } = await import("#app/modules/dossier/submit-dossier.server.ts");
const { acceptDossier } = await import("#app/modules/deferral/accept-dossier.server.ts");
const { extendDeferral } = await import("#app/modules/deferral/deferral-lifecycle.server.ts");
const { advanceDeferrals } = await import("#app/modules/deferral/advance-deferrals.server.ts");
const { addDocumentVersion } = await import("#app/modules/dossier/add-document.server.ts");
const { scheduleReminders } = await import("#app/modules/reminders/schedule.server.ts");

const redisUrl = process.env.REDIS_URL!;
const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });

// ---- Polling ----
type Falsy = undefined | null | false | 0 | "";
async function until<T>(what: string, fn: () => Promise<T | Falsy> | T | Falsy, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${current ? `\n${diagnostics(current)}` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---- A local SMTP server that keeps every raw message and can misbehave on cue ----
interface Received {
  messageId: string;
  to: string[];
  raw: string;
  at: number;
}
type Verdict = "accept" | { code: number; message: string };
const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

class Sink {
  /** Messages the server accepted (raw, with their Message-ID header). */
  received: Received[] = [];
  /** DATA transfers seen per Message-ID, accepted or not. */
  attempts = new Map<string, number>();
  /** Hooks per case: throw to refuse, never resolve to hang. */
  onConnect?: () => Promise<void>;
  onRcpt?: (address: string) => Promise<void>;
  onMessage?: (m: Received, attempt: number) => Promise<Verdict>;
  /** What happened, for the diagnostics of a failed case. */
  log: string[] = [];
  private releaseHeld: (() => void)[] = [];
  readonly server: SMTPServer;

  constructor() {
    const run = (p: Promise<void> | undefined, callback: (err?: Error | null) => void) =>
      (p ?? Promise.resolve()).then(
        () => callback(),
        (e: Error) => {
          this.log.push(`${Date.now()} refused: ${e.message}`);
          callback(e);
        },
      );
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      closeTimeout: 500,
      onConnect: (_session, callback) => run(this.onConnect?.(), callback),
      onRcptTo: (address, _session, callback) => {
        this.log.push(`${Date.now()} RCPT ${address.address}`);
        run(this.onRcpt?.(address.address), callback);
      },
      onData: (stream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          const headers = raw.slice(0, Math.max(0, raw.indexOf("\r\n\r\n")));
          const m: Received = {
            messageId: /^message-id:\s*(\S+)/im.exec(headers)?.[1] ?? "",
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            at: Date.now(),
          };
          const attempt = (this.attempts.get(m.messageId) ?? 0) + 1;
          this.attempts.set(m.messageId, attempt);
          this.log.push(`${m.at} DATA ${m.messageId} to ${m.to.join(",")} attempt ${attempt}`);
          (this.onMessage?.(m, attempt) ?? Promise.resolve<Verdict>("accept")).then(
            (verdict) => {
              if (verdict !== "accept") {
                this.log.push(`${Date.now()} DATA ${m.messageId} answered ${verdict.code}`);
                return callback(smtpError(verdict.code, verdict.message));
              }
              this.received.push(m);
              callback();
            },
            (e: Error) => callback(e),
          );
        });
      },
    });
    // A worker killed mid-conversation resets its sockets.
    this.server.on("error", () => {});
  }

  async listen() {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  get port() {
    return (this.server.server.address() as AddressInfo).port;
  }

  /** A promise that stays pending until the server closes (a hanging server). */
  hang(): Promise<void> {
    return new Promise((_, reject) => this.releaseHeld.push(() => reject(smtpError(421, "closing"))));
  }

  copies(messageId: string) {
    return this.received.filter((m) => m.messageId === messageId).length;
  }

  async close() {
    for (const release of this.releaseHeld.splice(0)) release();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// ---- Worker processes ----
interface WorkerProc {
  child: ChildProcess;
  out: string[];
  err: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
const live = new Set<ChildProcess>();

interface Case {
  name: string;
  prefix: string;
  dir: string;
  clockFile: string;
  sink: Sink;
  workers: WorkerProc[];
  queues: Queue[];
}
let current: Case | undefined;

function childEnv(c: Case, extra: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "NODE_OPTIONS"));
  return {
    ...base,
    DATABASE_URL: databaseUrl.href,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: c.prefix,
    SMTP_URL: `smtp://127.0.0.1:${c.sink.port}`,
    SESSION_SECRET: process.env.SESSION_SECRET!,
    APP_URL: process.env.APP_URL ?? "http://localhost:3000",
    CLOCK_FILE: c.clockFile,
    WORKER_LOCK_MS: String(LOCK_MS),
    WORKER_STALLED_MS: String(STALLED_MS),
    // FAULTS_LOG_LEVEL=info shows the worker's sweeps (and "clock moved: swept") in a failed case's diagnostics.
    LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? "warn",
    NODE_ENV: "production",
    GREENLANE_SERVICE: "worker",
    ...extra,
  };
}

function spawnNode(c: Case, args: string[], extraEnv: Record<string, string> = {}): WorkerProc {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: root, env: childEnv(c, extraEnv), stdio: ["ignore", "pipe", "pipe", "ipc"] });
  live.add(child);
  const out: string[] = [];
  const err: string[] = [];
  child.stdout!.on("data", (b: Buffer) => out.push(b.toString("utf8")));
  child.stderr!.on("data", (b: Buffer) => err.push(b.toString("utf8")));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    }),
  );
  const proc = { child, out, err, exit };
  c.workers.push(proc);
  return proc;
}

/** The real worker (what `npm run start:worker` runs, without the tsx wrapper process, so a signal reaches the worker itself). */
async function startWorker(c: Case, extraEnv: Record<string, string> = {}): Promise<WorkerProc> {
  const w = spawnNode(c, ["workers/index.ts"], extraEnv);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new Promise<void>((resolve) => w.child.on("message", (m: { type?: string }) => m.type === "ready" && resolve())),
      w.exit.then(({ code, signal }) => Promise.reject(new Error(`worker exited before it was ready (${code ?? signal}):\n${w.err.join("")}${w.out.join("")}`))),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`worker not ready within 30 s:\n${w.err.join("")}`)), 30_000))),
    ]);
  } finally {
    clearTimeout(timer);
  }
  return w;
}

async function kill(w: WorkerProc, signal: NodeJS.Signals = "SIGKILL") {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill(signal);
  return w.exit;
}

function diagnostics(c: Case) {
  return `--- SMTP server:\n${c.sink.log.slice(-40).join("\n")}\n` + c.workers.map((w, i) => `--- worker ${i} (pid ${w.child.pid}) stderr/stdout:\n${w.err.join("").slice(-3000)}${w.out.join("").slice(-3000)}`).join("\n");
}

async function deleteKeys(pattern: string) {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
}

async function newCase(name: string): Promise<Case> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `greenlane-${name}-`));
  const clockFile = path.join(dir, "clock.json");
  setClock(clockFile, new Date());
  current = { name, prefix: `${filePrefix}_${name}_${randomBytes(3).toString("hex")}`, dir, clockFile, sink: await new Sink().listen(), workers: [], queues: [] };
  return current;
}

function queueOf(c: Case, name: string) {
  const q = new Queue(name, { connection: redis, prefix: c.prefix });
  c.queues.push(q);
  return q;
}

/** Leaves nothing running for the next case: its reminders, deferrals and emails stop here. */
async function quiesce() {
  await prisma.reminder.updateMany({ where: { state: { in: ["SCHEDULED", "SENDING"] } }, data: { state: "CANCELLED", claimedAt: null } });
  await prisma.deferral.updateMany({ where: { state: { in: ["REQUESTED", "PENDING", "EXTENDED", "OVERDUE"] } }, data: { state: "CANCELLED" } });
  await prisma.emailMessage.updateMany({ where: { state: { in: ["QUEUED", "SENDING"] } }, data: { state: "FAILED", claimedAt: null, lastError: NOT_UNDER_TEST } });
  await prisma.outbox.updateMany({ where: { publishedAt: null }, data: { publishedAt: new Date() } });
}

afterEach(async (ctx) => {
  const c = current;
  current = undefined;
  if (!c) return;
  if (ctx.task.result?.state === "fail") console.error(`[${c.name}] ${diagnostics(c)}`);
  await Promise.all(c.workers.map((w) => kill(w)));
  await Promise.all(c.queues.map((q) => q.close()));
  await c.sink.close();
  await deleteKeys(`${c.prefix}:*`);
  rmSync(c.dir, { recursive: true, force: true });
  await quiesce();
});

afterAll(async () => {
  for (const child of live) child.kill("SIGKILL");
  await deleteKeys(`${filePrefix}:*`);
  await (await import("#app/.server/queue.ts")).closeEmailQueue();
  redis.disconnect();
  await prisma.$disconnect();
  await database.drop();
});

// ---- The case's data: a company with two applicant users, its advisor, window staff, a dossier with 3.4 deferred ----
const messageIdOf = (emailId: string) => `<${emailId}@greenlane.mail>`;
const justAfter = (d: Date, ms = 1_000) => new Date(d.getTime() + ms);

async function dueIn(workingDays: number) {
  return addWorkingDays(await loadHolidayCalendar(), shanghaiDate(new Date()), workingDays);
}

/** Ready to submit: every required item documented except 3.4, whose deferral is requested (twice with `saveTwice`). */
async function draftWithDeferral(opts: { dueInWorkingDays?: number; saveTwice?: boolean } = {}) {
  const f = await readyDossier(["3.4"]);
  const colleague = await createUser("APPLICANT", { companyId: f.applicant.companyId!, isCompanyAdmin: false });
  const dueDate = await dueIn(opts.dueInWorkingDays ?? 10);
  const item = f.itemByCode("3.4");
  await requestDeferral(f.applicant, f.dossier.id, await dossierVersion(f.dossier.id), { itemId: item.id, dueDate, reason: "检验报告尚在检验机构出具中" });
  if (opts.saveTwice) await requestDeferral(f.applicant, f.dossier.id, await dossierVersion(f.dossier.id), { itemId: item.id, dueDate, reason: "检验报告尚在出具中（再次保存）" });
  return { ...f, item, dueDate, companyUsers: [f.applicant.id, colleague.id] };
}

type Draft = Awaited<ReturnType<typeof draftWithDeferral>>;

/** After 容缺受理: the deferral, its five reminders, and the setup's own emails set aside. */
async function accepted(d: Draft) {
  const deferral = await prisma.deferral.findFirstOrThrow({ where: { dossierId: d.dossier.id } });
  const reminders = await prisma.reminder.findMany({ where: { ownerType: "deferral", ownerId: deferral.id }, orderBy: { fireAt: "asc" } });
  expect(reminders.map((r) => r.kind)).toEqual(["deferral.due-5", "deferral.due-2", "deferral.due-1", "deferral.due-0", "deferral.overdue-1"]);
  // The submission's and acceptance's notices are not what these cases test: they are set aside so that
  // the SMTP faults below meet the reminders' messages only.
  await prisma.emailMessage.updateMany({ where: { state: "QUEUED" }, data: { state: "FAILED", lastError: NOT_UNDER_TEST } });
  const byKind = (kind: string) => reminders.find((r) => r.kind === kind)!;
  return { ...d, deferral, reminders, byKind };
}

async function acceptedDeferral(opts: { dueInWorkingDays?: number; saveTwice?: boolean } = {}) {
  const d = await draftWithDeferral(opts);
  await submitDossier(d.applicant, d.dossier.id, await dossierVersion(d.dossier.id), { commitment: COMMITMENT });
  await acceptDossier(d.window, d.dossier.id, await dossierVersion(d.dossier.id));
  return accepted(d);
}

/** The Message-IDs one reminder's emails carry (one deterministic email row per recipient). */
const reminderMessageIds = (reminder: Pick<Reminder, "id">, userIds: readonly string[]) => userIds.map((u) => messageIdOf(reminderEmailId(reminder.id, u)));

/** Every email row any of these reminders produced, whoever the recipient. */
async function reminderEmailRows(reminders: readonly Pick<Reminder, "id">[]) {
  const users = await prisma.user.findMany({ select: { id: true } });
  const ids = reminders.flatMap((r) => users.map((u) => reminderEmailId(r.id, u.id)));
  return prisma.emailMessage.findMany({ where: { id: { in: ids } } });
}

async function expectDeliveredOnce(sink: Sink, messageIds: readonly string[]) {
  const rows = await prisma.emailMessage.findMany({ where: { messageId: { in: [...messageIds] } } });
  expect(rows).toHaveLength(messageIds.length);
  for (const row of rows) expect(row).toMatchObject({ state: "SENT", lastError: null });
  for (const id of messageIds) expect(sink.copies(id), id).toBe(1);
}

const sentCount = (messageIds: readonly string[]) => prisma.emailMessage.count({ where: { messageId: { in: [...messageIds] }, state: "SENT" } });

/** Waits for the rows to reach `state`, putting their retries (5, 10, 20, 40 s of backoff) to run at once. */
async function untilWithRetries(what: string, q: Queue, emailIds: readonly string[], state: "SENT" | "FAILED", timeoutMs: number) {
  await until(
    what,
    async () => {
      for (const id of emailIds) {
        const job = await q.getJob(`email-${id}`);
        if (job && (await job.isDelayed())) await job.promote().catch(() => {});
      }
      return (await prisma.emailMessage.count({ where: { id: { in: [...emailIds] }, state } })) === emailIds.length;
    },
    timeoutMs,
  );
}

describe("the reminder engine under faults", () => {
  it("has a database of its own", async () => {
    const [row] = await prisma.$queryRaw<{ db: string }[]>`SELECT current_database() AS db`;
    expect(row!.db).toBe(dbName);
  });

  it("R1: worker SIGKILLed after the SMTP server took the message, before the row was marked: resent once after stall detection, same Message-ID, SENT once", async () => {
    const c = await newCase("r1");
    const f = await acceptedDeferral();
    const due5 = f.byKind("deferral.due-5");
    const expected = reminderMessageIds(due5, f.companyUsers);
    const victim = await startWorker(c);
    let killedOn: string | undefined;
    c.sink.onMessage = async (m) => {
      if (!killedOn && expected.includes(m.messageId)) {
        killedOn = m.messageId;
        // The data is in; the worker dies before our 250 reaches it.
        await kill(victim);
      }
      return "accept";
    };
    setClock(c.clockFile, justAfter(due5.fireAt));
    await until("the worker to be killed mid-send", () => killedOn && victim.child.signalCode === "SIGKILL");
    // The fault: the message is at the SMTP server; the database still says SENDING.
    expect((await prisma.emailMessage.findUniqueOrThrow({ where: { messageId: killedOn } })).state).toBe("SENDING");
    expect(c.sink.copies(killedOn!)).toBe(1);

    await startWorker(c);
    await until("both reminder emails SENT", async () => (await sentCount(expected)) === expected.length);
    // The killed send comes again once, with the same Message-ID (recognisable as a duplicate); the other is not doubled by it.
    expect(c.sink.copies(killedOn!)).toBe(2);
    expect(c.sink.received.filter((m) => m.messageId === killedOn).every((m) => m.raw.includes(`Message-ID: ${killedOn}`))).toBe(true);
    for (const id of expected) expect(c.sink.copies(id)).toBeGreaterThanOrEqual(1);
    for (const id of expected) expect(c.sink.copies(id)).toBeLessThanOrEqual(2);
    const rows = await reminderEmailRows(f.reminders);
    expect(rows.map((r) => r.messageId).sort()).toEqual([...expected].sort());
    expect(rows.every((r) => r.state === "SENT" && r.sentAt)).toBe(true);
    // The killed row was taken over by its own job re-run after stall detection (a fresh claim is otherwise left alone for 5 minutes).
    expect(rows.find((r) => r.messageId === killedOn)!.attempts).toBe(2);
    expect(await prisma.reminder.findUniqueOrThrow({ where: { id: due5.id } })).toMatchObject({ state: "SENT", attempts: 1 });
    expect(await prisma.notification.count({ where: { dossierId: f.dossier.id, kind: "deferralDue" } })).toBe(2);
    expect(await prisma.reminder.count({ where: { ownerId: f.deferral.id, state: "SCHEDULED" } })).toBe(4);
  }, 60_000);

  it("R2: worker SIGKILLed before sending: exactly one email each after recovery", async () => {
    const c = await newCase("r2");
    const f = await acceptedDeferral();
    const due5 = f.byKind("deferral.due-5");
    const expected = reminderMessageIds(due5, f.companyUsers);
    const addresses = (await prisma.user.findMany({ where: { id: { in: f.companyUsers } } })).map((u) => u.email);
    const victim = await startWorker(c);
    let killing: Promise<unknown> | undefined;
    c.sink.onRcpt = async (address) => {
      if (!addresses.includes(address)) return;
      // The first reminder message to reach RCPT TO kills its worker; nothing has been transferred yet.
      killing ??= kill(victim);
      await killing;
      throw smtpError(421, "4.3.2 try again later");
    };
    setClock(c.clockFile, justAfter(due5.fireAt));
    await until("the worker to be killed before sending", () => killing && victim.child.signalCode === "SIGKILL");
    // None of the reminder's messages got through (the window's stage-clock alerts of the moved clock may have).
    expect(c.sink.received.filter((m) => expected.includes(m.messageId))).toHaveLength(0);
    c.sink.onRcpt = undefined;

    await startWorker(c);
    await until("both reminder emails SENT", async () => (await sentCount(expected)) === expected.length);
    await expectDeliveredOnce(c.sink, expected);
    expect((await reminderEmailRows(f.reminders)).map((r) => r.messageId).sort()).toEqual([...expected].sort());
    expect(await prisma.reminder.findUniqueOrThrow({ where: { id: due5.id } })).toMatchObject({ state: "SENT", attempts: 1 });
    expect(await prisma.notification.count({ where: { dossierId: f.dossier.id, kind: "deferralDue" } })).toBe(2);
  }, 60_000);

  it("R3: this test's Redis keys wiped with reminders pending: the worker restores its schedules, the sweep re-enqueues, none missed, none twice", async () => {
    const c = await newCase("r3");
    const f = await acceptedDeferral();
    const due5 = f.byKind("deferral.due-5");
    // An hour before the first reminder: it is inside the sweep's 24 h horizon, the others are not yet.
    setClock(c.clockFile, new Date(due5.fireAt.getTime() - 3_600_000));
    await startWorker(c);
    const reminderQueue = queueOf(c, QUEUE_REMINDERS);
    const maintenanceQueue = queueOf(c, QUEUE_MAINTENANCE);
    const jobStates = () => Promise.all(f.reminders.map((r) => reminderQueue.getJobState(reminderJobId(r.id))));
    await until("the relay to put the five reminders in Redis", async () => (await jobStates()).every((s) => s === "delayed"));

    // FLUSHALL for this test only: the Redis is shared with other test files and runs (their prefixes), so it is
    // this case's keys that go — jobs, job schedulers, everything under its QUEUE_PREFIX.
    await deleteKeys(`${c.prefix}:*`);
    expect((await jobStates()).every((s) => s === "unknown")).toBe(true);
    expect(await maintenanceQueue.getJobScheduler(SWEEP_SCHEDULER_ID)).toBeFalsy();
    // The running worker notices and puts its sweep and relay schedules back (else nothing would sweep again
    // until a restart); the sweep's first run re-enqueues the reminder due within its horizon. The clock has not
    // moved since the worker started: this is the periodic sweep, not the clock file's.
    await until("the worker to restore its job schedulers", async () => (await maintenanceQueue.getJobScheduler(SWEEP_SCHEDULER_ID)) && (await maintenanceQueue.getJobScheduler(RELAY_SCHEDULER_ID)), 15_000);
    await until("the sweep to re-enqueue the reminder due within the hour", async () => (await reminderQueue.getJobState(reminderJobId(due5.id))) === "delayed", 15_000);

    // Past all five: the sweep re-enqueues the others from the database and each fires once.
    setClock(c.clockFile, justAfter(f.byKind("deferral.overdue-1").fireAt));
    await until("all five reminders SENT", async () => (await prisma.reminder.count({ where: { ownerId: f.deferral.id, state: "SENT" } })) === 5);
    const windowStaff = (await prisma.user.findMany({ where: { role: "WINDOW", active: true }, select: { id: true } })).map((u) => u.id);
    const expected = f.reminders.flatMap((r) =>
      reminderMessageIds(r, [...f.companyUsers, ...(r.audience.includes("advisor") ? [f.advisor.id] : []), ...(r.audience.includes("window") ? windowStaff : [])]),
    );
    await until("every reminder email SENT", async () => (await sentCount(expected)) === expected.length);
    await expectDeliveredOnce(c.sink, expected);
    expect((await reminderEmailRows(f.reminders)).map((r) => r.messageId).sort()).toEqual([...expected].sort());
    const after = await prisma.reminder.findMany({ where: { ownerId: f.deferral.id } });
    expect(after.every((r) => r.state === "SENT" && r.attempts === 1)).toBe(true);
  }, 60_000);

  it("R4: Redis down while the company submits and the window accepts: both commit at once; the reminder goes out once Redis is back", async () => {
    const c = await newCase("r4");
    const d = await draftWithDeferral();
    // The web side in a process of its own whose Redis is a closed port: its queue producer must fail fast.
    const web = spawnNode(
      c,
      [
        "--input-type=module",
        "-e",
        `
        const input = JSON.parse(process.env.R4_INPUT);
        const { prisma } = await import("#app/.server/db.ts");
        const { submitDossier } = await import("#app/modules/dossier/submit-dossier.server.ts");
        const { acceptDossier } = await import("#app/modules/deferral/accept-dossier.server.ts");
        const version = async () => (await prisma.dossier.findUniqueOrThrow({ where: { id: input.dossierId } })).version;
        await prisma.$queryRaw\`SELECT 1\`;
        let t = Date.now();
        await submitDossier(input.applicant, input.dossierId, await version(), { commitment: input.commitment });
        const submitMs = Date.now() - t;
        t = Date.now();
        await acceptDossier(input.window, input.dossierId, await version());
        const acceptMs = Date.now() - t;
        process.stdout.write("\\nR4RESULT " + JSON.stringify({ submitMs, acceptMs }) + "\\n");
        process.exit(0);
      `,
      ],
      {
        REDIS_URL: "redis://127.0.0.1:1",
        GREENLANE_SERVICE: "web",
        CLOCK_FILE: "",
        R4_INPUT: JSON.stringify({ dossierId: d.dossier.id, applicant: d.applicant, window: d.window, commitment: COMMITMENT } satisfies { dossierId: string; applicant: SessionUser; window: SessionUser; commitment: typeof COMMITMENT }),
      },
    );
    // Not a timing assertion: a web process still waiting after 15 s has hung on Redis.
    const done = await Promise.race([web.exit, new Promise<null>((r) => setTimeout(r, 15_000, null))]);
    if (!done) await kill(web);
    expect(done, `submitDossier/acceptDossier did not return within 15 s while Redis was down:\n${web.err.join("")}${web.out.join("")}`).toMatchObject({ code: 0 });
    const result = /R4RESULT (.+)/.exec(web.out.join(""))?.[1];
    const timing = JSON.parse(result!) as { submitMs: number; acceptMs: number };
    console.log(`R4 with Redis down: submitDossier took ${timing.submitMs} ms, acceptDossier ${timing.acceptMs} ms`);

    // Committed without Redis: the dossier, the deferral, its reminders and their outbox row.
    expect((await prisma.dossier.findUniqueOrThrow({ where: { id: d.dossier.id } })).status).toBe("ACCEPTED");
    const f = await accepted(d);
    expect(f.deferral.state).toBe("PENDING");
    expect(f.reminders.every((r) => r.state === "SCHEDULED")).toBe(true);
    const outboxRow = () => prisma.outbox.findFirstOrThrow({ where: { payload: { path: ["reminderIds"], array_contains: [f.reminders[0]!.id] } } });
    expect((await outboxRow()).publishedAt).toBeNull();

    // Redis is back (the worker uses the real one): the relay publishes, the reminder goes out once.
    await startWorker(c);
    await until("the relay to publish the outbox row", async () => (await outboxRow()).publishedAt);
    const due5 = f.byKind("deferral.due-5");
    const expected = reminderMessageIds(due5, f.companyUsers);
    setClock(c.clockFile, justAfter(due5.fireAt));
    await until("both reminder emails SENT", async () => (await sentCount(expected)) === expected.length);
    await expectDeliveredOnce(c.sink, expected);
    expect(await prisma.reminder.findUniqueOrThrow({ where: { id: due5.id } })).toMatchObject({ state: "SENT", attempts: 1 });
  }, 60_000);

  it("R6: SMTP answers 421, then hangs: retried inside bounded timeouts, one send once SMTP is back; FAILED with its reason after the last attempt", async () => {
    const c = await newCase("r6");
    const f = await acceptedDeferral();
    const emailQueue = queueOf(c, QUEUE_EMAIL);
    const emailIds = (kind: string) => f.companyUsers.map((u) => reminderEmailId(f.byKind(kind).id, u));
    const [refused, hung, failing] = [emailIds("deferral.due-5"), emailIds("deferral.due-2"), emailIds("deferral.due-1")];
    const mids = (ids: string[]) => ids.map(messageIdOf);
    c.sink.onMessage = async (m, attempt) => {
      if (mids(refused).includes(m.messageId) && attempt <= 2) return { code: 421, message: "4.3.2 Service not available, closing channel" };
      if (mids(failing).includes(m.messageId)) return { code: 421, message: "4.3.2 Service not available, closing channel" };
      return "accept";
    };
    await startWorker(c);

    // 421 on the first two attempts, then accepted: one message each.
    setClock(c.clockFile, justAfter(f.byKind("deferral.due-5").fireAt));
    await untilWithRetries("the refused emails to go out on their third attempt", emailQueue, refused, "SENT", 20_000);
    await expectDeliveredOnce(c.sink, mids(refused));
    for (const id of mids(refused)) expect(c.sink.attempts.get(id)).toBe(3);
    expect((await prisma.emailMessage.findMany({ where: { id: { in: refused } } })).every((r) => r.attempts === 3)).toBe(true);

    // The server hangs: the first connection never gets its greeting; the client gives up after its
    // greeting timeout (10 s, mailer.ts) and the retry goes through. (A hang after the greeting meets the
    // 30 s socket timeout, which mailer.ts does not make configurable: not exercised here to keep the file short.)
    let connections = 0;
    c.sink.onConnect = async () => {
      if (connections++ === 0) await c.sink.hang();
    };
    setClock(c.clockFile, justAfter(f.byKind("deferral.due-2").fireAt));
    await until("a send attempt to fail on the hanging server", () => prisma.emailMessage.findFirst({ where: { id: { in: hung }, lastError: { not: null } } }), 20_000);
    await untilWithRetries("the emails held up by the hang to go out", emailQueue, hung, "SENT", 20_000);
    c.sink.onConnect = undefined;
    await expectDeliveredOnce(c.sink, mids(hung));
    expect((await prisma.emailMessage.findMany({ where: { id: { in: hung } } })).map((r) => r.attempts).sort()).toEqual([1, 2]);

    // Refused on every attempt: after the fifth the row is FAILED with the server's answer, for window staff to see.
    setClock(c.clockFile, justAfter(f.byKind("deferral.due-1").fireAt));
    await untilWithRetries("the always-refused emails to fail for good", emailQueue, failing, "FAILED", 20_000);
    const failed = await prisma.emailMessage.findMany({ where: { id: { in: failing } } });
    for (const row of failed) {
      expect(row).toMatchObject({ state: "FAILED", attempts: 5 });
      expect(row.lastError).toContain("421");
      expect(c.sink.attempts.get(row.messageId)).toBe(5);
      expect(c.sink.copies(row.messageId)).toBe(0);
      expect(await emailQueue.getJobState(`email-${row.id}`)).toBe("failed");
    }
    // The reminders themselves fired once each.
    expect((await prisma.reminder.findMany({ where: { ownerId: f.deferral.id, kind: { in: ["deferral.due-5", "deferral.due-2", "deferral.due-1"] } } })).every((r) => r.state === "SENT" && r.attempts === 1)).toBe(true);
  }, 90_000);

  it("R7: SIGTERM with jobs in flight: they finish, the worker exits 0 within its grace period, nothing stalled or stuck SENDING", async () => {
    const c = await newCase("r7");
    const f = await acceptedDeferral();
    const expected = [...reminderMessageIds(f.byKind("deferral.due-5"), f.companyUsers), ...reminderMessageIds(f.byKind("deferral.due-2"), f.companyUsers)];
    let inFlight = 0;
    // A slow SMTP server: each reminder message is answered a second after its data arrived.
    c.sink.onMessage = async (m) => {
      if (expected.includes(m.messageId)) {
        inFlight++;
        await new Promise((r) => setTimeout(r, 1_000));
      }
      return "accept";
    };
    const w = await startWorker(c);
    setClock(c.clockFile, justAfter(f.byKind("deferral.due-2").fireAt));
    await until("a reminder email in flight", () => inFlight > 0);
    const heldWhenSignalled = c.sink.received.length;
    const signalledAt = Date.now();
    const exit = await kill(w, "SIGTERM");
    const took = Date.now() - signalledAt;
    console.log(`R7: worker exited ${exit.code ?? exit.signal} ${took} ms after SIGTERM with ${inFlight} message(s) in flight`);
    // Exit code 0: the shutdown finished before the 20 s grace timer (which exits 1).
    expect(exit).toEqual({ code: 0, signal: null });
    expect(c.sink.received.length).toBeGreaterThan(heldWhenSignalled);

    const queues = [QUEUE_EMAIL, QUEUE_REMINDERS, QUEUE_MAINTENANCE].map((n) => queueOf(c, n));
    for (const q of queues) expect(await q.getActiveCount(), q.name).toBe(0);
    expect(await prisma.emailMessage.count({ where: { messageId: { in: expected }, state: "SENDING" } })).toBe(0);
    const reminders = await prisma.reminder.findMany({ where: { ownerId: f.deferral.id } });
    expect(reminders.every((r) => r.state === "SENT" || r.state === "SCHEDULED")).toBe(true);

    // Whatever had not started yet goes out with the next worker; nothing twice.
    await startWorker(c);
    await until("the rest of the reminder emails", async () => (await prisma.reminder.count({ where: { ownerId: f.deferral.id, state: "SENT" } })) === 2 && (await sentCount(expected)) === expected.length);
    await expectDeliveredOnce(c.sink, expected);
  }, 60_000);

  it("R8: the deferral saved twice and its reminders published twice: one reminder row per kind, one job, one email", async () => {
    const c = await newCase("r8");
    const f = await acceptedDeferral({ saveTwice: true });
    expect(await prisma.deferral.count({ where: { itemId: f.item.id } })).toBe(1);
    const policy = await prisma.deferralPolicy.findUniqueOrThrow({ where: { id: f.deferral.policyId } });
    const specs = deferralReminderSpecs(await loadHolidayCalendar(), f.dueDate, policy.reminderOffsets, false);
    const scheduleAgain = () => prisma.$transaction((tx) => scheduleReminders(tx, { ownerType: "deferral", ownerId: f.deferral.id, reminders: specs }));
    expect((await scheduleAgain()).sort()).toEqual(f.reminders.map((r) => r.id).sort());
    const outboxRows = () => prisma.outbox.findMany({ where: { payload: { path: ["reminderIds"], array_contains: [f.reminders[0]!.id] } } });
    expect(await outboxRows()).toHaveLength(2);

    await startWorker(c);
    await until("the relay to publish both outbox rows", async () => (await outboxRows()).every((r) => r.publishedAt));
    // Published once more after the first relay, by the relay and by hand with the relay's own call.
    await scheduleAgain();
    const reminderQueue = queueOf(c, QUEUE_REMINDERS);
    const due5 = f.byKind("deferral.due-5");
    await reminderQueue.add(JOB_REMINDER_FIRE, { reminderId: due5.id }, { jobId: reminderJobId(due5.id), delay: due5.fireAt.getTime() - Date.now() });
    await until("the relay to publish the third outbox row", async () => (await outboxRows()).every((r) => r.publishedAt));
    expect(await prisma.reminder.count({ where: { ownerType: "deferral", ownerId: f.deferral.id } })).toBe(5);
    // One job per deferral reminder (the dossier's stage-clock alerts have jobs of their own).
    const deferralReminderIds = new Set(f.reminders.map((r) => r.id));
    const jobs = (await reminderQueue.getJobs(["delayed", "wait", "active", "prioritized"])).filter((j) => deferralReminderIds.has((j.data as { reminderId: string }).reminderId));
    expect(jobs.map((j) => j.id).sort()).toEqual(f.reminders.map((r) => reminderJobId(r.id)).sort());

    const expected = reminderMessageIds(due5, f.companyUsers);
    setClock(c.clockFile, justAfter(due5.fireAt));
    await until("both reminder emails SENT", async () => (await sentCount(expected)) === expected.length);
    await until("the fired job to be gone", async () => (await reminderQueue.getJobState(reminderJobId(due5.id))) === "unknown");
    await expectDeliveredOnce(c.sink, expected);
    expect((await reminderEmailRows([due5])).map((r) => r.messageId).sort()).toEqual([...expected].sort());
    expect(await prisma.reminder.findUniqueOrThrow({ where: { id: due5.id } })).toMatchObject({ state: "SENT", attempts: 1 });
    expect(await prisma.notification.count({ where: { dossierId: f.dossier.id, kind: "deferralDue" } })).toBe(2);
  }, 60_000);

  it("R9: the deferred document arrives before the reminder fires: no reminder email", async () => {
    const c = await newCase("r9a");
    const f = await acceptedDeferral();
    await startWorker(c);
    const reminderQueue = queueOf(c, QUEUE_REMINDERS);
    const due5 = f.byKind("deferral.due-5");
    await until("the reminders in Redis", async () => (await reminderQueue.getJobState(reminderJobId(due5.id))) === "delayed");
    await addDocumentVersion(f.applicant, { dossierId: f.dossier.id, itemId: f.item.id }, await pdfFile());
    expect((await prisma.deferral.findUniqueOrThrow({ where: { id: f.deferral.id } })).state).toBe("FULFILLED");

    setClock(c.clockFile, justAfter(due5.fireAt));
    // The delayed job's own time comes too (its delay is in real time: run it now).
    await (await reminderQueue.getJob(reminderJobId(due5.id)))!.promote();
    await until("the job to run and find nothing to do", async () => (await reminderQueue.getJobState(reminderJobId(due5.id))) === "unknown");
    expect(await reminderEmailRows(f.reminders)).toEqual([]);
    const mids = f.reminders.flatMap((r) => reminderMessageIds(r, f.companyUsers));
    expect(c.sink.received.filter((m) => mids.includes(m.messageId))).toEqual([]);
    expect((await prisma.reminder.findMany({ where: { ownerId: f.deferral.id } })).every((r) => r.state === "CANCELLED")).toBe(true);
    expect(await prisma.notification.count({ where: { dossierId: f.dossier.id, kind: "deferralDue" } })).toBe(0);
  }, 60_000);

  it("R9: the due date moved by the extension: nothing at the old time, one reminder at the new", async () => {
    const c = await newCase("r9b");
    const f = await acceptedDeferral({ dueInWorkingDays: 8 });
    await startWorker(c);
    const reminderQueue = queueOf(c, QUEUE_REMINDERS);
    const oldDue5 = f.byKind("deferral.due-5");
    await until("the reminders in Redis", async () => (await reminderQueue.getJobState(reminderJobId(oldDue5.id))) === "delayed");
    const newDue = await dueIn(16);
    await extendDeferral(f.window, { deferralId: f.deferral.id, version: (await prisma.deferral.findUniqueOrThrow({ where: { id: f.deferral.id } })).version, dueDate: newDue, reason: "检验机构排期延误" });
    const moved = await prisma.reminder.findMany({ where: { ownerId: f.deferral.id, state: "SCHEDULED" }, orderBy: { fireAt: "asc" } });
    expect(moved.map((r) => r.kind)).toEqual(["deferral.ext.due-5", "deferral.ext.due-2", "deferral.ext.due-1", "deferral.ext.due-0", "deferral.ext.overdue-1"]);
    const newDue5 = moved[0]!;
    expect(newDue5.fireAt.getTime()).toBeGreaterThan(oldDue5.fireAt.getTime());
    await until("the new reminders in Redis", async () => (await reminderQueue.getJobState(reminderJobId(newDue5.id))) === "delayed");

    // The old time comes: its job runs and finds the reminder cancelled.
    setClock(c.clockFile, justAfter(oldDue5.fireAt));
    await (await reminderQueue.getJob(reminderJobId(oldDue5.id)))?.promote();
    await until("the old job to run and find nothing to do", async () => (await reminderQueue.getJobState(reminderJobId(oldDue5.id))) === "unknown");
    expect(await reminderEmailRows(f.reminders)).toEqual([]);
    expect(await reminderQueue.getJobState(reminderJobId(newDue5.id))).toBe("delayed");

    // The new time comes: one email per company user.
    const expected = reminderMessageIds(newDue5, f.companyUsers);
    setClock(c.clockFile, justAfter(newDue5.fireAt));
    await until("both new reminder emails SENT", async () => (await sentCount(expected)) === expected.length);
    await expectDeliveredOnce(c.sink, expected);
    expect((await reminderEmailRows([...f.reminders, ...moved])).map((r) => r.messageId).sort()).toEqual([...expected].sort());
    expect(await prisma.reminder.findUniqueOrThrow({ where: { id: newDue5.id } })).toMatchObject({ state: "SENT", attempts: 1 });
    const params = (await prisma.notification.findFirstOrThrow({ where: { dossierId: f.dossier.id, kind: "deferralDue", userId: f.applicant.id } })).params as Record<string, string>;
    expect(params.due).toBe(`day:${newDue}`);
  }, 60_000);

  it("R10: due at 23:59 Asia/Shanghai, worker in UTC: overdue at 16:00Z of the due date, not before; stored in UTC, shown in +08:00", async () => {
    const c = await newCase("r10");
    const f = await acceptedDeferral({ dueInWorkingDays: 6 });
    const deadline = deadlineOf(f.dueDate);
    expect(deadline.toISOString()).toBe(`${f.dueDate}T15:59:59.999Z`);
    expect(f.byKind("deferral.due-0").fireAt.toISOString()).toBe(`${f.dueDate}T01:00:00.000Z`);
    await startWorker(c, { TZ: "UTC" });
    const state = async () => prisma.deferral.findUniqueOrThrow({ where: { id: f.deferral.id } });

    // 15:59:59Z: still the due date in Shanghai. The worker's sweep on this clock fires the due-day reminder.
    const beforeDeadline = new Date(`${f.dueDate}T15:59:59.000Z`);
    setClock(c.clockFile, beforeDeadline);
    await until("the due-day reminder", async () => (await prisma.reminder.findUniqueOrThrow({ where: { id: f.byKind("deferral.due-0").id } })).state === "SENT");
    expect(await advanceDeferrals({ prisma, now: () => beforeDeadline })).toMatchObject({ overdue: 0 });
    const early = await state();
    // The worker's clock runs on from 15:59:59: if it has moved the deferral already, it did so after the deadline.
    if (early.state === "OVERDUE") expect(early.overdueAt!.getTime()).toBeGreaterThan(deadline.getTime());
    else expect(early.state).toBe("PENDING");

    // 16:00:01Z: the next Shanghai day; the worker moves it.
    setClock(c.clockFile, new Date(`${f.dueDate}T16:00:01.000Z`));
    const overdue = await until("the deferral to go overdue", async () => {
      const d = await state();
      return d.state === "OVERDUE" && d;
    });
    expect(overdue.overdueAt!.getTime()).toBeGreaterThan(deadline.getTime());
    expect(overdue.overdueAt!.getTime()).toBeLessThan(Date.parse(`${f.dueDate}T16:01:00.000Z`));
    // Stored in UTC…
    const [stored] = await prisma.$queryRaw<{ due: string; overdue_utc: string }[]>`
      SELECT due_date::text AS due, to_char(overdue_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS overdue_utc FROM deferral WHERE id = ${f.deferral.id}::uuid`;
    expect(stored).toMatchObject({ due: f.dueDate, overdue_utc: `${f.dueDate}T16:00` });
    // …shown in +08:00: the deadline is 23:59:59 on the due date, the transition 00:00 the next day.
    const slash = (date: string) => date.replaceAll("-", "/");
    expect(formatDateTime(deadline, "zh-CN")).toBe(`${slash(f.dueDate)} 23:59:59`);
    expect(formatDateTime(overdue.overdueAt!, "zh-CN")).toMatch(new RegExp(`^${slash(shanghaiDate(justAfter(deadline)))} 00:00:\\d\\d$`));
  }, 60_000);

  const hasRedisServer = spawnSync("redis-server", ["--version"]).status === 0;
  it.skipIf(!hasRedisServer)("R11: Redis with an evicting maxmemory-policy: the worker refuses to start and says why", async () => {
    const c = await newCase("r11");
    const port = await findFreePort();
    const server = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--maxmemory-policy", "allkeys-lru"], { stdio: "ignore" });
    live.add(server);
    try {
      const probe = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
      probe.on("error", () => {});
      await until("the private redis-server", async () => (await probe.ping().catch(() => "")) === "PONG", 10_000);
      expect(await probe.config("GET", "maxmemory-policy")).toEqual(["maxmemory-policy", "allkeys-lru"]);
      probe.disconnect();
      const w = spawnNode(c, ["workers/index.ts"], { REDIS_URL: `redis://127.0.0.1:${port}` });
      const exit = await Promise.race([w.exit, new Promise<null>((r) => setTimeout(r, 20_000, null))]);
      expect(exit, "the worker kept running against an evicting Redis").not.toBeNull();
      expect(exit!.code).not.toBe(0);
      expect(w.err.join("")).toMatch(/maxmemory-policy/);
      expect(w.err.join("")).toMatch(/noeviction/);
    } finally {
      server.kill("SIGTERM");
      live.delete(server);
    }
  }, 30_000);
});
