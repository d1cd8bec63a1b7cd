import type { Redis } from "ioredis";

/**
 * BullMQ needs every key to survive memory pressure: an evicting policy would
 * silently drop jobs (QUALITY R11). Returns the problem, or null when fine.
 */
export async function redisPolicyProblem(redis: Redis): Promise<string | null> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config("GET", "maxmemory-policy")) as string[];
    policy = reply[1];
  } catch {
    // Managed Redis often disables CONFIG; INFO still tells.
    const info = await redis.info("memory");
    policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
  }
  if (policy === undefined) return "could not read Redis maxmemory-policy";
  if (policy !== "noeviction") {
    return `Redis maxmemory-policy is "${policy}"; BullMQ needs "noeviction" or queued reminders can be evicted. Set it with: redis-cli CONFIG SET maxmemory-policy noeviction (and in redis.conf).`;
  }
  return null;
}
