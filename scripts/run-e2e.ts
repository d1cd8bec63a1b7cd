/**
 * `npm run test:e2e [-- playwright args]`: the end-to-end suite. Checks first
 * that there is a Chromium to drive (e2e/chromium.ts) and that the app is
 * built, then runs `npx playwright test` with the given arguments and exits
 * with its code.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { constants } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_HELP, findChromium } from "../e2e/chromium.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);

const chromium = findChromium();
if (!chromium) {
  const override = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE;
  console.error(`[e2e] ${override ? `PLAYWRIGHT_CHROMIUM_EXECUTABLE=${override} does not exist.\n` : ""}${CHROMIUM_HELP}`);
  process.exit(1);
}
console.log(`[e2e] Chromium: ${chromium.path} (${chromium.source})`);

const listingOnly = args.includes("--list") || args.includes("--help") || args.includes("-h");
const buildDir = process.env.REMIX_BUILD_DIR ?? "build";
if (!listingOnly && !existsSync(path.join(root, buildDir, "server", "index.js"))) {
  console.error(`[e2e] The app is not built (${buildDir}/server/index.js is missing). Run \`npm run build\` first.`);
  process.exit(1);
}

const child = spawn("npx", ["playwright", "test", ...args], { cwd: root, stdio: "inherit", env: process.env });

// Ctrl-C reaches Playwright through the terminal's process group; a SIGTERM sent
// to this script alone is passed on so Playwright can stop its web server.
process.on("SIGTERM", () => child.kill("SIGTERM"));
process.on("SIGINT", () => {});

child.on("error", (error) => {
  console.error(`[e2e] cannot start Playwright: ${error.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
});
