import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import autocannon from "autocannon";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { prisma, type Role } from "#app/.server/db.ts";
import { createDossier } from "#app/modules/dossier/create-dossier.server.ts";
import { flagGap } from "#app/modules/dossier/gaps.server.ts";
import { submitDossier } from "#app/modules/dossier/submit-dossier.server.ts";
import { seedQueue } from "#scripts/seed-queue.ts";
import { DOSSIER_FIELDS, sessionUser } from "#scripts/test/dossier-fixtures.ts";
import { Client, createUser, TEST_PASSWORD } from "#scripts/test/harness.ts";
import { QUEUE_EMAIL, QUEUE_MAINTENANCE, QUEUE_REMINDERS } from "#workers/contracts.ts";
import { percentile, SmtpSink, startWorker, type BenchEnv, type Figure, type WorkerProcess } from "./reminders.ts";
import { startWebProcess, type WebProcess } from "./web-process.ts";

/*
 * Load and soak: 200 users of every role, each signed in through the real
 * /login form, run a mixed workload against the built app in a web process of
 * its own while a real worker process (and a local SMTP sink) does the
 * background work. One autocannon instance per action runs for the whole
 * duration, all at once; each of its connections is one user (its own session
 * cookie and data), so the connection counts add up to the 200 users. No
 * pipelining, no think time: a closed loop, so the latencies include the wait
 * for the other 199 users' requests on this machine. Loopback only; bounded
 * by the duration and the connection counts.
 *
 * Actions and who does them:
 *   queue page          WINDOW     /window in six views (filters, sorts, search)
 *   overview            APPLICANT  their submitted dossier; ADVISOR their assigned dossiers
 *   item page           APPLICANT  items of their draft; ADVISOR items of their dossiers
 *   upload              APPLICANT  a 4 KiB PDF (random content) to an item of their draft (multipart, Accept: application/json)
 *   flag a gap          ADVISOR    intent=flag on an item of one of their dossiers
 *   answer a gap        APPLICANT  intent=reply to the gap their advisor flagged during preparation (a gap may be answered again)
 *   submit              APPLICANT  intent=submit of the next of their complete drafts; once none is left the last one is
 *                                  posted again and its 409 ("changed meanwhile") is counted as an expected refusal, not an error
 *   users, audit log    ADMIN /admin, AUDITOR /audit
 * Posts carry the form's fields and a same-origin Origin header (QUALITY S8).
 *
 * An error is any answer other than the action's success status (200, or 302 for submit; the expected refusals
 * above aside), a timeout (REQUEST_TIMEOUT_S) or a connection error. The backlog (reminders due and unsent,
 * reminders scheduled for later, unpublished outbox rows, emails not yet sent, and the BullMQ queues' counts)
 * is read before and right after the load, then until the worker has drained it.
 */

export interface LoadBenchOptions {
  durationS: number;
  /** Complete drafts prepared per submitting user. */
  submitsPerUser: number;
  /** The queue gets at least this many dossiers (scripts/seed-queue.ts adds what is missing). */
  queueDossiers: number;
  /** How long to wait after the load for the worker to drain its backlog. */
  drainS: number;
}

/** Users per action: 200 in all. */
const USERS = {
  window: 36,
  overviewApplicant: 24,
  overviewAdvisor: 16,
  itemApplicant: 16,
  itemAdvisor: 16,
  upload: 20,
  flag: 20,
  answer: 20,
  submit: 12,
  admin: 10,
  audit: 10,
} as const;

const REQUEST_TIMEOUT_S = 60;
const SIGN_IN_CONCURRENCY = 8;
const QUEUE_VIEWS = ["/window", "/window?stage=review&sort=due", "/window?colour=red", "/window?sort=gaps", "/window?scope=all&sort=activity", `/window?q=${encodeURIComponent("康复")}`];
/** Every document row written during preparation has this content (completeness reads rows, not files). */
const FIXTURE_PDF = "%PDF-1.7\nload fixture\n%%EOF\n";

interface Prepared {
  id: string;
  version: number;
  items: { id: string; required: boolean }[];
  /** The gap flagged during preparation, which the applicant answers. */
  gap: { id: string; itemId: string } | null;
}

