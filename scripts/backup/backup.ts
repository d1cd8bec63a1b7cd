/**
 * Logical backup of an installation: one consistent snapshot of the database
 * (every table of the schema as PostgreSQL COPY text, gzip'd, plus sequence
 * values and the applied migrations) and a copy of the content-addressed file
 * store, described by manifest.json with a SHA-256 for every file.
 *
 * Written in TypeScript over `pg` rather than with pg_dump: the embedded
 * default runs PostgreSQL 18 and ships no pg_dump, and an older pg_dump
 * refuses a newer server. restore.ts reads the same layout:
 *
 *   <dir>/manifest.json                      written last: a folder without it is incomplete
 *   <dir>/tables/<table>.copy.gz             COPY … TO STDOUT (text format), gzip
 *   <dir>/files/objects/ab/cd/<sha256>       the file store's objects, same layout
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { z } from "zod";
import { LocalFileStore } from "#app/.server/file-store.ts";
import { parseDatabaseUrl } from "../../prisma/migrate-engine.ts";

export type Log = (msg: string) => void;

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const MANIFEST_FILE = "manifest.json";
export const MIGRATIONS_TABLE = "_prisma_migrations";
const FORMAT = "greenlane-backup";
const FORMAT_VERSION = 1;

/**
 * Columns holding the hash of a file-store object (the same three that
 * decide whether an object is still referenced before it is removed).
 */
const FILE_REFERENCES: readonly (readonly [table: string, column: string])[] = [
  ["document_version", "sha256"],
  ["certificate", "evidence_sha256"],
  ["indicator_value", "evidence_sha256"],
];

const SHA256 = z.string().regex(/^[0-9a-f]{64}$/);

export const ManifestSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.literal(FORMAT_VERSION),
  createdAt: z.iso.datetime(),
  appVersion: z.string(),
  postgresVersion: z.string(),
  /** Applied migrations, oldest first; checksum as in `_prisma_migrations` (sha256 of the file). */
  migrations: z.array(z.object({ name: z.string().min(1), checksum: SHA256 })),
  tables: z.array(
    z.object({
      name: z.string().min(1),
      columns: z.array(z.string().min(1)).min(1),
      rows: z.number().int().min(0),
      sha256: SHA256,
      bytes: z.number().int().min(0),
    }),
  ),
  sequences: z.array(z.object({ name: z.string().min(1), lastValue: z.string().regex(/^-?\d+$/), isCalled: z.boolean() })),
  files: z.array(z.object({ sha256: SHA256, size: z.number().int().min(0) })),
  /** What the backup found wrong in the file store; it is written all the same. */
  problems: z.object({
    /** Objects whose content does not hash to their name (not copied). */
    corruptObjects: z.array(z.string()),
    /** Hashes that database rows refer to but the file store does not have. */
    missingObjects: z.array(SHA256),
    /** Files under objects/ that are not named like an object (not copied). */
    strayFiles: z.array(z.string()),
  }),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export interface BackupOptions {
  databaseUrl: string;
  /** The file store's root (FILE_STORE): objects/ab/cd/<sha256> below it. */
  fileStoreDir: string;
  /** Created if missing; must be empty. */
  backupDir: string;
  log?: Log;
}

export interface BackupResult {
  manifest: Manifest;
  /** SHA-256 of manifest.json: worth recording apart from the backup (it vouches for every other file). */
  manifestSha256: string;
}

// ---------------------------------------------------------------------------
// Shared with restore.ts

/** Where a table's data lives in the backup (derived, never read from the manifest). */
export const tableFile = (backupDir: string, table: string) =>
  path.join(backupDir, "tables", `${encodeURIComponent(table)}.copy.gz`);

/** Where an object lives in the backup: the file store's own layout. */
export const objectFile = (backupDir: string, sha256: string) =>
  path.join(backupDir, "files", "objects", sha256.slice(0, 2), sha256.slice(2, 4), sha256);

/** The schema the application's tables live in (Prisma's `?schema=`, else public). */
export const schemaOf = (databaseUrl: string) => parseDatabaseUrl(databaseUrl).schema ?? "public";

export function pgCode(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "code" in e && typeof e.code === "string" ? e.code : undefined;
}

