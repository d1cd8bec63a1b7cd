/**
 * Rebuilds an empty installation from a folder written by backup.ts.
 *
 * Order, so that a refusal writes nothing: read and check the manifest, check
 * every backup file against its SHA-256, check the migrations against this
 * code's, check that the target database and file store are empty and that
 * the role may switch triggers off — and only then apply the backup's
 * migrations, load every table in one transaction, copy the files (verifying
 * each hash again), apply this code's newer migrations if any, and run the
 * audit chain check on the result.
 */
import { execFile } from "node:child_process";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { LocalFileStore } from "#app/.server/file-store.ts";
import { applyMigrations, DEFAULT_MIGRATIONS_DIR, migrationChecksum } from "../../prisma/migrate-engine.ts";
import {
  appliedMigrations,
  connect,
  Digest,
  hashFile,
  listFiles,
  listTables,
  type Log,
  MANIFEST_FILE,
  type Manifest,
  ManifestSchema,
  objectFile,
  pgCode,
  qualified,
  ROOT,
  schemaOf,
  tableFile,
} from "./backup.ts";

export interface RestoreOptions {
  /** The target database: need not exist yet; if it does, it must hold no data. */
  databaseUrl: string;
  /** The target file store's root: must hold no objects. */
  fileStoreDir: string;
  backupDir: string;
  log?: Log;
}

export interface RestoreResult {
  manifest: Manifest;
  rows: number;
  files: number;
  fileBytes: number;
  /** This code's migrations newer than the backup, applied after loading it. */
  upgradedWith: string[];
  /** `npm run audit:verify` on the restored database. */
  auditChain: { ok: boolean; message: string };
}

/** A restore refused before anything was written. */
export class RestoreRefused extends Error {
  override name = "RestoreRefused";
}

const AUDIT_VERIFY = path.join(ROOT, "scripts", "audit-verify.ts");
const MIGRATION_LOCKFILE = "migration_lock.toml";
const MIGRATION_FILE = "migration.sql";

async function readManifest(backupDir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await fs.readFile(path.join(backupDir, MANIFEST_FILE), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      throw new RestoreRefused(`${backupDir} has no ${MANIFEST_FILE}: not a backup, or one that did not finish`);
    }
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RestoreRefused(`${MANIFEST_FILE} is not valid JSON: the backup is damaged`);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RestoreRefused(`${MANIFEST_FILE} is not a Greenlane backup manifest of a known format (${issue.path.join(".")}: ${issue.message})`);
  }
  return parsed.data;
}

/** Every file the manifest names, hashed: a changed byte refuses the restore before anything is written. */
async function verifyBackupFiles(backupDir: string, manifest: Manifest, log: Log): Promise<void> {
  const check = async (label: string, file: string, expected: { sha256: string; bytes: number }) => {
    let actual: { sha256: string; bytes: number };
    try {
      actual = await hashFile(file);
    } catch (e) {
      throw new RestoreRefused(`${label} is missing from the backup (${(e as Error).message})`);
    }
    if (actual.sha256 !== expected.sha256 || actual.bytes !== expected.bytes) {
      throw new RestoreRefused(
        `${label} does not match the manifest (sha256 ${actual.sha256}, ${actual.bytes} bytes; expected ${expected.sha256}, ${expected.bytes} bytes): the backup is damaged or was altered`,
      );
    }
  };
  for (const t of manifest.tables) await check(`table ${t.name}`, tableFile(backupDir, t.name), t);
  for (const f of manifest.files) await check(`file ${f.sha256}`, objectFile(backupDir, f.sha256), { sha256: f.sha256, bytes: f.size });
  log(`backup verified: ${manifest.tables.length} tables, ${manifest.files.length} files match the manifest`);
}

/** This code's migrations, oldest first, with their checksums. */
async function codeMigrations(): Promise<{ name: string; checksum: string }[]> {
  const entries = await fs.readdir(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      checksum: migrationChecksum(await fs.readFile(path.join(DEFAULT_MIGRATIONS_DIR, name, MIGRATION_FILE), "utf8")),
    })),
  );
}

/**
 * The backup's migrations must be this code's first ones, unchanged: the data
 * is loaded into exactly the schema it was taken from, and any newer
 * migrations of this code run afterwards like an ordinary upgrade.
 */
function checkMigrations(backup: Manifest["migrations"], code: { name: string; checksum: string }[]): string[] {
  backup.forEach((m, i) => {
    const ours = code[i];
    if (!ours || ours.name !== m.name) {
      const unknown = backup.filter((b) => !code.some((c) => c.name === b.name)).map((b) => b.name);
      throw new RestoreRefused(
        unknown.length > 0
          ? `The backup was made with migrations this code does not have (${unknown.join(", ")}): restore it with the application version that made it, or a newer one`
          : `The backup's migrations are not in this code's order (${m.name} at position ${i + 1}): restore it with the application version that made it`,
      );
    }
    if (ours.checksum !== m.checksum) {
      throw new RestoreRefused(`Migration ${m.name} differs from the one the backup was made with (checksum): restore it with the application version that made it`);
    }
  });
  return code.slice(backup.length).map((m) => m.name);
}

