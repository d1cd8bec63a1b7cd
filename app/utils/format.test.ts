import { describe, expect, it } from "vitest";
import { DISPLAY_TIME_ZONE, formatDateTime, maskIdCard, maskPhone } from "./format.ts";

describe("maskPhone", () => {
  it("masks the middle four digits of a mobile number", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
  });

  it("handles empty and short values", () => {
    expect(maskPhone(null)).toBe("");
    expect(maskPhone(undefined)).toBe("");
    expect(maskPhone("")).toBe("");
    expect(maskPhone("12345")).toBe("*****");
  });
});

describe("maskIdCard", () => {
  it("keeps the first three and last four characters of an identity-card number", () => {
    expect(maskIdCard("110101199003071234")).toBe("110***********1234");
    expect(maskIdCard("11010119900307123X")).toBe("110***********123X");
  });

  it("handles empty and short values", () => {
    expect(maskIdCard(null)).toBe("");
    expect(maskIdCard("1234567")).toBe("*******");
  });
});

describe("formatDateTime", () => {
  it("displays China Standard Time", () => {
    expect(DISPLAY_TIME_ZONE).toBe("Asia/Shanghai");
    const zh = formatDateTime("2026-01-01T16:30:00Z", "zh-CN");
    expect(zh).toContain("00:30");
    expect(zh).toMatch(/2026\D+01\D+02/);
    const en = formatDateTime(new Date("2026-01-01T16:30:00Z"), "en");
    expect(en).toContain("00:30:00");
    expect(en).toContain("02/01/2026");
  });

  it("does not depend on the process time zone", () => {
    // 2026-06-30T23:59:59Z is 07:59:59 on 1 July in Shanghai (no DST).
    expect(formatDateTime("2026-06-30T23:59:59Z", "en")).toBe("01/07/2026, 07:59:59");
  });

  it("returns an empty string for no value", () => {
    expect(formatDateTime(null, "zh-CN")).toBe("");
    expect(formatDateTime(undefined, "en")).toBe("");
    expect(formatDateTime("", "en")).toBe("");
  });
});
