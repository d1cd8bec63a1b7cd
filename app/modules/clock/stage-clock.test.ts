import { describe, expect, it } from "vitest";
import { buildCalendar } from "#app/modules/calendar/working-days.ts";
import { officialHolidays } from "#scripts/official-holidays.ts";
import {
  DEFAULT_CLOCK_POLICY,
  NO_CLOCK,
  clockAlertKind,
  parseClockAlertKind,
  readStoredClock,
  storedClock,
  storedColour,
  yellowThreshold,
  CLOCK_EVENTS,
  DEFAULT_STAGE_LIMITS,
  DEFAULT_YELLOW_AT,
  clockColour,
  currentStage,
  intervalClock,
  limitOf,
  maxExtension,
  stageClock,
  stageLimitsProblems,
  stageTimeline,
  type ClockEvent,
  type Pause,
  type StageName,
} from "./stage-clock.ts";

// The official schedules as the holidays migration seeds them (2020–2026): 2027 is not published.
const calendar = buildCalendar(officialHolidays(2020, 2026));

/** An instant on a Shanghai date (noon unless told). */
const at = (date: string, time = "12:00") => new Date(`${date}T${time}:00+08:00`);

function clock(startedAt: Date, now: Date, limit: number, pauses: Pause[] = [], stage: StageName = "review") {
  return stageClock(calendar, { stage, startedAt, now, limit, pauses });
}

describe("limits (DOMAIN.md, all in working days)", () => {
  it("has the legal limits of Order 47 and the review targets as policy", () => {
    expect(DEFAULT_STAGE_LIMITS).toEqual({
      acceptance: { legal: 5 },
      handover: { legal: 3 },
      review: { legal: 60, target: 30 },
      reviewAfterSupplement: { legal: 60, target: 20 },
      approval: { legal: 20 },
      issuance: { legal: 10 },
    });
    expect(DEFAULT_YELLOW_AT).toBe(0.8);
    expect(stageLimitsProblems(DEFAULT_STAGE_LIMITS)).toEqual([]);
  });
  it("uses the target when asked and set, else the legal limit", () => {
    expect(limitOf(DEFAULT_STAGE_LIMITS, "review")).toBe(60);
    expect(limitOf(DEFAULT_STAGE_LIMITS, "review", "target")).toBe(30);
    expect(limitOf(DEFAULT_STAGE_LIMITS, "reviewAfterSupplement", "target")).toBe(20);
    expect(limitOf(DEFAULT_STAGE_LIMITS, "approval", "target")).toBe(20);
  });
  it("allows an extension of at most half the limit", () => {
    expect(maxExtension(60)).toBe(30);
    expect(maxExtension(5)).toBe(2);
    expect(maxExtension(3)).toBe(1);
  });
  it("rejects limits that are not positive whole numbers and targets above the legal limit", () => {
    const limits = { ...DEFAULT_STAGE_LIMITS, handover: { legal: 0 }, review: { legal: 60, target: 61 }, approval: { legal: 2.5 } };
    expect(stageLimitsProblems(limits)).toEqual(["handover.legal", "review.target", "approval.legal"]);
  });
});

describe("counting working days in a stage", () => {
  it("does not count the start day and counts today", () => {
    expect(clock(at("2026-03-02", "08:00"), at("2026-03-02", "18:00"), 5).elapsed).toBe(0);
    expect(clock(at("2026-03-02"), at("2026-03-03", "00:01"), 5).elapsed).toBe(1);
    expect(clock(at("2026-03-06"), at("2026-03-09"), 5).elapsed).toBe(1); // Friday → Monday
  });
  it("takes Asia/Shanghai dates of the instants", () => {
    // 2026-03-01T16:30Z is Monday 2026-03-02 00:30 in Shanghai, so Monday is the (uncounted) start day.
    const c = clock(new Date("2026-03-01T16:30:00Z"), new Date("2026-03-03T15:59:00Z"), 5);
    expect(c.elapsed).toBe(1);
    expect(c.dueDate).toBe("2026-03-09");
  });
  it("is 0 before the start", () => {
    const c = clock(at("2026-03-10"), at("2026-03-02"), 5);
    expect(c.elapsed).toBe(0);
    expect(c.dueDate).toBe("2026-03-17");
  });
  it("rejects a pause ending before it starts, and a limit below one working day", () => {
    expect(() => clock(at("2026-03-02"), at("2026-03-10"), 5, [{ from: at("2026-03-05"), to: at("2026-03-04") }])).toThrow();
    expect(() => clock(at("2026-03-02"), at("2026-03-10"), 0)).toThrow();
    expect(() => stageClock(calendar, { stage: "review", startedAt: at("2026-03-02"), now: at("2026-03-10"), limit: 5, pauses: [], yellowAt: 1.2 })).toThrow();
  });
});