/**
 * Tables whose rows come from the migrations themselves (reference data such
 * as holidays and default policies): a freshly migrated database has rows
 * there, and the backup's rows replace them. Read from the migrations' SQL, so
 * a new seeding migration needs no change here.
 */
async function seededTables(migrations: Manifest["migrations"]): Promise<Set<string>> {
  const seeded = new Set<string>();
  for (const { name } of migrations) {
    const sql = await fs.readFile(path.join(DEFAULT_MIGRATIONS_DIR, name, MIGRATION_FILE), "utf8");
    for (const match of sql.matchAll(/\bINSERT\s+INTO\s+(?:"?\w+"?\.)?"?(\w+)"?/gi)) seeded.add(match[1]!);
  }
  return seeded;
}

/** Tables holding rows a user or the application wrote: any such row means the database is in use. */
async function tablesWithData(client: pg.Client, schema: string, seeded: Set<string>): Promise<string[]> {
  const found: string[] = [];
  for (const { name } of await listTables(client, schema)) {
    if (seeded.has(name)) continue;
    const { rows } = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${qualified(client, schema, name)}) AS any`);
    if (rows[0]!.any) found.push(name);
  }
  return found;
}

/** Turns triggers and foreign-key checks off for the rest of the transaction. */
async function replicaRole(client: pg.Client): Promise<void> {
  try {
    await client.query("SET LOCAL session_replication_role = replica");
  } catch (e) {
    if (pgCode(e) !== "42501") throw e;
    throw new RestoreRefused(
      "Restoring needs a PostgreSQL superuser (or, from PostgreSQL 15, a role granted SET ON PARAMETER session_replication_role): " +
        "rows are loaded with triggers and foreign-key checks off, so the append-only audit table and the trigger-maintained queue columns take the backup's values. " +
        `Run the restore with such a role in DATABASE_URL (${(e as Error).message})`,
    );
  }
}

/**
 * Checks the target database without writing: empty, not migrated past the
 * backup, and the role may load with triggers off. A database that does not
 * exist yet is fine (the migrations create it): the role is then checked on
 * the server's `postgres` database.
 */
async function checkTargetDatabase(databaseUrl: string, manifest: Manifest, seeded: Set<string>): Promise<void> {
  let client: pg.Client;
  let exists = true;
  try {
    client = await connect(databaseUrl, "greenlane-restore");
  } catch (e) {
    if (pgCode(e) !== "3D000") throw e;
    const server = new URL(databaseUrl);
    server.pathname = "/postgres";
    client = await connect(server.href, "greenlane-restore");
    exists = false;
  }
  try {
    const schema = schemaOf(databaseUrl);
    const withData = exists ? await tablesWithData(client, schema, seeded) : [];
    if (withData.length > 0) {
      throw new RestoreRefused(
        `The target database is not empty (rows in ${withData.slice(0, 5).join(", ")}${withData.length > 5 ? ", …" : ""}): restore only into a new, empty database (nothing was written)`,
      );
    }
    const applied = exists ? await appliedMigrations(client, schema) : [];
    const ahead = applied.filter((m) => !manifest.migrations.some((b) => b.name === m.name));
    if (ahead.length > 0) {
      throw new RestoreRefused(
        `The target database has migrations the backup does not have (${ahead.map((m) => m.name).join(", ")}): restore into a new, empty database (nothing was written)`,
      );
    }
    await client.query("BEGIN");
    try {
      await replicaRole(client);
    } finally {
      await client.query("ROLLBACK");
    }
  } finally {
    await client.end().catch(() => {});
  }
}

async function checkTargetFileStore(fileStoreDir: string): Promise<void> {
  const objects = await listFiles(path.join(fileStoreDir, "objects"));
  if (objects.length > 0) {
    throw new RestoreRefused(`The target file store ${fileStoreDir} is not empty (${objects.length} files under objects/): restore only into an empty file store (nothing was written)`);
  }
}

/** Applies exactly the backup's migrations (a folder holding only those), creating the database if needed. */
async function applyBackupMigrations(databaseUrl: string, migrations: Manifest["migrations"], log: Log): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "greenlane-restore-migrations-"));
  try {
    await fs.copyFile(path.join(DEFAULT_MIGRATIONS_DIR, MIGRATION_LOCKFILE), path.join(dir, MIGRATION_LOCKFILE));
    for (const { name } of migrations) await fs.cp(path.join(DEFAULT_MIGRATIONS_DIR, name), path.join(dir, name), { recursive: true });
    await applyMigrations(databaseUrl, { migrationsDir: dir, log });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Every table in one transaction, with triggers and foreign-key checks off; row counts checked before the commit. */
async function loadTables(databaseUrl: string, backupDir: string, manifest: Manifest, seeded: Set<string>, log: Log): Promise<number> {
  const schema = schemaOf(databaseUrl);
  const client = await connect(databaseUrl, "greenlane-restore");
  try {
    const present = (await listTables(client, schema)).map((t) => t.name);
    const expected = manifest.tables.map((t) => t.name);
    const differ = [...present.filter((t) => !expected.includes(t)), ...expected.filter((t) => !present.includes(t))];
    if (differ.length > 0) throw new Error(`After its migrations the database's tables differ from the backup's (${differ.join(", ")})`);
    const migrated = (await appliedMigrations(client, schema)).map((m) => m.name);
    if (migrated.join("\n") !== manifest.migrations.map((m) => m.name).join("\n")) {
      throw new Error(`After migrating, the database's migrations (${migrated.join(", ")}) differ from the backup's`);
    }

    await client.query("BEGIN");
    await replicaRole(client);
    // Checked again inside the transaction: nothing may have arrived since the first check.
    const arrived = await tablesWithData(client, schema, seeded);
    if (arrived.length > 0) throw new Error(`Rows appeared in the target database during the restore (${arrived.join(", ")}): nothing was loaded`);
    let rows = 0;
    for (const table of manifest.tables) {
      const target = qualified(client, schema, table.name);
      // The migrations' reference rows give way to the backup's (which may have been edited since).
      if (seeded.has(table.name)) await client.query(`DELETE FROM ${target}`);
      const columns = table.columns.map((c) => client.escapeIdentifier(c)).join(", ");
      const digest = new Digest();
      await pipeline(createReadStream(tableFile(backupDir, table.name)), digest, createGunzip(), client.query(copyFrom(`COPY ${target} (${columns}) FROM STDIN`)));
      if (digest.sha256() !== table.sha256) throw new Error(`table ${table.name} changed while it was being restored`);
      const { rows: count } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${target}`);
      if (Number(count[0]!.n) !== table.rows) {
        throw new Error(`table ${table.name}: ${count[0]!.n} rows after loading, the backup has ${table.rows}`);
      }
      rows += table.rows;
      log(`table ${table.name}: ${table.rows} rows`);
    }
    for (const s of manifest.sequences) {
      await client.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [qualified(client, schema, s.name), s.lastValue, s.isCalled]);
    }
    await client.query("COMMIT");
    return rows;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Copies the objects into the store the way an upload lands (temporary file, fsync, rename), checking each hash. */
