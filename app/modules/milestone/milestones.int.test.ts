import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma, type Role } from "#app/.server/db.ts";
import { acceptDossier } from "#app/modules/deferral/accept-dossier.server.ts";
import { ConflictError, DossierRuleError } from "#app/modules/dossier/errors.ts";
import { submitDossier } from "#app/modules/dossier/submit-dossier.server.ts";
import { DOSSIER_ACTIONS, TRANSITIONS } from "#app/modules/dossier/transitions.ts";
import { transitionDossier } from "#app/modules/dossier/transition-dossier.server.ts";
import { CLOCK_OWNER } from "#app/modules/clock/clock.server.ts";
import { createUser, signedInClient, startTestServer } from "#scripts/test/harness.ts";
import { dossierVersion, readyDossier, sessionUser } from "#scripts/test/dossier-fixtures.ts";
import { SUPPLEMENT_OWNER } from "./milestone-rules.ts";
import {
  concludeReview,
  decideDossier,
  finishQms,
  handOver,
  receiveSupplement,
  requestSupplement,
  returnForCorrection,
  startQms,
  terminateDossier,
} from "./milestones.server.ts";

/* The window's review milestones through the domain functions and over HTTP (the progress page). */

async function submitted() {
  const f = await readyDossier([]);
  await submitDossier(f.applicant, f.dossier.id, f.dossier.version);
  return f;
}

const v = (id: string) => dossierVersion(id);
const dossierOf = (id: string) => prisma.dossier.findUniqueOrThrow({ where: { id } });

describe("milestones", () => {
  it("take a dossier from acceptance to the decision, stopping the review clock for the supplement and the QMS inspection", async () => {
    const f = await submitted();
    const id = f.dossier.id;
    // 提前评证: the QMS inspection may start before acceptance.
    await startQms(f.window, id, { version: await v(id), note: "" });
    await acceptDossier(f.window, id, await v(id));
    await handOver(f.window, id, { version: await v(id) });
    let d = await dossierOf(id);
    expect(d).toMatchObject({ status: "IN_REVIEW", stage: "review", stageRound: 1, clockPaused: true, clockPausedColour: "green" });

    await finishQms(f.window, id, { version: await v(id), result: "pass", note: "" });
    d = await dossierOf(id);
    expect(d.clockPaused).toBe(false);

    const noticeId = await requestSupplement(f.window, id, { version: await v(id), items: "1. 补充检验报告\n2. 说明书修订", note: "" });
    d = await dossierOf(id);
    expect(d).toMatchObject({ status: "SUPPLEMENT_REQUESTED", stage: "review", clockPaused: true });
    expect(d.supplementDueOn).not.toBeNull();
    const notice = await prisma.issuedLetter.findUniqueOrThrow({ where: { id: noticeId } });
    expect(notice.kind).toBe("SUPPLEMENT_NOTICE");
    expect((notice.content as { items: string[] }).items).toEqual(["补充检验报告", "说明书修订"]);
    const supplementReminders = await prisma.reminder.findMany({ where: { ownerType: SUPPLEMENT_OWNER, ownerId: id }, orderBy: { fireAt: "asc" } });
    expect(supplementReminders.map((r) => r.kind)).toEqual(["supplement.1.due-30d", "supplement.1.due-7d", "supplement.1.due-1d", "supplement.1.overdue"]);
    // The running review's clock alerts were cancelled while the clock stands still.
    const alerts = await prisma.reminder.findMany({ where: { ownerType: CLOCK_OWNER, ownerId: id, kind: { startsWith: "clock.review.1." } } });
    expect(alerts.map((a) => a.state)).toEqual(["CANCELLED", "CANCELLED"]);

    await receiveSupplement(f.window, id, { version: await v(id), note: "" });
    d = await dossierOf(id);
    expect(d).toMatchObject({ status: "IN_REVIEW", stage: "review", stageRound: 2, stageLimitKey: "reviewAfterSupplement", clockPaused: false, supplementDueOn: null });
    expect((await prisma.reminder.findMany({ where: { ownerType: SUPPLEMENT_OWNER, ownerId: id } })).every((r) => r.state === "CANCELLED")).toBe(true);

    await concludeReview(f.window, id, { version: await v(id), recommendation: "approve", summary: "符合要求" });
    expect((await dossierOf(id)).stage).toBe("approval");
    expect(await decideDossier(f.window, id, { version: await v(id), decision: "approve", reason: "" })).toBe("APPROVED");
    d = await dossierOf(id);
    expect(d).toMatchObject({ status: "APPROVED", stage: "issuance" });

    const events = await prisma.dossierEvent.findMany({ where: { dossierId: id }, orderBy: { at: "asc" } });
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["SUBMIT", "QMS_STARTED", "ACCEPT", "HANDOVER", "QMS_FINISHED", "REQUESTSUPPLEMENT", "SUPPLEMENTRECEIVED", "CONCLUDE", "APPROVE"]),
    );
    // Every milestone names its window staff member (automatic events such as the advisor assignment have none).
    const milestones = events.filter((e) => !["CREATED", "ADVISOR_ASSIGNED", "ADVISOR_UNASSIGNED", "SUBMIT"].includes(e.type));
    expect(milestones.map((e) => [e.type, e.actorId])).toEqual(milestones.map((e) => [e.type, f.window.id]));
    // Each milestone told the company's user and the advisor.
    const told = await prisma.notification.findMany({ where: { dossierId: id, userId: f.applicant.id } });
    expect(told.map((n) => n.kind)).toEqual(expect.arrayContaining(["qmsStarted", "dossierHandedOver", "supplementRequested", "supplementReceived", "reviewConcluded", "dossierApproved"]));
    expect(await prisma.notification.count({ where: { dossierId: id, userId: f.advisor.id, kind: "supplementRequested" } })).toBe(1);
  });

  it("returns for correction with one notice listing every defect, and refuses a stale version or a second QMS start", async () => {
    const f = await submitted();
    const id = f.dossier.id;
    const stale = await v(id);
    const noticeId = await returnForCorrection(f.window, id, { version: stale, defects: "- 申请表未盖章\n- 产品技术要求缺少性能指标", note: "" });
    expect((await dossierOf(id)).status).toBe("CORRECTION_REQUESTED");
    const notice = await prisma.issuedLetter.findUniqueOrThrow({ where: { id: noticeId } });
    expect(notice).toMatchObject({ kind: "CORRECTION_NOTICE", sequence: 1 });
    expect((notice.content as { items: string[] }).items).toHaveLength(2);
    await expect(returnForCorrection(f.window, id, { version: stale, defects: "x", note: "" })).rejects.toBeInstanceOf(ConflictError);
    await startQms(f.window, id, { version: await v(id), note: "" });
    await expect(startQms(f.window, id, { version: await v(id), note: "" })).rejects.toBeInstanceOf(DossierRuleError);
  });

  it("terminates with its reason and ends the clock and the supplement reminders", async () => {
    const f = await submitted();
    const id = f.dossier.id;
    await acceptDossier(f.window, id, await v(id));
    await handOver(f.window, id, { version: await v(id) });
    await requestSupplement(f.window, id, { version: await v(id), items: "资料", note: "" });
    await terminateDossier(f.window, id, { version: await v(id), reason: "逾期未提交补充资料" });
    const d = await dossierOf(id);
    expect(d).toMatchObject({ status: "TERMINATED", stage: null });
    expect(d.terminatedAt).not.toBeNull();
    const pending = await prisma.reminder.count({ where: { ownerId: id, ownerType: { in: [SUPPLEMENT_OWNER, CLOCK_OWNER] }, state: "SCHEDULED" } });
    expect(pending).toBe(0);
  });

  it("lets only the roles of the transition table take each action", async () => {
    const roles: Role[] = ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"];
    const users = Object.fromEntries(await Promise.all(roles.map(async (r) => [r, sessionUser(await createUser(r))] as const)));
    for (const action of DOSSIER_ACTIONS) {
      const rule = TRANSITIONS[action];
      for (const role of roles) {
        if (rule.roles.includes(role)) continue;
        const f = await readyDossier([]);
        const attempt = prisma.$transaction((tx) => transitionDossier(tx, { dossierId: f.dossier.id, expectedVersion: f.dossier.version, action, actor: users[role]! }));
        await expect(attempt, `${role} ${action}`).rejects.toBeInstanceOf(DossierRuleError);
      }
    }
  });
});