export async function connect(databaseUrl: string, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: applicationName });
  client.on("error", () => {}); // a dropped idle connection must not crash the process; the next query fails instead
  await client.connect();
  return client;
}

export const qualified = (client: pg.Client, schema: string, name: string) =>
  `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;

/** The schema's ordinary tables but the migrations table, with their stored (not generated) columns. */
export async function listTables(client: pg.Client, schema: string): Promise<{ name: string; columns: string[] }[]> {
  const { rows } = await client.query<{ name: string; columns: string[] }>(
    `SELECT c.relname::text AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relname <> $2
      GROUP BY c.relname
      ORDER BY c.relname`,
    [schema, MIGRATIONS_TABLE],
  );
  return rows;
}

/** Finished, not rolled-back migrations, oldest first; empty when the database was never migrated. */
export async function appliedMigrations(client: pg.Client, schema: string): Promise<{ name: string; checksum: string }[]> {
  const table = qualified(client, schema, MIGRATIONS_TABLE);
  const { rows: exists } = await client.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [table]);
  if (!exists[0]?.present) return [];
  const { rows } = await client.query<{ name: string; checksum: string }>(
    `SELECT migration_name AS name, checksum FROM ${table}
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
      ORDER BY started_at, migration_name`,
  );
  return rows;
}

/** Passes bytes through, counting them and hashing them with SHA-256. */
export class Digest extends Transform {
  private readonly hash = createHash("sha256");
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }

  /** Once the stream has ended. */
  sha256(): string {
    return this.hash.digest("hex");
  }
}

export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/** Every regular file below `dir`, as paths relative to it; none when `dir` does not exist. */
export async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

/** `ab/cd/<sha256>` below objects/ names an object; anything else is a stray file. */
export function objectHashOf(relativePath: string): string | null {
  const [a, b, name, ...rest] = relativePath.split(path.sep);
  if (rest.length > 0 || !name || !SHA256.safeParse(name).success) return null;
  return a === name.slice(0, 2) && b === name.slice(2, 4) ? name : null;
}

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------
// Backup

async function appVersion(): Promise<string> {
  const pkg = JSON.parse(await fs.readFile(path.join(ROOT, "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

/** Creates `dir` (mode 700: it holds personal data and password hashes) or accepts an empty one. */
async function emptyBackupDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const entries = await fs.readdir(dir);
  if (entries.length > 0) {
    throw new Error(`${dir} is not empty: write each backup to a new folder (nothing was written)`);
  }
}

interface DatabaseExport {
  postgresVersion: string;
  migrations: Manifest["migrations"];
  tables: Manifest["tables"];
  sequences: Manifest["sequences"];
  referencedHashes: Set<string>;
}

/** Everything read in one REPEATABLE READ transaction: one snapshot, as of its first query. */
async function exportDatabase(databaseUrl: string, backupDir: string, log: Log): Promise<DatabaseExport> {
  const schema = schemaOf(databaseUrl);
  const client = await connect(databaseUrl, "greenlane-backup");
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const migrations = await appliedMigrations(client, schema);
    if (migrations.length === 0) {
      throw new Error(`The database has no applied migrations (no ${MIGRATIONS_TABLE} rows): not a Greenlane database?`);
    }
    const tableList = await listTables(client, schema);
    // As pg_dump does: no migration may alter or drop a table while it is copied.
    await client.query(`LOCK TABLE ${tableList.map((t) => qualified(client, schema, t.name)).join(", ")} IN ACCESS SHARE MODE`);

    await fs.mkdir(path.join(backupDir, "tables"), { mode: 0o700 });
    const tables: Manifest["tables"] = [];
    for (const { name, columns } of tableList) {
      const columnList = columns.map((c) => client.escapeIdentifier(c)).join(", ");
      const copy = client.query(copyTo(`COPY ${qualified(client, schema, name)} (${columnList}) TO STDOUT`));
      const digest = new Digest();
      await pipeline(copy, createGzip(), digest, createWriteStream(tableFile(backupDir, name), { mode: 0o600, flush: true }));
      tables.push({ name, columns, rows: copy.rowCount, sha256: digest.sha256(), bytes: digest.bytes });
      log(`table ${name}: ${copy.rowCount} rows`);
    }

    const referenced = await client.query<{ sha256: string }>(
      FILE_REFERENCES.map(
        ([table, column]) =>
          `SELECT ${client.escapeIdentifier(column)} AS sha256 FROM ${qualified(client, schema, table)} WHERE ${client.escapeIdentifier(column)} IS NOT NULL`,
      ).join(" UNION "),
    );

    // Sequences are not transactional: their values are read now, at or past the snapshot, so a
    // restored sequence never hands out an id a restored row already has.
    const { rows: sequenceNames } = await client.query<{ name: string }>(
      `SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'S' ORDER BY c.relname`,
      [schema],
    );
    const sequences: Manifest["sequences"] = [];
    for (const { name } of sequenceNames) {
      const { rows } = await client.query<{ lastValue: string; isCalled: boolean }>(
        `SELECT last_value::text AS "lastValue", is_called AS "isCalled" FROM ${qualified(client, schema, name)}`,
      );
      sequences.push({ name, ...rows[0]! });
    }
    const { rows: version } = await client.query<{ server_version: string }>("SHOW server_version");
    await client.query("COMMIT");
    return {
      postgresVersion: version[0]!.server_version,
      migrations,
      tables,
      sequences,
      referencedHashes: new Set(referenced.rows.map((r) => r.sha256)),
    };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Copies every object, streaming, and checks that its content still hashes to
 * its name. Runs after the database snapshot: objects are written before the
 * row that refers to them commits and are only removed while no committed row
 * refers to them, so the copy holds every object the snapshot refers to.
 */
async function copyFileStore(fileStoreDir: string, backupDir: string, log: Log) {
  const store = new LocalFileStore(fileStoreDir);
  const files: Manifest["files"] = [];
  const corruptObjects: string[] = [];
  const strayFiles: string[] = [];
  for (const relative of await listFiles(path.join(fileStoreDir, "objects"))) {
    const sha256 = objectHashOf(relative);
    if (!sha256) {
      strayFiles.push(relative);
      continue;
    }
    const target = objectFile(backupDir, sha256);
    await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const digest = new Digest();
    await pipeline(store.read(sha256), digest, createWriteStream(target, { mode: 0o600, flush: true }));
    if (digest.sha256() !== sha256) {
      await fs.rm(target);
      corruptObjects.push(sha256);
      log(`file store object ${sha256} does not match its content (not copied)`);
      continue;
    }
    files.push({ sha256, size: digest.bytes });
  }
  log(`file store: ${files.length} objects`);
  return { files, corruptObjects, strayFiles };
}

/**
 * Writes a backup of the database at `databaseUrl` and the file store at
 * `fileStoreDir` into `backupDir`. Problems found in the file store are
 * recorded in the manifest (and returned), not fatal: a backup with one
 * damaged document is better than none.
 */
export async function backup(options: BackupOptions): Promise<BackupResult> {
  const log = options.log ?? (() => {});
  const backupDir = path.resolve(options.backupDir);
  await emptyBackupDir(backupDir);
  try {
    const db = await exportDatabase(options.databaseUrl, backupDir, log);
    const store = await copyFileStore(path.resolve(options.fileStoreDir), backupDir, log);
    const copied = new Set(store.files.map((f) => f.sha256));
    const manifest: Manifest = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      appVersion: await appVersion(),
      postgresVersion: db.postgresVersion,
      migrations: db.migrations,
      tables: db.tables,
      sequences: db.sequences,
      files: store.files,
      problems: {
        corruptObjects: store.corruptObjects,
        missingObjects: [...db.referencedHashes].filter((h) => !copied.has(h)).sort(),
        strayFiles: store.strayFiles,
      },
    };
    const text = `${JSON.stringify(manifest, null, 2)}\n`;
    const partial = path.join(backupDir, `${MANIFEST_FILE}.partial`);
    await fs.writeFile(partial, text, { mode: 0o600, flush: true });
    await fs.rename(partial, path.join(backupDir, MANIFEST_FILE));
    await fsyncDir(backupDir);
    return { manifest, manifestSha256: createHash("sha256").update(text).digest("hex") };
  } catch (error) {
    // Leave the folder as it was found (empty), so nobody mistakes a torn backup for one.
    for (const entry of await fs.readdir(backupDir)) await fs.rm(path.join(backupDir, entry), { recursive: true, force: true });
    throw error;
  }
}
