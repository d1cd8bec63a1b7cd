/**
 * Demonstrations and manual tests only: moves the domain clock of a portal
 * started with CLOCK_FILE set (web and worker read the same file; the worker
 * sweeps as soon as it changes, so reminders that became due fire at once).
 *
 *   npx tsx scripts/set-clock.ts 2026-12-10T09:00:30+08:00   # "now" becomes that instant
 *   npx tsx scripts/set-clock.ts now                         # back to the real time
 *
 * The file is CLOCK_FILE, or .data/clock.json.
 */
import path from "node:path";
import { setClock } from "#app/.server/clock.ts";

const file = path.resolve(process.env.CLOCK_FILE ?? ".data/clock.json");
const arg = process.argv[2];
const to = !arg || arg === "now" ? new Date() : new Date(arg);
if (Number.isNaN(to.getTime())) {
  console.error(`Not an instant: ${arg} (use ISO 8601, e.g. 2026-12-10T09:00:30+08:00)`);
  process.exit(1);
}
setClock(file, to);
console.log(`Clock in ${file} set to ${to.toISOString()} (${to.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" })} Asia/Shanghai).`);
