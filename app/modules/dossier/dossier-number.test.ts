import { describe, expect, it } from "vitest";
import { formatDossierNumber, shanghaiYear } from "./dossier-number.server.ts";

describe("dossier reference numbers", () => {
  it("format as GL-YYYY-NNNNNN", () => {
    expect(formatDossierNumber(2026, 123)).toBe("GL-2026-000123");
  });
  it("use the Asia/Shanghai year: 2026-12-31T16:30Z is already 2027 in Tianjin", () => {
    expect(shanghaiYear(new Date("2026-12-31T15:59:59Z"))).toBe(2026);
    expect(shanghaiYear(new Date("2026-12-31T16:30:00Z"))).toBe(2027);
  });
});