describe("Spring Festival 2026 (make-up Saturdays 02-14 and 02-28, holidays 02-15..23)", () => {
  it("counts the make-up Saturday and skips the holiday: 受理 from 02-11 is due 02-25", () => {
    const start = at("2026-02-11", "10:00");
    expect(clock(start, at("2026-02-14"), 5, [], "acceptance")).toMatchObject({ elapsed: 3, colour: "green", dueDate: "2026-02-25" });
    expect(clock(start, at("2026-02-20"), 5, [], "acceptance").elapsed).toBe(3); // in the holiday
    expect(clock(start, at("2026-02-24"), 5, [], "acceptance")).toMatchObject({ elapsed: 4, remaining: 1, colour: "yellow" });
    expect(clock(start, at("2026-02-25"), 5, [], "acceptance")).toMatchObject({ elapsed: 5, remaining: 0, colour: "yellow" });
    expect(clock(start, at("2026-02-26"), 5, [], "acceptance")).toMatchObject({ elapsed: 6, remaining: -1, colour: "red", fraction: 1.2 });
  });
  it("counts 11 working days from 02-09 to 03-02", () => {
    expect(clock(at("2026-02-09"), at("2026-03-02"), 60).elapsed).toBe(11);
  });
  it("takes out a pause spanning the festival: only its working days (02-13, 02-14, 02-24, 02-25)", () => {
    const pause = { from: at("2026-02-12", "15:00"), to: at("2026-02-25", "09:00") };
    expect(clock(at("2026-02-02"), at("2026-03-02"), 60).elapsed).toBe(16);
    expect(clock(at("2026-02-02"), at("2026-03-02"), 60, [pause]).elapsed).toBe(12);
  });
  it("a pause inside the holiday excludes nothing", () => {
    const pause = { from: at("2026-02-15"), to: at("2026-02-23") };
    expect(clock(at("2026-02-02"), at("2026-03-02"), 60, [pause]).elapsed).toBe(16);
  });
});

describe("National Day 2026 (holidays 10-01..07, make-up Saturday 10-10)", () => {
  it("handover from 09-30 is due on the make-up Saturday 10-10", () => {
    const start = at("2026-09-30", "16:00");
    expect(clock(start, at("2026-10-05"), 3, [], "handover")).toMatchObject({ elapsed: 0, dueDate: "2026-10-10", colour: "green" });
    expect(clock(start, at("2026-10-09"), 3, [], "handover")).toMatchObject({ elapsed: 2, colour: "green" });
    expect(clock(start, at("2026-10-10"), 3, [], "handover")).toMatchObject({ elapsed: 3, remaining: 0, colour: "yellow" });
    expect(clock(start, at("2026-10-11"), 3, [], "handover")).toMatchObject({ elapsed: 3, colour: "yellow" }); // Sunday
    expect(clock(start, at("2026-10-12"), 3, [], "handover")).toMatchObject({ elapsed: 4, remaining: -1, colour: "red" });
  });
  it("a QMS pause across the holiday moves the 60-day due date by its working days (09-30, 10-08, 10-09)", () => {
    const start = at("2026-09-01");
    expect(clock(start, at("2026-09-02"), 60).dueDate).toBe("2026-11-30");
    const qms = { from: at("2026-09-29", "09:00"), to: at("2026-10-09", "17:00") };
    expect(clock(start, at("2026-09-29"), 60, [qms])).toMatchObject({ elapsed: 20, paused: true });
    expect(clock(start, at("2026-10-09", "16:00"), 60, [qms])).toMatchObject({ elapsed: 20, paused: true, dueDate: "2026-12-03" });
    expect(clock(start, at("2026-10-10"), 60, [qms])).toMatchObject({ elapsed: 21, paused: false, dueDate: "2026-12-03" });
  });
});

