/**
 * End-to-end tests (`npm run test:e2e`, which is scripts/run-e2e.ts): the
 * built portal started by the real launcher on a throw-away data folder, and
 * driven through the distribution's Chromium (Playwright cannot download its
 * own browser here; see e2e/chromium.ts). Run `npm run build` first.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";
import { requireChromium } from "./e2e/chromium.ts";

const root = path.dirname(fileURLToPath(import.meta.url));

// This file is evaluated by the runner and again by every worker process. The
// runner picks the run id; the workers inherit it through the environment, so
// all of them agree on the data folder and queue prefix of this run.
process.env.E2E_RUN_ID ??= `${Date.now().toString(36)}${process.pid.toString(36)}`;
const runId = process.env.E2E_RUN_ID;
const dataDir = path.join(root, ".data", `e2e-${runId}`);
process.env.E2E_DATA_DIR = dataDir; // read by e2e/global-teardown.ts
// The domain clock of the server under test: specs move time forward with setClock (app/.server/clock.ts).
const clockFile = path.join(dataDir, "clock.json");
process.env.E2E_CLOCK_FILE = clockFile;
// The launcher writes the URLs of the services it started here, for e2e/factories.ts.
const runtimeFile = path.join(dataDir, "runtime.json");
process.env.E2E_RUNTIME_FILE = runtimeFile;

const port = Number(process.env.E2E_PORT ?? 3100);
const pgPort = Number(process.env.E2E_PG_PORT ?? 54339);
const baseURL = `http://localhost:${port}`;
const chromiumPath = requireChromium().path;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  globalTeardown: "./e2e/global-teardown.ts",
  use: {
    baseURL,
    // The portal negotiates its language from Accept-Language: pin the default (zh-CN).
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        browserName: "chromium",
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: chromiumPath,
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: {
    command: "npx tsx scripts/launch.ts",
    cwd: root,
    url: `${baseURL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    // SIGTERM lets the launcher stop web and worker, then PostgreSQL, in order.
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      GREENLANE_DATA_DIR: dataDir,
      PORT: String(port),
      APP_URL: baseURL,
      EMBEDDED_PG_PORT: String(pgPort),
      QUEUE_PREFIX: `e2e${runId}`,
      // Always the embedded database and the development mailbox, whatever the shell has.
      DATABASE_URL: "",
      SMTP_URL: "",
      LOG_LEVEL: "warn",
      CLOCK_FILE: clockFile,
      GREENLANE_RUNTIME_FILE: runtimeFile,
    },
  },
});