interface LoadUser {
  id: string;
  cookie: string;
  dossiers: Prepared[];
  /** Requests built for this user so far (the check before the load included). */
  sent: number;
}

interface Built {
  method: "GET" | "POST";
  path: string;
  form?: Record<string, string>;
  /** A small PDF as multipart/form-data (the upload route). */
  file?: Buffer;
  /** A 409 to this request is expected (a repeated submission). */
  refusalExpected?: boolean;
}

interface Action {
  name: string;
  users: LoadUser[];
  /** The status of a successful answer. */
  success: number;
  /** The user's n-th request. */
  request: (user: LoadUser, n: number) => Built;
}

const at = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

// ---- Preparation ----

/** Every required item gets a document row, every conditional one a not-applicable reason: ready to submit. */
async function completeDossier(dossierId: string, uploadedById: string) {
  const sha256 = createHash("sha256").update(FIXTURE_PDF).digest("hex");
  const required = await prisma.dossierItem.findMany({ where: { dossierId, requirement: "R" }, select: { id: true } });
  await prisma.documentVersion.createMany({
    data: required.map((item) => ({ itemId: item.id, version: 1, sha256, size: BigInt(FIXTURE_PDF.length), mediaType: "application/pdf", originalName: "fixture.pdf", uploadedById })),
  });
  await prisma.dossierItem.updateMany({ where: { dossierId, requirement: "CR" }, data: { notApplicableReason: "不适用" } });
}

async function prepared(dossierId: string, gap: Prepared["gap"] = null): Promise<Prepared> {
  const dossier = await prisma.dossier.findUniqueOrThrow({ where: { id: dossierId }, select: { version: true } });
  const items = await prisma.dossierItem.findMany({ where: { dossierId }, orderBy: { position: "asc" }, select: { id: true, requirement: true } });
  return { id: dossierId, version: dossier.version, items: items.map((i) => ({ id: i.id, required: i.requirement === "R" })), gap };
}

type UserRow = Awaited<ReturnType<typeof createUser>>;

/** One after another: the preparation's transactions would otherwise wait for the connection pool and time out. */
async function inOrder<T, R>(list: readonly T[], fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const t of list) out.push(await fn(t));
  return out;
}

/**
 * Users and their data. Applicants' dossiers get advisors from the advisor users, round robin; window users are
 * created last, so preparing the submitted dossiers does not notify them.
 */
