import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "#app/.server/db.ts";
import { DossierRuleError } from "#app/modules/dossier/errors.ts";
import { createUser } from "#scripts/test/harness.ts";
import { sessionUser } from "#scripts/test/dossier-fixtures.ts";
import { deliveryProblems, REMINDER_PROBLEM_ATTEMPTS, retryEmail } from "./deliveries.server.ts";

describe("delivery problems (QUALITY R6)", () => {
  it("lists failed emails and failing reminders; a retry puts the email back in the queue once, audited", async () => {
    const window = sessionUser(await createUser("WINDOW"));
    const id = randomUUID();
    await prisma.emailMessage.create({ data: { id, toAddress: "x@test.greenlane.local", template: "notification", state: "FAILED", attempts: 5, lastError: "421 try later", messageId: `<${id}@greenlane.mail>` } });
    const reminder = await prisma.reminder.create({
      data: { ownerType: "test", ownerId: randomUUID(), kind: "t.due-0", audience: "window", fireAt: new Date(), attempts: REMINDER_PROBLEM_ATTEMPTS, lastError: "connection refused" },
    });
    const before = await deliveryProblems();
    expect(before.emails.map((e) => e.id)).toContain(id);
    expect(before.reminders.map((r) => r.id)).toContain(reminder.id);

    await retryEmail(window, id);
    expect(await prisma.emailMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: "QUEUED", attempts: 0 });
    expect((await deliveryProblems()).emails.map((e) => e.id)).not.toContain(id);
    await expect(retryEmail(window, id)).rejects.toBeInstanceOf(DossierRuleError);
    expect(await prisma.auditEvent.count({ where: { action: "email.retry", objectId: id } })).toBe(1);
  });
});
