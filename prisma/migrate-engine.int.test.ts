/**
 * Integration test of the offline migration tool against a real PostgreSQL.
 * The server is the one the integration setup provides (TEST_DATABASE_URL or
 * the embedded test PostgreSQL); each test uses a fresh scratch database,
 * dropped afterwards.
 */
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";

import { applyMigrations, createMigration, DEFAULT_MIGRATIONS_DIR, migrationStatus } from "./migrate-engine.ts";

const SERVER_URL = inject("adminDatabaseUrl");

function urlFor(database: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

const dbName = `gl_mig_${randomBytes(6).toString("hex")}`;
const databaseUrl = urlFor(dbName);

async function query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function migrationFolders(): Promise<string[]> {
  const entries = await readdir(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

afterAll(async () => {
  const admin = new pg.Client({ connectionString: urlFor("postgres") });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
});

describe("offline migrations (schema-engine-wasm)", { timeout: 30_000 }, () => {
  it("applies every migration to a fresh database and records it in _prisma_migrations", async () => {
    const folders = await migrationFolders();
    expect(folders.length).toBeGreaterThan(0);

    const { applied } = await applyMigrations(databaseUrl);
    expect(applied).toEqual(folders);

    const tables = (
      await query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
      )
    ).map((r) => r.table_name);
    expect(tables).toEqual(
      expect.arrayContaining(["company", "user", "session", "user_token", "audit_event", "email_message", "_prisma_migrations"]),
    );

    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      "SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name",
    );
    expect(rows.map((r) => r.migration_name)).toEqual(folders);
    for (const row of rows) {
      const sql = await readFile(path.join(DEFAULT_MIGRATIONS_DIR, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
    }
  });

  it("is a no-op the second time, and status reports the database up to date", async () => {
    expect(await applyMigrations(databaseUrl)).toEqual({ applied: [] });
    const status = await migrationStatus(databaseUrl);
    expect(status).toMatchObject({ databaseExists: true, pending: [], failed: [], edited: [], upToDate: true });
    expect(status.applied).toEqual(await migrationFolders());
  });

  it("keeps audit_event append-only (plpgsql trigger survived the $$ body)", async () => {
    await query(
      `INSERT INTO audit_event ("at", "action", "outcome", "prev_hash", "hash")
       VALUES (now(), 'test.append', 'SUCCESS', '', $1)`,
      [randomBytes(8).toString("hex")],
    );
    await expect(query("UPDATE audit_event SET action = 'tampered'")).rejects.toThrow("audit_event is append-only");
    await expect(query("DELETE FROM audit_event")).rejects.toThrow("audit_event is append-only");
    await expect(query("TRUNCATE audit_event")).rejects.toThrow("audit_event is append-only");
  });

  it("createMigration returns null when schema.prisma matches the migrations", async () => {
    const before = await migrationFolders();
    const messages: string[] = [];
    expect(await createMigration(databaseUrl, "nothing_changed", { log: (m) => messages.push(m) })).toBeNull();
    expect(await migrationFolders()).toEqual(before);

    // The temporary shadow database it replayed the migrations on is gone.
    const shadow = messages.map((m) => /^Created shadow database "(.+)"$/.exec(m)?.[1]).find(Boolean);
    expect(shadow).toMatch(/^prisma_migrate_shadow_db_/);
    expect(await query("SELECT 1 FROM pg_database WHERE datname = $1", [shadow])).toEqual([]);
  });
});