async function prepare(opts: LoadBenchOptions, log: (msg: string) => void) {
  const users = async (role: Role, count: number) => inOrder(Array.from({ length: count }, () => role), (r) => createUser(r));
  const advisors = await users("ADVISOR", USERS.overviewAdvisor + USERS.itemAdvisor + USERS.flag);
  let nextAdvisor = 0;
  const draft = async (applicant: UserRow) => {
    const created = await createDossier(sessionUser(applicant), DOSSIER_FIELDS);
    const advisor = advisors[nextAdvisor++ % advisors.length]!;
    await prisma.dossier.update({ where: { id: created.id }, data: { advisorId: advisor.id } });
    return { id: created.id, advisor };
  };

  // The dossiers advisors work on: submitted ones (their applicants open the overview) and drafts.
  const submittedOwners = await users("APPLICANT", USERS.overviewApplicant);
  const submitted = await inOrder(submittedOwners, async (applicant) => {
    const d = await draft(applicant);
    await completeDossier(d.id, applicant.id);
    const { version } = await prisma.dossier.findUniqueOrThrow({ where: { id: d.id }, select: { version: true } });
    await submitDossier(sessionUser(applicant), d.id, version);
    return { applicant, dossier: await prepared(d.id), advisor: d.advisor };
  });
  const withDraft = async (count: number, gap: boolean) =>
    inOrder(await users("APPLICANT", count), async (applicant) => {
      const d = await draft(applicant);
      let flagged: Prepared["gap"] = null;
      if (gap) {
        const item = await prisma.dossierItem.findFirstOrThrow({ where: { dossierId: d.id, requirement: "R" }, orderBy: { position: "asc" } });
        await flagGap(sessionUser(d.advisor), d.id, item.id, { text: "请补充检验报告的签章页。", severity: "MUST" });
        flagged = { id: (await prisma.gap.findFirstOrThrow({ where: { dossierId: d.id } })).id, itemId: item.id };
      }
      return { applicant, dossier: await prepared(d.id, flagged), advisor: d.advisor };
    });
  const itemOwners = await withDraft(USERS.itemApplicant, false);
  const uploaders = await withDraft(USERS.upload, false);
  const answerers = await withDraft(USERS.answer, true);
  const working = [...submitted, ...itemOwners, ...uploaders, ...answerers];
  log(`LOAD: ${working.length} dossiers to work on (${submitted.length} submitted, ${working.length - submitted.length} drafts)`);

  const submitters = await users("APPLICANT", USERS.submit);
  const pools = await inOrder(submitters, async (applicant) => {
    const pool: Prepared[] = [];
    for (let i = 0; i < opts.submitsPerUser; i++) {
      const d = await draft(applicant);
      await completeDossier(d.id, applicant.id);
      pool.push(await prepared(d.id));
    }
    return { applicant, pool };
  });
  log(`LOAD: ${submitters.length * opts.submitsPerUser} complete drafts to submit (${opts.submitsPerUser} per submitting user)`);

  const windows = await users("WINDOW", USERS.window);
  const admins = await users("ADMIN", USERS.admin);
  const auditors = await users("AUDITOR", USERS.audit);
  const assigned = (advisor: UserRow) => working.filter((w) => w.advisor.id === advisor.id).map((w) => w.dossier);
  return {
    window: windows.map((u) => ({ row: u, dossiers: [] })),
    overviewApplicant: submitted.map((s) => ({ row: s.applicant, dossiers: [s.dossier] })),
    itemApplicant: itemOwners.map((s) => ({ row: s.applicant, dossiers: [s.dossier] })),
    upload: uploaders.map((s) => ({ row: s.applicant, dossiers: [s.dossier] })),
    answer: answerers.map((s) => ({ row: s.applicant, dossiers: [s.dossier] })),
    submit: pools.map((p) => ({ row: p.applicant, dossiers: p.pool })),
    advisors: advisors.map((a) => ({ row: a, dossiers: assigned(a) })),
    admin: admins.map((u) => ({ row: u, dossiers: [] })),
    audit: auditors.map((u) => ({ row: u, dossiers: [] })),
  };
}

/** Signs every user in through the /login form (as a browser posts it); returns their session cookies and the sign-in latencies. */
async function signInAll(base: string, people: { row: UserRow; dossiers: Prepared[] }[]): Promise<{ users: LoadUser[]; ms: number[] }> {
  const users: LoadUser[] = new Array<LoadUser>(people.length);
  const ms: number[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < people.length; i = next++) {
      const { row, dossiers } = people[i]!;
      const client = new Client(base);
      const started = performance.now();
      const response = await client.post("/login", { email: row.email, password: TEST_PASSWORD, redirectTo: "" }, { Origin: base });
      ms.push(performance.now() - started);
      if (response.status !== 302 || client.cookies.size === 0) throw new Error(`sign-in of ${row.role} ${row.email} answered ${response.status}`);
      users[i] = { id: row.id, cookie: client.cookieHeader(), dossiers, sent: 0 };
    }
  };
  await Promise.all(Array.from({ length: SIGN_IN_CONCURRENCY }, worker));
  return { users, ms };
}

// ---- The actions ----

