/**
 * `npm run bench`: the project's benchmarks (QUALITY.md P1–P6) and the load and soak run, printed
 * as a table and as markdown for the README; the markdown is also written to
 * bench/results/. Not part of `npm test`; figures only (no pass/fail exit code
 * for a missed target).
 *
 *   npm run bench                 P1 and P2 on 100,000 dossiers, P3 with 16 and 512 MiB, P6, P4 with 5,000 reminders due over
 *                                 5 minutes, P5, then LOAD: 200 users of every role for 5 minutes
 *   npm run bench -- --quick      under 5 minutes: 20,000 dossiers, 8 s load runs; P3 with 16 and 128 MiB; a 45 s reminder
 *                                 window (750 reminders, the same rate); LOAD for 30 s
 *   npm run bench -- --only P1    one benchmark (P1, P2, P3 and LOAD need a build: `npm run build`, or REMIX_BUILD_DIR)
 *
 * Environment: BENCH_QUEUE_DOSSIERS (P1/P2 seeded dossiers, default 100000), BENCH_QUEUE_SECONDS (P1 load per
 * page, default 15), BENCH_LOAD_SECONDS (LOAD duration, default 300), BENCH_WINDOW_MS (P4 window, default 300000), BENCH_REMINDERS (default 5000 × window / 5 min),
 * BENCH_WORKERS (P4 worker processes, default 2), BENCH_LOCK_MS / BENCH_STALLED_MS (P5 worker lock and stall
 * interval, default 5000 each), BENCH_DATABASE_URL or TEST_DATABASE_URL (a PostgreSQL server URL: a fresh
 * database is created on it and dropped afterwards; default: embedded PostgreSQL under .data/bench),
 * BENCH_REDIS_URL or TEST_REDIS_URL (default: the local Redis or a private redis-server), REMIX_BUILD_DIR
 * (the build P1/P2 serve, default build/).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { applyMigrations } from "../prisma/migrate-engine.ts";
import { findFreePort, startEmbeddedPostgres } from "../scripts/infra/postgres.ts";
import { resolveRedis } from "../scripts/infra/redis.ts";
import type { BenchEnv, Figure } from "./reminders.ts";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? args[onlyAt + 1]?.toUpperCase() : undefined;
const log = (msg: string) => console.log(`[bench] ${msg}`);
const int = (name: string, fallback: number) => {
  const value = process.env[name];
  if (!value) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number`);
  return n;
};

const queueDossiers = int("BENCH_QUEUE_DOSSIERS", quick ? 20_000 : 100_000);
const queueSeconds = int("BENCH_QUEUE_SECONDS", quick ? 8 : 15);
const windowMs = int("BENCH_WINDOW_MS", quick ? 45_000 : 300_000);
const reminders = int("BENCH_REMINDERS", Math.round((5_000 * windowMs) / 300_000));
const loadSeconds = int("BENCH_LOAD_SECONDS", quick ? 30 : 300);
const stops: (() => Promise<void>)[] = [];
async function cleanup() {
  for (const stop of stops.splice(0).reverse()) await stop().catch((e: unknown) => log(`cleanup: ${(e as Error).message}`));
}

async function main() {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const dataDir = path.join(root, ".data", "bench");

  // A fresh database, migrated with the project's engine.
  let serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const handle = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: await findFreePort(), database: "postgres", log: () => {} });
    stops.push(() => handle.stop());
    serverUrl = handle.url;
    log("PostgreSQL: embedded, under .data/bench/pg");
  }
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/greenlane_bench_${runId}`;
  await applyMigrations(databaseUrl.href);
  stops.push(async () => {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "greenlane_bench_${runId}" WITH (FORCE)`);
    await admin.end();
  });
  log(`database greenlane_bench_${runId} created and migrated`);

  let redisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL;
  if (!redisUrl) {
    const redis = await resolveRedis({ dataDir, log: () => {} });
    stops.push(() => redis.stop());
    redisUrl = redis.url;
  }
  const prefix = `glbench_${runId}`;
  stops.push(async () => {
    const redis = new Redis(redisUrl);
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
    await redis.quit();
  });

  // This process's own configuration, before any app module reads it.
  const sessionSecret = randomBytes(32).toString("hex");
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl.href,
    REDIS_URL: redisUrl,
    SMTP_URL: "smtp://127.0.0.1:2525",
    SESSION_SECRET: sessionSecret,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: "warn",
  });
  const bench = await import("./reminders.ts");
  stops.push(async () => {
    bench.killAllWorkers();
    await bench.prisma.$disconnect();
  });
  const env: BenchEnv = { root, databaseUrl: databaseUrl.href, redisUrl, prefix, sessionSecret, log };

  const figures: Figure[] = [];
  const details: Record<string, string | number> = {};
  // The queue first: its near-empty page is the window user's notifications, which P4's reminders would fill.
  if (!only || only === "P1" || only === "P2") {
    const queue = await import("./queue.ts");
    const result = await queue.benchQueue(env, { dossiers: queueDossiers, durationS: queueSeconds, connections: 32, samples: 200, p1: !only || only === "P1", p2: !only || only === "P2" });
    figures.push(...result.figures);
    Object.assign(details, result.details);
  }
  if (!only || only === "P3") {
    const { benchUpload } = await import("./upload.ts");
    const result = await benchUpload(env, { sizesMiB: quick ? [16, 128] : [16, 512], repetitions: 3 });
    figures.push(...result.figures);
    Object.assign(details, result.details);
  }
  if (!only || only === "P6") {
    // JavaScript shipped per page (gzip), from the build the queue benchmark serves (scripts/page-weight.ts; the test command checks the budget).
    const { pageWeight } = await import("../scripts/page-weight.ts");
    const clientDir = path.join(root, process.env.REMIX_BUILD_DIR ?? "build", "client");
    for (const [page, routeId] of [
      ["applicant's dossier page", "routes/dossiers.$dossierId._index"],
      ["window queue", "routes/window._index"],
    ] as const) {
      const kib = pageWeight(clientDir, routeId).gzipBytes / 1024;
      figures.push({ id: "P6", what: `JavaScript shipped, gzip: ${page}`, measured: `${kib.toFixed(1)} KiB`, target: "≤ 150 KiB", met: kib <= 150 });
    }
  }
  if (!only || only === "P4") {
    const result = await bench.benchP4(env, { count: reminders, windowMs, workers: int("BENCH_WORKERS", 2), leadMs: 20_000, drainMs: 60_000 });
    figures.push(...result.figures);
    Object.assign(details, result.details);
  }
  if (!only || only === "P5") {
    const result = await bench.benchP5(env, { jobs: 20, lockMs: int("BENCH_LOCK_MS", 5_000), stalledMs: int("BENCH_STALLED_MS", 5_000) });
    figures.push(...result.figures);
    Object.assign(details, result.details);
  }
  // Last: it adds window users, and P4/P5 expect the bench database's one window user.
  if (!only || only === "LOAD") {
    const { benchLoad } = await import("./load.ts");
    const result = await benchLoad(env, { durationS: loadSeconds, submitsPerUser: quick ? 5 : 60, queueDossiers: quick ? 5_000 : 20_000, drainS: 120 });
    figures.push(...result.figures);
    Object.assign(details, result.details);
  }
  report(figures, details);
}

/** The machine the figures come from: cores, CPU model, memory. */
function machine() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(os.totalmem() / 1024 ** 3)} GiB, ${os.platform()} ${os.release()}`;
}

function report(figures: Figure[], details: Record<string, string | number>) {
  const met = (f: Figure) => (f.met === null ? "–" : f.met ? "yes" : "no");
  const rows = figures.map((f) => [f.id, f.what, f.measured, f.target, met(f)]);
  const header = ["#", "what", "measured", "target", "met"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log(`\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const r of rows) console.log(line(r));
  for (const [k, v] of Object.entries(details)) console.log(`  ${k}: ${v}`);

  const when = new Date().toISOString();
  const markdown = [
    `Benchmarks, ${when}${quick ? " (--quick)" : ""}, Node ${process.version}, ${machine()}:`,
    "",
    "| # | what | measured | target | met |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    "",
    ...Object.entries(details).map(([k, v]) => `- ${k}: ${v}`),
    "",
  ].join("\n");
  console.log(`\nMarkdown:\n\n${markdown}`);
  const dir = path.join(root, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${when.replaceAll(":", "-")}.md`);
  writeFileSync(file, markdown);
  log(`written to ${path.relative(root, file)}`);
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`${signal}: cleaning up`);
    void cleanup().then(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit();
