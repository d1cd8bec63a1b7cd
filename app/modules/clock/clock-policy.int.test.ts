import { afterAll, describe, expect, it } from "vitest";
import { ownDatabase } from "#scripts/test/own-database.ts";

// The clock policy is global: a database of this file's own keeps other files' clocks out of it.
const database = await ownDatabase("clockpolicy");
const { prisma } = await import("#app/.server/db.ts");
const { approvedDossier } = await import("#scripts/test/dossier-fixtures.ts");
const { refreshClocksIfAsked, saveClockPolicy, currentClockPolicy, ClockPolicyError } = await import("./clock.server.ts");
const { saveHoliday } = await import("#app/modules/calendar/holidays.server.ts");
const { DEFAULT_STAGE_LIMITS } = await import("./stage-clock.ts");

afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

describe("clock policy", () => {
  it("is versioned and audited; the worker's refresh recomputes running clocks once per change", async () => {
    const f = await approvedDossier();
    expect((await prisma.dossier.findUniqueOrThrow({ where: { id: f.dossier.id } })).stageLimit).toBe(10);
    await saveClockPolicy(f.window, { limits: { ...DEFAULT_STAGE_LIMITS, issuance: { legal: 10, target: 5 } }, basis: "target", yellowAt: 0.6, reason: "绿色通道目标" });
    const policy = await currentClockPolicy();
    expect(policy).toMatchObject({ basis: "target", yellowAt: 0.6, reason: "绿色通道目标" });
    expect(await prisma.auditEvent.count({ where: { action: "clock.policy.save", objectId: policy.id } })).toBe(1);

    expect(await refreshClocksIfAsked()).toBe(1);
    expect(await refreshClocksIfAsked()).toBeNull();
    const d = await prisma.dossier.findUniqueOrThrow({ where: { id: f.dossier.id } });
    expect(d.stageLimit).toBe(5);

    // A calendar edit asks for a refresh too.
    await saveHoliday(f.window, { date: "2031-01-02", kind: "REST", nameZh: "测试", nameEn: "test" });
    expect(await refreshClocksIfAsked()).toBe(1);
  });

  it("refuses a target above the legal limit", async () => {
    const f = await approvedDossier();
    await expect(saveClockPolicy(f.window, { limits: { ...DEFAULT_STAGE_LIMITS, review: { legal: 60, target: 70 } }, basis: "legal", yellowAt: 0.8, reason: "x" })).rejects.toBeInstanceOf(ClockPolicyError);
  });
});