function actions(u: Record<keyof typeof USERS, LoadUser[]>): Action[] {
  const itemsOf = (user: LoadUser, requiredOnly = false) =>
    user.dossiers.flatMap((d) => d.items.filter((i) => !requiredOnly || i.required).map((i) => ({ dossierId: d.id, itemId: i.id })));
  const itemPath = (t: { dossierId: string; itemId: string }) => `/dossiers/${t.dossierId}/items/${t.itemId}`;
  const get = (p: string): Built => ({ method: "GET", path: p });
  return [
    { name: "queue page (window)", users: u.window, success: 200, request: (_, n) => get(at(QUEUE_VIEWS, n)) },
    { name: "dossier overview (applicant)", users: u.overviewApplicant, success: 200, request: (user, n) => get(`/dossiers/${at(user.dossiers, n).id}`) },
    { name: "dossier overview (advisor)", users: u.overviewAdvisor, success: 200, request: (user, n) => get(`/dossiers/${at(user.dossiers, n).id}`) },
    { name: "item page (applicant)", users: u.itemApplicant, success: 200, request: (user, n) => get(itemPath(at(itemsOf(user), n))) },
    { name: "item page (advisor)", users: u.itemAdvisor, success: 200, request: (user, n) => get(itemPath(at(itemsOf(user), n))) },
    {
      name: "upload 4 KiB PDF (applicant)",
      users: u.upload,
      success: 200,
      request: (user, n) => ({ method: "POST", path: `${itemPath(at(itemsOf(user, true), n))}/upload`, file: Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(4096), Buffer.from("\n%%EOF\n")]) }),
    },
    {
      name: "flag a gap (advisor)",
      users: u.flag,
      success: 200,
      request: (user, n) => ({ method: "POST", path: itemPath(at(itemsOf(user), n * 7)), form: { intent: "flag", text: `第 ${n + 1} 条：请补充说明。`, severity: n % 2 === 0 ? "SHOULD" : "MUST" } }),
    },
    {
      name: "answer a gap (applicant)",
      users: u.answer,
      success: 200,
      request: (user, n) => {
        const d = user.dossiers[0]!;
        const gap = d.gap!;
        return { method: "POST", path: itemPath({ dossierId: d.id, itemId: gap.itemId }), form: { intent: "reply", gapId: gap.id, text: `已补充（第 ${n + 1} 次答复）。` } };
      },
    },
    {
      name: "submit (applicant)",
      users: u.submit,
      success: 302,
      request: (user, n) => {
        const d = user.dossiers[Math.min(n, user.dossiers.length - 1)]!;
        return { method: "POST", path: `/dossiers/${d.id}?index`, form: { intent: "submit", version: String(d.version) }, refusalExpected: n >= user.dossiers.length };
      },
    },
    { name: "users page (admin)", users: u.admin, success: 200, request: () => get("/admin") },
    { name: "audit log (auditor)", users: u.audit, success: 200, request: () => get("/audit") },
  ];
}

/** The HTTP request autocannon sends for a built request. */
function toRequest(built: Built, user: LoadUser, origin: string): autocannon.Request {
  const headers: Record<string, string> = { cookie: user.cookie };
  let body: Buffer | string | undefined;
  if (built.method === "POST") headers.origin = origin;
  if (built.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(built.form).toString();
  } else if (built.file) {
    const boundary = `----greenlane-load-${randomUUID()}`;
    headers["content-type"] = `multipart/form-data; boundary=${boundary}`;
    headers.accept = "application/json";
    body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="补充材料.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      built.file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
  }
  return { method: built.method, path: built.path, headers, body };
}

interface ActionResult {
  action: Action;
  latencies: number[];
  ok: number;
  refused: number;
  /** Unexpected statuses: status → count. */
  wrong: Map<number, number>;
  timeouts: number;
  /** Connection errors and timeouts (autocannon's count). */
  transportErrors: number;
  durationS: number;
}

/** One autocannon instance for one action: a connection per user, each sending its own user's requests. */
function runAction(base: string, action: Action, durationS: number): Promise<ActionResult> {
  const out: ActionResult = { action, latencies: [], ok: 0, refused: 0, wrong: new Map(), timeouts: 0, transportErrors: 0, durationS };
  const inFlight = new WeakMap<autocannon.Client, Built>();
  let nextUser = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: action.users.length,
        duration: durationS,
        timeout: REQUEST_TIMEOUT_S,
        pipelining: 1,
        // Replaced per connection in setupClient (never sent).
        requests: [{ method: "GET", path: "/healthz" }],
        setupClient: (client) => {
          const user = action.users[nextUser++ % action.users.length]!;
          client.setRequests([
            {
              // Built just before it is sent; with one request in flight per connection, inFlight is the one answered next.
              setupRequest: (defaults) => {
                const built = action.request(user, user.sent++);
                inFlight.set(client, built);
                return { ...defaults, ...toRequest(built, user, base) };
              },
            },
          ]);
        },
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        out.timeouts = result.timeouts;
        out.transportErrors = result.errors;
        out.durationS = result.duration;
        resolve(out);
      },
    );
    instance.on("response", (client, status, _bytes, ms) => {
      out.latencies.push(ms);
      if (status === action.success) out.ok++;
      else if (status === 409 && inFlight.get(client)?.refusalExpected) out.refused++;
      else out.wrong.set(status, (out.wrong.get(status) ?? 0) + 1);
    });
  });
}

