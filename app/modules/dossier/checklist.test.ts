import { describe, expect, it } from "vitest";
import { buildChecklist, compareCodes, TABLE_OF_CONTENTS, ZTableOfContents } from "./checklist.ts";

const codes = (items: { code: string }[]) => items.map((i) => i.code);
const req = (items: { code: string; requirement: string }[], code: string) => items.find((i) => i.code === code)?.requirement;

describe("checklist generation from the table of contents", () => {
  it("validates the catalogue data file and has unique codes per variant", () => {
    expect(() => ZTableOfContents.parse(TABLE_OF_CONTENTS)).not.toThrow();
    for (const kind of ["DEVICE", "IVD"] as const)
      for (const type of ["FIRST", "CHANGE", "RENEWAL"] as const) {
        const list = codes(buildChecklist(kind, type));
        expect(new Set(list).size).toBe(list.length);
      }
  });

  it("first registration of a device: all six chapters, device studies, test report required and secondary", () => {
    const items = buildChecklist("DEVICE", "FIRST");
    expect(new Set(items.map((i) => i.chapter))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    expect(codes(items)).toContain("3.5.4");
    expect(codes(items)).toContain("3.7.1");
    expect(codes(items)).not.toContain("1.9");
    const report = items.find((i) => i.code === "3.4")!;
    expect(report.requirement).toBe("R");
    expect(report.secondary).toBe(true);
    expect(req(items, "1.3")).toBe("CR");
    expect(req(items, "6.8")).toBe("R");
  });

  it("IVD reagents replace the device studies with analytical performance, stability and cut-off studies", () => {
    const items = buildChecklist("IVD", "FIRST");
    expect(items.find((i) => i.code === "3.5")!.titleZh).toBe("分析性能研究");
    expect(items.find((i) => i.code === "3.6")!.titleZh).toBe("稳定性研究");
    expect(items.find((i) => i.code === "3.7")!.titleZh).toBe("阳性判断值或参考区间研究");
    expect(codes(items).some((c) => c.startsWith("3.5."))).toBe(false);
    expect(req(items, "3.5")).toBe("R");
  });

  it("renewal: regulatory information, statements, the original certificate, changed requirements if any — no studies", () => {
    const items = buildChecklist("DEVICE", "RENEWAL");
    expect(codes(items)).toEqual(["1.2", "1.5", "1.7", "1.9", "1.10", "1.11", "1.12"]);
    expect(req(items, "1.9")).toBe("R");
    expect(req(items, "1.12")).toBe("CR");
  });

  it("change registration: the change description is required, most evidence only if applicable, QMS not required", () => {
    const items = buildChecklist("DEVICE", "CHANGE");
    expect(req(items, "1.8")).toBe("R");
    expect(req(items, "3.4")).toBe("CR");
    expect(req(items, "2.1")).toBe("CR");
    expect(req(items, "6.1")).toBe("NR");
  });

  it("orders codes numerically part by part and numbers positions in that order", () => {
    expect(["3.10", "3.9", "1.10", "1.2"].sort(compareCodes)).toEqual(["1.2", "1.10", "3.9", "3.10"]);
    const items = buildChecklist("DEVICE", "FIRST");
    expect(items.map((i) => i.position)).toEqual(items.map((_, i) => i));
    expect(codes(items)).toEqual([...codes(items)].sort(compareCodes));
  });
});