describe("pauses: the start day counts, the end day does not", () => {
  const start = at("2026-03-02"); // Monday
  it("a pause that starts and ends on the same day excludes nothing", () => {
    const pause = { from: at("2026-03-04", "09:00"), to: at("2026-03-04", "15:00") };
    expect(clock(start, at("2026-03-06"), 60, [pause]).elapsed).toBe(4);
    expect(clock(start, at("2026-03-04", "10:00"), 60, [pause])).toMatchObject({ elapsed: 2, paused: true });
    expect(clock(start, at("2026-03-04", "16:00"), 60, [pause])).toMatchObject({ elapsed: 2, paused: false });
  });
  it("a pause from Monday to Wednesday excludes Tuesday and Wednesday; Thursday counts again", () => {
    const pause = { from: at("2026-03-09", "10:00"), to: at("2026-03-11", "10:00") };
    expect(clock(start, at("2026-03-09", "11:00"), 60, [pause])).toMatchObject({ elapsed: 5, paused: true });
    expect(clock(start, at("2026-03-10"), 60, [pause])).toMatchObject({ elapsed: 5, paused: true });
    expect(clock(start, at("2026-03-11", "16:00"), 60, [pause])).toMatchObject({ elapsed: 5, paused: false });
    expect(clock(start, at("2026-03-12"), 60, [pause])).toMatchObject({ elapsed: 6, paused: false });
  });
  it("a pause over a weekend excludes nothing", () => {
    const pause = { from: at("2026-03-06", "18:00"), to: at("2026-03-08", "20:00") };
    expect(clock(start, at("2026-03-09"), 5, [pause]).elapsed).toBe(5);
  });
  it("overlapping pauses exclude each day once", () => {
    const a = { from: at("2026-03-09"), to: at("2026-03-13") }; // excludes 10..13
    const b = { from: at("2026-03-11"), to: at("2026-03-16") }; // excludes 12..16
    expect(clock(start, at("2026-03-20"), 60, [a, b]).elapsed).toBe(9); // 03..06, 09, 17..20
  });
  it("ignores a pause that has not begun", () => {
    const c = clock(start, at("2026-03-04"), 60, [{ from: at("2026-03-05"), to: null }]);
    expect(c).toMatchObject({ elapsed: 2, paused: false });
  });
});

describe("an open pause (发补, awaiting the answer)", () => {
  const start = at("2026-03-02");
  const supplement: Pause = { from: at("2026-03-16", "15:00"), to: null };
  it("freezes the elapsed count at the day it started and shows the clock paused", () => {
    expect(clock(start, at("2026-03-16", "16:00"), 60, [supplement])).toMatchObject({ elapsed: 10, paused: true });
    const c = clock(start, at("2026-04-15"), 60, [supplement]);
    expect(c).toMatchObject({ elapsed: 10, remaining: 50, paused: true, colour: "green" });
  });
  it("gives the due date as if the clock resumed tomorrow, moving on with each paused working day", () => {
    expect(clock(start, at("2026-04-15"), 60, [supplement]).dueDate).toBe("2026-06-29"); // across Labour Day and 端午
    expect(clock(start, at("2026-04-16"), 60, [supplement]).dueDate).toBe("2026-06-30");
    expect(clock(start, at("2026-04-17"), 60, [supplement]).dueDate).toBe("2026-07-01");
    expect(clock(start, at("2026-04-18"), 60, [supplement]).dueDate).toBe("2026-07-01"); // Saturday: nothing more to move
  });
});

