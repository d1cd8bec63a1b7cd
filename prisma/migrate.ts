/**
 * Offline stand-in for `prisma migrate deploy|dev --create-only|status`.
 *
 *   tsx prisma/migrate.ts deploy          apply pending migrations (creates the database)
 *   tsx prisma/migrate.ts create [name]   write a new migration from schema.prisma
 *   tsx prisma/migrate.ts status          list applied / pending / failed migrations
 *   tsx prisma/migrate.ts resolve <name>  mark a failed migration as rolled back
 *                                         (`prisma migrate resolve --rolled-back`)
 *
 * Reads DATABASE_URL. Exits 1 on failure (status: also when not up to date).
 */
import { applyMigrations, createMigration, markMigrationRolledBack, migrationStatus } from "./migrate-engine.ts";

const USAGE = "Usage: tsx prisma/migrate.ts deploy | create [name] | status | resolve <failed migration>";

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h") {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  if (!["deploy", "create", "status", "resolve"].includes(command)) {
    console.error(`Unknown command "${command}".\n${USAGE}`);
    return 1;
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error(
      "DATABASE_URL is not set. Example: DATABASE_URL=postgresql://postgres@127.0.0.1:5432/greenlane npm run db:migrate",
    );
    return 1;
  }
  const log = (msg: string) => console.log(msg);
  const started = performance.now();
  const took = () => `${Math.round(performance.now() - started)} ms`;

  switch (command) {
    case "deploy": {
      const { applied } = await applyMigrations(databaseUrl, { log });
      console.log(
        applied.length === 0
          ? `No pending migrations (${took()}).`
          : `Applied ${applied.length} migration${applied.length === 1 ? "" : "s"} (${took()}).`,
      );
      return 0;
    }
    case "create": {
      const name = rest.filter((a) => !a.startsWith("-")).join("_") || "migration";
      const folder = await createMigration(databaseUrl, name, { log });
      if (folder) console.log(`Wrote prisma/migrations/${folder}/migration.sql (${took()}).`);
      else console.log(`schema.prisma matches the migrations: nothing to create (${took()}).`);
      return 0;
    }
    case "status": {
      const s = await migrationStatus(databaseUrl, { log });
      if (!s.databaseExists) console.log("The database does not exist yet.");
      console.log(`Applied (${s.applied.length}):${s.applied.map((n) => `\n  ${n}`).join("")}`);
      console.log(`Pending (${s.pending.length}):${s.pending.map((n) => `\n  ${n}`).join("")}`);
      if (s.failed.length) console.log(`Failed:${s.failed.map((n) => `\n  ${n}`).join("")}`);
      if (s.edited.length) console.log(`Edited after being applied:${s.edited.map((n) => `\n  ${n}`).join("")}`);
      if (s.missingFromFolder.length) {
        console.log(`Applied but missing from prisma/migrations:${s.missingFromFolder.map((n) => `\n  ${n}`).join("")}`);
      }
      console.log(s.upToDate ? `Database schema is up to date (${took()}).` : `Database is not up to date (${took()}).`);
      return s.upToDate ? 0 : 1;
    }
    case "resolve": {
      const name = rest[0];
      if (!name) {
        console.error(`resolve needs the failed migration's folder name.\n${USAGE}`);
        return 1;
      }
      await markMigrationRolledBack(databaseUrl, name, { log });
      console.log(`Marked ${name} as rolled back: fix or remove its folder, then deploy again (${took()}).`);
      return 0;
    }
  }
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`Migration command failed: ${e instanceof Error ? e.message : String(e)}`);
    if (process.env.MIGRATE_ENGINE_DEBUG && e instanceof Error) console.error(e.stack);
    process.exitCode = 1;
  },
);
