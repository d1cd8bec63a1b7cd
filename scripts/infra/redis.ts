/**
 * Redis for the "no external services" default setup: use the Redis already answering on
 * 127.0.0.1:6379 when there is one, else run a private `redis-server` from PATH whose data
 * (AOF) and port live in `<dataDir>/redis`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { constants as fsConstants, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Redis } from "ioredis";
import { findFreePort, isPortFree } from "./postgres.ts";

export type Log = (msg: string) => void;

export interface ResolveRedisOptions {
  dataDir: string;
  log: Log;
  /**
   * Use a Redis already answering on 127.0.0.1:6379 (default true). Tests set it to false to
   * exercise the private redis-server path on machines that run a system Redis.
   */
  tryDefault?: boolean;
}

export interface RedisHandle {
  url: string;
  /** Stops the redis-server this module started; no-op for an external one. Idempotent. */
  stop(): Promise<void>;
  /** True when this module runs (and stop() shuts down) the redis-server. */
  started: boolean;
}

const DEFAULT_HOST = "127.0.0.1";
const DEFAULT_PORT = 6379;
const PROBE_TIMEOUT_MS = 500;
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
const PORT_FILE = "redis.port";

/** A one-shot client that fails fast instead of reconnecting or queueing commands. */
function probeClient(port: number): Redis {
  const client = new Redis({
    host: DEFAULT_HOST,
    port,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: PROBE_TIMEOUT_MS,
  });
  // Connection errors surface through the awaited promises; without a listener ioredis
  // would also print them as unhandled 'error' events.
  client.on("error", () => undefined);
  return client;
}

