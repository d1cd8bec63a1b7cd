import { describe, expect, it } from "vitest";
import { chooseAdvisor, type AdvisorCandidate } from "./assignment.ts";

const advisor = (id: string, over: Partial<AdvisorCandidate> = {}): AdvisorCandidate => ({
  id,
  specialties: ["07", "22", "40"],
  capacity: 10,
  openDossiers: 0,
  lastAssignedAt: null,
  active: true,
  ...over,
});

describe("advisor assignment", () => {
  it("keeps the company's current advisor when they cover the code and have capacity (continuity)", () => {
    const chosen = chooseAdvisor([advisor("a", { openDossiers: 0 }), advisor("b", { openDossiers: 5 })], { catalogueCode: "07", companyAdvisorId: "b" });
    expect(chosen?.id).toBe("b");
  });

  it("leaves the current advisor when they lack the specialty or capacity", () => {
    const candidates = [advisor("a", { openDossiers: 3 }), advisor("b", { specialties: ["01"] }), advisor("c", { openDossiers: 10 })];
    expect(chooseAdvisor(candidates, { catalogueCode: "07", companyAdvisorId: "b" })?.id).toBe("a");
    expect(chooseAdvisor(candidates, { catalogueCode: "07", companyAdvisorId: "c" })?.id).toBe("a");
  });

  it("picks the covering advisor with the fewest open dossiers", () => {
    const candidates = [advisor("a", { openDossiers: 4 }), advisor("b", { openDossiers: 2 }), advisor("c", { openDossiers: 1, specialties: ["01"] })];
    expect(chooseAdvisor(candidates, { catalogueCode: "22" })?.id).toBe("b");
  });

  it("breaks ties by longest since the last assignment, never-assigned first, then by id", () => {
    const t = (iso: string) => new Date(iso);
    const candidates = [
      advisor("a", { openDossiers: 1, lastAssignedAt: t("2026-11-20T00:00:00Z") }),
      advisor("b", { openDossiers: 1, lastAssignedAt: t("2026-11-10T00:00:00Z") }),
      advisor("c", { openDossiers: 1, lastAssignedAt: t("2026-11-25T00:00:00Z") }),
    ];
    expect(chooseAdvisor(candidates, { catalogueCode: "40" })?.id).toBe("b");
    expect(chooseAdvisor([...candidates, advisor("d", { openDossiers: 1 })], { catalogueCode: "40" })?.id).toBe("d");
    expect(chooseAdvisor([advisor("y"), advisor("x")], { catalogueCode: "40" })?.id).toBe("x");
  });

  it("returns null when nobody covers the code, has capacity and is active", () => {
    const candidates = [advisor("a", { specialties: ["01"] }), advisor("b", { capacity: 0 }), advisor("c", { active: false })];
    expect(chooseAdvisor(candidates, { catalogueCode: "07" })).toBeNull();
  });
});
