import { describe, expect, it } from "vitest";
import { prisma } from "#app/.server/db.ts";
import { fireReminder } from "#workers/jobs/fire-reminder.ts";
import { reminderOwners } from "#workers/reminder-owners.ts";
import { approvedDossier } from "#scripts/test/dossier-fixtures.ts";
import { CLOCK_OWNER } from "./clock.server.ts";

const alertsOf = async (dossierId: string) =>
  Object.fromEntries((await prisma.reminder.findMany({ where: { ownerType: CLOCK_OWNER, ownerId: dossierId } })).map((a) => [a.kind, a]));

describe("stored clock", () => {
  it("follows the transitions: the 发证 stage runs after 准予注册, with its alerts scheduled", async () => {
    const f = await approvedDossier();
    expect(f.dossier.status).toBe("APPROVED");
    expect(f.dossier.stage).toBe("issuance");
    expect(f.dossier.stageLimit).toBe(10);
    expect(f.dossier.clockPaused).toBe(false);
    expect(f.dossier.clockDueOn).not.toBeNull();
    const alerts = await alertsOf(f.dossier.id);
    expect(alerts["clock.issuance.1.red"]?.state).toBe("SCHEDULED");
    expect(alerts["clock.issuance.1.yellow"]?.state).toBe("SCHEDULED");
    // The earlier stages' alerts were cancelled when they ended.
    expect(alerts["clock.acceptance.1.yellow"]?.state).toBe("CANCELLED");
  });

  it("tells window staff once when the clock turns yellow, and not before", async () => {
    const f = await approvedDossier();
    const yellow = (await alertsOf(f.dossier.id))["clock.issuance.1.yellow"]!;
    const run = (at: Date) => fireReminder(yellow.id, { prisma, now: () => at, ...reminderOwners(() => at) });
    // Fired on its day: the notification names the stage and the days used.
    const onTime = new Date(yellow.fireAt.getTime() + 60_000);
    const sent = await run(onTime);
    expect(sent.outcome).toBe("sent");
    const note = await prisma.notification.findFirstOrThrow({ where: { userId: f.window.id, dossierId: f.dossier.id, kind: "clockYellow" } });
    expect(note.params).toMatchObject({ number: f.dossier.number, stage: "t:clock.stage.issuance", limit: "10" });
    expect(Number((note.params as { elapsed: string }).elapsed)).toBeGreaterThanOrEqual(8);
    // Once: a second run finds it sent.
    expect((await run(onTime)).outcome).toBe("skipped");
  });

  it("cancels an alert whose colour the clock has not reached (the stage ended meanwhile)", async () => {
    const f = await approvedDossier();
    const red = (await alertsOf(f.dossier.id))["clock.issuance.1.red"]!;
    // The stage ends (as when the certificate is issued) before the alert fires.
    await prisma.dossier.update({ where: { id: f.dossier.id }, data: { stage: null, stageRound: null } });
    const at = new Date(red.fireAt.getTime() + 60_000);
    expect((await fireReminder(red.id, { prisma, now: () => at, ...reminderOwners(() => at) })).outcome).toBe("cancelled");
  });
});
