import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "#app/.server/db.ts";
import { createUser, signedInClient, startTestServer } from "#scripts/test/harness.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe("the deferral policy", () => {
  it("starts with the default from DOMAIN.md", async () => {
    const first = await prisma.deferralPolicy.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
    expect(first).toMatchObject({ deferrableCodes: ["3.4"], maxDeferralWorkingDays: 30, reminderOffsets: [5, 2, 1, 0, -1], graceWorkingDays: 15, barMonths: 12 });
  });

  it("window staff save a new version, audited with before and after; a bad value is refused with the input kept", async () => {
    const staff = await createUser("WINDOW");
    const client = await signedInClient(server.baseUrl, staff.id);
    const page = await client.get("/window/policy");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("5, 2, 1, 0, -1");

    const bad = await client.post("/window/policy", { deferrableCodes: "3.4", maxDeferralWorkingDays: "30", reminderOffsets: "5; 2", graceWorkingDays: "15", barMonths: "12", reason: "测试" });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("请输入以逗号分隔的整数");
    expect(html).toContain("5; 2");

    const body = new URLSearchParams([
      ["deferrableCodes", "3.4"],
      ["deferrableCodes", "3.6"],
      ["maxDeferralWorkingDays", "20"],
      ["reminderOffsets", "3, 1, 0, -1, 3"],
      ["graceWorkingDays", "10"],
      ["barMonths", "6"],
      ["reason", "区政府要求缩短"],
    ]);
    const saved = await client.request("/window/policy", { method: "POST", body });
    expect(saved.status).toBe(200);
    const latest = await prisma.deferralPolicy.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    expect(latest).toMatchObject({ deferrableCodes: ["3.4", "3.6"], maxDeferralWorkingDays: 20, reminderOffsets: [3, 1, 0, -1], createdById: staff.id });
    const row = await prisma.auditEvent.findFirstOrThrow({ where: { action: "policy.deferral.save", objectId: latest.id } });
    expect(row.details).toMatchObject({ before: { maxDeferralWorkingDays: 30 }, after: { maxDeferralWorkingDays: 20 }, reason: "区政府要求缩短" });
  });
});
