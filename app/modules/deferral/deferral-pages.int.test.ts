import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { now } from "#app/.server/clock.ts";
import { prisma } from "#app/.server/db.ts";
import { loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { addWorkingDays, shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { createDossier } from "#app/modules/dossier/create-dossier.server.ts";
import { formatDay } from "#app/utils/format.ts";
import { createUser, signedInClient, startTestServer } from "#scripts/test/harness.ts";
import { DOSSIER_FIELDS, dossierVersion, readyDossier } from "#scripts/test/dossier-fixtures.ts";
import { toDateColumn } from "./deferral-rules.ts";

/* 容缺后补 through the pages (HTTP against the built app): request, commitment at submission, 容缺受理, letters, lists, bar. */

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

/** The rendered markup without scripts: the catalogue and the loader and action data travel in scripts, so text found there proves nothing. */
async function markup(response: Response) {
  return (await response.text()).replace(/<script\b[\s\S]*?<\/script>/g, "");
}

async function dueIn(workingDays: number) {
  return addWorkingDays(await loadHolidayCalendar(), shanghaiDate(now()), workingDays);
}

describe("deferral pages", () => {
  it("request with the input kept on refusal, commitment at submission, acceptance, letters and lists", async () => {
    const f = await readyDossier(["3.4"]);
    const item = f.itemByCode("3.4");
    const applicant = await signedInClient(server.baseUrl, f.applicant.id);
    const page = `/dossiers/${f.dossier.id}/deferrals`;

    const form = await applicant.get(page);
    expect(form.status).toBe(200);
    const formHtml = await markup(form);
    expect(formHtml).toContain("申请容缺后补");
    expect(formHtml).toContain(`value="${item.id}"`);

    // A date beyond the policy's limit: refused by the domain rule (409), the typed values kept.
    const tooLate = await dueIn(60);
    const late = await applicant.post(page, { intent: "request", version: String(f.dossier.version), itemId: item.id, dueDate: tooLate, reason: "检验报告尚在出具中（甲）" });
    expect(late.status).toBe(409);
    const lateHtml = await markup(late);
    expect(lateHtml).toContain("补交日期超过了容缺政策允许的最长期限");
    expect(lateHtml).toContain("检验报告尚在出具中（甲）");
    expect(lateHtml).toContain(`value="${tooLate}"`);

    // Not a date at all: refused by the schema (400), the typed values kept.
    const malformed = await applicant.post(page, { intent: "request", version: String(f.dossier.version), itemId: item.id, dueDate: "下周三", reason: "检验报告尚在出具中（乙）" });
    expect(malformed.status).toBe(400);
    const malformedHtml = await markup(malformed);
    expect(malformedHtml).toContain("请输入有效日期");
    expect(malformedHtml).toContain("检验报告尚在出具中（乙）");
    expect(malformedHtml).toContain('value="下周三"');

    // A stale form: "changed meanwhile".
    const dueDate = await dueIn(5);
    const stale = await applicant.post(page, { intent: "request", version: String(f.dossier.version + 100), itemId: item.id, dueDate, reason: "检验报告尚在出具中（丙）" });
    expect(stale.status).toBe(409);
    const staleHtml = await markup(stale);
    expect(staleHtml).toContain("该申请已被他人修改");
    expect(staleHtml).toContain("检验报告尚在出具中（丙）");

    const saved = await applicant.post(page, { intent: "request", version: String(f.dossier.version), itemId: item.id, dueDate, reason: "检验报告尚在检验机构出具中" });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toContain("done=request");
    const deferral = await prisma.deferral.findFirstOrThrow({ where: { dossierId: f.dossier.id } });
    expect(deferral).toMatchObject({ state: "REQUESTED", reason: "检验报告尚在检验机构出具中" });

    // The overview lists the request in the submit panel with the preview link and the required confirmation.
    const overview = await applicant.get(`/dossiers/${f.dossier.id}`);
    const overviewHtml = await markup(overview);
    expect(overviewHtml).toContain("我已阅读并确认《申请容缺受理承诺书》");
    expect(overviewHtml).toContain(`/dossiers/${f.dossier.id}/commitment`);
    expect(overviewHtml).toContain('data-testid="deferred-badge"');
    const preview = await applicant.get(`/dossiers/${f.dossier.id}/commitment`);
    expect(preview.status).toBe(200);
    const previewHtml = await markup(preview);
    expect(previewHtml).toContain("申请容缺受理承诺书");
    expect(previewHtml).toContain("检验报告尚在检验机构出具中");
    expect(previewHtml).toContain(formatDay(dueDate, "zh-CN"));

    // Submitting without the confirmation is refused, the dossier stays a draft.
    const unconfirmed = await applicant.post(`/dossiers/${f.dossier.id}`, { intent: "submit", version: String(await dossierVersion(f.dossier.id)) });
    expect(unconfirmed.status).toBe(409);
    expect(await markup(unconfirmed)).toContain("请阅读并勾选确认《申请容缺受理承诺书》后再提交");
    expect((await prisma.dossier.findUniqueOrThrow({ where: { id: f.dossier.id } })).status).toBe("DRAFT");

    const submitted = await applicant.post(
      `/dossiers/${f.dossier.id}`,
      { intent: "submit", version: String(await dossierVersion(f.dossier.id)), commitmentConfirmed: "yes" },
      { "User-Agent": "deferral-pages-test" },
    );
    expect(submitted.status).toBe(302);
    expect((await prisma.dossier.findUniqueOrThrow({ where: { id: f.dossier.id } })).status).toBe("SUBMITTED");
    const commitment = await prisma.issuedLetter.findFirstOrThrow({ where: { dossierId: f.dossier.id, kind: "COMMITMENT" } });
    expect(commitment.ip).toMatch(/127\.0\.0\.1|::1/);
    expect(commitment.userAgent).toBe("deferral-pages-test");
    const commitmentHtml = await markup(await applicant.get(`/dossiers/${f.dossier.id}/letters/${commitment.id}`));
    expect(commitmentHtml).toContain(`由 ${f.applicant.name}（${f.applicant.email}）于`);
    expect(commitmentHtml).toContain(`自 IP ${commitment.ip}`);
    expect(commitmentHtml).toContain(commitment.sha256);

    // Window staff see 容缺受理 and accept.
    const window = await signedInClient(server.baseUrl, f.window.id);
    const windowOverview = await markup(await window.get(`/dossiers/${f.dossier.id}`));
    expect(windowOverview).toContain("容缺受理");
    const accepted = await window.post(`/dossiers/${f.dossier.id}`, { intent: "accept", version: String(await dossierVersion(f.dossier.id)) });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toContain("acceptedWithDeferral=1");
    expect((await prisma.deferral.findUniqueOrThrow({ where: { id: deferral.id } })).state).toBe("PENDING");
    const notice = await prisma.issuedLetter.findFirstOrThrow({ where: { dossierId: f.dossier.id, kind: "DEFERRAL_NOTICE" } });

    // The notice: printable for the company, a 404 for another company's applicant.
    const noticePage = await applicant.get(`/dossiers/${f.dossier.id}/letters/${notice.id}`);
    expect(noticePage.status).toBe(200);
    const noticeHtml = await markup(noticePage);
    expect(noticeHtml).toContain("容缺受理通知书");
    expect(noticeHtml).toContain(formatDay(dueDate, "zh-CN"));
    expect(noticeHtml).toContain(notice.sha256);
    const stranger = await signedInClient(server.baseUrl, (await createUser("APPLICANT")).id);
    expect((await stranger.get(`/dossiers/${f.dossier.id}/letters/${notice.id}`)).status).toBe(404);
    expect((await stranger.get(`/dossiers/${f.dossier.id}/deferrals`)).status).toBe(404);
    // A letter id of another dossier is a 404 too.
    expect((await applicant.get(`/dossiers/${f.dossier.id}/letters/00000000-0000-4000-8000-000000000000`)).status).toBe(404);

    // The deferral page shows the pending deferral with its countdown and the letters.
    const pendingHtml = await markup(await applicant.get(page));
    expect(pendingHtml).toContain("待补交");
    expect(pendingHtml).toMatch(/还剩 \d+ 个工作日/);
    expect(pendingHtml).toContain(`/dossiers/${f.dossier.id}/letters/${notice.id}`);

    // The lists show it: the advisor's, and the window's (due within five working days, all open).
    const advisor = await signedInClient(server.baseUrl, f.advisor.id);
    expect(await markup(await advisor.get("/advisor/deferrals"))).toContain(f.dossier.number);
    expect(await markup(await window.get("/window/deferrals?tab=open"))).toContain(f.dossier.number);
    expect(await markup(await window.get("/window/deferrals?tab=week"))).toContain(f.dossier.number);
    expect((await window.get("/window/deferrals?tab=nope")).status).toBe(400);

    // The one extension: a date not later than the current one is refused with the reason kept; a later one extends.
    const earlier = await dueIn(3);
    const refusedExtension = await window.post(page, { intent: "extend", deferralId: deferral.id, version: String((await prisma.deferral.findUniqueOrThrow({ where: { id: deferral.id } })).version), dueDate: earlier, reason: "检验机构排期延后（一）" });
    expect(refusedExtension.status).toBe(409);
    const refusedHtml = await markup(refusedExtension);
    expect(refusedHtml).toContain("延期后的补交日期须晚于原补交日期");
    expect(refusedHtml).toContain("检验机构排期延后（一）");
    const later = await dueIn(8);
    const extended = await window.post(page, { intent: "extend", deferralId: deferral.id, version: String((await prisma.deferral.findUniqueOrThrow({ where: { id: deferral.id } })).version), dueDate: later, reason: "检验机构排期延后" });
    expect(extended.status).toBe(302);
    expect(await prisma.deferral.findUniqueOrThrow({ where: { id: deferral.id } })).toMatchObject({ state: "EXTENDED", extensionReason: "检验机构排期延后" });
    // Applicants cannot act as the window.
    expect((await applicant.post(page, { intent: "extend", deferralId: deferral.id, version: "1", dueDate: later, reason: "x" })).status).toBe(403);
  });

  it("a barred company sees when the bar ends instead of the request forms, and its commitment record", async () => {
    const f = await readyDossier(["3.4"]);
    // An earlier dossier of the same company whose deferral was breached.
    const earlier = await createDossier(f.applicant, DOSSIER_FIELDS);
    const earlierItem = await prisma.dossierItem.findFirstOrThrow({ where: { dossierId: earlier.id, code: "3.4" } });
    const policy = await prisma.deferralPolicy.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    const breached = await prisma.deferral.create({
      data: { dossierId: earlier.id, itemId: earlierItem.id, state: "BREACHED", reason: "检验中", dueDate: toDateColumn("2026-01-05"), policyId: policy.id, requestedById: f.applicant.id, breachedAt: new Date() },
    });
    const barUntil = new Date(now().getTime() + 180 * 86_400_000);
    await prisma.commitmentBreach.create({ data: { companyId: f.applicant.companyId!, deferralId: breached.id, breachedAt: new Date(), barUntil } });

    const applicant = await signedInClient(server.baseUrl, f.applicant.id);
    const page = `/dossiers/${f.dossier.id}/deferrals`;
    const html = await markup(await applicant.get(page));
    expect(html).toContain('data-testid="deferral-barred"');
    expect(html).toContain(formatDay(shanghaiDate(barUntil), "zh-CN"));
    expect(html).not.toContain('name="dueDate"');
    // The action refuses too.
    const posted = await applicant.post(page, { intent: "request", version: String(f.dossier.version), itemId: f.itemByCode("3.4").id, dueDate: await dueIn(5), reason: "检验中" });
    expect(posted.status).toBe(409);
    expect(await markup(posted)).toContain("本企业有未履行的容缺承诺");

    const company = await markup(await applicant.get("/applicant/company"));
    expect(company).toContain('data-testid="commitment-record"');
    expect(company).toContain(earlier.number);
    const other = await signedInClient(server.baseUrl, (await createUser("APPLICANT")).id);
    expect(await markup(await other.get("/applicant/company"))).toContain("无违诺记录");

    const window = await signedInClient(server.baseUrl, f.window.id);
    const records = await markup(await window.get("/window/deferrals?tab=breached"));
    expect(records).toContain(earlier.number);
    expect(records).toContain(formatDay(shanghaiDate(barUntil), "zh-CN"));
  });
});