describe("progress page", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("shows the applicant the stages and lets only window staff post milestones, keeping the input of a refused form", async () => {
    const f = await submitted();
    const id = f.dossier.id;
    await acceptDossier(f.window, id, await v(id));
    const page = `/dossiers/${id}/progress`;
    const applicant = await signedInClient(server.baseUrl, f.applicant.id);
    const html = await (await applicant.get(page)).text();
    expect(html).toContain("办件进度");
    expect(html).toContain("受理审查");
    expect(html).toContain("转技术审评");
    expect(html).not.toContain('name="intent" value="handover"');

    // An applicant posting a window intent: 403, nothing changes.
    expect((await applicant.post(page, { intent: "handover", version: String(await v(id)) })).status).toBe(403);
    expect((await dossierOf(id)).status).toBe("ACCEPTED");

    const window = await signedInClient(server.baseUrl, f.window.id);
    const windowHtml = await (await window.get(page)).text();
    expect(windowHtml).toContain('name="intent" value="handover"');
    const handed = await window.post(page, { intent: "handover", version: String(await v(id)) });
    expect(handed.status).toBe(302);
    expect((await dossierOf(id)).status).toBe("IN_REVIEW");

    // A supplement notice without items is refused; the note typed is kept.
    const refused = await window.post(page, { intent: "requestSupplement", version: String(await v(id)), items: "  \n ", note: "请一次性提交" });
    expect(refused.status).toBe(400);
    const refusedBody = await refused.text();
    expect(refusedBody).toContain("请一次性提交");
    const sent = await window.post(page, { intent: "requestSupplement", version: String(await v(id)), items: "补充临床评价资料", note: "" });
    expect(sent.status).toBe(302);
    const letter = await prisma.issuedLetter.findFirstOrThrow({ where: { dossierId: id, kind: "SUPPLEMENT_NOTICE" } });
    const printed = await (await applicant.get(`/dossiers/${id}/letters/${letter.id}`)).text();
    expect(printed).toContain("补充资料通知书");
    expect(printed).toContain("补充临床评价资料");

    // Someone else's applicant sees nothing.
    const stranger = await signedInClient(server.baseUrl, (await createUser("APPLICANT")).id);
    expect((await stranger.get(page)).status).toBe(404);
  });
});
