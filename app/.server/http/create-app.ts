import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { isSecureOrigin, type Env } from "../env.ts";
import { checkHealth } from "../health.ts";
import { metricsRegistry, requestIdAndLog } from "./observability.ts";
import { VERIFY_RATE_LIMIT_PATHS, verifyRateLimiter } from "./rate-limit.ts";
import { cspNonce, noStore, sameOriginOnly, securityHeaders } from "./security.ts";

// Headers a route may set for itself (a PDF preview's CSP, a download's caching).
const REPLACEABLE = new Set(["content-security-policy", "cache-control", "x-frame-options", "x-content-type-options"]);

/**
 * The Remix adapter appends response headers; for these the route's value
 * must replace the default set earlier (two CSP headers would both apply).
 */
function routeHeadersReplace(_req: Request, res: Response, next: NextFunction) {
  const append = res.append.bind(res);
  res.append = (field: string, value?: string | string[]) => {
    if (REPLACEABLE.has(field.toLowerCase())) {
      res.setHeader(field, value ?? "");
      return res;
    }
    return append(field, value);
  };
  next();
}

/**
 * The Express host around the Remix build: request ids and logs, security
 * headers, health and metrics, static assets, the same-origin check, Remix.
 * Used by server.ts and by the integration tests (real HTTP, real build).
 */
export function createApp(options: { build: ServerBuild; config: Env; clientDir: string }): Express {
  const { build, config, clientDir } = options;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", process.env.TRUST_PROXY ?? false);
  app.use(requestIdAndLog);
  app.use(cspNonce);
  app.use(securityHeaders({ https: isSecureOrigin(config) }));
  app.use(compression());

  app.get("/healthz", async (_req, res) => {
    const health = await checkHealth();
    res.status(health.ok ? 200 : 503).set("Cache-Control", "no-store").json({ status: health.ok ? "ok" : "unavailable", ...health.checks });
  });

  // Prometheus metrics: loopback only unless METRICS_TOKEN is set (then a bearer token is required).
  app.get("/metrics", async (req, res) => {
    const token = process.env.METRICS_TOKEN;
    const loopback = ["127.0.0.1", "::1", "::ffff:127.0.0.1"].includes(req.socket.remoteAddress ?? "");
    if (token ? req.get("authorization") !== `Bearer ${token}` : !loopback) {
      res.status(404).end();
      return;
    }
    res.set("Content-Type", metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });

  app.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y", index: false }));
  app.use(express.static(clientDir, { maxAge: "1h", index: false }));
  // Public certificate verification is rate limited per IP (page, QR target and their .data URLs).
  app.use(VERIFY_RATE_LIMIT_PATHS, verifyRateLimiter());
  app.use(noStore);
  app.use(sameOriginOnly(() => [new URL(config.APP_URL).origin]));
  app.use(routeHeadersReplace);
  // The pre-single-fetch data URLs (`?_data=routes/…`): the app's own browser code only uses `.data` URLs, so
  // the legacy surface is closed before Remix (which would still answer it, and log a warning each time).
  app.use((req, res, next) => {
    if ("_data" in req.query) res.status(400).type("text/plain").send("Bad Request");
    else next();
  });
  app.all(
    "*",
    createRequestHandler({
      build,
      // Error details reach the browser in development only (tests run as production does: S17).
      mode: config.NODE_ENV === "development" ? "development" : "production",
      getLoadContext: (_req, res) => ({ requestId: res.locals.requestId as string, cspNonce: res.locals.cspNonce as string }),
    }),
  );
  return app;
}
