import { pino } from "pino";
import { logger } from "#app/.server/logger.ts";
import { workerConnection } from "#app/.server/redis.ts";

/*
 * Helpers of the input and data security suite (QUALITY S10–S17): the web
 * process's log lines captured as they are written, and what Redis holds
 * under a prefix. (Upload helpers: scripts/test/uploads.ts.)
 */

export interface LogRecord {
  level: number;
  msg?: string;
  requestId?: string;
  [key: string]: unknown;
}

/**
 * Captures what the web process's logger writes (the server of startTestServer
 * runs in the test process and shares its pino instance): every write exactly
 * as it would reach stdout, at `level` or above, until `stop()`. The real
 * logger's serialisation (escaping, redaction, request id) is what is tested;
 * only its destination is swapped.
 */
export function captureLog(level: pino.Level = "info") {
  const writes: string[] = [];
  const previousLevel = logger.level;
  const previousStream: unknown = Reflect.get(logger, pino.symbols.streamSym);
  Reflect.set(logger, pino.symbols.streamSym, { write: (chunk: string) => writes.push(chunk) });
  logger.level = level;
  return {
    /** The raw writes, one per log call. */
    writes,
    /** The lines written so far, parsed. */
    records: (): LogRecord[] => writes.flatMap((w) => w.split("\n").filter((line) => line !== "")).map((line) => JSON.parse(line) as LogRecord),
    stop() {
      logger.level = previousLevel;
      Reflect.set(logger, pino.symbols.streamSym, previousStream);
    },
  };
}

/** Every value stored under keys matching `pattern` (hashes, lists, sets, sorted sets, streams, strings), as one text. */
export async function redisValues(pattern: string): Promise<string> {
  const redis = workerConnection();
  try {
    const values: unknown[] = [];
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === "hash") values.push(await redis.hgetall(key));
        else if (type === "list") values.push(await redis.lrange(key, 0, -1));
        else if (type === "set") values.push(await redis.smembers(key));
        else if (type === "zset") values.push(await redis.zrange(key, "0", "-1"));
        else if (type === "stream") values.push(await redis.xrange(key, "-", "+"));
        else if (type === "string") values.push(await redis.get(key));
      }
    } while (cursor !== "0");
    return JSON.stringify(values);
  } finally {
    redis.disconnect();
  }
}
