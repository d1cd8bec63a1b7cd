import { describe, expect, it } from "vitest";
import {
  breakdown,
  certificateOrigin,
  clampPeriod,
  countsTowardsIndicator,
  currentValue,
  inPeriod,
  indicatorStatus,
  isCalendarDate,
  monthlyCounts,
  parseQuarter,
  periodMonths,
  progress,
  quarterOf,
  quartersBetween,
  type BreakdownInput,
} from "./indicator-rules.ts";

const PLAN = { start: "2020-09-01", end: "2022-06-30" };

describe("the plan period", () => {
  it("includes both its first and its last day", () => {
    expect(inPeriod("2020-09-01", PLAN)).toBe(true);
    expect(inPeriod("2022-06-30", PLAN)).toBe(true);
    expect(inPeriod("2021-02-28", PLAN)).toBe(true);
  });
  it("excludes the day before and the day after", () => {
    expect(inPeriod("2020-08-31", PLAN)).toBe(false);
    expect(inPeriod("2022-07-01", PLAN)).toBe(false);
  });
  it("is cut to a report window, or to nothing when they do not overlap", () => {
    expect(clampPeriod(PLAN, { upTo: "2021-09-30" })).toEqual({ start: "2020-09-01", end: "2021-09-30" });
    expect(clampPeriod(PLAN, { from: "2021-07-01", upTo: "2021-09-30" })).toEqual({ start: "2021-07-01", end: "2021-09-30" });
    expect(clampPeriod(PLAN, { upTo: "2030-12-31" })).toEqual(PLAN);
    expect(clampPeriod(PLAN, { upTo: "2020-06-30" })).toBeNull();
    expect(clampPeriod(PLAN, { from: "2022-07-01" })).toBeNull();
  });
  it("dates are real calendar dates", () => {
    expect(isCalendarDate("2024-02-29")).toBe(true);
    expect(isCalendarDate("2023-02-29")).toBe(false);
    expect(isCalendarDate("2021-13-01")).toBe(false);
    expect(isCalendarDate("2021-1-01")).toBe(false);
  });
});

describe("which certificates count for 医疗器械证（含一、二、三类）", () => {
  const base = { state: "VALID" as const, clusterMember: true, approvalDate: "2021-05-10" };
  it("a VALID certificate of a cluster company approved in the period", () => {
    expect(countsTowardsIndicator(base, PLAN)).toBe(true);
    expect(countsTowardsIndicator({ ...base, approvalDate: "2022-06-30" }, PLAN)).toBe(true);
  });
  it("not while waiting for the four-eyes verification, nor once cancelled", () => {
    expect(countsTowardsIndicator({ ...base, state: "UNVERIFIED" }, PLAN)).toBe(false);
    expect(countsTowardsIndicator({ ...base, state: "CANCELLED" }, PLAN)).toBe(false);
  });
  it("not for a company outside the cluster", () => {
    expect(countsTowardsIndicator({ ...base, clusterMember: false }, PLAN)).toBe(false);
  });
  it("not when approved outside the period", () => {
    expect(countsTowardsIndicator({ ...base, approvalDate: "2020-08-31" }, PLAN)).toBe(false);
    expect(countsTowardsIndicator({ ...base, approvalDate: "2022-07-01" }, PLAN)).toBe(false);
  });
});

describe("breakdown by class and by origin", () => {
  const certs: BreakdownInput[] = [
    { number: "津械注准20212070012", deviceClass: 2, source: "GREEN_CHANNEL", kind: "REGISTRATION" },
    { number: "国械注准20213130001", deviceClass: 3, source: "RECORDED", kind: "REGISTRATION" },
    { number: "国械注进20212070002", deviceClass: 2, source: "RECORDED", kind: "REGISTRATION" },
    { number: "苏械注准20212140003", deviceClass: 2, source: "RECORDED", kind: "REGISTRATION" },
    { number: "津东械备20210004", deviceClass: 1, source: "RECORDED", kind: "FILING" },
    // A Tianjin number recorded by hand (issued outside the green channel) is a provincial one.
    { number: "津械注准20202070005", deviceClass: 2, source: "RECORDED", kind: "REGISTRATION" },
  ];
  it("names the origin of each certificate", () => {
    expect(certs.map(certificateOrigin)).toEqual(["greenChannel", "nmpa", "nmpa", "province", "filing", "province"]);
  });
  it("adds up by class and by origin", () => {
    expect(breakdown(certs)).toEqual({
      total: 6,
      byClass: { 1: 1, 2: 4, 3: 1 },
      byOrigin: { greenChannel: 1, nmpa: 2, province: 2, filing: 1 },
    });
  });
  it("counts each number once", () => {
    expect(breakdown([...certs, certs[0]!, certs[1]!]).total).toBe(6);
  });
  it("is all zeros for no certificates", () => {
    expect(breakdown([])).toEqual({ total: 0, byClass: { 1: 0, 2: 0, 3: 0 }, byOrigin: { greenChannel: 0, nmpa: 0, province: 0, filing: 0 } });
  });
});

