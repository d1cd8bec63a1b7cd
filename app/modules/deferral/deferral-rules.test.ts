import { describe, expect, it } from "vitest";
import { officialHolidays } from "#scripts/official-holidays.ts";
import { buildCalendar, shanghaiDate } from "#app/modules/calendar/working-days.ts";
import {
  audienceOf,
  barUntil,
  countdown,
  deadlineOf,
  deferrableItems,
  deferralReminderSpecs,
  dueDateBounds,
  dueDateProblem,
  graceEndDate,
  offsetOfKind,
  stateAt,
} from "./deferral-rules.ts";

const calendar = buildCalendar(officialHolidays(2020, 2026));
const OFFSETS = [5, 2, 1, 0, -1];

describe("deferrable items", () => {
  const item = (code: string, extra: Partial<{ requirement: "R" | "CR" | "NR"; versionCount: number; notApplicableReason: string | null }> = {}) => ({
    id: code,
    code,
    requirement: "R" as const,
    versionCount: 0,
    notApplicableReason: null,
    ...extra,
  });
  it("only policy items that are required or conditional, without a document and not marked not applicable", () => {
    const items = [item("3.4"), item("3.5", { versionCount: 1 }), item("3.6", { requirement: "NR" }), item("3.7", { notApplicableReason: "n/a" }), item("1.1"), item("3.8", { requirement: "CR" })];
    expect(deferrableItems(items, ["3.4", "3.5", "3.6", "3.7", "3.8"]).map((i) => i.code)).toEqual(["3.4", "3.8"]);
  });
});

describe("due dates", () => {
  it("runs from the next working day to the policy's limit in working days, skipping Spring Festival", () => {
    // Friday 2026-02-13: 02-14 is a make-up Saturday, then 02-15…02-23 rest.
    expect(dueDateBounds(calendar, "2026-02-13", 2)).toEqual({ min: "2026-02-14", max: "2026-02-24" });
    expect(dueDateBounds(calendar, "2026-11-27", 30).max).toBe("2027-01-08");
  });
  it("names the problem with a date", () => {
    expect(dueDateProblem(calendar, "2026-03-16", "2026-03-16", 30)).toBe("deferral.errors.tooEarly");
    expect(dueDateProblem(calendar, "2026-03-16", "2026-03-21", 30)).toBe("deferral.errors.notWorkingDay");
    expect(dueDateProblem(calendar, "2026-03-16", "2026-06-30", 30)).toBe("deferral.errors.tooLate");
    expect(dueDateProblem(calendar, "2026-03-16", "2026-03-20", 30)).toBeNull();
  });
});

describe("clock of a deferral", () => {
  const due = "2026-09-30";
  it("is overdue only after 23:59:59 Shanghai on the due date, and breached after the grace period", () => {
    expect(deadlineOf(due).toISOString()).toBe("2026-09-30T15:59:59.999Z");
    expect(stateAt(calendar, new Date("2026-09-30T15:59:59.000Z"), { state: "PENDING", dueDate: due }, 15)).toBe("PENDING");
    expect(stateAt(calendar, new Date("2026-09-30T16:00:00.000Z"), { state: "PENDING", dueDate: due }, 15)).toBe("OVERDUE");
    // 15 working days after 09-30 across National Day (10-01…10-07 rest, 10-10 Saturday worked).
    const graceEnd = graceEndDate(calendar, due, 15);
    expect(graceEnd).toBe("2026-10-27");
    expect(stateAt(calendar, deadlineOf(graceEnd), { state: "OVERDUE", dueDate: due }, 15)).toBe("OVERDUE");
    expect(stateAt(calendar, new Date(deadlineOf(graceEnd).getTime() + 1), { state: "OVERDUE", dueDate: due }, 15)).toBe("BREACHED");
    expect(stateAt(calendar, new Date("2027-01-01T00:00:00Z"), { state: "FULFILLED", dueDate: due }, 15)).toBe("FULFILLED");
  });
  it("counts down in working days and marks dates in unpublished years provisional", () => {
    const c = countdown(calendar, new Date("2026-09-28T02:00:00Z"), due);
    expect(c).toEqual({ dueDate: due, left: 2, provisional: false, overdue: false });
    expect(countdown(calendar, new Date("2026-12-30T02:00:00Z"), "2027-01-05").provisional).toBe(true);
  });
  it("bars a company for the policy's months from the breach", () => {
    expect(barUntil(new Date("2026-03-31T02:00:00Z"), 12).toISOString()).toBe("2027-03-31T02:00:00.000Z");
  });
});

describe("reminders of a deferral", () => {
  it("reach the company before, the advisor from the due day, and window staff after it", () => {
    expect(audienceOf(5)).toEqual(["company"]);
    expect(audienceOf(0)).toEqual(["company", "advisor"]);
    expect(audienceOf(-1)).toEqual(["company", "advisor", "window"]);
  });
  it("follow the policy's offsets at 09:00 Shanghai; an extension starts a second round of kinds", () => {
    const first = deferralReminderSpecs(calendar, "2026-03-18", OFFSETS, false);
    expect(first.map((r) => [r.kind, shanghaiDate(r.fireAt), r.audience.join("+")])).toEqual([
      ["deferral.due-5", "2026-03-11", "company"],
      ["deferral.due-2", "2026-03-16", "company"],
      ["deferral.due-1", "2026-03-17", "company"],
      ["deferral.due-0", "2026-03-18", "company+advisor"],
      ["deferral.overdue-1", "2026-03-19", "company+advisor+window"],
    ]);
    const second = deferralReminderSpecs(calendar, "2026-04-01", OFFSETS, true);
    expect(second.map((r) => r.kind)).toEqual(["deferral.ext.due-5", "deferral.ext.due-2", "deferral.ext.due-1", "deferral.ext.due-0", "deferral.ext.overdue-1"]);
    expect(second.map((r) => offsetOfKind(r.kind))).toEqual([5, 2, 1, 0, -1]);
  });
});
