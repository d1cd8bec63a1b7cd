import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prisma } from "#app/.server/db.ts";
import { loadHolidayCalendar } from "./calendar.server.ts";
import { addWorkingDays, isWorkingDay } from "./working-days.ts";

describe("the holiday table", () => {
  it("holds the official 2020–2026 schedules after migration, as the chinese-days data has them", async () => {
    const require = createRequire(import.meta.url);
    const data = JSON.parse(readFileSync(path.join(path.dirname(require.resolve("chinese-days")), "chinese-days.json"), "utf8")) as Record<string, Record<string, string>>;
    const expected = (source: Record<string, string>) => Object.keys(source).filter((d) => d >= "2020-01-01" && d <= "2026-12-31").length;
    expect(await prisma.holiday.count({ where: { kind: "REST" } })).toBe(expected(data.holidays!));
    expect(await prisma.holiday.count({ where: { kind: "WORK" } })).toBe(expected(data.workdays!));
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