describe("a year end into 2027 (schedule not published)", () => {
  it("marks a due date in 2027 provisional, counting 2027 by weekdays only", () => {
    const c = clock(at("2026-12-01"), at("2026-12-31"), 60);
    expect(c).toMatchObject({ elapsed: 22, dueDate: "2027-02-23", provisional: true });
  });
  it("is not provisional while everything stays in 2026", () => {
    expect(clock(at("2026-12-21"), at("2026-12-24"), 5, [], "acceptance")).toMatchObject({ elapsed: 3, dueDate: "2026-12-28", provisional: false });
  });
  it("is provisional once today is in 2027, even for a past due date", () => {
    expect(clock(at("2026-12-21"), at("2027-01-04"), 5, [], "acceptance")).toMatchObject({ elapsed: 10, dueDate: "2026-12-28", colour: "red", provisional: true }); // 2027-01-01 counted provisionally
  });
  it("moves and firms up when window staff enter the 2027 schedule", () => {
    const guess = clock(at("2026-12-30"), at("2026-12-31"), 3, [], "handover");
    expect(guess).toMatchObject({ dueDate: "2027-01-04", provisional: true }); // counts Friday 2027-01-01
    const published = buildCalendar([...officialHolidays(2020, 2026), { date: "2027-01-01", kind: "REST" }]);
    const firm = stageClock(published, { stage: "handover", startedAt: at("2026-12-30"), now: at("2026-12-31"), limit: 3, pauses: [] });
    expect(firm).toMatchObject({ dueDate: "2027-01-05", provisional: false });
  });
});

describe("colours (yellow from 80 % of the limit, red over it)", () => {
  // 60 working days of review from Monday 2026-03-02, across 清明 and Labour Day with its make-up Saturday 05-09.
  const start = at("2026-03-02");
  it("is green below 80 %", () => {
    expect(clock(start, at("2026-05-11"), 60)).toMatchObject({ elapsed: 47, colour: "green" });
  });
  it("is yellow at exactly 80 %", () => {
    expect(clock(start, at("2026-05-12"), 60)).toMatchObject({ elapsed: 48, fraction: 0.8, colour: "yellow", remaining: 12 });
  });
  it("is yellow on the last day, which is the due date", () => {
    expect(clock(start, at("2026-05-28"), 60)).toMatchObject({ elapsed: 60, fraction: 1, colour: "yellow", remaining: 0, dueDate: "2026-05-28" });
  });
  it("is red at the limit + 1", () => {
    expect(clock(start, at("2026-05-29"), 60)).toMatchObject({ elapsed: 61, colour: "red", remaining: -1 });
  });
  it("against the green-channel target of 30 the same day is red", () => {
    expect(clock(start, at("2026-05-12"), limitOf(DEFAULT_STAGE_LIMITS, "review", "target"))).toMatchObject({ colour: "red", remaining: -18 });
  });
  it("rounds the threshold up to a whole working day", () => {
    expect([0, 1, 2, 3, 4].map((e) => clockColour(e, 3))).toEqual(["green", "green", "green", "yellow", "red"]); // 2.4 → 3
    expect([3, 4, 5, 6].map((e) => clockColour(e, 5))).toEqual(["green", "yellow", "yellow", "red"]);
    expect([15, 16, 20, 21].map((e) => clockColour(e, 20))).toEqual(["green", "yellow", "yellow", "red"]);
    expect([6, 7].map((e) => clockColour(e, 10, 0.7))).toEqual(["green", "yellow"]);
    expect(clockColour(5, 5, 1)).toBe("yellow");
    expect(clockColour(4, 5, 1)).toBe("green");
  });
});