/** Before the load: each action once per user, one at a time, must answer its success status (and warms the process up). */
async function checkActions(base: string, plan: Action[], log: (msg: string) => void) {
  for (const action of plan) {
    const ms: number[] = [];
    for (const user of action.users) {
      const request = toRequest(action.request(user, user.sent++), user, base);
      const started = performance.now();
      const body = typeof request.body === "string" || request.body === undefined ? request.body : new Uint8Array(request.body);
      const response = await fetch(base + request.path!, { method: request.method, headers: request.headers as Record<string, string>, body, redirect: "manual" });
      await response.arrayBuffer();
      ms.push(performance.now() - started);
      if (response.status !== action.success) throw new Error(`${action.name}: ${request.method} ${request.path} answered ${response.status}, expected ${action.success}`);
    }
    log(`LOAD: check ${action.name}: ${action.users.length} requests one at a time, median ${percentile(ms, 50).toFixed(0)} ms, max ${Math.max(...ms).toFixed(0)} ms`);
  }
}

// ---- Backlog ----

interface Backlog {
  remindersDue: number;
  remindersLater: number;
  outbox: number;
  emails: number;
  queues: Record<string, { waiting: number; delayed: number; active: number; failed: number }>;
}

async function backlog(redisUrl: string, prefix: string): Promise<Backlog> {
  const now = new Date();
  const [remindersDue, remindersLater, outbox, emails] = await Promise.all([
    prisma.reminder.count({ where: { state: { in: ["SCHEDULED", "SENDING"] }, fireAt: { lte: now } } }),
    prisma.reminder.count({ where: { state: "SCHEDULED", fireAt: { gt: now } } }),
    prisma.outbox.count({ where: { publishedAt: null } }),
    prisma.emailMessage.count({ where: { state: { in: ["QUEUED", "SENDING"] } } }),
  ]);
  // BullMQ does not close a connection it is given.
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues: Backlog["queues"] = {};
  try {
    for (const name of [QUEUE_EMAIL, QUEUE_REMINDERS, QUEUE_MAINTENANCE]) {
      const queue = new Queue(name, { connection, prefix });
      try {
        const c = await queue.getJobCounts("waiting", "delayed", "active", "failed");
        queues[name] = { waiting: c.waiting ?? 0, delayed: c.delayed ?? 0, active: c.active ?? 0, failed: c.failed ?? 0 };
      } finally {
        await queue.close();
      }
    }
  } finally {
    connection.disconnect();
  }
  return { remindersDue, remindersLater, outbox, emails, queues };
}

const describeBacklog = (b: Backlog) =>
  `reminders due and unsent ${b.remindersDue}, scheduled later ${b.remindersLater}, outbox unpublished ${b.outbox}, emails unsent ${b.emails}; ` +
  Object.entries(b.queues)
    .map(([name, c]) => `${name} queue waiting ${c.waiting} / delayed ${c.delayed} / active ${c.active} / failed ${c.failed}`)
    .join("; ");

const isDrained = (b: Backlog) => b.remindersDue === 0 && b.outbox === 0 && b.emails === 0 && (b.queues[QUEUE_EMAIL]?.waiting ?? 0) === 0;

/** Waits (at most `maxS`) until nothing is due, unpublished or unsent. */
async function drain(redisUrl: string, prefix: string, maxS: number): Promise<{ last: Backlog; drained: boolean; seconds: number }> {
  const started = Date.now();
  let last = await backlog(redisUrl, prefix);
  while (!isDrained(last) && Date.now() - started < maxS * 1000) {
    await new Promise((r) => setTimeout(r, 1_000));
    last = await backlog(redisUrl, prefix);
  }
  return { last, drained: isDrained(last), seconds: (Date.now() - started) / 1000 };
}

// ---- The benchmark ----

