/**
 * The web process for the queue benchmarks (bench/queue.ts spawns it): the
 * same Express host and Remix build as server.ts, but the build is read from
 * REMIX_BUILD_DIR (default "build"), so a benchmark can run against a build
 * of its own. Its own process, so autocannon in the bench process does not
 * share its event loop. Tells its parent "ready" over IPC; stops on SIGTERM.
 */
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { envOrExit } from "#app/.server/env.ts";

const config = envOrExit();
const { prisma } = await import("#app/.server/db.ts");
const { createApp } = await import("#app/.server/http/create-app.ts");

const root = path.resolve(import.meta.dirname, "..");
const buildDir = path.resolve(root, process.env.REMIX_BUILD_DIR ?? "build");
const build = (await import(path.join(buildDir, "server/index.js"))) as ServerBuild;
const app = createApp({ build, config, clientDir: path.join(buildDir, "client") });

const server = app.listen(config.PORT, config.HOST, () => process.send?.({ type: "ready" }));
server.keepAliveTimeout = 65_000;

process.on("SIGTERM", () => {
  server.close(() => void prisma.$disconnect().finally(() => process.exit(0)));
  server.closeAllConnections();
});
