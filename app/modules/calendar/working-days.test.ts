import { describe, expect, it } from "vitest";
import { officialHolidays } from "#scripts/official-holidays.ts";
import { addWorkingDays, buildCalendar, endOfShanghaiDate, isProvisional, isWorkingDay, shanghaiDate, workingDaysBetween } from "./working-days.ts";

// The official schedules as the holidays migration seeds them (chinese-days data, 2020–2026).
const calendar = buildCalendar(officialHolidays(2020, 2026));

describe("the 2026 schedule (DOMAIN.md)", () => {
  it("make-up working days are working days", () => {
    for (const d of ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]) expect(isWorkingDay(calendar, d), d).toBe(true);
  });
  it("holidays are rest days", () => {
    const ranges: [string, string][] = [["2026-01-01", "2026-01-03"], ["2026-02-15", "2026-02-23"], ["2026-04-04", "2026-04-06"], ["2026-05-01", "2026-05-05"], ["2026-06-19", "2026-06-21"], ["2026-09-25", "2026-09-27"], ["2026-10-01", "2026-10-07"]];
    for (const [from, to] of ranges) {
      for (let d = from; d <= to; d = addDays(d, 1)) expect(isWorkingDay(calendar, d), d).toBe(false);
    }
  });
  it("ordinary weekdays work and weekends rest", () => {
    expect(isWorkingDay(calendar, "2026-03-02")).toBe(true); // Monday
    expect(isWorkingDay(calendar, "2026-03-07")).toBe(false); // Saturday
    expect(isWorkingDay(calendar, "2026-03-08")).toBe(false); // Sunday
  });
});

function addDays(date: string, n: number) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

describe("addWorkingDays", () => {
  it("does not count the start day", () => {
    expect(addWorkingDays(calendar, "2026-03-02", 1)).toBe("2026-03-03");
    expect(addWorkingDays(calendar, "2026-03-06", 1)).toBe("2026-03-09"); // Friday → Monday
    expect(addWorkingDays(calendar, "2026-03-02", 0)).toBe("2026-03-02");
  });
  it("crosses the Spring Festival, counting the make-up Saturday before it", () => {
    expect(addWorkingDays(calendar, "2026-02-13", 1)).toBe("2026-02-14");
    expect(addWorkingDays(calendar, "2026-02-14", 1)).toBe("2026-02-24");
    expect(addWorkingDays(calendar, "2026-02-12", 5)).toBe("2026-02-26");
  });
  it("crosses National Day and the make-up Saturday after it", () => {
    expect(addWorkingDays(calendar, "2026-09-30", 1)).toBe("2026-10-08");
    expect(addWorkingDays(calendar, "2026-10-09", 1)).toBe("2026-10-10");
    expect(addWorkingDays(calendar, "2026-09-30", 3)).toBe("2026-10-10");
  });
  it("crosses a year end into New Year's make-up Sunday", () => {
    expect(addWorkingDays(calendar, "2025-12-31", 1)).toBe("2026-01-04");
    expect(addWorkingDays(calendar, "2026-01-05", -1)).toBe("2026-01-04");
    expect(addWorkingDays(calendar, "2026-01-04", -1)).toBe("2025-12-31");
  });
  it("counts 60 working days of technical review across National Day", () => {
    const end = addWorkingDays(calendar, "2026-09-01", 60);
    expect(workingDaysBetween(calendar, "2026-09-01", end)).toBe(60);
    expect(end).toBe("2026-11-30");
  });
});

describe("workingDaysBetween", () => {
  it("is the inverse of addWorkingDays, forwards and backwards, across every day of 2020–2026", () => {
    for (let d = "2020-01-01"; d <= "2026-12-01"; d = addDays(d, 7)) {
      for (const n of [1, 5, 20, -3]) expect(workingDaysBetween(calendar, d, addWorkingDays(calendar, d, n)), `${d} ${n}`).toBe(n);
    }
  });
  it("counts the working days after the first date up to the second", () => {
    expect(workingDaysBetween(calendar, "2026-02-13", "2026-02-24")).toBe(2);
    expect(workingDaysBetween(calendar, "2026-02-24", "2026-02-13")).toBe(-2);
    expect(workingDaysBetween(calendar, "2026-02-24", "2026-02-24")).toBe(0);
  });
});

describe("dates and instants", () => {
  it("takes the Asia/Shanghai date of an instant, and the instant a date ends", () => {
    expect(shanghaiDate(new Date("2026-12-31T15:59:59Z"))).toBe("2026-12-31");
    expect(shanghaiDate(new Date("2026-12-31T16:00:00Z"))).toBe("2027-01-01");
    expect(endOfShanghaiDate("2026-03-02").toISOString()).toBe("2026-03-02T15:59:59.999Z");
  });
  it("marks dates after the last published year as provisional", () => {
    expect(calendar.lastPublishedYear).toBe(2026);
    expect(isProvisional(calendar, "2026-12-31")).toBe(false);
    expect(isProvisional(calendar, "2027-01-04")).toBe(true);
  });
  it("rejects impossible dates", () => {
    expect(() => isWorkingDay(calendar, "2026-02-30")).toThrow();
    expect(() => addWorkingDays(calendar, "2026-1-2", 1)).toThrow();
  });
});
