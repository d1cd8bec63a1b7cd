import path from "node:path";
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import pg from "pg";
import { applyMigrations } from "../../prisma/migrate-engine.ts";
import { findFreePort, startEmbeddedPostgres } from "../infra/postgres.ts";
import { resolveRedis } from "../infra/redis.ts";

declare module "vitest" {
  export interface ProvidedContext {
    testEnv: Record<string, string>;
    adminDatabaseUrl: string;
  }
}

/**
 * Real services for the integration tests: PostgreSQL from TEST_DATABASE_URL
 * (a server URL; a fresh database is created on it) or an embedded one under
 * .data/test-pg, and Redis from TEST_REDIS_URL or the embedded default's rule.
 * Each run gets a new database and its own BullMQ prefix; tests make their own
 * uniquely named data.
 */
export default async function setup(project: TestProject) {
  const root = path.resolve(import.meta.dirname, "../..");
  const dataDir = path.join(root, ".data", "test");
  const stops: (() => Promise<void>)[] = [];
  const log = (msg: string) => {
    if (process.env.TEST_INFRA_LOG) console.log(msg);
  };

  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const handle = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: await findFreePort(), database: "postgres", log });
    stops.push(() => handle.stop());
    serverUrl = handle.url;
  }
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/greenlane_test_${runId}`;
  await applyMigrations(databaseUrl.href);
  stops.push(async () => {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "greenlane_test_${runId}" WITH (FORCE)`);
    await admin.end();
  });

  let redisUrl = process.env.TEST_REDIS_URL;
  if (!redisUrl) {
    const redis = await resolveRedis({ dataDir, log });
    stops.push(() => redis.stop());
    redisUrl = redis.url;
  }

  project.provide("adminDatabaseUrl", serverUrl);
  project.provide("testEnv", {
    NODE_ENV: "test",
    DATABASE_URL: databaseUrl.href,
    REDIS_URL: redisUrl,
    // Tests that send mail start their own mailbox; the web side only queues.
    SMTP_URL: "smtp://127.0.0.1:2525",
    SESSION_SECRET: randomBytes(32).toString("hex"),
    QUEUE_PREFIX: `gltest_${runId}`,
    APP_URL: "http://localhost:3000",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    DEV_MAILBOX: "true",
    FILE_STORE: path.join(dataDir, `files-${runId}`),
    // Above the 300 MB upload test, low enough that the over-limit test stays quick.
    UPLOAD_MAX_BYTES: String(310 * 1024 * 1024),
  });

  stops.push(async () => {
    const { rm } = await import("node:fs/promises");
    await rm(path.join(dataDir, `files-${runId}`), { recursive: true, force: true });
  });
  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}
