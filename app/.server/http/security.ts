import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import helmet from "helmet";

/** A fresh CSP nonce per response; Remix's inline scripts carry it. */
export function cspNonce(_req: Request, res: Response, next: NextFunction) {
  res.locals.cspNonce = randomBytes(16).toString("base64");
  next();
}

/** Security headers (QUALITY S9). HSTS only when the portal is served over https. */
export function securityHeaders(options: { https: boolean }) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce as string}'`],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        ...(options.https ? { "upgrade-insecure-requests": [] } : {}),
      },
    },
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: "deny" },
  });
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site form posts are refused (QUALITY S8): a state-changing request
 * must come from our own origin. Browsers send Origin on POST and
 * Sec-Fetch-Site on every request; a request with neither is not a browser's
 * cross-site post (and carries no ambient cookie from another site).
 */
export function sameOriginOnly(allowedOrigins: () => string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get("origin");
    const fetchSite = req.get("sec-fetch-site");
    const own = new Set([...allowedOrigins(), `${req.protocol}://${req.get("host")}`]);
    const crossOrigin = origin !== undefined && origin !== "null" ? !own.has(origin) : origin === "null";
    const crossSite = fetchSite !== undefined && fetchSite !== "same-origin" && fetchSite !== "none";
    if (crossOrigin || crossSite) {
      res.locals.crossSiteRejected = true;
      res.status(403).type("text/plain; charset=utf-8").send("403 跨站请求被拒绝 / Cross-site request refused");
      return;
    }
    next();
  };
}

/** Signed-in pages must not be cached (QUALITY S9); hashed assets are immutable. */
export function noStore(req: Request, res: Response, next: NextFunction) {
  if (!req.path.startsWith("/assets/")) res.set("Cache-Control", "no-store");
  next();
}