describe("stageTimeline", () => {
  // Event types follow transitionDossier (action.toUpperCase()); the timeline itself reads the statuses.
  const ev = (type: string, fromStatus: ClockEvent["fromStatus"], toStatus: ClockEvent["toStatus"], when: Date): ClockEvent => ({ type, fromStatus, toStatus, at: when });
  const full: ClockEvent[] = [
    ev("CREATED", null, "DRAFT", at("2026-02-20")),
    ev(CLOCK_EVENTS.qmsStarted, null, null, at("2026-02-25", "10:00")), // 提前评证, before acceptance
    ev("SUBMIT", "DRAFT", "SUBMITTED", at("2026-03-02", "09:00")),
    ev("ACCEPT", "SUBMITTED", "ACCEPTED", at("2026-03-04", "10:00")),
    ev("HANDOVER", "ACCEPTED", "IN_REVIEW", at("2026-03-06", "11:00")),
    ev("EDITED", null, null, at("2026-03-10")),
    ev(CLOCK_EVENTS.qmsFinished, null, null, at("2026-03-20", "17:00")),
    ev("REQUESTSUPPLEMENT", "IN_REVIEW", "SUPPLEMENT_REQUESTED", at("2026-04-01", "15:00")),
    ev("SUPPLEMENTRECEIVED", "SUPPLEMENT_REQUESTED", "IN_REVIEW", at("2026-06-01", "09:30")),
    ev("CONCLUDE", "IN_REVIEW", "REVIEW_CONCLUDED", at("2026-07-01")),
    ev("APPROVE", "REVIEW_CONCLUDED", "APPROVED", at("2026-07-10")),
    ev(CLOCK_EVENTS.certificateIssued, null, null, at("2026-07-15")),
  ];

  it("derives every stage, the QMS and supplement pauses, and the fresh 60 days after the supplement", () => {
    const timeline = stageTimeline(full);
    expect(timeline).toEqual([
      { stage: "acceptance", limitKey: "acceptance", round: 1, startedAt: at("2026-03-02", "09:00"), endedAt: at("2026-03-04", "10:00"), pauses: [] },
      { stage: "handover", limitKey: "handover", round: 1, startedAt: at("2026-03-04", "10:00"), endedAt: at("2026-03-06", "11:00"), pauses: [] },
      {
        stage: "review",
        limitKey: "review",
        round: 1,
        startedAt: at("2026-03-06", "11:00"),
        endedAt: at("2026-06-01", "09:30"),
        pauses: [
          { from: at("2026-03-06", "11:00"), to: at("2026-03-20", "17:00"), reason: "qms" },
          { from: at("2026-04-01", "15:00"), to: at("2026-06-01", "09:30"), reason: "supplement" },
        ],
      },
      { stage: "review", limitKey: "reviewAfterSupplement", round: 2, startedAt: at("2026-06-01", "09:30"), endedAt: at("2026-07-01"), pauses: [] },
      { stage: "approval", limitKey: "approval", round: 1, startedAt: at("2026-07-01"), endedAt: at("2026-07-10"), pauses: [] },
      { stage: "issuance", limitKey: "issuance", round: 1, startedAt: at("2026-07-10"), endedAt: at("2026-07-15"), pauses: [] },
    ]);
    expect(currentStage(timeline)).toBeNull();
  });

  it("measures each finished stage at its end", () => {
    const [acceptance, , review1, review2, approval] = stageTimeline(full);
    const now = at("2026-12-01");
    expect(intervalClock(calendar, acceptance!, { now })).toMatchObject({ elapsed: 2, limit: 5, colour: "green", paused: false });
    // Only 03-23..04-01 count: (03-06, 03-20] is the QMS inspection, (04-01, 06-01] the supplement wait.
    expect(intervalClock(calendar, review1!, { now })).toMatchObject({ elapsed: 8, limit: 60, paused: false });
    expect(intervalClock(calendar, review2!, { now })).toMatchObject({ elapsed: 21, limit: 60, colour: "green" }); // 端午 06-19 skipped
    expect(intervalClock(calendar, review2!, { now, basis: "target" })).toMatchObject({ limit: 20, colour: "red" });
    expect(intervalClock(calendar, approval!, { now })).toMatchObject({ elapsed: 7, limit: 20 });
  });

  it("keeps the review current and paused while the applicant prepares the supplement", () => {
    const timeline = stageTimeline(full.slice(0, 8));
    const review = currentStage(timeline);
    expect(review).toMatchObject({ stage: "review", limitKey: "review", round: 1, endedAt: null });
    expect(review!.pauses.at(-1)).toEqual({ from: at("2026-04-01", "15:00"), to: null, reason: "supplement" });
    expect(intervalClock(calendar, review!, { now: at("2026-05-20") })).toMatchObject({ elapsed: 8, paused: true });
  });

  it("sorts events by time and ignores events that change no status", () => {
    const shuffled = [...full].reverse();
    expect(stageTimeline(shuffled)).toEqual(stageTimeline(full));
    expect(stageTimeline([ev("EDITED", "DRAFT", "DRAFT", at("2026-03-01")), ev("NOTE", null, null, at("2026-03-02"))])).toEqual([]);
  });

  it("starts a new acceptance round after 一次性告知补正, the correction time in no stage", () => {
    const timeline = stageTimeline([
      ev("SUBMIT", "DRAFT", "SUBMITTED", at("2026-03-02")),
      ev("RETURNFORCORRECTION", "SUBMITTED", "CORRECTION_REQUESTED", at("2026-03-05")),
      ev("SUBMIT", "CORRECTION_REQUESTED", "SUBMITTED", at("2026-03-16")),
      ev("ACCEPT", "SUBMITTED", "ACCEPTED", at("2026-03-18")),
    ]);
    expect(timeline.map((s) => [s.stage, s.round, s.startedAt, s.endedAt])).toEqual([
      ["acceptance", 1, at("2026-03-02"), at("2026-03-05")],
      ["acceptance", 2, at("2026-03-16"), at("2026-03-18")],
      ["handover", 1, at("2026-03-18"), null],
    ]);
  });

  it("ends the stage and closes the supplement pause on 终止", () => {
    const timeline = stageTimeline([
      ev("HANDOVER", "ACCEPTED", "IN_REVIEW", at("2026-03-02")),
      ev("REQUESTSUPPLEMENT", "IN_REVIEW", "SUPPLEMENT_REQUESTED", at("2026-03-10")),
      ev("TERMINATE", "SUPPLEMENT_REQUESTED", "TERMINATED", at("2027-03-11")),
    ]);
    expect(timeline).toEqual([
      { stage: "review", limitKey: "review", round: 1, startedAt: at("2026-03-02"), endedAt: at("2027-03-11"), pauses: [{ from: at("2026-03-10"), to: at("2027-03-11"), reason: "supplement" }] },
    ]);
    expect(currentStage(timeline)).toBeNull();
  });

  it("clips a QMS inspection to each review round it overlaps and leaves other stages alone", () => {
    const timeline = stageTimeline([
      ev("SUBMIT", "DRAFT", "SUBMITTED", at("2026-03-02")),
      ev(CLOCK_EVENTS.qmsStarted, null, null, at("2026-03-03")),
      ev("ACCEPT", "SUBMITTED", "ACCEPTED", at("2026-03-04")),
      ev("HANDOVER", "ACCEPTED", "IN_REVIEW", at("2026-03-06")),
      ev("REQUESTSUPPLEMENT", "IN_REVIEW", "SUPPLEMENT_REQUESTED", at("2026-03-10")),
      ev("SUPPLEMENTRECEIVED", "SUPPLEMENT_REQUESTED", "IN_REVIEW", at("2026-04-01")),
    ]);
    expect(timeline.map((s) => s.pauses)).toEqual([
      [],
      [],
      [
        { from: at("2026-03-06"), to: at("2026-04-01"), reason: "qms" },
        { from: at("2026-03-10"), to: at("2026-04-01"), reason: "supplement" },
      ],
      [{ from: at("2026-04-01"), to: null, reason: "qms" }],
    ]);
    const review2 = currentStage(timeline)!;
    expect(review2.limitKey).toBe("reviewAfterSupplement");
    expect(intervalClock(calendar, review2, { now: at("2026-04-10") })).toMatchObject({ elapsed: 0, paused: true });
  });

  it("does not restart the review when IN_REVIEW repeats without a supplement", () => {
    const timeline = stageTimeline([
      ev("HANDOVER", "ACCEPTED", "IN_REVIEW", at("2026-03-02")),
      ev("OTHER", "SUPPLEMENT_REQUESTED", "IN_REVIEW", at("2026-03-05")),
    ]);
    expect(timeline).toHaveLength(1);
    expect(timeline[0]).toMatchObject({ limitKey: "review", round: 1, endedAt: null });
  });
});

