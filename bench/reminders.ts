import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { prisma } from "#app/.server/db.ts";
import { reminderEmailId } from "#app/modules/reminders/ids.ts";
import { scheduleReminders, type ReminderSpec } from "#app/modules/reminders/schedule.server.ts";

/*
 * Reminder benchmarks (QUALITY P4, P5) through the full path: reminder rows
 * and outbox rows written in transactions, the real worker processes
 * (`node --import tsx workers/index.ts`) relaying them into delayed BullMQ
 * jobs, firing them and sending through real SMTP to a local smtp-server
 * that records when each Message-ID arrives. Real time throughout (no clock
 * file). Reminders are ownerType "bench" with audience "window": with the
 * bench database's single window user, one reminder is one email.
 */

export interface BenchEnv {
  root: string;
  databaseUrl: string;
  redisUrl: string;
  /** Prefix of this run's BullMQ keys; each phase adds its own suffix. */
  prefix: string;
  sessionSecret: string;
  log: (msg: string) => void;
}

export interface Figure {
  id: string;
  what: string;
  measured: string;
  target: string;
  met: boolean | null;
}

// ---- SMTP sink: arrival time per Message-ID; can hold messages (a slow server) ----

interface Held {
  messageId: string;
  settle: (accept: boolean) => void;
}

export class SmtpSink {
  /** Arrival times (ms since epoch) of accepted messages, per Message-ID. */
  arrivals = new Map<string, number[]>();
  /** Messages with these ids are held at the end of DATA until released or dropped. */
  holdIds: Set<string> | undefined;
  held: Held[] = [];
  private server: SMTPServer;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      closeTimeout: 500,
      maxClients: 1_000,
      onData: (stream, _session, callback) => {
        let head = "";
        stream.on("data", (chunk: Buffer) => {
          if (head.length < 8_192) head += chunk.toString("utf8");
        });
        stream.on("end", () => {
          const messageId = /^message-id:\s*(\S+)/im.exec(head.slice(0, Math.max(0, head.indexOf("\r\n\r\n"))))?.[1] ?? "";
          const accept = () => {
            const at = Date.now();
            const list = this.arrivals.get(messageId);
            if (list) list.push(at);
            else this.arrivals.set(messageId, [at]);
            callback();
          };
          if (!this.holdIds?.has(messageId)) return accept();
          this.held.push({ messageId, settle: (ok) => (ok ? accept() : callback(Object.assign(new Error("dropped"), { responseCode: 421 }))) });
        });
      },
    });
    this.server.on("error", () => {});
  }

  async listen() {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  get port() {
    return (this.server.server.address() as AddressInfo).port;
  }

  /** Stops holding; held messages are accepted (true) or answered 421 (false, their senders are gone anyway). */
  release(accept: boolean) {
    this.holdIds = undefined;
    for (const h of this.held.splice(0)) h.settle(accept);
  }

  async close() {
    this.release(false);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// ---- Worker processes ----

export interface WorkerProcess {
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: string[];
}

const running = new Set<ChildProcess>();
/** Last resort on an abort: no worker outlives the bench. */
export function killAllWorkers() {
  for (const child of running) child.kill("SIGKILL");
}

export async function startWorker(env: BenchEnv, prefix: string, smtpPort: number, extra: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], {
    cwd: env.root,
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    env: {
      ...process.env,
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      QUEUE_PREFIX: prefix,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      SESSION_SECRET: env.sessionSecret,
      APP_URL: "http://localhost:3000",
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      GREENLANE_SERVICE: "worker",
      CLOCK_FILE: "",
      ...extra,
    },
  });
  running.add(child);
  const stderr: string[] = [];
  child.stderr!.on("data", (b: Buffer) => {
    stderr.push(b.toString("utf8"));
    if (stderr.length > 200) stderr.shift();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new Promise<void>((resolve) => child.on("message", (m: { type?: string }) => m.type === "ready" && resolve())),
      exit.then(({ code, signal }) => Promise.reject(new Error(`worker exited before it was ready (${code ?? signal}): ${stderr.join("")}`))),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("worker not ready within 60 s")), 60_000))),
    ]);
  } finally {
    clearTimeout(timer);
  }
  return { child, exit, stderr };
}

async function stopWorkers(workers: WorkerProcess[], signal: NodeJS.Signals = "SIGTERM") {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill(signal);
  await Promise.all(workers.map((w) => w.exit));
}