async function restoreFiles(backupDir: string, fileStoreDir: string, manifest: Manifest, log: Log): Promise<number> {
  const store = new LocalFileStore(fileStoreDir);
  let bytes = 0;
  for (const { sha256, size } of manifest.files) {
    const temp = await store.tempPath();
    const digest = new Digest();
    await pipeline(createReadStream(objectFile(backupDir, sha256)), digest, createWriteStream(temp, { mode: 0o600, flush: true }));
    if (digest.sha256() !== sha256 || digest.bytes !== size) {
      await fs.rm(temp, { force: true });
      throw new Error(`file ${sha256} changed while it was being restored (the database is restored; the file store is incomplete)`);
    }
    await store.put(temp, sha256);
    bytes += size;
  }
  log(`file store: ${manifest.files.length} objects (${bytes} bytes)`);
  return bytes;
}

/** The operator's own check (`npm run audit:verify`), run on the restored database. */
function verifyAuditChain(databaseUrl: string): Promise<RestoreResult["auditChain"]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", AUDIT_VERIFY],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } },
      (error, stdout, stderr) => {
        const message = `${stdout}${stderr}`.trim();
        if (!error) resolve({ ok: true, message });
        else if (error.code === 2) resolve({ ok: false, message });
        else reject(new Error(`The audit chain check could not run: ${message || error.message}`));
      },
    );
  });
}

export async function restore(options: RestoreOptions): Promise<RestoreResult> {
  const log = options.log ?? (() => {});
  const backupDir = path.resolve(options.backupDir);
  const fileStoreDir = path.resolve(options.fileStoreDir);

  const manifest = await readManifest(backupDir);
  const upgradedWith = checkMigrations(manifest.migrations, await codeMigrations());
  await verifyBackupFiles(backupDir, manifest, log);
  const seeded = await seededTables(manifest.migrations);
  await checkTargetFileStore(fileStoreDir);
  await checkTargetDatabase(options.databaseUrl, manifest, seeded);

  await applyBackupMigrations(options.databaseUrl, manifest.migrations, log);
  const rows = await loadTables(options.databaseUrl, backupDir, manifest, seeded, log);
  const fileBytes = await restoreFiles(backupDir, fileStoreDir, manifest, log);
  if (upgradedWith.length > 0) await applyMigrations(options.databaseUrl, { log });
  const auditChain = await verifyAuditChain(options.databaseUrl);
  log(auditChain.message);
  return { manifest, rows, files: manifest.files.length, fileBytes, upgradedWith, auditChain };
}
