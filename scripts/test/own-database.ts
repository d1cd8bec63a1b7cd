import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { applyMigrations } from "../../prisma/migrate-engine.ts";

/**
 * A migrated database of one test file's own, for tests whose code under test
 * works on the whole database (sweeps, a worker with a moved clock): on the
 * run's shared database they would pick up other files' rows. Call it at the
 * top of the file, before anything imports `#app/.server/db.ts`: it points
 * DATABASE_URL at the new database. `drop()` removes it in afterAll.
 */
export async function ownDatabase(tag: string): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const adminUrl = inject("adminDatabaseUrl");
  const name = `greenlane_${tag}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await applyMigrations(url.href);
  process.env.DATABASE_URL = url.href;
  return {
    url: url.href,
    name,
    drop: async () => {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
