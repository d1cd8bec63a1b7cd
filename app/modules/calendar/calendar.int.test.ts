import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "#app/.server/db.ts";
import { officialHolidays } from "#scripts/official-holidays.ts";
import { createUser, signedInClient, startTestServer } from "#scripts/test/harness.ts";
import { loadHolidayCalendar } from "./calendar.server.ts";
import { addWorkingDays, isWorkingDay } from "./working-days.ts";

describe("the holiday table", () => {
  it("holds the official 2020–2026 schedules after migration, as the chinese-days data has them", async () => {
    const official = officialHolidays(2020, 2026);
    const expected = (kind: "REST" | "WORK") => official.filter((h) => h.kind === kind).length;
    expect(await prisma.holiday.count({ where: { kind: "REST" } })).toBe(expected("REST"));
    expect(await prisma.holiday.count({ where: { kind: "WORK" } })).toBe(expected("WORK"));
    const springFestival = await prisma.holiday.findUniqueOrThrow({ where: { date: new Date("2026-02-17T00:00:00Z") } });
    expect(springFestival).toMatchObject({ kind: "REST", nameZh: "春节", nameEn: "Spring Festival" });
  });

  it("drives the working-day functions", async () => {
    const calendar = await loadHolidayCalendar();
    expect(calendar.lastPublishedYear).toBe(2026);
    expect(isWorkingDay(calendar, "2026-02-28")).toBe(true);
    expect(addWorkingDays(calendar, "2026-09-30", 1)).toBe("2026-10-08");
  });
});

describe("window staff maintain the calendar", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("enter next year's schedule, refuse a make-up day on a weekday, and delete an entry — audited", async () => {
    const staff = await createUser("WINDOW");
    const client = await signedInClient(server.baseUrl, staff.id);
    const saved = await client.post("/window/calendar", { date: "2027-01-01", kind: "REST", nameZh: "元旦", nameEn: "New Year's Day" });
    expect(saved.status).toBe(200);
    expect(await prisma.holiday.findUnique({ where: { date: new Date("2027-01-01T00:00:00Z") } })).toMatchObject({ kind: "REST", updatedById: staff.id });
    const wrong = await client.post("/window/calendar", { date: "2027-01-05", kind: "WORK", nameZh: "错误", nameEn: "Wrong" });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("调休上班日应为周末");
    expect((await client.get("/window/calendar?year=2027")).status).toBe(200);
    expect((await client.get("/window/calendar?year=abc")).status).toBe(400);
    const removed = await client.post("/window/calendar?intent=remove", { date: "2027-01-01" });
    expect(removed.status).toBe(200);
    expect(await prisma.holiday.count({ where: { date: new Date("2027-01-01T00:00:00Z") } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { actorId: staff.id, action: { in: ["calendar.save", "calendar.remove"] } } })).toBe(2);
  });
});
