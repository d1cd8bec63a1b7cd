/**
 * `npm start`: the whole portal on one machine. Whatever is not configured is
 * provided (embedded PostgreSQL under .data/, local Redis, a development
 * mailbox), migrations run, demo data is seeded, then the web and worker
 * processes start as children. Ctrl-C stops everything in order; the data
 * stays in .data/ for the next run.
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmbeddedServices } from "./infra/embedded.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = path.resolve(root, process.env.GREENLANE_DATA_DIR ?? ".data");
const started = Date.now();
const log = (msg: string) => console.log(`[greenlane] ${msg}`);

let services: Awaited<ReturnType<typeof startEmbeddedServices>>;
try {
  services = await startEmbeddedServices({ dataDir, source: process.env, log });
} catch (error) {
  console.error(`[greenlane] cannot start: ${(error as Error).message}`);
  process.exit(1);
}

const port = process.env.PORT ?? "3000";
const childEnv: Record<string, string | undefined> = {
  ...process.env,
  ...services.env,
  NODE_ENV: process.env.NODE_ENV ?? "production",
  PORT: port,
  APP_URL: process.env.APP_URL ?? `http://localhost:${port}`,
  FILE_STORE: process.env.FILE_STORE ?? path.join(dataDir, "files"),
};
Object.assign(process.env, childEnv);

// For tooling that needs the services this launcher chose (browser-test factories): their URLs, readable by this user only.
if (process.env.GREENLANE_RUNTIME_FILE) {
  const { writeFileSync } = await import("node:fs");
  writeFileSync(process.env.GREENLANE_RUNTIME_FILE, JSON.stringify({ DATABASE_URL: childEnv.DATABASE_URL, REDIS_URL: childEnv.REDIS_URL, FILE_STORE: childEnv.FILE_STORE }), { mode: 0o600 });
}

// Validate the final configuration once, here, with one message per bad value.
const { ConfigError, env } = await import("#app/.server/env.ts");
try {
  env();
} catch (error) {
  if (error instanceof ConfigError) console.error(error.message);
  await services.stop();
  process.exit(1);
}

let demoLogins: string[] | undefined;
const seedDemoData = services.usedEmbeddedPostgres || process.env.SEED_DEMO === "true";
if (seedDemoData) {
  const { seedDemo, DEMO_USERS, DEMO_PASSWORD } = await import("../prisma/seed.ts");
  const { prisma } = await import("#app/.server/db.ts");
  const { created } = await seedDemo(prisma);
  await prisma.$disconnect();
  await (await import("#app/.server/queue.ts")).closeEmailQueue();
  if (created > 0) log(`demo data seeded (${created} users)`);
  demoLogins = DEMO_USERS.map((u) => `  ${u.role.padEnd(10)} ${u.email.padEnd(34)} ${DEMO_PASSWORD}`);
}

const children = new Map<string, ChildProcess>();
let stopping = false;

function startChild(name: string, script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(root, script), [], {
      env: { ...childEnv, GREENLANE_SERVICE: name } as unknown as NodeJS.ProcessEnv,
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    children.set(name, child);
    child.on("message", (m: { type?: string }) => {
      if (m?.type === "ready") resolve();
    });
    child.on("exit", (code, signal) => {
      children.delete(name);
      if (!stopping) {
        console.error(`[greenlane] ${name} exited (${signal ?? code}); stopping everything`);
        reject(new Error(`${name} exited`));
        void shutdown(1);
      }
    });
  });
}

async function shutdown(exitCode = 0) {
  if (stopping) return;
  stopping = true;
  log("stopping…");
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    ),
  );
  await services.stop();
  log("stopped");
  process.exit(exitCode);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  await Promise.all([startChild("web", "server.ts"), startChild("worker", "workers/index.ts")]);
} catch {
  // shutdown already runs
}
if (!stopping) {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    [
      "",
      "──────────────────────────────────────────────────────────────",
      ` 绿通 Greenlane is running at ${childEnv.APP_URL}   (ready in ${seconds} s)`,
      ...(demoLogins ? [" Demo logins (role, email, password):", ...demoLogins] : []),
      ...(services.env.DEV_MAILBOX ? [` Outgoing mail is captured: sign in as WINDOW or ADMIN → ${childEnv.APP_URL}/mailbox`] : []),
      " Press Ctrl-C to stop; data stays in .data/",
      "──────────────────────────────────────────────────────────────",
      "",
    ].join("\n"),
  );
}