async function withClient<T>(port: number, fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = probeClient(port);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      (async () => {
        await client.connect();
        return fn(client);
      })(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/** Resolves to null when the port answers PING, else to the reason it does not. */
async function pingError(port: number): Promise<string | null> {
  try {
    const reply = await withClient(port, (client) => client.ping());
    return reply === "PONG" ? null : `unexpected PING reply ${String(reply)}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function findOnPath(command: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      await fs.access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

/** BullMQ loses jobs silently under an evicting policy, so say so early. */
async function warnIfEvicting(port: number, log: Log): Promise<void> {
  try {
    const policy = await withClient(port, (client) => client.config("GET", "maxmemory-policy"));
    const value = Array.isArray(policy) ? policy[1] : undefined;
    if (value && value !== "noeviction") {
      log(`[redis] warning: maxmemory-policy is "${String(value)}"; BullMQ needs "noeviction" to keep jobs`);
    }
  } catch {
    // CONFIG may be disabled (managed Redis); nothing to check then.
  }
}

/**
 * A redis-server of ours that outlived a crashed run (SIGKILL) still serves our data
 * directory on the persisted port. Starting a second one on the same AOF would corrupt it,
 * so recognise it by its `dir` and take it over instead.
 */
async function findOrphan(port: number, redisDir: string): Promise<{ pid: number } | null> {
  try {
    return await withClient(port, async (client) => {
      const dir = await client.config("GET", "dir");
      const actual = Array.isArray(dir) ? String(dir[1]) : "";
      if (actual !== redisDir) return null;
      const info = await client.info("server");
      const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
      return Number.isInteger(pid) && pid > 0 ? { pid } : null;
    });
  } catch {
    return null;
  }
}

async function readStoredPort(file: string): Promise<number | null> {
  try {
    const port = Number.parseInt((await fs.readFile(file, "utf8")).trim(), 10);
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : null;
  } catch {
    return null;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // kill(pid, 0) also succeeds for a zombie, which is what a shut-down orphan becomes when
  // its new parent (a container's PID 1) does not reap children.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function handleFor(port: number, stop: () => Promise<void>): RedisHandle {
  let stopPromise: Promise<void> | undefined;
  return { url: `redis://${DEFAULT_HOST}:${port}`, started: true, stop: () => (stopPromise ??= stop()) };
}

function adoptOrphan(port: number, pid: number, log: Log): RedisHandle {
  log(`[redis] taking over redis-server pid ${pid} on port ${port} left from an earlier run`);
  // Same safety net as for a spawned server: SIGTERM is redis-server's graceful shutdown.
  const killOnExit = () => {
    if (isProcessAlive(pid)) process.kill(pid, "SIGTERM");
  };
  process.once("exit", killOnExit);
  return handleFor(port, async () => {
    process.removeListener("exit", killOnExit);
    // Not our child, so no 'exit' event: SHUTDOWN, then poll the pid.
    await withClient(port, (client) => client.shutdown()).catch(() => undefined);
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (isProcessAlive(pid) && Date.now() < deadline) await sleep(50);
    if (isProcessAlive(pid)) process.kill(pid, "SIGKILL");
    log("[redis] stopped");
  });
}

async function spawnRedis(binary: string, port: number, redisDir: string, log: Log): Promise<RedisHandle> {
  const args = [
    "--port", String(port),
    "--bind", DEFAULT_HOST,
    "--dir", redisDir,
    "--appendonly", "yes",
    // AOF is the persistence; RDB snapshots would only add fork pauses.
    "--save", "",
    "--maxmemory-policy", "noeviction",
    "--daemonize", "no",
  ];
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  const recent: string[] = [];
  const onOutput = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      const trimmed = line.trimEnd();
      if (!trimmed) continue;
      recent.push(trimmed);
      if (recent.length > 30) recent.shift();
      log(`[redis] ${trimmed}`);
    }
  };
  child.stdout?.on("data", onOutput);
  child.stderr?.on("data", onOutput);

  let stopping = false;
  let spawnError: Error | undefined;
  child.once("error", (error) => {
    spawnError = error;
  });
  child.once("exit", (code, signal) => {
    if (!stopping) log(`[redis] redis-server exited unexpectedly (code ${code ?? "null"}, signal ${signal ?? "null"})`);
  });
  // Safety net when the process exits without stop(): redis-server treats SIGTERM as SHUTDOWN.
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  };
  process.once("exit", killOnExit);

  const stop = async () => {
    stopping = true;
    process.removeListener("exit", killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
      log(`[redis] redis-server did not exit within ${STOP_TIMEOUT_MS / 1000} s, sending SIGKILL`);
      child.kill("SIGKILL");
      await waitForExit(child, 2_000);
    }
    log("[redis] stopped");
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(
        `redis-server failed to start on port ${port}: ${spawnError?.message ?? `exit code ${child.exitCode}`}\n${recent.join("\n")}`,
      );
    }
    if ((await pingError(port)) === null) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not answer PING within ${READY_TIMEOUT_MS / 1000} s:\n${recent.join("\n")}`);
    }
    await sleep(50);
  }
  log(`[redis] redis-server pid ${child.pid} listening on ${DEFAULT_HOST}:${port}, data in ${redisDir}`);
  return handleFor(port, stop);
}

export async function resolveRedis(options: ResolveRedisOptions): Promise<RedisHandle> {
  const { log, tryDefault = true } = options;

  if (tryDefault) {
    const reason = await pingError(DEFAULT_PORT);
    if (reason === null) {
      log(`[redis] using the Redis already running on ${DEFAULT_HOST}:${DEFAULT_PORT}`);
      await warnIfEvicting(DEFAULT_PORT, log);
      return { url: `redis://${DEFAULT_HOST}:${DEFAULT_PORT}`, started: false, stop: async () => undefined };
    }
    log(`[redis] nothing usable on ${DEFAULT_HOST}:${DEFAULT_PORT} (${reason})`);
  }

  const binary = await findOnPath("redis-server");
  if (!binary) {
    throw new Error(
      `Redis is required but none answers on ${DEFAULT_HOST}:${DEFAULT_PORT} and redis-server is not on PATH. ` +
        `Install it (Debian/Ubuntu: apt-get install redis-server) or set REDIS_URL to an existing Redis.`,
    );
  }

  // realpath so the comparison with the `dir` an orphaned server reports is exact.
  await fs.mkdir(path.resolve(options.dataDir, "redis"), { recursive: true });
  const redisDir = await fs.realpath(path.resolve(options.dataDir, "redis"));
  const portFile = path.join(redisDir, PORT_FILE);

  let port = await readStoredPort(portFile);
  if (port !== null && !(await isPortFree(port))) {
    const orphan = await findOrphan(port, redisDir);
    if (orphan) return adoptOrphan(port, orphan.pid, log);
    log(`[redis] stored port ${port} is taken by another process, choosing a new one`);
    port = null;
  }
  if (port === null) {
    port = await findFreePort();
    await fs.writeFile(portFile, `${port}\n`);
  }
  return spawnRedis(binary, port, redisDir, log);
}
