import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, isCalendarDate, MAX_CURSOR_LENGTH, validSortValue } from "./queue-cursor.ts";

const ID = "3f0c2a8e-1b7d-4c3a-9e51-2d4f6a8b0c1e";

describe("queue cursor", () => {
  it("round-trips sort, direction, value and id, Chinese text included", () => {
    for (const value of ["2026-11-28", "天津瑞康医疗器械有限公司", "", "9", "2026-11-28T02:05:34.123Z", 'a"quote\\and,comma']) {
      const text = encodeCursor({ sort: "company", dir: "desc", value, id: ID });
      expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(text)).toEqual({ sort: "company", dir: "desc", value, id: ID });
    }
  });

  it("normalises the id to lower case", () => {
    expect(decodeCursor(encodeCursor({ sort: "due", dir: "asc", value: "2026-01-01", id: ID.toUpperCase() }))?.id).toBe(ID);
  });

  it("refuses anything that is not a cursor, without throwing", () => {
    const b64 = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    for (const text of [
      "",
      "not base64!",
      "%%%",
      b64("not json"),
      b64("{}"),
      b64('["due","asc","2026-01-01"]'),
      b64(`["due","sideways","2026-01-01","${ID}"]`),
      b64(`["due","asc",5,"${ID}"]`),
      b64('["due","asc","2026-01-01","not-a-uuid"]'),
      b64(`["due","asc","2026-01-01","${ID}",1]`),
      "A".repeat(MAX_CURSOR_LENGTH + 1),
      b64("\xff\xfe"),
    ]) {
      expect(decodeCursor(text), text).toBeNull();
    }
  });

  it("checks a value against its column's type before SQL casts it", () => {
    expect(validSortValue("date", "2026-02-28")).toBe(true);
    expect(validSortValue("date", "9999-12-31")).toBe(true);
    expect(validSortValue("date", "2026-02-30")).toBe(false);
    expect(validSortValue("date", "2026-2-3")).toBe(false);
    expect(validSortValue("int", "12")).toBe(true);
    expect(validSortValue("int", "-3")).toBe(true);
    expect(validSortValue("int", "1.5")).toBe(false);
    expect(validSortValue("int", "12345678901")).toBe(false);
    expect(validSortValue("timestamp", "2026-11-28T02:05:34.123Z")).toBe(true);
    expect(validSortValue("timestamp", "2026-13-28T02:05:34.123Z")).toBe(false);
    expect(validSortValue("timestamp", "2026-11-28 02:05:34+00")).toBe(false);
    expect(validSortValue("enum", "FIRST", ["FIRST", "CHANGE"])).toBe(true);
    expect(validSortValue("enum", "first", ["FIRST", "CHANGE"])).toBe(false);
    expect(validSortValue("text", "任意文字")).toBe(true);
    expect(validSortValue("text", "x".repeat(501))).toBe(false);
  });

  it("knows real calendar dates", () => {
    expect(isCalendarDate("2024-02-29")).toBe(true);
    expect(isCalendarDate("2026-02-29")).toBe(false);
    expect(isCalendarDate("2026-11-28T00:00")).toBe(false);
  });
});
