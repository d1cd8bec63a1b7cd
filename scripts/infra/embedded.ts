import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { applyMigrations } from "../../prisma/migrate-engine.ts";
import { startEmbeddedPostgres } from "./postgres.ts";
import { startDevMailbox } from "./mailbox.ts";
import { resolveRedis } from "./redis.ts";

export type Log = (msg: string) => void;

export interface EmbeddedServices {
  /** Variables for the web and worker processes (DATABASE_URL, REDIS_URL, SMTP_URL, …). */
  env: Record<string, string>;
  usedEmbeddedPostgres: boolean;
  stop(): Promise<void>;
}

/** Reads a secret kept in the data folder, creating it on first use. */
function persistentSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * The embedded default: whatever is not configured in `source` is provided
 * here. No DATABASE_URL → embedded PostgreSQL under dataDir; no REDIS_URL →
 * the local Redis or a private redis-server; no SMTP_URL → the development
 * mailbox, whose messages are stored in the portal's database. Migrations are
 * applied before anything else starts.
 */
export async function startEmbeddedServices(options: {
  dataDir: string;
  source: Record<string, string | undefined>;
  log: Log;
  pgPort?: number;
}): Promise<EmbeddedServices> {
  const { dataDir, source, log } = options;
  mkdirSync(dataDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e: unknown) => log(`stop failed: ${(e as Error).message}`));
    stops.length = 0;
  };
  const env: Record<string, string> = {};
  try {
    let databaseUrl = source.DATABASE_URL;
    const usedEmbeddedPostgres = !databaseUrl;
    if (!databaseUrl) {
      const port = options.pgPort ?? Number(source.EMBEDDED_PG_PORT ?? 54329);
      const pgHandle = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), port, database: "greenlane", log });
      stops.push(() => pgHandle.stop());
      databaseUrl = pgHandle.url;
      log(`PostgreSQL (embedded) on 127.0.0.1:${port}`);
    }
    env.DATABASE_URL = databaseUrl;

    const migrated = await applyMigrations(databaseUrl, { log });
    if (migrated.applied.length > 0) log(`migrations applied: ${migrated.applied.join(", ")}`);

    if (!source.REDIS_URL) {
      const redis = await resolveRedis({ dataDir, log });
      stops.push(() => redis.stop());
      env.REDIS_URL = redis.url;
      log(`Redis ${redis.started ? "(private redis-server)" : "(already running)"} at ${redis.url}`);
    }

    if (!source.SMTP_URL) {
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
      // Ctrl-C reaches PostgreSQL too (same process group): its goodbye to idle connections must not crash the launcher.
      pool.on("error", (error) => log(`[mailbox] database connection closed: ${error.message}`));
      const mailbox = await startDevMailbox({
        log,
        onMessage: async (m) => {
          await pool.query(
            `INSERT INTO dev_mail_message (id, message_id, from_addr, to_addrs, subject, text, html) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6)`,
            [m.messageId, m.from, m.to, m.subject, m.text, m.html],
          );
        },
      });
      stops.push(async () => {
        await mailbox.stop();
        await pool.end();
      });
      env.SMTP_URL = mailbox.url;
      env.DEV_MAILBOX = "true";
      log(`development mailbox (SMTP) at ${mailbox.url}`);
    }

    if (!source.SESSION_SECRET) env.SESSION_SECRET = persistentSecret(path.join(dataDir, "session-secret"));
    return { env, usedEmbeddedPostgres, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
