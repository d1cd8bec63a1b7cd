import { z } from "zod";

/**
 * All configuration, validated once at start. Every bad value is reported with
 * its variable name so an operator can fix the environment in one go.
 */
const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const intIn = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const url = (protocols: string[]) =>
  z.url({ abort: true }).refine((v) => protocols.some((p) => v.startsWith(`${p}:`)), {
    message: `must start with ${protocols.map((p) => `${p}://`).join(" or ")}`,
  });

export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: url(["postgres", "postgresql"]),
  /** Connections per process (web and worker each); a request waits up to 10 s for a free one. */
  DATABASE_POOL_SIZE: intIn(1, 200).default(10),
  REDIS_URL: url(["redis", "rediss"]),
  /** Unset: the built-in development mailbox started by the launcher. */
  SMTP_URL: url(["smtp", "smtps"]),
  MAIL_FROM: z.string().min(3).default("绿通 Greenlane <no-reply@greenlane.local>"),
  /** The portal's public base URL, used in emailed links and the Origin check. */
  APP_URL: url(["http", "https"]).default("http://localhost:3000"),
  PORT: intIn(1, 65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters"),
  /** Whether the dev mailbox page is available (true when the launcher runs the built-in mailbox). */
  DEV_MAILBOX: bool.default(false),
  FILE_STORE: z.string().default(".data/files"),
  /** Largest document accepted (policy; default 1 GiB). */
  UPLOAD_MAX_BYTES: intIn(1, 64 * 1024 ** 3).default(1024 ** 3),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Security policy (等保 Level 3 defaults). */
  SESSION_IDLE_MINUTES: intIn(1, 24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: intIn(1, 24 * 30).default(12),
  LOCKOUT_THRESHOLD: intIn(1, 100).default(5),
  LOCKOUT_MINUTES: intIn(1, 24 * 60).default(15),
  /** Prefix for BullMQ keys, so several installations (or test runs) can share one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default("greenlane"),
  /** Job lock of the workers: a job whose worker died is taken over after lock + stall interval (QUALITY R1, P5). */
  WORKER_LOCK_MS: intIn(1_000, 600_000).default(30_000),
  WORKER_STALLED_MS: intIn(500, 600_000).default(30_000),
  /**
   * Tests and demonstrations only: a file holding a clock offset, so deadlines
   * and reminders can be moved forward in time without waiting (see clock.ts).
   * Never set in production.
   */
  CLOCK_FILE: z.string().optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings count as unset, so `FOO=` in a shell does not become an invalid value.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const key = issue.path.join(".");
        const got = key in cleaned ? "" : " (not set)";
        return `${key}${got}: ${issue.message}`;
      }),
    );
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated configuration of this process. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export const isSecureOrigin = (e: Env) => e.APP_URL.startsWith("https:");

/** For process entry points: the configuration, or every problem printed and exit code 1. */
export function envOrExit(): Env {
  try {
    return env();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
