import type { RequestHandler } from "express";
import { rateLimit } from "express-rate-limit";
import { logger } from "../logger.ts";

/*
 * Public certificate verification (/verify, no sign-in) is rate limited per
 * client IP, so nobody can walk the number space (津械注准YYYY2NNSSSS is
 * guessable) to harvest the register. A person checking a certificate makes
 * a handful of requests; a scraper makes thousands.
 */

/**
 * Paths the limiter guards, for `app.use(VERIFY_RATE_LIMIT_PATHS, …)`:
 * "/verify" covers the page, "/verify/<number>" (the QR target) and its
 * single-fetch data URL "/verify/<number>.data"; the index's data URL is
 * "/verify.data", a sibling path Express would not match by "/verify" alone.
 * ("/verify-email" is a different path segment and is not limited.)
 */
export const VERIFY_RATE_LIMIT_PATHS = ["/verify", "/verify.data"];

/** Requests per minute and IP (policy). */
export const DEFAULT_VERIFY_RATE_LIMIT = 30;
export const VERIFY_RATE_WINDOW_MS = 60_000;

const TOO_MANY = "请求过于频繁，请稍后再试。\nToo many requests. Please try again in a minute.\n";

/** VERIFY_RATE_LIMIT (requests per minute per IP; tests set it low), or the default. */
export function verifyRateLimit(source: Record<string, string | undefined> = process.env): number {
  const raw = source.VERIFY_RATE_LIMIT;
  if (raw === undefined || raw === "") return DEFAULT_VERIFY_RATE_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new Error(`VERIFY_RATE_LIMIT must be a whole number from 1 to 100000, got "${raw}"`);
  return limit;
}

/**
 * A fresh limiter (its own in-memory counts) for one Express app. Counts are
 * per process: behind several web processes the effective limit is that many
 * times higher, which is still far below what scraping needs. Answers 429
 * with RateLimit / RateLimit-Policy (draft-8) and Retry-After headers and a
 * short bilingual text.
 */
export function verifyRateLimiter(options: { limit?: number; windowMs?: number } = {}): RequestHandler {
  const limit = options.limit ?? verifyRateLimit();
  return rateLimit({
    windowMs: options.windowMs ?? VERIFY_RATE_WINDOW_MS,
    limit,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (req, res, _next, opts) => {
      logger.warn({ path: req.path, limit }, "verification rate limit reached");
      res.status(opts.statusCode).set("Cache-Control", "no-store").type("text/plain; charset=utf-8").send(TOO_MANY);
    },
  });
}
