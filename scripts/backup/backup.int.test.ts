import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ownDatabase } from "#scripts/test/own-database.ts";

// A source installation of this file's own (database and file store, filled by the demo seed)
// and a fresh, migrated, empty one to restore into.
const work = await fs.mkdtemp(path.join(os.tmpdir(), "greenlane-backup-test-"));
const sourceFiles = path.join(work, "source-files");
process.env.FILE_STORE = sourceFiles;
const target = await ownDatabase("backup_dst");
const source = await ownDatabase("backup_src");
const { prisma, createPrisma } = await import("#app/.server/db.ts");
const { audit } = await import("#app/.server/audit.ts");
const { verifyChain } = await import("#app/modules/audit/hash-chain.ts");
const { nextDossierNumber } = await import("#app/modules/dossier/dossier-number.server.ts");
const { seedDemo } = await import("../../prisma/seed.ts");
const { backup, hashFile, listFiles, objectHashOf, tableFile, objectFile } = await import("./backup.ts");
const { restore, RestoreRefused } = await import("./restore.ts");

const adminUrl = inject("adminDatabaseUrl");
const backupDir = path.join(work, "backup");
const createdDatabases: string[] = [];
const createdRoles: string[] = [];

/** A database name nobody has created (restore creates it); dropped after the file if it was. */
function unusedDatabaseUrl(tag: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/greenlane_${tag}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  createdDatabases.push(url.pathname.slice(1));
  return url.href;
}

