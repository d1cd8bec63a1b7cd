/**
 * Backup and restore of an installation (database and file store):
 *
 *   npm run backup -- <dir>    a consistent backup into <dir> (new or empty folder)
 *   npm run restore -- <dir>   rebuild an empty installation from <dir>
 *
 * The installation is the application's: DATABASE_URL and FILE_STORE. Without
 * DATABASE_URL it is the embedded default of `npm start` (GREENLANE_DATA_DIR,
 * EMBEDDED_PG_PORT, files in <data dir>/files): its PostgreSQL when `npm start`
 * is running, otherwise this command starts the embedded PostgreSQL itself,
 * the way the launcher does, and stops it when done.
 *
 * Exit codes: 0 done; 1 failed or refused (a refused restore wrote nothing);
 * 2 done, but with problems to look at (damaged or missing files, a broken audit chain).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { isPortFree, startEmbeddedPostgres } from "./infra/postgres.ts";
import { backup, ROOT } from "./backup/backup.ts";
import { restore } from "./backup/restore.ts";

const USAGE = "Usage: npm run backup -- <dir>   |   npm run restore -- <dir>";
const log = (msg: string) => console.log(`[greenlane] ${msg}`);

interface Installation {
  databaseUrl: string;
  fileStoreDir: string;
  stop(): Promise<void>;
}

/** The same installation `npm start` (scripts/launch.ts) would run on; `existing`: refuse to create an embedded one. */
async function installation(existing: boolean): Promise<Installation> {
  const dataDir = path.resolve(ROOT, process.env.GREENLANE_DATA_DIR || ".data");
  const fileStoreDir = path.resolve(process.env.FILE_STORE || path.join(dataDir, "files"));
  if (process.env.DATABASE_URL) return { databaseUrl: process.env.DATABASE_URL, fileStoreDir, stop: async () => {} };

  const port = Number(process.env.EMBEDDED_PG_PORT || 54329);
  const pgDir = path.join(dataDir, "postgres");
  if (await isPortFree(port)) {
    if (existing && !existsSync(path.join(pgDir, ".password"))) {
      throw new Error(`No embedded installation in ${dataDir} to back up: set DATABASE_URL (and FILE_STORE), or GREENLANE_DATA_DIR`);
    }
    const handle = await startEmbeddedPostgres({ dataDir: pgDir, port, database: "greenlane", log });
    return { databaseUrl: handle.url, fileStoreDir, stop: handle.stop };
  }
  // `npm start` is running: use its server, whose superuser password the embedded default keeps in the data folder.
  let password: string;
  try {
    password = (await readFile(path.join(pgDir, ".password"), "utf8")).trim();
  } catch {
    throw new Error(`Port ${port} is in use, but ${pgDir} holds no embedded PostgreSQL: set DATABASE_URL (and FILE_STORE) for the installation to use`);
  }
  log(`using the running embedded PostgreSQL on 127.0.0.1:${port}`);
  return { databaseUrl: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/greenlane`, fileStoreDir, stop: async () => {} };
}

async function main(argv: string[]): Promise<number> {
  const [command, dir, ...extra] = argv;
  if ((command !== "backup" && command !== "restore") || !dir || extra.length > 0) {
    console.error(USAGE);
    return 1;
  }
  const backupDir = path.resolve(dir);
  const target = await installation(command === "backup");
  const started = performance.now();
  const took = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  try {
    if (command === "backup") {
      log(`backing up to ${backupDir} (files from ${target.fileStoreDir})`);
      const { manifest, manifestSha256 } = await backup({ ...target, backupDir, log });
      const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
      const bytes = manifest.files.reduce((n, f) => n + f.size, 0);
      log(`backup written in ${took()}: ${manifest.tables.length} tables, ${rows} rows, ${manifest.files.length} files (${bytes} bytes)`);
      log(`manifest.json sha256 ${manifestSha256} (keep it apart from the backup: it vouches for every file in it)`);
      return reportProblems(manifest.problems) ? 2 : 0;
    }
    log(`restoring ${backupDir} (files into ${target.fileStoreDir})`);
    const result = await restore({ ...target, backupDir, log });
    log(`restored in ${took()}: backup of ${result.manifest.createdAt} (version ${result.manifest.appVersion}), ${result.rows} rows, ${result.files} files (${result.fileBytes} bytes)`);
    if (result.upgradedWith.length > 0) log(`upgraded with this version's newer migrations: ${result.upgradedWith.join(", ")}`);
    const problems = reportProblems(result.manifest.problems);
    if (!result.auditChain.ok) console.error(`[greenlane] the restored audit chain is BROKEN: ${result.auditChain.message}`);
    return problems || !result.auditChain.ok ? 2 : 0;
  } finally {
    await target.stop();
  }
}

/** Prints what the backup found wrong with the file store; true when there was anything. */
function reportProblems(problems: { corruptObjects: string[]; missingObjects: string[]; strayFiles: string[] }): boolean {
  const lines = [
    ...problems.corruptObjects.map((h) => `object ${h} does not match its content (left out of the backup)`),
    ...problems.missingObjects.map((h) => `object ${h} is referred to by the database but missing from the file store`),
    ...problems.strayFiles.map((f) => `objects/${f} is not named like a stored object (left out of the backup)`),
  ];
  for (const line of lines) console.error(`[greenlane] file store problem: ${line}`);
  return lines.length > 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`[greenlane] ${process.argv[2] ?? "command"} failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
