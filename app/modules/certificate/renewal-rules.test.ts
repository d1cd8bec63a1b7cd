import { describe, expect, it } from "vitest";
import { parseRenewalKind, renewalReminderKind, renewalReminderSpecs } from "./renewal-rules.ts";

describe("renewal reminders", () => {
  it("go out at 09:00 Shanghai time 9, 7 and 6 months before expiry, to the company and the advisor", () => {
    const specs = renewalReminderSpecs("2031-11-27", new Date("2026-11-28T02:00:00Z"));
    expect(specs.map((s) => [s.kind, s.fireAt.toISOString(), s.audience])).toEqual([
      ["certificate.renewal-9m", "2031-02-27T01:00:00.000Z", ["company", "advisor"]],
      ["certificate.renewal-7m", "2031-04-27T01:00:00.000Z", ["company", "advisor"]],
      ["certificate.renewal-6m", "2031-05-27T01:00:00.000Z", ["company", "advisor"]],
    ]);
  });

  it("clamp to the month's end (2031-08-31 less 6 months is 2031-02-28)", () => {
    const specs = renewalReminderSpecs("2031-08-31", new Date("2026-09-01T00:00:00Z"));
    expect(specs.map((s) => s.fireAt.toISOString())).toEqual(["2030-11-30T01:00:00.000Z", "2031-01-31T01:00:00.000Z", "2031-02-28T01:00:00.000Z"]);
  });

  it("leave out reminders whose moment has passed", () => {
    const specs = renewalReminderSpecs("2027-05-31", new Date("2026-10-01T00:00:00Z"));
    expect(specs.map((s) => s.kind)).toEqual(["certificate.renewal-7m", "certificate.renewal-6m"]);
    expect(renewalReminderSpecs("2026-12-31", new Date("2026-10-01T00:00:00Z"))).toEqual([]);
  });

  it("kinds round-trip; other kinds are not renewal reminders", () => {
    expect(parseRenewalKind(renewalReminderKind(7))).toBe(7);
    expect(parseRenewalKind("supplement.1.due-7d")).toBeNull();
    expect(parseRenewalKind("certificate.renewal-xm")).toBeNull();
  });
});
