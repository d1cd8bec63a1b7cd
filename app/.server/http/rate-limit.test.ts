import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_VERIFY_RATE_LIMIT, VERIFY_RATE_LIMIT_PATHS, verifyRateLimit, verifyRateLimiter } from "./rate-limit.ts";

/* The verification limiter on its own, mounted as create-app.ts mounts it, in front of a stub that answers 200. */

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(limit: number) {
  const app = express();
  app.use(VERIFY_RATE_LIMIT_PATHS, verifyRateLimiter({ limit }));
  app.use((_req, res) => {
    res.send("ok");
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("verification rate limit", () => {
  it("counts the page, the QR target and their single-fetch data URLs together, then answers 429", async () => {
    const base = await serve(4);
    const paths = ["/verify", "/verify.data?number=x", `/verify/${encodeURIComponent("津械注准20262070001")}`, "/verify/%E6%B4%A5.data"];
    for (const path of paths) expect((await fetch(base + path)).status).toBe(200);
    for (const path of paths) {
      const res = await fetch(base + path);
      expect(res.status).toBe(429);
      expect(res.headers.get("content-type")).toContain("text/plain");
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(res.headers.get("ratelimit-policy")).toContain("q=4");
      expect(await res.text()).toContain("请求过于频繁");
    }
  });

  it("leaves other paths alone, /verify-email included", async () => {
    const base = await serve(1);
    expect((await fetch(`${base}/verify`)).status).toBe(200);
    expect((await fetch(`${base}/verify`)).status).toBe(429);
    for (const path of ["/verify-email?token=x", "/login", "/dossiers/verify", "/"]) expect((await fetch(base + path)).status).toBe(200);
  });

  it("reads VERIFY_RATE_LIMIT, and refuses a value that is not a positive whole number", () => {
    expect(verifyRateLimit({})).toBe(DEFAULT_VERIFY_RATE_LIMIT);
    expect(verifyRateLimit({ VERIFY_RATE_LIMIT: "" })).toBe(DEFAULT_VERIFY_RATE_LIMIT);
    expect(verifyRateLimit({ VERIFY_RATE_LIMIT: "5" })).toBe(5);
    for (const bad of ["0", "-1", "2.5", "many"]) expect(() => verifyRateLimit({ VERIFY_RATE_LIMIT: bad })).toThrow(/VERIFY_RATE_LIMIT/);
  });
});
