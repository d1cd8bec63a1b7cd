import { describe, expect, it } from "vitest";
import { buildCalendar } from "#app/modules/calendar/working-days.ts";
import { DEFAULT_CLOCK_POLICY, type ClockEvent } from "#app/modules/clock/stage-clock.ts";
import { parseSupplementKind, progressStages, qmsState, supplementDueDate, supplementReminderSpecs } from "./milestone-rules.ts";
import { listLines } from "./notices.ts";

// 2026 holidays around National Day (DOMAIN.md): 10-01..07 rest, 09-20 and 10-10 make-up working days.
const calendar = buildCalendar([
  ...["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07", "2026-09-25", "2026-09-26", "2026-09-27"].map((date) => ({ date, kind: "REST" as const })),
  { date: "2026-09-20", kind: "WORK" as const },
  { date: "2026-10-10", kind: "WORK" as const },
]);
const at = (iso: string) => new Date(iso);
const ev = (type: string, from: ClockEvent["fromStatus"], to: ClockEvent["toStatus"], iso: string): ClockEvent => ({ type, fromStatus: from, toStatus: to, at: at(iso) });

describe("supplement deadline", () => {
  it("is one calendar year after the notice, 02-29 falling back to 02-28", () => {
    expect(supplementDueDate("2026-11-28")).toBe("2027-11-28");
    expect(supplementDueDate("2028-02-29")).toBe("2029-02-28");
  });

  it("reminds the company and advisor 30, 7 and 1 days before and the window the day after, numbered by notice", () => {
    const specs = supplementReminderSpecs(2, "2027-11-28", at("2026-11-28T02:00:00Z"));
    expect(specs.map((s) => [s.kind, s.fireAt.toISOString(), s.audience.join(",")])).toEqual([
      ["supplement.2.due-30d", "2027-10-29T01:00:00.000Z", "company,advisor"],
      ["supplement.2.due-7d", "2027-11-21T01:00:00.000Z", "company,advisor"],
      ["supplement.2.due-1d", "2027-11-27T01:00:00.000Z", "company,advisor"],
      ["supplement.2.overdue", "2027-11-29T01:00:00.000Z", "window,advisor"],
    ]);
    expect(parseSupplementKind("supplement.2.due-7d")).toEqual({ sequence: 2, overdue: false });
    expect(parseSupplementKind("supplement.2.overdue")).toEqual({ sequence: 2, overdue: true });
    expect(parseSupplementKind("deferral.due-5")).toBeNull();
  });

  it("leaves out reminders whose time has passed", () => {
    const specs = supplementReminderSpecs(1, "2027-11-28", at("2027-11-25T00:00:00Z"));
    expect(specs.map((s) => s.kind)).toEqual(["supplement.1.due-1d", "supplement.1.overdue"]);
  });
});

describe("QMS state", () => {
  it("follows the last start and finish", () => {
    expect(qmsState([])).toBe("none");
    expect(qmsState([{ type: "QMS_STARTED" }])).toBe("running");
    expect(qmsState([{ type: "QMS_STARTED" }, { type: "QMS_FINISHED" }])).toBe("finished");
    expect(qmsState([{ type: "QMS_FINISHED" }])).toBe("none");
  });
});

describe("progress stages (办件进度)", () => {
  it("lists each stage with its working days, the supplement pause across National Day and the second review round", () => {
    const events = [
      ev("SUBMIT", "DRAFT", "SUBMITTED", "2026-09-14T02:00:00Z"),
      ev("ACCEPT", "SUBMITTED", "ACCEPTED", "2026-09-16T02:00:00Z"),
      ev("HANDOVER", "ACCEPTED", "IN_REVIEW", "2026-09-17T02:00:00Z"),
      ev("REQUESTSUPPLEMENT", "IN_REVIEW", "SUPPLEMENT_REQUESTED", "2026-09-24T02:00:00Z"),
      ev("SUPPLEMENTRECEIVED", "SUPPLEMENT_REQUESTED", "IN_REVIEW", "2026-10-12T02:00:00Z"),
    ];
    const stages = progressStages(calendar, events, DEFAULT_CLOCK_POLICY, at("2026-10-14T04:00:00Z"));
    expect(stages.map((s) => [s.stage, s.round, s.limitKey, s.elapsed, s.limit, s.endedAt === null])).toEqual([
      ["acceptance", 1, "acceptance", 2, 5, false],
      ["handover", 1, "handover", 1, 3, false],
      // 09-18, 09-20 (a make-up Sunday), 09-21 … 09-24: the day the notice went out still counts.
      ["review", 1, "review", 6, 60, false],
      // The new round after the answer: 10-13, 10-14.
      ["review", 2, "reviewAfterSupplement", 2, 60, true],
    ]);
    expect(stages[2]!.pauses.map((p) => p.reason)).toEqual(["supplement"]);
    // The policy's targets are shown beside the legal limits.
    expect(stages[2]!.target).toBe(30);
    expect(stages[3]!.target).toBe(20);
    expect(stages[3]!.colour).toBe("green");
  });
});

describe("notice lists", () => {
  it("takes one item per line without list markers or blank lines", () => {
    expect(listLines("1. 产品技术要求\n\n- 检验报告 \r\n（3）说明书\n2、标签")).toEqual(["产品技术要求", "检验报告", "（3）说明书", "标签"]);
  });
});
