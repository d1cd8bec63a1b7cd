import { AsyncLocalStorage } from "node:async_hooks";
import { pino } from "pino";

export interface RequestContext {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

declare global {
  var __greenlaneLogger: pino.Logger | undefined;
  var __greenlaneRequestContext: AsyncLocalStorage<RequestContext> | undefined;
}

/**
 * Carries the request id, IP and user agent to every log line and audit row
 * written while serving a request. One instance per process on globalThis:
 * the Express host fills it and the Remix build (which bundles its own copy
 * of this module) reads it.
 */
export const requestContext: AsyncLocalStorage<RequestContext> = (globalThis.__greenlaneRequestContext ??= new AsyncLocalStorage<RequestContext>());

// JSON lines; pino escapes CR/LF inside strings, so user-supplied text cannot forge a log line (S14).
export const logger: pino.Logger = (globalThis.__greenlaneLogger ??= pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: process.env.GREENLANE_SERVICE ?? "web" },
  timestamp: pino.stdTimeFunctions.isoTime,
  mixin() {
    const ctx = requestContext.getStore();
    return ctx ? { requestId: ctx.requestId } : {};
  },
  redact: {
    // err.meta: a database error's details (PostgreSQL's "Failing row contains (…)") carry whole rows, personal data included (S15).
    paths: ["password", "*.password", "token", "*.token", "req.headers.cookie", "headers.cookie", "err.meta", "*.err.meta"],
    censor: "[redacted]",
  },
}));
