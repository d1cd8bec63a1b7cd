import { describe, expect, it } from "vitest";
import { officialHolidays } from "#scripts/official-holidays.ts";
import { buildCalendar, endOfShanghaiDate, shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { formatDateTime } from "#app/utils/format.ts";
import { deferralReminderKind, deferralReminderTimes, shanghaiInstant } from "./offsets.ts";

// The official schedules as the holidays migration seeds them (chinese-days data, 2020–2026).
const calendar = buildCalendar(officialHolidays(2020, 2026));
const DEFAULT_OFFSETS = [5, 2, 1, 0, -1];
const iso = (d: Date) => d.toISOString();

describe("deferralReminderTimes", () => {
  it("counts working days around an ordinary due date, firing at 09:00 Shanghai (01:00 UTC)", () => {
    // Due Wednesday 2026-03-18.
    expect(deferralReminderTimes(calendar, "2026-03-18", DEFAULT_OFFSETS).map((r) => [r.kind, iso(r.fireAt)])).toEqual([
      ["deferral.due-5", "2026-03-11T01:00:00.000Z"],
      ["deferral.due-2", "2026-03-16T01:00:00.000Z"],
      ["deferral.due-1", "2026-03-17T01:00:00.000Z"],
      ["deferral.due-0", "2026-03-18T01:00:00.000Z"],
      ["deferral.overdue-1", "2026-03-19T01:00:00.000Z"],
    ]);
  });

  it("skips Spring Festival and counts its make-up Saturday for a due date right after it", () => {
    // 2026-02-15 … 02-23 rest; 02-14 (Saturday) is a make-up working day; 02-24 is the first working day after.
    expect(deferralReminderTimes(calendar, "2026-02-24", DEFAULT_OFFSETS).map((r) => [r.kind, shanghaiDate(r.fireAt)])).toEqual([
      ["deferral.due-5", "2026-02-10"],
      ["deferral.due-2", "2026-02-13"],
      ["deferral.due-1", "2026-02-14"],
      ["deferral.due-0", "2026-02-24"],
      ["deferral.overdue-1", "2026-02-25"],
    ]);
  });

  it("overdue reminders after a due date before National Day land on the working days after the holiday", () => {
    // Due Wednesday 2026-09-30: National Day 10-01 … 10-07 rest, 10-08 is the next working day.
    const times = deferralReminderTimes(calendar, "2026-09-30", [0, -1, -2]);
    expect(times.map((r) => shanghaiDate(r.fireAt))).toEqual(["2026-09-30", "2026-10-08", "2026-10-09"]);
  });

  it("stores UTC and shows the deadline day in +08:00, whatever the process's time zone (R10)", () => {
    const [due] = deferralReminderTimes(calendar, "2026-03-31", [0]);
    expect(iso(due!.fireAt)).toBe("2026-03-31T01:00:00.000Z");
    expect(formatDateTime(due!.fireAt, "en")).toBe("31/03/2026, 09:00:00");
    // The deadline itself (23:59 Shanghai) is still 31 March in Shanghai although it is 15:59 UTC.
    const deadline = endOfShanghaiDate("2026-03-31");
    expect(iso(deadline)).toBe("2026-03-31T15:59:59.999Z");
    expect(shanghaiDate(deadline)).toBe("2026-03-31");
    expect(formatDateTime(deadline, "zh-CN")).toBe("2026/03/31 23:59:59");
    expect(due!.fireAt.getTime()).toBeLessThan(deadline.getTime());
  });

  it("names kinds by offset and drops duplicate offsets", () => {
    expect(deferralReminderKind(5)).toBe("deferral.due-5");
    expect(deferralReminderKind(0)).toBe("deferral.due-0");
    expect(deferralReminderKind(-1)).toBe("deferral.overdue-1");
    expect(deferralReminderTimes(calendar, "2026-03-18", [1, 1, 0])).toHaveLength(2);
    expect(() => deferralReminderTimes(calendar, "2026-03-18", [1.5])).toThrow();
    expect(() => shanghaiInstant("2026-13-01")).toThrow();
  });
});