export async function benchLoad(env: BenchEnv, opts: LoadBenchOptions): Promise<{ figures: Figure[]; details: Record<string, string | number> }> {
  const existing = await prisma.dossier.count();
  if (existing < opts.queueDossiers) {
    env.log(`LOAD: seeding ${(opts.queueDossiers - existing).toLocaleString("en")} dossiers for the queue`);
    await seedQueue(env.databaseUrl, { count: opts.queueDossiers - existing });
  }
  const started = Date.now();
  const data = await prepare(opts, env.log);
  env.log(`LOAD: users and dossiers prepared in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const prefix = `${env.prefix}_load`;
  const workDir = path.join(env.root, ".data", "bench", `load-${randomUUID().slice(0, 8)}`);
  const sink = await new SmtpSink().listen();
  let worker: WorkerProcess | undefined;
  let web: WebProcess | undefined;
  try {
    worker = await startWorker(env, prefix, sink.port);
    web = await startWebProcess(env, { QUEUE_PREFIX: prefix, FILE_STORE: path.join(workDir, "store") });
    const base = web.url;

    const people = [...data.window, ...data.overviewApplicant, ...data.itemApplicant, ...data.upload, ...data.answer, ...data.submit, ...data.advisors, ...data.admin, ...data.audit];
    const signInStarted = performance.now();
    const { users, ms: signInMs } = await signInAll(base, people);
    const signInS = (performance.now() - signInStarted) / 1000;
    env.log(`LOAD: ${users.length} users signed in through /login in ${signInS.toFixed(1)} s`);
    const byId = new Map(users.map((x) => [x.id, x]));
    const signedIn = (list: { row: UserRow }[]) => list.map((p) => byId.get(p.row.id)!);
    const advisorUsers = signedIn(data.advisors);
    const plan = actions({
      window: signedIn(data.window),
      overviewApplicant: signedIn(data.overviewApplicant),
      overviewAdvisor: advisorUsers.slice(0, USERS.overviewAdvisor),
      itemAdvisor: advisorUsers.slice(USERS.overviewAdvisor, USERS.overviewAdvisor + USERS.itemAdvisor),
      flag: advisorUsers.slice(USERS.overviewAdvisor + USERS.itemAdvisor),
      itemApplicant: signedIn(data.itemApplicant),
      upload: signedIn(data.upload),
      answer: signedIn(data.answer),
      submit: signedIn(data.submit),
      admin: signedIn(data.admin),
      audit: signedIn(data.audit),
    });
    const connections = plan.reduce((n, a) => n + a.users.length, 0);
    await checkActions(base, plan, env.log);

    // What the run is checked against afterwards.
    const counts = async () => ({
      gaps: await prisma.gap.count(),
      replies: await prisma.gapEvent.count({ where: { kind: "REPLIED" } }),
      versions: await prisma.documentVersion.count(),
      submissions: await prisma.submission.count(),
    });
    // The preparation's emails (rows the worker's sweep publishes) go out first: the "before" is a quiet worker.
    const quiet = await drain(env.redisUrl, prefix, opts.drainS);
    env.log(`LOAD: backlog before the load ${quiet.drained ? `drained in ${quiet.seconds.toFixed(0)} s` : `not drained after ${quiet.seconds.toFixed(0)} s`}`);
    const countsBefore = await counts();
    const before = await backlog(env.redisUrl, prefix);
    const cpuBefore = web.cpuMs();
    env.log(`LOAD: ${plan.length} actions, ${connections} connections, ${opts.durationS} s`);
    const results = await Promise.all(plan.map((a) => runAction(base, a, opts.durationS)));
    const cpuAfter = web.cpuMs();
    const after = await backlog(env.redisUrl, prefix);
    const { last, seconds: drainS } = await drain(env.redisUrl, prefix, opts.drainS);
    // After the drain: requests still in flight when the load stopped have finished on the server by now.
    const countsAfter = await counts();

    const figures: Figure[] = [];
    const details: Record<string, string | number> = {};
    const ms = (v: number) => `${v < 10 ? v.toFixed(1) : v.toFixed(0)}`;
    let totalRequests = 0;
    let totalErrors = 0;
    for (const r of results) {
      const answered = r.latencies.length;
      const errors = [...r.wrong.values()].reduce((a, b) => a + b, 0) + r.transportErrors;
      totalRequests += answered;
      totalErrors += errors;
      const wrong = [...r.wrong].map(([status, n]) => `${n}× ${status}`).join(", ");
      const refusals = r.refused > 0 ? `; ${r.refused} expected 409 (no draft left)` : "";
      figures.push({
        id: "LOAD",
        what: `${r.action.name}, ${r.action.users.length} users`,
        measured:
          `${answered} req, ${(answered / r.durationS).toFixed(1)} req/s; p50 / p95 / p99 ${ms(percentile(r.latencies, 50))} / ${ms(percentile(r.latencies, 95))} / ${ms(percentile(r.latencies, 99))} ms; ` +
          `errors ${errors}${wrong ? ` (${wrong})` : ""}${r.timeouts ? ` (${r.timeouts} timeouts)` : ""}${refusals}`,
        target: "0 errors",
        met: errors === 0,
      });
    }
    const all = results.flatMap((r) => r.latencies);
    const durationS = Math.max(...results.map((r) => r.durationS));
    figures.push(
      {
        id: "LOAD",
        what: `mixed workload, ${connections} users signed in through /login, ${opts.durationS} s, no think time`,
        measured: `${(totalRequests / durationS).toFixed(1)} req/s (${totalRequests} req); p50 / p95 / p99 ${ms(percentile(all, 50))} / ${ms(percentile(all, 95))} / ${ms(percentile(all, 99))} ms; errors ${totalErrors}`,
        target: "0 errors",
        met: totalErrors === 0,
      },
      {
        id: "LOAD",
        what: "worker backlog before → after the load (reminders due and unsent / emails unsent / BullMQ email waiting / reminder jobs delayed)",
        measured:
          `${before.remindersDue} / ${before.emails} / ${before.queues[QUEUE_EMAIL]!.waiting} / ${before.queues[QUEUE_REMINDERS]!.delayed} → ` +
          `${after.remindersDue} / ${after.emails} / ${after.queues[QUEUE_EMAIL]!.waiting} / ${after.queues[QUEUE_REMINDERS]!.delayed}; ` +
          (isDrained(last) ? `drained ${drainS.toFixed(0)} s later` : `not drained after ${drainS.toFixed(0)} s`),
        target: "drains",
        met: isDrained(last),
      },
    );
    const done = (key: keyof typeof countsAfter) => countsAfter[key] - countsBefore[key];
    const ok = (name: string) => results.find((r) => r.action.name.startsWith(name))!.ok;
    const check = (label: string, rows: number, answers: number) => `${label} ${rows}${rows === answers ? "" : ` (successful answers: ${answers}; the rest were in flight when the load stopped)`}`;
    details["LOAD sign-in"] = `${users.length} users through the /login form, ${SIGN_IN_CONCURRENCY} at a time: ${signInS.toFixed(1)} s, p50 ${ms(percentile(signInMs, 50))} ms, p99 ${ms(percentile(signInMs, 99))} ms`;
    details["LOAD rows written"] =
      `${check("gaps", done("gaps"), ok("flag"))}, ${check("replies", done("replies"), ok("answer"))}, ` +
      `${check("document versions", done("versions"), ok("upload"))}, ${check("submissions", done("submissions"), ok("submit"))}`;
    if (cpuBefore !== null && cpuAfter !== null) details["LOAD web process CPU"] = `${((cpuAfter - cpuBefore) / Math.max(1, totalRequests)).toFixed(1)} ms per request, ${((cpuAfter - cpuBefore) / 10 / durationS).toFixed(0)} % of one core`;
    const logged = [...web.loggedErrors].sort((x, y) => y[1] - x[1]);
    if (logged.length > 0) details["LOAD errors the web process logged"] = logged.slice(0, 5).map(([message, n]) => `${n}× ${message}`).join("; ");
    details["LOAD backlog before"] = describeBacklog(before);
    details["LOAD backlog after"] = describeBacklog(after);
    details["LOAD backlog at the end"] = `${describeBacklog(last)}; emails received by the SMTP sink: ${sink.arrivals.size}`;
    return { figures, details };
  } finally {
    await web?.stop();
    if (worker && worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGTERM");
    await worker?.exit;
    await sink.close();
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

