import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { now } from "#app/.server/clock.ts";
import { prisma } from "#app/.server/db.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { Client, createUser, signedInClient, startTestServer } from "#scripts/test/harness.ts";
import { approvedDossier, dossierVersion } from "#scripts/test/dossier-fixtures.ts";
import { validUntil } from "./certificate-number.ts";

/*
 * 发证, the electronic certificate and public verification over HTTP (the
 * built app): the issue form with its refusals, who may open the
 * certificate, the QR code and its address, what the public page shows, and
 * cancellation.
 */

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

/**
 * The response text without NUL characters: React 18.3's streaming renderer pads a chunk with NULs when a
 * multi-byte character does not fit its 2 KiB buffer (browsers drop them; a search for text across one fails).
 */
const bodyText = async (response: Response) => (await response.text()).replace(/\0/g, "");

/** The rendered markup without scripts: the catalogue and the loader data travel in scripts, so text found there proves nothing. */
async function markup(response: Response) {
  return (await bodyText(response)).replace(/<script\b[\s\S]*?<\/script>/g, "");
}

const ADDRESS = "天津市东丽区华明高新区智慧山南港 8 号";
const SITE = "天津市东丽区华明高新区智慧山南港 9 号厂房";

async function approved(code: string) {
  const f = await approvedDossier();
  await prisma.dossier.update({ where: { id: f.dossier.id }, data: { catalogueCode: code } });
  return f;
}

/** What the prefilled form posts, with the addresses window staff fill in. */
async function formFields(f: Awaited<ReturnType<typeof approved>>, overrides: Record<string, string> = {}) {
  const company = await prisma.company.findUniqueOrThrow({ where: { id: f.applicant.companyId! } });
  return {
    version: String(await dossierVersion(f.dossier.id)),
    registrantName: company.name,
    registrantAddress: ADDRESS,
    manufacturingAddress: SITE,
    productName: f.dossier.productName,
    modelSpec: f.dossier.model,
    structure: f.dossier.structure,
    intendedUse: f.dossier.intendedUse,
    attachment: "产品技术要求",
    otherContent: "",
    remarks: "绿色通道",
    authority: "天津市药品监督管理局",
    approvalDate: shanghaiDate(now()),
    ...overrides,
  };
}

