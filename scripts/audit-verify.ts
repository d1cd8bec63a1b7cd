export {};
/**
 * `npm run audit:verify`: walks the audit hash chain and names the first
 * broken row. Exit code 0 when intact, 2 when broken. Needs DATABASE_URL.
 */
if (!process.env.DATABASE_URL) {
  console.error("DATABASE_URL is not set (the embedded default's URL is printed by `npm start` logs: postgresql://…@127.0.0.1:54329/greenlane)");
  process.exit(1);
}
// Only the database is needed here; the rest of the configuration gets harmless placeholders.
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
process.env.SMTP_URL ??= "smtp://127.0.0.1:25";
process.env.SESSION_SECRET ??= "audit-verify-does-not-use-sessions-0000";
process.env.LOG_LEVEL ??= "warn";

const { verifyAuditChain } = await import("#app/.server/audit.ts");
const { prisma } = await import("#app/.server/db.ts");
const result = await verifyAuditChain();
await prisma.$disconnect();
if (result.ok) {
  console.log(`audit chain intact: ${result.checked} rows checked`);
} else {
  console.error(`audit chain BROKEN at row id ${result.brokenId} (${result.reason}); ${result.checked} rows before it are intact`);
  process.exit(2);
}
