/**
 * Deletes this run's data folder (.data/e2e-<run id>: its PostgreSQL cluster,
 * session secret, files) after the run, and nothing else.
 *
 * Playwright runs globalTeardown *before* it stops the webServer, so the
 * embedded PostgreSQL still has the folder open at this point. The deletion is
 * therefore deferred to the exit of the runner process, which happens after
 * the webServer (launcher → web, worker, PostgreSQL) has been stopped; it waits
 * a little for PostgreSQL's pid file to go away before removing anything.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function isThisRunsFolder(dir: string | undefined): dir is string {
  if (!dir) return false;
  const resolved = path.resolve(dir);
  return path.dirname(resolved) === path.join(root, ".data") && /^e2e-[A-Za-z0-9_-]+$/.test(path.basename(resolved));
}

function postgresStillRunning(dir: string): boolean {
  const pidFile = path.join(dir, "postgres", "pgdata", "postmaster.pid");
  if (!existsSync(pidFile)) return false;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function sleepSync(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function removeRunData(dir: string) {
  for (let waited = 0; postgresStillRunning(dir) && waited < 20_000; waited += 250) sleepSync(250);
  if (postgresStillRunning(dir)) {
    console.error(`[e2e] PostgreSQL still running on ${dir}; left in place`);
    return;
  }
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}

export default function globalTeardown() {
  const dir = process.env.E2E_DATA_DIR;
  if (!isThisRunsFolder(dir)) {
    console.error(`[e2e] not deleting unexpected data folder ${String(dir)}`);
    return;
  }
  if (process.env.E2E_KEEP_DATA === "1") {
    console.log(`[e2e] keeping ${dir} (E2E_KEEP_DATA=1)`);
    return;
  }
  process.once("exit", () => {
    try {
      removeRunData(dir);
    } catch (error) {
      console.error(`[e2e] could not delete ${dir}: ${(error as Error).message}`);
    }
  });
}
