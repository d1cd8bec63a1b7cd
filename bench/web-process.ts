import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { findFreePort } from "#scripts/infra/postgres.ts";
import type { BenchEnv } from "./reminders.ts";

/*
 * The built app in a web process of its own (server.ts with REMIX_BUILD_DIR,
 * NODE_ENV=production, loopback only), so the load generator in the bench
 * process does not share its event loop. Its pid is known, so a benchmark
 * can read the process's CPU time and memory from /proc (Linux).
 */

export interface WebProcess {
  url: string;
  pid: number;
  /** CPU time the web process has used so far (ms; Linux /proc), or null elsewhere. */
  cpuMs: () => number | null;
  /** Resident memory now (VmRSS, bytes; Linux /proc), or null elsewhere. */
  rssBytes: () => number | null;
  /**
   * Resets the peak resident memory (VmHWM) to the current resident memory, so `peakRssBytes` afterwards
   * is the peak since this call (Linux /proc/<pid>/clear_refs "5"). False where that is not possible.
   */
  resetPeakRss: () => boolean;
  /** Peak resident memory (VmHWM, bytes) since the start or the last `resetPeakRss`, or null. */
  peakRssBytes: () => number | null;
  /** The errors (log lines of level error or worse with an error) the process has logged: "message: error text" → count. */
  loggedErrors: Map<string, number>;
  stop: () => Promise<void>;
}

/** Starts the web process with the bench's database, Redis and session secret; `extra` adds or overrides variables. */
export async function startWebProcess(env: BenchEnv, extra: Record<string, string> = {}): Promise<WebProcess> {
  const buildDir = process.env.REMIX_BUILD_DIR ?? "build";
  if (!existsSync(path.resolve(env.root, buildDir, "server/index.js"))) {
    throw new Error(`no build in ${buildDir}/: run \`npm run build\` first (or set REMIX_BUILD_DIR to a build directory)`);
  }
  const port = await findFreePort();
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: env.root,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      SESSION_SECRET: env.sessionSecret,
      QUEUE_PREFIX: `${env.prefix}_queue`,
      SMTP_URL: "smtp://127.0.0.1:2525",
      HOST: "127.0.0.1",
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: "warn",
      CLOCK_FILE: "",
      REMIX_BUILD_DIR: buildDir,
      ...extra,
    },
  });
  const stderr: string[] = [];
  child.stderr!.on("data", (b: Buffer) => stderr.push(b.toString("utf8")));
  // The JSON log lines (pino, LOG_LEVEL warn): errors are counted, so a benchmark can say what its 500s were.
  const loggedErrors = new Map<string, number>();
  createInterface({ input: child.stdout! }).on("line", (line) => {
    let entry: { level?: number; msg?: string; err?: { message?: string; code?: string; type?: string } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return;
    }
    // Errors only (the access log line of a 500 carries no error of its own).
    if ((entry.level ?? 0) < 50 || !entry.err) return;
    // Prisma's messages open with an empty line and the call site; the last non-empty line names the cause.
    const lines = (entry.err.message ?? "").split("\n").map((l) => l.trim()).filter(Boolean);
    const cause = [entry.err.type, entry.err.code, lines.at(-1)].filter(Boolean).join(" ");
    const key = `${entry.msg ?? ""}: ${cause.slice(0, 240)}`;
    loggedErrors.set(key, (loggedErrors.get(key) ?? 0) + 1);
  });
  const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new Promise<void>((resolve) => child.on("message", (m: { type?: string }) => m.type === "ready" && resolve())),
      exit.then(() => Promise.reject(new Error(`web process exited before it was ready: ${stderr.join("")}`))),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("web process not ready within 60 s")), 60_000))),
    ]);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const pid = child.pid!;
  const proc = (file: string) => `/proc/${pid}/${file}`;
  const statusKiB = (field: string) => {
    if (!existsSync(proc("status"))) return null;
    const kib = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(proc("status"), "utf8"))?.[1];
    return kib === undefined ? null : Number(kib) * 1024;
  };
  const ticksPerMs = 100 / 1000; // USER_HZ
  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    cpuMs: () => {
      if (!existsSync(proc("stat"))) return null;
      const fields = readFileSync(proc("stat"), "utf8").split(") ")[1]!.split(" ");
      return (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
    },
    rssBytes: () => statusKiB("VmRSS"),
    resetPeakRss: () => {
      try {
        writeFileSync(proc("clear_refs"), "5");
        return true;
      } catch {
        return false;
      }
    },
    peakRssBytes: () => statusKiB("VmHWM"),
    loggedErrors,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exit;
    },
  };
}