describe("monthly buckets", () => {
  it("has one bucket per month of the period, across the year end", () => {
    const months = periodMonths(PLAN);
    expect(months).toHaveLength(22);
    expect(months.slice(0, 5)).toEqual(["2020-09", "2020-10", "2020-11", "2020-12", "2021-01"]);
    expect(months.at(-1)).toBe("2022-06");
    expect(periodMonths({ start: "2021-03-15", end: "2021-03-20" })).toEqual(["2021-03"]);
  });
  it("counts by month of approval with a running total, ignoring dates outside and repeated numbers", () => {
    const rows = monthlyCounts(
      [
        { number: "a", approvalDate: "2020-09-01" },
        { number: "b", approvalDate: "2020-09-30" },
        { number: "c", approvalDate: "2020-11-15" },
        { number: "c", approvalDate: "2020-11-15" },
        { number: "d", approvalDate: "2020-08-31" },
        { number: "e", approvalDate: "2022-06-30" },
        { number: "f", approvalDate: "2022-07-01" },
      ],
      PLAN,
    );
    expect(rows[0]).toEqual({ month: "2020-09", count: 2, cumulative: 2 });
    expect(rows[1]).toEqual({ month: "2020-10", count: 0, cumulative: 2 });
    expect(rows[2]).toEqual({ month: "2020-11", count: 1, cumulative: 3 });
    expect(rows.at(-1)).toEqual({ month: "2022-06", count: 1, cumulative: 4 });
  });
});

describe("status against the target", () => {
  it("≥ targets are met at or above the target", () => {
    expect(indicatorStatus(50, 50, ">=")).toBe("met");
    expect(indicatorStatus(51, 50, ">=")).toBe("met");
    expect(indicatorStatus(49.99, 50, ">=")).toBe("notMet");
  });
  it("plain targets (10项) are reached, and going beyond is not a failure", () => {
    expect(indicatorStatus(10, 10, "=")).toBe("met");
    expect(indicatorStatus(12, 10, "=")).toBe("met");
    expect(indicatorStatus(7, 10, "=")).toBe("notMet");
  });
  it("no value yet is neither", () => {
    expect(indicatorStatus(null, 10, "=")).toBe("noValue");
  });
  it("negative values (a falling revenue) are simply below a positive target", () => {
    expect(indicatorStatus(-3, 5, ">=")).toBe("notMet");
  });
  it("progress in whole percent, the bar capped at 100", () => {
    expect(progress(7, 10)).toEqual({ percent: 70, fill: 70 });
    expect(progress(2, 3)).toEqual({ percent: 66, fill: 66 });
    expect(progress(12, 10)).toEqual({ percent: 120, fill: 100 });
    expect(progress(0, 0)).toEqual({ percent: 0, fill: 100 });
  });
});

describe("the current value of a manual indicator", () => {
  const v = (id: string, asOf: string, createdAt: string) => ({ id, asOf, createdAt: new Date(createdAt) });
  const history = [v("a", "2021-03-31", "2021-04-02T01:00:00Z"), v("b", "2021-06-30", "2021-07-01T01:00:00Z"), v("c", "2021-06-30", "2021-07-05T01:00:00Z"), v("d", "2021-05-31", "2021-07-10T01:00:00Z")];
  it("is the newest by as-of date, then the later entry for the same date", () => {
    expect(currentValue(history)?.id).toBe("c");
  });
  it("at a quarter's end ignores later as-of dates", () => {
    expect(currentValue(history, "2021-03-31")?.id).toBe("a");
    expect(currentValue(history, "2021-05-31")?.id).toBe("d");
    expect(currentValue(history, "2020-12-31")).toBeNull();
  });
  it("is none without values", () => {
    expect(currentValue([])).toBeNull();
  });
});

describe("report quarters", () => {
  it("parse to their first and last day", () => {
    expect(parseQuarter("2021-Q3")).toEqual({ label: "2021-Q3", year: 2021, quarter: 3, start: "2021-07-01", end: "2021-09-30" });
    expect(parseQuarter("2020-Q1")).toMatchObject({ start: "2020-01-01", end: "2020-03-31" });
    expect(parseQuarter("2022-Q4")).toMatchObject({ start: "2022-10-01", end: "2022-12-31" });
  });
  it("refuse anything else", () => {
    for (const bad of ["2021-Q5", "2021-Q0", "2021Q3", "21-Q3", "2021-q3", "1999-Q1", "2021-Q3 ", "2021-Q3;drop"]) expect(parseQuarter(bad)).toBeNull();
  });
  it("the quarters a period spans", () => {
    expect(quartersBetween("2020-09-01", "2022-06-30")).toEqual(["2020-Q3", "2020-Q4", "2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4", "2022-Q1", "2022-Q2"]);
    expect(quartersBetween("2021-05-01", "2021-05-31")).toEqual(["2021-Q2"]);
    expect(quartersBetween("2022-01-01", "2021-12-31")).toEqual([]);
  });
  it("a date's quarter", () => {
    expect(quarterOf("2021-01-01")).toBe("2021-Q1");
    expect(quarterOf("2021-09-30")).toBe("2021-Q3");
    expect(quarterOf("2021-10-01")).toBe("2021-Q4");
  });
});