describe("stored clock (the queue's columns)", () => {
  const evt = (type: string, from: ClockEvent["fromStatus"], to: ClockEvent["toStatus"], iso: string): ClockEvent => ({ type, fromStatus: from, toStatus: to, at: new Date(iso) });
  // Accepted on Monday 2026-09-14; the handover limit is 3 working days: 09-15, 09-16, 09-17.
  const accepted = [evt("SUBMIT", "DRAFT", "SUBMITTED", "2026-09-11T02:00:00Z"), evt("ACCEPT", "SUBMITTED", "ACCEPTED", "2026-09-14T02:00:00Z")];

  it("stores the due, yellow and red days of a running clock and reads them back on any day", () => {
    const stored = storedClock(calendar, accepted, DEFAULT_CLOCK_POLICY, new Date("2026-09-15T02:00:00Z"));
    expect(stored).toMatchObject({ stage: "handover", stageRound: 1, stageLimit: 3, clockPaused: false, clockElapsed: 1 });
    // yellow from ceil(0.8 × 3) = 3 working days: 09-17, which is also the last day; red on the next working day, 09-18.
    expect([stored.clockYellowOn, stored.clockDueOn, stored.clockRedOn]).toEqual(["2026-09-17", "2026-09-17", "2026-09-18"]);
    expect(storedColour(stored, "2026-09-16")).toBe("green");
    expect(storedColour(stored, "2026-09-17")).toBe("yellow");
    expect(storedColour(stored, "2026-09-18")).toBe("red");
    expect(readStoredClock(calendar, stored, "2026-09-16")).toMatchObject({ elapsed: 2, remaining: 1, colour: "green" });
    // Over the limit across the weekend (09-19 Sat; 09-20 is a make-up working Sunday): 09-18, 09-20, 09-21 → 6 used.
    expect(readStoredClock(calendar, stored, "2026-09-21")).toMatchObject({ elapsed: 6, remaining: -3, colour: "red" });
  });

  it("agrees with the event-based clock on every day of a stage", () => {
    const stored = storedClock(calendar, accepted, DEFAULT_CLOCK_POLICY, new Date("2026-09-14T03:00:00Z"));
    for (let d = 14; d <= 30; d++) {
      const day = `2026-09-${String(d).padStart(2, "0")}`;
      const live = stageClock(calendar, { stage: "handover", startedAt: new Date("2026-09-14T02:00:00Z"), pauses: [], now: new Date(`${day}T06:00:00Z`), limit: 3 });
      const read = readStoredClock(calendar, stored, day)!;
      expect([day, read.elapsed, read.colour]).toEqual([day, live.elapsed, live.colour]);
    }
  });

  it("keeps the count and colour a stopped clock stopped at, and has no clock without a stage", () => {
    const events = [
      evt("SUBMIT", "DRAFT", "SUBMITTED", "2026-09-01T02:00:00Z"),
      evt("ACCEPT", "SUBMITTED", "ACCEPTED", "2026-09-02T02:00:00Z"),
      evt("HANDOVER", "ACCEPTED", "IN_REVIEW", "2026-09-03T02:00:00Z"),
      evt("REQUESTSUPPLEMENT", "IN_REVIEW", "SUPPLEMENT_REQUESTED", "2026-09-08T02:00:00Z"),
    ];
    const stored = storedClock(calendar, events, DEFAULT_CLOCK_POLICY, new Date("2026-11-02T02:00:00Z"));
    expect(stored).toMatchObject({ stage: "review", clockPaused: true, clockElapsed: 3, clockPausedColour: "green", clockYellowOn: null, clockRedOn: null });
    expect(readStoredClock(calendar, stored, "2027-01-05")).toMatchObject({ elapsed: 3, paused: true, colour: "green" });
    expect(storedClock(calendar, [], DEFAULT_CLOCK_POLICY, new Date())).toEqual(NO_CLOCK);
  });

  it("names alerts once per stage round and colour", () => {
    expect(clockAlertKind("review", 2, "yellow")).toBe("clock.review.2.yellow");
    expect(parseClockAlertKind("clock.review.2.yellow")).toEqual({ stage: "review", round: 2, colour: "yellow" });
    expect(parseClockAlertKind("clock.nope.1.red")).toBeNull();
    expect(yellowThreshold(60)).toBe(48);
    expect(yellowThreshold(5, 0.8)).toBe(4);
  });
});
