import path from "node:path";
import { defineConfig } from "prisma/config";

// DATABASE_URL is optional here: the embedded default sets it at run time, and
// `prisma generate` needs no database.
export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
