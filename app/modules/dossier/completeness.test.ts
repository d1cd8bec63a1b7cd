import { describe, expect, it } from "vitest";
import { completenessBlockers, type CompletenessItem } from "./completeness.ts";

const item = (id: string, requirement: "R" | "CR" | "NR", versionCount = 0, notApplicableReason: string | null = null): CompletenessItem => ({
  id,
  code: id,
  requirement,
  versionCount,
  notApplicableReason,
});

describe("completeness rules", () => {
  it("lists every R item without a document", () => {
    const blockers = completenessBlockers({ items: [item("1.1", "R"), item("1.2", "R", 1)], gaps: [] });
    expect(blockers).toEqual([{ kind: "missingRequired", itemId: "1.1", code: "1.1" }]);
  });

  it("a CR item needs a document or a not-applicable reason (blank reasons do not count)", () => {
    const blockers = completenessBlockers({
      items: [item("a", "CR"), item("b", "CR", 0, "不适用：无软件"), item("c", "CR", 2), item("d", "CR", 0, "   ")],
      gaps: [],
    });
    expect(blockers.map((b) => b.itemId)).toEqual(["a", "d"]);
    expect(blockers.every((b) => b.kind === "missingConditional")).toBe(true);
  });

  it("NR items never block", () => {
    expect(completenessBlockers({ items: [item("6.1", "NR")], gaps: [] })).toEqual([]);
  });

  it("a 必须补正 gap blocks until resolved (a reply is not enough); 建议完善 never blocks", () => {
    const items = [item("x", "R", 1)];
    const states = ["OPEN", "RESPONDED", "REOPENED", "RESOLVED"] as const;
    const blocking = states.filter((state) => completenessBlockers({ items, gaps: [{ id: "g", itemId: "x", severity: "MUST", state }] }).length > 0);
    expect(blocking).toEqual(["OPEN", "RESPONDED", "REOPENED"]);
    expect(completenessBlockers({ items, gaps: [{ id: "g", itemId: "x", severity: "SHOULD", state: "OPEN" }] })).toEqual([]);
    expect(completenessBlockers({ items, gaps: [{ id: "g", itemId: "x", severity: "MUST", state: "OPEN" }] })[0]).toEqual({
      kind: "openGap",
      itemId: "x",
      gapId: "g",
      code: "x",
    });
  });

  it("deferred items without a document do not block (the seam for 容缺后补)", () => {
    const blockers = completenessBlockers({ items: [item("3.4", "R"), item("1.1", "R")], gaps: [], deferredItemIds: new Set(["3.4"]) });
    expect(blockers.map((b) => b.itemId)).toEqual(["1.1"]);
  });
});