async function query<T extends pg.QueryResultRow>(databaseUrl: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const databaseExists = async (databaseUrl: string) =>
  (await query<{ n: number }>(adminUrl, `SELECT count(*)::int AS n FROM pg_database WHERE datname = '${new URL(databaseUrl).pathname.slice(1)}'`))[0]!.n === 1;

/** Row count and a digest of the whole content of each table, for comparing two databases. */
async function tableContents(databaseUrl: string, tables: string[]): Promise<Record<string, { rows: number; md5: string }>> {
  const rows = await query<{ name: string; rows: number; md5: string }>(
    databaseUrl,
    tables
      .map((t) => `SELECT '${t}' AS name, count(*)::int AS rows, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS md5 FROM "${t}" x`)
      .join(" UNION ALL "),
  );
  return Object.fromEntries(rows.map((r) => [r.name, { rows: r.rows, md5: r.md5 }]));
}

/** Every object of a file store, with the hash of its content. */
async function storeObjects(root: string): Promise<{ name: string | null; sha256: string }[]> {
  const objects = path.join(root, "objects");
  return Promise.all((await listFiles(objects)).map(async (f) => ({ name: objectHashOf(f), sha256: (await hashFile(path.join(objects, f))).sha256 })));
}

/** The refusal a restore ends with (so a test can check both its kind and its message). */
const refusal = (restoring: Promise<unknown>) => restoring.then(() => new Error("the restore was not refused"), (error: unknown) => error);

let manifest: Awaited<ReturnType<typeof backup>>["manifest"];

beforeAll(async () => {
  const { created } = await seedDemo(prisma);
  expect(created).toBe(5);
  ({ manifest } = await backup({ databaseUrl: source.url, fileStoreDir: sourceFiles, backupDir }));
}, 120_000);

afterAll(async () => {
  await prisma.$disconnect();
  await (await import("#app/.server/queue.ts")).closeEmailQueue();
  await source.drop();
  await target.drop();
  for (const name of createdDatabases) await query(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  for (const role of createdRoles) await query(adminUrl, `DROP ROLE IF EXISTS "${role}"`);
  await fs.rm(work, { recursive: true, force: true });
});

describe("backup", () => {
  it("describes every table, sequence, migration and file, and finds nothing wrong with the store", async () => {
    const migrations = await query<{ name: string }>(source.url, `SELECT migration_name AS name FROM _prisma_migrations ORDER BY started_at, migration_name`);
    expect(manifest.migrations.map((m) => m.name)).toEqual(migrations.map((m) => m.name));
    const contents = await tableContents(source.url, manifest.tables.map((t) => t.name));
    for (const t of manifest.tables) expect(t.rows, t.name).toBe(contents[t.name]!.rows);
    expect(manifest.tables.map((t) => t.name)).toEqual(expect.arrayContaining(["audit_event", "document_version", "dossier", "user", "holiday"]));
    expect(manifest.tables.find((t) => t.name === "document_version")!.rows).toBeGreaterThan(20);
    expect(manifest.sequences.map((s) => s.name)).toEqual(expect.arrayContaining(["audit_event_id_seq", "outbox_id_seq"]));
    expect(manifest.problems).toEqual({ corruptObjects: [], missingObjects: [], strayFiles: [] });

    const objects = await storeObjects(sourceFiles);
    expect(objects.length).toBeGreaterThan(10);
    expect(manifest.files.map((f) => f.sha256)).toEqual(objects.map((o) => o.name));
    for (const f of manifest.files) expect((await hashFile(objectFile(backupDir, f.sha256))).sha256).toBe(f.sha256);
  });

  it("records damaged, missing and stray objects of the file store, and leaves them out", async () => {
    const damaged = path.join(work, "damaged-files");
    await fs.cp(sourceFiles, damaged, { recursive: true });
    const [altered, removed] = manifest.files.map((f) => f.sha256);
    await fs.appendFile(path.join(damaged, "objects", altered!.slice(0, 2), altered!.slice(2, 4), altered!), "x");
    await fs.rm(path.join(damaged, "objects", removed!.slice(0, 2), removed!.slice(2, 4), removed!));
    await fs.writeFile(path.join(damaged, "objects", "notes.txt"), "not an object");

    const { manifest: second } = await backup({ databaseUrl: source.url, fileStoreDir: damaged, backupDir: path.join(work, "backup-damaged") });
    expect(second.problems).toEqual({ corruptObjects: [altered], missingObjects: [altered, removed].sort(), strayFiles: ["notes.txt"] });
    expect(second.files.map((f) => f.sha256)).toEqual(manifest.files.slice(2).map((f) => f.sha256));
  });

  it("refuses a folder that is not empty", async () => {
    await expect(backup({ databaseUrl: source.url, fileStoreDir: sourceFiles, backupDir })).rejects.toThrow(/not empty/);
    expect((await fs.readdir(backupDir)).sort()).toEqual(["files", "manifest.json", "tables"]);
  });
});

describe("restore", () => {
  it("rebuilds a fresh database and file store: every row, every file, the audit chain, sequences that continue", async () => {
    const restoredFiles = path.join(work, "restored-files");
    const result = await restore({ databaseUrl: target.url, fileStoreDir: restoredFiles, backupDir });

    const tables = manifest.tables.map((t) => t.name);
    const [before, after] = await Promise.all([tableContents(source.url, tables), tableContents(target.url, tables)]);
    expect(after).toEqual(before);
    expect(result.rows).toBe(Object.values(before).reduce((n, t) => n + t.rows, 0));

    const auditRows = `SELECT id::text, hash FROM audit_event ORDER BY id`;
    const auditChain = await query<{ id: string; hash: string }>(target.url, auditRows);
    expect(auditChain).toEqual(await query(source.url, auditRows));
    expect(result.auditChain).toEqual({ ok: true, message: `audit chain intact: ${auditChain.length} rows checked` });
    const documents = `SELECT id, sha256 FROM document_version ORDER BY id`;
    expect(await query(target.url, documents)).toEqual(await query(source.url, documents));

    const restoredObjects = await storeObjects(restoredFiles);
    for (const o of restoredObjects) expect(o.sha256).toBe(o.name);
    expect(restoredObjects.map((o) => o.name)).toEqual(manifest.files.map((f) => f.sha256));

    // The restored installation goes on: the next audit row and dossier number do not collide, and the chain still verifies.
    const restored = createPrisma(target.url);
    try {
      const numbers = (await restored.dossier.findMany({ select: { number: true } })).map((d) => d.number);
      const next = await restored.$transaction(async (tx) => {
        await audit({ actorEmail: "backup-test", action: "test.after-restore" }, tx);
        return nextDossierNumber(tx);
      });
      expect(numbers).not.toContain(next);
      const events = await restored.auditEvent.findMany({ orderBy: { id: "asc" } });
      expect(events.at(-1)).toMatchObject({ action: "test.after-restore", id: BigInt(auditChain.at(-1)!.id) + 1n });
      expect(verifyChain(events)).toMatchObject({ ok: true, checked: auditChain.length + 1 });
    } finally {
      await restored.$disconnect();
    }
  }, 120_000);

  it("refuses a database that holds data, and writes nothing", async () => {
    const tables = manifest.tables.map((t) => t.name);
    const before = await tableContents(source.url, [...tables, "_prisma_migrations"]);
    const files = path.join(work, "refused-files");
    const error = await refusal(restore({ databaseUrl: source.url, fileStoreDir: files, backupDir }));
    expect(error).toBeInstanceOf(RestoreRefused);
    expect(error).toHaveProperty("message", expect.stringMatching(/^The target database is not empty \(rows in /));
    expect(await tableContents(source.url, [...tables, "_prisma_migrations"])).toEqual(before);
    expect(await listFiles(files)).toEqual([]);
  }, 60_000);

  it("refuses a file store that holds objects, and writes nothing", async () => {
    const databaseUrl = unusedDatabaseUrl("backup_refused");
    const error = await refusal(restore({ databaseUrl, fileStoreDir: sourceFiles, backupDir }));
    expect(error).toBeInstanceOf(RestoreRefused);
    expect(error).toHaveProperty("message", expect.stringMatching(/^The target file store .* is not empty/));
    expect(await databaseExists(databaseUrl)).toBe(false);
  }, 60_000);

  it("refuses a backup made with migrations this code does not have, before writing anything", async () => {
    const newer = path.join(work, "newer");
    await fs.cp(backupDir, newer, { recursive: true });
    const future = { name: "29991231000000_from_the_future", checksum: "0".repeat(64) };
    await fs.writeFile(path.join(newer, "manifest.json"), JSON.stringify({ ...manifest, migrations: [...manifest.migrations, future] }));
    const databaseUrl = unusedDatabaseUrl("backup_newer");
    const error = await refusal(restore({ databaseUrl, fileStoreDir: path.join(work, "newer-files"), backupDir: newer }));
    expect(error).toBeInstanceOf(RestoreRefused);
    expect(error).toHaveProperty("message", expect.stringMatching(/^The backup was made with migrations this code does not have \(29991231000000_from_the_future\)/));
    expect(await databaseExists(databaseUrl)).toBe(false);
  }, 60_000);

  it("refuses a role that may not turn triggers off, before writing anything", async () => {
    const role = `greenlane_backup_${randomBytes(3).toString("hex")}`;
    const password = randomBytes(12).toString("hex");
    await query(adminUrl, `CREATE ROLE "${role}" LOGIN CREATEDB NOSUPERUSER PASSWORD '${password}'`);
    createdRoles.push(role);
    const url = new URL(unusedDatabaseUrl("backup_role"));
    url.username = role;
    url.password = password;
    const error = await refusal(restore({ databaseUrl: url.href, fileStoreDir: path.join(work, "role-files"), backupDir }));
    expect(error).toBeInstanceOf(RestoreRefused);
    expect(error).toHaveProperty("message", expect.stringMatching(/^Restoring needs a PostgreSQL superuser/));
    expect(await databaseExists(url.href)).toBe(false);
  }, 60_000);

  it.each([
    ["a table", () => tableFile(path.join(work, "tampered"), "audit_event"), /table audit_event does not match the manifest/],
    ["a file", () => objectFile(path.join(work, "tampered"), manifest.files[0]!.sha256), /file [0-9a-f]{64} does not match the manifest/],
  ])("refuses a backup with one byte of %s changed, before writing anything", async (_what, file, message) => {
    const tampered = path.join(work, "tampered");
    await fs.rm(tampered, { recursive: true, force: true });
    await fs.cp(backupDir, tampered, { recursive: true });
    const bytes = await fs.readFile(file());
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0x01;
    await fs.writeFile(file(), bytes);

    const databaseUrl = unusedDatabaseUrl("backup_tampered");
    const files = path.join(work, "tampered-files");
    const error = await refusal(restore({ databaseUrl, fileStoreDir: files, backupDir: tampered }));
    expect(error).toBeInstanceOf(RestoreRefused);
    expect(error).toHaveProperty("message", expect.stringMatching(message));
    expect(await databaseExists(databaseUrl)).toBe(false);
    expect(await listFiles(files)).toEqual([]);
  }, 60_000);
});
