/**
 * The web process (`npm run start:web`, after `npm run build`): the Express
 * host of app/.server/http/create-app.ts on PORT, with a graceful stop.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { envOrExit } from "#app/.server/env.ts";

const config = envOrExit();

const { logger } = await import("#app/.server/logger.ts");
const { prisma } = await import("#app/.server/db.ts");
const { closeHealth } = await import("#app/.server/health.ts");
const { closeEmailQueue } = await import("#app/.server/queue.ts");
const { createApp } = await import("#app/.server/http/create-app.ts");

const root = path.dirname(fileURLToPath(import.meta.url));
// REMIX_BUILD_DIR: a build of its own (benchmarks, parallel test runs); `npm run build` writes build/.
const buildDir = path.resolve(root, process.env.REMIX_BUILD_DIR ?? "build");
const build = (await import(path.join(buildDir, "server/index.js"))) as ServerBuild;
const app = createApp({ build, config, clientDir: path.join(buildDir, "client") });

const server = app.listen(config.PORT, config.HOST, () => {
  logger.info({ url: `http://${config.HOST}:${config.PORT}`, appUrl: config.APP_URL }, "web listening");
  process.send?.({ type: "ready", service: "web" });
});
server.keepAliveTimeout = 65_000;

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "web stopping");
  const force = setTimeout(() => process.exit(1), 10_000).unref();
  server.close(async () => {
    await Promise.allSettled([prisma.$disconnect(), closeHealth(), closeEmailQueue()]);
    clearTimeout(force);
    process.exit(0);
  });
  server.closeIdleConnections();
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
