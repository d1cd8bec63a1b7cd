import { prisma } from "./db.ts";
import { producerConnection } from "./redis.ts";
import type { Redis } from "ioredis";

let redis: Redis | undefined;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timeout after ${ms} ms`)), ms).unref())]);
}

async function pingRedis(client: Redis) {
  // The producer connection does not queue commands while connecting: wait for it first.
  if (client.status !== "ready") await new Promise((resolve) => client.once("ready", resolve));
  return client.ping();
}

/** Checks PostgreSQL and Redis, each within a second, for /healthz. */
export async function checkHealth() {
  redis ??= producerConnection();
  const [db, queue] = await Promise.allSettled([
    withTimeout(prisma.$queryRaw`SELECT 1`, 1_000),
    withTimeout(pingRedis(redis), 1_000),
  ]);
  const result = {
    postgres: db.status === "fulfilled" ? "ok" : `error: ${(db.reason as Error).message}`,
    redis: queue.status === "fulfilled" ? "ok" : `error: ${(queue.reason as Error).message}`,
  };
  return { ok: db.status === "fulfilled" && queue.status === "fulfilled", checks: result };
}

export async function closeHealth() {
  if (redis) redis.disconnect();
  redis = undefined;
}