// ---- Helpers ----

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100) {
  const started = Date.now();
  while (!(await fn())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** The bench database's one window user: every "bench" reminder (audience window) is one email to them. */
export async function windowUser(): Promise<string> {
  const existing = await prisma.user.findMany({ where: { role: "WINDOW", active: true } });
  if (existing.length > 1) throw new Error(`the bench database has ${existing.length} window users; expected at most one`);
  if (existing[0]) return existing[0].id;
  const user = await prisma.user.create({
    data: { email: "bench-window@bench.greenlane.local", name: "基准窗口", role: "WINDOW", passwordHash: "!bench: no sign-in", emailVerifiedAt: new Date() },
  });
  return user.id;
}

/** Schedules reminders at the given instants, `batch` per transaction (each with its outbox row), as a business transaction would. */
async function schedule(fireAts: readonly Date[], batch: number): Promise<{ id: string; fireAt: Date }[]> {
  const out: { id: string; fireAt: Date }[] = [];
  for (let i = 0; i < fireAts.length; i += batch) {
    const ownerId = randomUUID();
    const specs: ReminderSpec[] = fireAts.slice(i, i + batch).map((fireAt, j) => ({ kind: `bench.${i + j}`, audience: ["window"], fireAt }));
    const ids = await prisma.$transaction((tx) => scheduleReminders(tx, { ownerType: "bench", ownerId, reminders: specs }));
    const rows = await prisma.reminder.findMany({ where: { id: { in: ids } }, select: { id: true, fireAt: true } });
    out.push(...rows);
  }
  return out;
}

/** Nothing of a phase keeps running into the next one. */
async function quiesce() {
  await prisma.reminder.updateMany({ where: { state: { in: ["SCHEDULED", "SENDING"] } }, data: { state: "CANCELLED", claimedAt: null } });
  await prisma.emailMessage.updateMany({ where: { state: { in: ["QUEUED", "SENDING"] } }, data: { state: "FAILED", claimedAt: null, lastError: "bench phase over" } });
  await prisma.outbox.updateMany({ where: { publishedAt: null }, data: { publishedAt: new Date() } });
}

// ---- P4: lateness of 5,000 reminders due within 5 minutes ----

export interface P4Options {
  count: number;
  windowMs: number;
  workers: number;
  /** Time between scheduling and the first fire time (the outbox relay runs every 2 s). */
  leadMs: number;
  /** How long after the last fire time stragglers are awaited. */
  drainMs: number;
}

export async function benchP4(env: BenchEnv, opts: P4Options): Promise<{ figures: Figure[]; details: Record<string, string | number> }> {
  const userId = await windowUser();
  const sink = await new SmtpSink().listen();
  const prefix = `${env.prefix}_p4`;
  const workers: WorkerProcess[] = [];
  try {
    env.log(`P4: starting ${opts.workers} worker process(es)`);
    workers.push(...(await Promise.all(Array.from({ length: opts.workers }, () => startWorker(env, prefix, sink.port)))));
    const start = Date.now() + opts.leadMs;
    const step = opts.windowMs / opts.count;
    const fireAts = Array.from({ length: opts.count }, (_, i) => new Date(Math.round(start + (i + 0.5) * step)));
    const t0 = Date.now();
    const reminders = await schedule(fireAts, 100);
    env.log(`P4: ${reminders.length} reminders scheduled in ${seconds(Date.now() - t0)}; due over ${seconds(opts.windowMs)} from ${new Date(start).toISOString()}`);
    if (Date.now() > start) env.log("P4: warning: scheduling took longer than the lead time; early reminders start late");
    const messageIdOf = new Map(reminders.map((r) => [r.id, `<${reminderEmailId(r.id, userId)}@greenlane.mail>`]));
    const last = Math.max(...reminders.map((r) => r.fireAt.getTime()));
    let lastReport = 0;
    await until(
      "the reminders",
      () => {
        const arrived = [...messageIdOf.values()].filter((id) => sink.arrivals.has(id)).length;
        if (Date.now() - lastReport > 15_000) {
          lastReport = Date.now();
          env.log(`P4: ${arrived}/${reminders.length} arrived`);
        }
        return arrived === reminders.length || Date.now() > last + opts.drainMs;
      },
      opts.leadMs + opts.windowMs + opts.drainMs + 60_000,
      250,
    );
    // Duplicates can trail their first copy: give them a moment.
    await sleep(2_000);

    const lateness: number[] = [];
    let missing = 0;
    let duplicates = 0;
    for (const r of reminders) {
      const arrivals = sink.arrivals.get(messageIdOf.get(r.id)!);
      if (!arrivals) {
        missing++;
        continue;
      }
      duplicates += arrivals.length - 1;
      lateness.push(Math.min(...arrivals) - r.fireAt.getTime());
    }
    // Where the time went: the reminder row's SENT mark (fired) and the email row's (sent), against fireAt.
    const rows = await prisma.reminder.findMany({ where: { id: { in: reminders.map((r) => r.id) } }, select: { fireAt: true, sentAt: true } });
    const fired = rows.filter((r) => r.sentAt).map((r) => r.sentAt!.getTime() - r.fireAt.getTime());
    const p50 = percentile(lateness, 50);
    const p99 = percentile(lateness, 99);
    const figures: Figure[] = [
      { id: "P4", what: `reminder lateness p50 / p99 / max (SMTP arrival − fireAt), ${opts.count} reminders over ${seconds(opts.windowMs)}, ${opts.workers} worker(s)`, measured: `${seconds(p50)} / ${seconds(p99)} / ${seconds(Math.max(...lateness))}`, target: "p99 ≤ 2 s", met: p99 <= 2_000 },
      { id: "P4", what: "missing reminders", measured: String(missing), target: "0", met: missing === 0 },
      { id: "P4", what: "duplicate emails", measured: String(duplicates), target: "0", met: duplicates === 0 },
    ];
    return {
      figures,
      details: {
        "P4 fired (reminder row SENT − fireAt) p50": seconds(percentile(fired, 50)),
        "P4 fired p99": seconds(percentile(fired, 99)),
        "P4 throughput (reminders/s due)": (opts.count / (opts.windowMs / 1000)).toFixed(1),
      },
    };
  } finally {
    await stopWorkers(workers);
    await sink.close();
    await quiesce();
  }
}

// ---- P5: extra lateness after SIGKILL of a worker with 20 email jobs in flight ----

export interface P5Options {
  jobs: number;
  lockMs: number;
  stalledMs: number;
}

/** The email worker's concurrency in workers/index.ts: one process never holds more email jobs than this. */
const EMAIL_CONCURRENCY = 8;

/**
 * One round: the victim processes ("worker 1") take `jobs` reminder emails and hold them in flight at the SMTP
 * server (DATA sent, answer pending); a second worker is started; then at K either the server answers them
 * (baseline) or the victims are SIGKILLed (the second worker takes the jobs over after BullMQ's stall
 * detection and sends them again). Returns each email's arrival − K.
 */
async function p5Round(env: BenchEnv, opts: P5Options, mode: "baseline" | "kill", userId: string) {
  const sink = await new SmtpSink().listen();
  const prefix = `${env.prefix}_p5_${mode}`;
  const workerEnv = { WORKER_LOCK_MS: String(opts.lockMs), WORKER_STALLED_MS: String(opts.stalledMs) };
  const victims: WorkerProcess[] = [];
  const survivors: WorkerProcess[] = [];
  try {
    const processes = Math.ceil(opts.jobs / EMAIL_CONCURRENCY);
    victims.push(...(await Promise.all(Array.from({ length: processes }, () => startWorker(env, prefix, sink.port, workerEnv)))));
    const fireAt = new Date(Date.now() + 4_000);
    const reminders = await schedule(Array.from({ length: opts.jobs }, () => fireAt), opts.jobs);
    const ids = reminders.map((r) => `<${reminderEmailId(r.id, userId)}@greenlane.mail>`);
    sink.holdIds = new Set(ids);
    await until(`${opts.jobs} emails in flight on worker 1`, () => sink.held.length === opts.jobs, 60_000, 20);
    survivors.push(await startWorker(env, prefix, sink.port, workerEnv));
    const k = Date.now();
    if (mode === "kill") {
      for (const v of victims) v.child.kill("SIGKILL");
      await Promise.all(victims.map((v) => v.exit));
      sink.release(false);
    } else {
      sink.release(true);
    }
    await until("every email to arrive", () => ids.every((id) => sink.arrivals.has(id)), 10 * (opts.lockMs + opts.stalledMs) + 30_000, 20);
    await sleep(1_000);
    const recovery = ids.map((id) => Math.min(...sink.arrivals.get(id)!) - k);
    const duplicates = ids.reduce((n, id) => n + sink.arrivals.get(id)!.length - 1, 0);
    return { recovery, duplicates, processes };
  } finally {
    await stopWorkers([...victims, ...survivors]);
    await sink.close();
    await quiesce();
  }
}

export async function benchP5(env: BenchEnv, opts: P5Options): Promise<{ figures: Figure[]; details: Record<string, string | number> }> {
  const userId = await windowUser();
  env.log(`P5: baseline round (${opts.jobs} emails in flight, released at K)`);
  const baseline = await p5Round(env, opts, "baseline", userId);
  env.log(`P5: kill round (${opts.jobs} emails in flight, worker 1 SIGKILLed at K)`);
  const killed = await p5Round(env, opts, "kill", userId);
  const budget = opts.lockMs + opts.stalledMs;
  const extraMax = Math.max(...killed.recovery) - Math.max(...baseline.recovery);
  const extraP50 = percentile(killed.recovery, 50) - percentile(baseline.recovery, 50);
  const ratio = extraMax / budget;
  return {
    figures: [
      {
        id: "P5",
        what: `extra lateness after SIGKILL of worker 1 with ${opts.jobs} email jobs in flight (last email) ÷ (lock ${seconds(opts.lockMs)} + stall interval ${seconds(opts.stalledMs)})`,
        measured: `${ratio.toFixed(2)} (${seconds(extraMax)}; p50 ${(extraP50 / budget).toFixed(2)})`,
        target: "≤ 1.1",
        met: ratio <= 1.1,
      },
      { id: "P5", what: "duplicate emails after the kill", measured: String(killed.duplicates + baseline.duplicates), target: "0", met: killed.duplicates + baseline.duplicates === 0 },
    ],
    details: {
      "P5 worker 1": `${killed.processes} process(es) × ${EMAIL_CONCURRENCY} email slots (one process holds at most ${EMAIL_CONCURRENCY} email jobs)`,
      "P5 baseline arrival − K (max)": seconds(Math.max(...baseline.recovery)),
      "P5 after kill arrival − K (p50 / max)": `${seconds(percentile(killed.recovery, 50))} / ${seconds(Math.max(...killed.recovery))}`,
    },
  };
}

export { prisma };
