import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, startTestServer } from "#scripts/test/harness.ts";

/*
 * The real Express host limits public verification per IP. A low limit for
 * this file only (its own process and server): createApp reads
 * VERIFY_RATE_LIMIT when it builds the limiter.
 */

const LIMIT = 3;
let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  process.env.VERIFY_RATE_LIMIT = String(LIMIT);
  server = await startTestServer();
});
afterAll(() => server?.close());

describe("public verification rate limit", () => {
  it("answers 429 with Retry-After once the limit is used, for the pages and their data URLs; other pages are not limited", async () => {
    const anonymous = new Client(server.baseUrl);
    for (let i = 0; i < LIMIT; i++) expect((await anonymous.get(i % 2 ? "/verify.data" : "/verify")).status).toBe(200);
    for (const path of ["/verify", "/verify.data", `/verify/${encodeURIComponent("津械注准20262070001")}`, `/verify/${encodeURIComponent("津械注准20262070001")}.data`]) {
      const res = await anonymous.get(path);
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(res.headers.get("ratelimit")).toContain("r=0");
      expect(await res.text()).toContain("Too many requests");
    }
    expect((await anonymous.get("/login")).status).toBe(200);
  });
});
