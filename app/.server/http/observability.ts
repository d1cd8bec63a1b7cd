import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { Counter, Histogram, collectDefaultMetrics, Registry } from "prom-client";
import { logger, requestContext } from "../logger.ts";

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: "greenlane_" });

const httpDuration = new Histogram({
  name: "greenlane_http_request_duration_seconds",
  help: "HTTP request duration by method, route group and status",
  labelNames: ["method", "group", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});
export const crossSiteRejections = new Counter({
  name: "greenlane_cross_site_rejections_total",
  help: "State-changing requests refused by the Origin / Sec-Fetch-Site check",
  registers: [metricsRegistry],
});

// Bounded label set: the first path segment only, so ids never become metric labels.
function routeGroup(path: string): string {
  const first = path.split("/")[1] ?? "";
  if (first.startsWith("assets")) return "assets";
  return /^[a-z-]{0,30}$/.test(first) ? `/${first}` : "/other";
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Gives every request an id (an incoming X-Request-Id from a trusted proxy is
 * kept when well-formed), puts it in the log context and the response header,
 * and logs one JSON line per request with its duration.
 */
export function requestIdAndLog(req: Request, res: Response, next: NextFunction) {
  const incoming = req.get("x-request-id");
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = requestId;
  res.set("X-Request-Id", requestId);
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    httpDuration.observe({ method: req.method, group: routeGroup(req.path), status: String(res.statusCode) }, seconds);
    if (res.locals.crossSiteRejected) crossSiteRejections.inc();
    requestContext.run({ requestId, ip: req.ip ?? null, userAgent: req.get("user-agent") ?? null }, () => {
      const level = res.statusCode >= 500 ? "error" : "info";
      logger[level]({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(seconds * 1000), ip: req.ip }, "request");
    });
  });
  requestContext.run({ requestId, ip: req.ip ?? null, userAgent: req.get("user-agent") ?? null }, next);
}
