import { describe, expect, it } from "vitest";
import { prisma } from "#app/.server/db.ts";
import { approvedDossier } from "#scripts/test/dossier-fixtures.ts";
import { CLOCK_OWNER } from "./clock.server.ts";

describe("stored clock", () => {
  it("follows the transitions: the 发证 stage runs after 准予注册, with its alerts scheduled", async () => {
    const f = await approvedDossier();
    expect(f.dossier.status).toBe("APPROVED");
    expect(f.dossier.stage).toBe("issuance");
    expect(f.dossier.stageLimit).toBe(10);
    expect(f.dossier.clockPaused).toBe(false);
    expect(f.dossier.clockDueOn).not.toBeNull();
    const alerts = await prisma.reminder.findMany({ where: { ownerType: CLOCK_OWNER, ownerId: f.dossier.id }, orderBy: { kind: "asc" } });
    const byState = Object.fromEntries(alerts.map((a) => [a.kind, a.state]));
    expect(byState["clock.issuance.1.red"]).toBe("SCHEDULED");
    expect(byState["clock.issuance.1.yellow"]).toBe("SCHEDULED");
    // The earlier stages' alerts were cancelled when they ended.
    expect(byState["clock.acceptance.1.yellow"]).toBe("CANCELLED");
  });
});