describe("certificate pages", () => {
  it("window issues through the prefilled form; refusals keep the input; the certificate has its QR code; scope decides who sees it", async () => {
    const f = await approved("14");
    const window = await signedInClient(server.baseUrl, f.window.id);
    const page = `/dossiers/${f.dossier.id}/certificate`;

    const form = await window.get(page);
    expect(form.status).toBe(200);
    const formHtml = await markup(form);
    expect(formHtml).toContain("确认发证");
    expect(formHtml).toContain("发证时自动分配");
    expect(formHtml).toContain(`津械注准${shanghaiDate(now()).slice(0, 4)}214`);
    const company = await prisma.company.findUniqueOrThrow({ where: { id: f.applicant.companyId! } });
    expect(formHtml).toContain(`value="${company.name}"`);
    expect(formHtml).toContain("天津市药品监督管理局");

    // A required field left empty: 400, the error beside it, everything typed kept.
    const missing = await window.post(page, await formFields(f, { registrantAddress: "", remarks: "备注保留（甲）" }));
    expect(missing.status).toBe(400);
    const missingHtml = await markup(missing);
    expect(missingHtml).toContain("此项为必填项");
    expect(missingHtml).toContain(`value="${SITE}"`);
    expect(missingHtml).toContain("备注保留（甲）");

    // A stale form: "changed meanwhile" (409), the input kept.
    const stale = await window.post(page, await formFields(f, { version: "1", remarks: "备注保留（乙）" }));
    expect(stale.status).toBe(409);
    const staleHtml = await markup(stale);
    expect(staleHtml).toContain("该申请已被他人修改");
    expect(staleHtml).toContain("备注保留（乙）");
    expect(await prisma.certificate.count({ where: { dossierId: f.dossier.id } })).toBe(0);

    const issued = await window.post(page, await formFields(f));
    expect(issued.status).toBe(302);
    const cert = await prisma.certificate.findUniqueOrThrow({ where: { dossierId: f.dossier.id } });
    expect(issued.headers.get("location")).toBe(`/certificates/${cert.id}?issued=1`);
    expect(cert).toMatchObject({ registrantAddress: ADDRESS, manufacturingAddress: SITE, remarks: "绿色通道", state: "VALID" });
    expect(cert.number).toMatch(new RegExp(`^津械注准${shanghaiDate(now()).slice(0, 4)}214\\d{4}$`));

    // The electronic certificate: every field, the QR code as inline SVG, the absolute verification address.
    const certificatePage = await window.get(`/certificates/${cert.id}?issued=1`);
    expect(certificatePage.status).toBe(200);
    const html = await markup(certificatePage);
    const verifyUrl = `http://localhost:3000/verify/${encodeURIComponent(cert.number)}`;
    expect(html).toMatch(/data-testid="certificate-qr"[^>]*><svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(html).toContain(`href="${verifyUrl}"`);
    expect(html).toContain(`http://localhost:3000/verify/${cert.number}`);
    for (const label of ["注册证编号", "注册人名称", "注册人住所", "生产地址", "产品名称", "型号、规格", "结构及组成", "适用范围", "附件", "其他内容", "备注", "审批部门", "批准日期", "有效期至"]) {
      expect(html).toContain(label);
    }
    expect(html).toContain(cert.number);
    expect(html).toContain(ADDRESS);
    expect(html).toContain(validUntil(shanghaiDate(now())).replaceAll("-", "/"));
    expect(html).toContain("注册证已发放");
    expect(html).toContain("注销注册证");

    // After issue the dossier page links to the certificate instead of the form.
    const after = await markup(await window.get(page));
    expect(after).not.toContain("确认发证");
    expect(after).toContain(`/certificates/${cert.id}`);

    // The company's users, the advisor and administrators may open it; nobody may cancel but window staff.
    const applicant = await signedInClient(server.baseUrl, f.applicant.id);
    const applicantPage = await applicant.get(`/certificates/${cert.id}`);
    expect(applicantPage.status).toBe(200);
    expect(await markup(applicantPage)).not.toContain("注销注册证");
    expect((await applicant.post(`/certificates/${cert.id}`, { reason: "企业自行注销" })).status).toBe(403);
    expect((await applicant.post(page, await formFields(f))).status).toBe(403);
    expect(await markup(await applicant.get(page))).toContain(cert.number);
    expect((await (await signedInClient(server.baseUrl, f.advisor.id)).get(`/certificates/${cert.id}`)).status).toBe(200);
    const admin = await signedInClient(server.baseUrl, (await createUser("ADMIN")).id);
    expect((await admin.get(`/certificates/${cert.id}`)).status).toBe(200);

    // Anyone else: 404 (page and data URL), never the content.
    const stranger = await signedInClient(server.baseUrl, (await createUser("APPLICANT")).id);
    for (const path of [`/certificates/${cert.id}`, `/certificates/${cert.id}.data`, page]) {
      const res = await stranger.get(path);
      expect(res.status).toBe(404);
      expect(await bodyText(res)).not.toContain(cert.number);
    }
    const otherAdvisor = await signedInClient(server.baseUrl, (await createUser("ADVISOR")).id);
    expect((await otherAdvisor.get(`/certificates/${cert.id}`)).status).toBe(404);
    expect((await (await signedInClient(server.baseUrl, (await createUser("AUDITOR")).id)).get(`/certificates/${cert.id}`)).status).toBe(403);
    expect((await window.get("/certificates/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    const denied = await prisma.auditEvent.count({ where: { action: "access.denied", objectType: "certificate", objectId: cert.id } });
    expect(denied).toBeGreaterThanOrEqual(2);
  });

  it("public verification: signed out, nothing private, 400 for a bad number, 404 for an unknown one, canonical address", async () => {
    const f = await approved("15");
    const window = await signedInClient(server.baseUrl, f.window.id);
    expect((await window.post(`/dossiers/${f.dossier.id}/certificate`, await formFields(f))).status).toBe(302);
    const cert = await prisma.certificate.findUniqueOrThrow({ where: { dossierId: f.dossier.id } });
    const anonymous = new Client(server.baseUrl);
    const secrets = [f.dossier.number, f.dossier.id, cert.id, f.applicant.email, f.advisor.email, f.window.email, f.applicant.id];

    const res = await anonymous.get(`/verify/${encodeURIComponent(cert.number)}`);
    expect(res.status).toBe(200);
    const text = await bodyText(res);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/GL-\d{4}-\d{6}/);
    expect(text).not.toMatch(/@test\.greenlane\.local/);
    const html = text.replace(/<script\b[\s\S]*?<\/script>/g, "");
    expect(html).toContain(cert.number);
    expect(html).toContain(f.dossier.productName);
    expect(html).toContain(ADDRESS);
    expect(html).toMatch(/class="badge badge--green[^"]*"[^>]*>有效</);

    const dataUrl = await anonymous.get(`/verify/${encodeURIComponent(cert.number)}.data`);
    expect(dataUrl.status).toBe(200);
    const data = await bodyText(dataUrl);
    for (const secret of secrets) expect(data).not.toContain(secret);
    expect(data).toContain(cert.number);

    const byQuery = await anonymous.get(`/verify?number=${encodeURIComponent(cert.number)}`);
    expect(byQuery.status).toBe(200);
    expect(await markup(byQuery)).toContain("该注册证在有效期内");

    const bad = await anonymous.get("/verify?number=bad");
    expect(bad.status).toBe(400);
    const badHtml = await markup(bad);
    expect(badHtml).toContain("编号格式不正确");
    expect(badHtml).toContain('value="bad"');
    expect((await anonymous.get("/verify/not-a-number")).status).toBe(400);
    expect((await anonymous.get("/verify?number=x&id=1")).status).toBe(400);

    const unknown = await anonymous.get(`/verify/${encodeURIComponent("津械注准20262159998")}`);
    expect(unknown.status).toBe(404);
    expect(await markup(unknown)).toContain("未查到编号为 津械注准20262159998 的注册证");
    expect((await anonymous.get(`/verify?number=${encodeURIComponent("津械注准20262159998")}`)).status).toBe(404);

    // Written loosely (spaces, a trailing 号): one redirect to the canonical address.
    const loose = await anonymous.get(`/verify/${encodeURIComponent(`${cert.number.slice(0, 8)} ${cert.number.slice(8)}号`)}`);
    expect(loose.status).toBe(302);
    expect(loose.headers.get("location")).toBe(`/verify/${encodeURIComponent(cert.number)}`);

    // Window staff cancel it (a reason is required); the public page says so in words and colour.
    const empty = await window.post(`/certificates/${cert.id}`, { reason: "  " });
    expect(empty.status).toBe(400);
    expect(await markup(empty)).toContain("此项为必填项");
    const cancelled = await window.post(`/certificates/${cert.id}`, { reason: "注册人申请注销" });
    expect(cancelled.status).toBe(302);
    expect(cancelled.headers.get("location")).toBe(`/certificates/${cert.id}?cancelled=1`);
    const cancelledPage = await markup(await window.get(`/certificates/${cert.id}?cancelled=1`));
    expect(cancelledPage).toContain("注册人申请注销");
    expect(cancelledPage).not.toContain("确认注销");
    const after = await markup(await anonymous.get(`/verify/${encodeURIComponent(cert.number)}`));
    expect(after).toMatch(/class="badge badge--red[^"]*"[^>]*>已注销</);
    expect(after).toContain("该注册证已注销");
    expect(after).not.toContain("注册人申请注销");
  });
});
