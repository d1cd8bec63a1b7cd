import { Redis, type RedisOptions } from "ioredis";
import { env } from "./env.ts";

/** A producer connection: fails fast when Redis is down, so a web request never waits on it. */
export function producerConnection(url = env().REDIS_URL): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 500, 5_000),
  } satisfies RedisOptions);
}

/** A worker connection: BullMQ needs blocking commands without a retry limit. */
export function workerConnection(url = env().REDIS_URL): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
