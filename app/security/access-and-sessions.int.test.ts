import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma, type AuditEvent } from "#app/.server/db.ts";
import { env } from "#app/.server/env.ts";
import { sessionCookie, sha256 } from "#app/.server/session.ts";
import { zhCN } from "#app/i18n/zh-CN.ts";
import { issueToken } from "#app/modules/auth/tokens.server.ts";
import { addDocumentVersion } from "#app/modules/dossier/add-document.server.ts";
import { submitDossier } from "#app/modules/dossier/submit-dossier.server.ts";
import { ROUTE_ACCESS } from "#app/route-access.ts";
import { approvedDossier, DOSSIER_FIELDS, dossierVersion, pdfFile, readyDossier } from "#scripts/test/dossier-fixtures.ts";
import { Client, createUser, randomUscc, signedInClient, startTestServer, TEST_PASSWORD, uniqueEmail } from "#scripts/test/harness.ts";
import { auditRowsOf, certifiedCase, companySnapshot, HTTPS_APP_URL, loginError, PROXY_HEADERS, startHttpsTestServer, writesAuditedFor } from "./support-access.ts";

/*
 * QUALITY S1–S9 against the running portal: the real Express host and Remix
 * build over HTTP, a real PostgreSQL. Company A is a draft application with a
 * stored document; company B a case taken to its certificate, so every page
 * that takes an id has a row behind it.
 */

let server: Awaited<ReturnType<typeof startTestServer>>;
let https: Awaited<ReturnType<typeof startHttpsTestServer>>;
let a: Awaited<ReturnType<typeof readyDossier>>;
let aDocumentId: string;
let applicantA: Client;
let b: Awaited<ReturnType<typeof certifiedCase>>;

beforeAll(async () => {
  // One after the other: the https instance changes the environment while its build loads.
  server = await startTestServer();
  https = await startHttpsTestServer();
  [a, b] = await Promise.all([readyDossier(["3.4"]), certifiedCase()]);
  const item34 = a.itemByCode("3.4");
  aDocumentId = (await addDocumentVersion(a.applicant, { dossierId: a.dossier.id, itemId: item34.id }, await pdfFile())).id;
  applicantA = await signedInClient(server.baseUrl, a.applicant.id);
});
afterAll(async () => {
  await Promise.all([server?.close(), https?.close()]);
});

const anonymous = (baseUrl = server.baseUrl) => new Client(baseUrl);
/** The body without the NULs React 18.3's streaming renderer may leave between multi-byte characters. */
const bodyText = async (res: Response) => (await res.text()).replace(/\0/g, "");
const SAME_ORIGIN = () => ({ Origin: server.baseUrl, "Sec-Fetch-Site": "same-origin" });
const signInForm = (client: Client, email: string, password: string, headers?: HeadersInit) => client.post("/login", { email, password }, headers);

/** The one audit row a refused request wrote: an access denial by `actorId`. */
async function expectOneDenial(res: Response, actorId: string, label: string): Promise<AuditEvent> {
  const rows = await auditRowsOf(res);
  expect(rows.map((r) => `${r.action}/${r.outcome}`), label).toEqual(["access.denied/DENIED"]);
  expect(rows[0]!.actorId, label).toBe(actorId);
  return rows[0]!;
}

describe("S1 another company's rows answer 404 on every route family, each denial audited", () => {
  // Every route an applicant may open that takes an id, from the route table: a new one is covered here without editing this file.
  const routes = Object.entries(ROUTE_ACCESS).filter(([, r]) => r.access !== "public" && r.access.includes("APPLICANT") && r.path.includes("/:"));

  function fill(path: string) {
    const ids: Record<string, string> = {
      dossierId: b.dossier.id,
      itemId: b.gap.itemId,
      versionId: b.document.id,
      submissionId: b.submission.id,
      letterId: b.letter.id,
      certificateId: b.certificate.id,
    };
    return path.replace(/:(\w+)/g, (_, key: string) => {
      if (!ids[key]) throw new Error(`no row of company B for :${key} — add one to certifiedCase()`);
      return ids[key];
    });
  }

  /** The page and its single-fetch `.data` URL; a resource route's file. */
  function urlsOf(routeId: string, path: string, resource: boolean) {
    if (resource) return routeId.includes(".documents.") ? [path, `${path}?inline=1`] : [path];
    return [path, `${path}.data`];
  }

  it("covers the dossier family and the certificate page", () => {
    expect(new Set(routes.map(([id]) => id.split(".")[0]))).toEqual(new Set(["dossiers", "certificates"]));
  });

  it.each(routes)("%s: B's own user gets it, A's user gets 404 with nothing of B, and a denial row", async (routeId, route) => {
    const path = fill(route.path);
    const owner = await signedInClient(server.baseUrl, b.applicant.id);
    const company = await prisma.company.findUniqueOrThrow({ where: { id: b.applicant.companyId! } });
    const secrets = [b.dossier.number, b.certificate.number, company.name, company.uscc, b.applicant.email, b.letter.sha256];
    for (const url of urlsOf(routeId, path, route.resource === true)) {
      // The ids are real: the company's own user is answered.
      expect([200, 302], `B's user: ${url}`).toContain((await owner.get(url)).status);
      const res = await applicantA.get(url);
      expect(res.status, `A's user: ${url}`).toBe(404);
      const body = await bodyText(res);
      for (const secret of secrets) expect(body, `${url} shows ${secret}`).not.toContain(secret);
      const denial = await expectOneDenial(res, a.applicant.id, url);
      expect(denial).toMatchObject({
        ...(route.path.startsWith("/certificates/") ? { objectType: "certificate", objectId: b.certificate.id } : { objectType: "dossier", objectId: b.dossier.id }),
        details: { path, reason: "scope", method: "GET" },
      });
    }
  });

  it("the legacy ?_data URLs are closed before any loader runs: 400 for everyone, nothing of B", async () => {
    const owner = await signedInClient(server.baseUrl, b.applicant.id);
    for (const [routeId, route] of routes.filter(([, r]) => r.resource !== true)) {
      const url = `${fill(route.path)}?_data=${encodeURIComponent(`routes/${routeId}`)}`;
      for (const client of [owner, applicantA]) {
        const res = await client.get(url);
        expect(res.status, url).toBe(400);
        expect(await res.text(), url).toBe("Bad Request");
      }
    }
  });

  it("evidence downloads are no applicant's at all: 403, audited as a denial", async () => {
    const res = await applicantA.get(`/indicators/evidence/certificate/${b.certificate.id}`);
    expect(res.status).toBe(403);
    const denial = await expectOneDenial(res, a.applicant.id, "evidence");
    expect(denial.details).toMatchObject({ reason: "role" });
  });
});

describe("S2 hidden companyId / status / advisorId / version fields are ignored; the company comes from the session", () => {
  it("on create, edit, item actions, messages, deferral requests, uploads and invitations — and B is unchanged", async () => {
    const before = await companySnapshot(b.applicant.companyId!);
    const outsider = await createUser("ADVISOR");
    const hidden = { companyId: b.applicant.companyId!, status: "APPROVED", advisorId: outsider.id, createdById: b.applicant.id, dossierId: b.dossier.id, number: b.dossier.number };
    const fields = { ...DOSSIER_FIELDS, catalogueCode: "21", greenGrounds: "clusterCompany" };

    // Create: a draft of A's company, whatever the form says.
    const created = await applicantA.post("/dossiers/new", { ...fields, ...hidden, productName: "隐藏字段新建", version: "99" });
    expect(created.status).toBe(302);
    const newId = /^\/dossiers\/([0-9a-f-]{36})/.exec(created.headers.get("location") ?? "")![1]!;
    expect(await prisma.dossier.findUniqueOrThrow({ where: { id: newId } })).toMatchObject({
      companyId: a.applicant.companyId, createdById: a.applicant.id, status: "DRAFT", version: 1, productName: "隐藏字段新建",
    });
    expect((await prisma.dossier.findUniqueOrThrow({ where: { id: newId } })).advisorId).not.toBe(outsider.id);

    // Edit: the posted version is the optimistic lock, never a value to store; a forged one is "changed meanwhile".
    const editPath = `/dossiers/${a.dossier.id}/edit`;
    const current = await prisma.dossier.findUniqueOrThrow({ where: { id: a.dossier.id } });
    const forged = await applicantA.post(editPath, { ...fields, ...hidden, productName: "伪造版本", version: String(current.version + 50) });
    expect(forged.status).toBe(409);
    expect(await prisma.dossier.findUniqueOrThrow({ where: { id: a.dossier.id } })).toMatchObject({ version: current.version, productName: current.productName });
    const edited = await applicantA.post(editPath, { ...fields, ...hidden, productName: "隐藏字段编辑", version: String(current.version) });
    expect(edited.status).toBe(302);
    expect(await prisma.dossier.findUniqueOrThrow({ where: { id: a.dossier.id } })).toMatchObject({
      companyId: a.applicant.companyId, status: "DRAFT", advisorId: current.advisorId, version: current.version + 1, productName: "隐藏字段编辑",
    });

    // Item action: the item comes from the URL; B's item named in the form is not touched.
    const crItem = a.items.find((i) => i.requirement === "CR")!;
    const itemPath = `/dossiers/${a.dossier.id}/items/${crItem.id}`;
    const na = await applicantA.post(itemPath, { ...hidden, intent: "notApplicable", reason: "本产品无源", version: String(await dossierVersion(a.dossier.id)), itemId: b.gap.itemId });
    expect(na.status).toBe(200);
    expect((await prisma.dossierItem.findUniqueOrThrow({ where: { id: crItem.id } })).notApplicableReason).toBe("本产品无源");
    // B's open gap named in a reply or an upload of A's item: refused.
    const reply = await applicantA.post(itemPath, { intent: "reply", gapId: b.gap.id, text: "已修改" });
    expect(reply.status).toBe(409);
    const upload = new FormData();
    upload.set("gapId", b.gap.id);
    upload.set("companyId", b.applicant.companyId!);
    upload.set("file", new Blob(["%PDF-1.7\nS2\n%%EOF\n"], { type: "application/pdf" }), "s2.pdf");
    const uploaded = await applicantA.request(`${itemPath}/upload`, { method: "POST", body: upload, headers: { Accept: "application/json" } });
    expect(uploaded.status).toBe(409);
    expect(await prisma.documentVersion.count({ where: { itemId: crItem.id } })).toBe(0);

    // A message lands on A's dossier only.
    const message = await applicantA.post(`/dossiers/${a.dossier.id}`, { ...hidden, intent: "message", body: "隐藏字段留言" });
    expect(message.status).toBe(302);
    expect(await prisma.dossierMessage.findMany({ where: { body: "隐藏字段留言" }, select: { dossierId: true } })).toEqual([{ dossierId: a.dossier.id }]);

    // A deferral request naming B's item is not A's to make.
    const deferral = await applicantA.post(`/dossiers/${a.dossier.id}/deferrals`, {
      intent: "request", itemId: b.deferral.itemId, dueDate: "2030-01-04", reason: "借用他人事项", version: String(await dossierVersion(a.dossier.id)),
    });
    expect(deferral.status).toBe(409);

    // An invitation joins A's company as an applicant, whatever company and role the form names.
    const email = uniqueEmail("s2invite");
    const invited = await applicantA.post("/applicant/company", { name: "李四", email, companyId: b.applicant.companyId!, role: "ADMIN", isCompanyAdmin: "true" });
    expect(invited.status).toBe(200);
    expect(await prisma.user.findUniqueOrThrow({ where: { email } })).toMatchObject({ companyId: a.applicant.companyId, role: "APPLICANT", isCompanyAdmin: false });

    // An advisor's profile form naming another advisor saves their own.
    const other = await prisma.advisorProfile.findUniqueOrThrow({ where: { userId: b.advisor.id } });
    const advisor = await signedInClient(server.baseUrl, a.advisor.id);
    const profile = await advisor.post("/advisor/profile", { specialties: "07", capacity: "12", phone: "13812345678", contactEmail: "", userId: b.advisor.id, advisorId: b.advisor.id });
    expect(profile.status).toBe(200);
    expect(await prisma.advisorProfile.findUniqueOrThrow({ where: { userId: a.advisor.id } })).toMatchObject({ capacity: 12, specialties: ["07"] });
    expect(await prisma.advisorProfile.findUniqueOrThrow({ where: { userId: b.advisor.id } })).toEqual(other);

    expect(await companySnapshot(b.applicant.companyId!)).toBe(before);
  });
});

describe("S3 an advisor off the case and an applicant at the window's actions: 404/403, nothing written", () => {
  it("an advisor flags, completes, resolves, posts and verifies on a dossier not assigned to them", async () => {
    // A gap of A's own advisor, for the moves on an existing gap.
    const item = a.items.find((i) => i.requirement === "R" && i.code !== "3.4")!;
    const own = await signedInClient(server.baseUrl, a.advisor.id);
    expect((await own.post(`/dossiers/${a.dossier.id}/items/${item.id}`, { intent: "flag", text: "请补充签章页", severity: "MUST" })).status).toBe(200);
    const gap = await prisma.gap.findFirstOrThrow({ where: { itemId: item.id } });

    const before = await companySnapshot(a.applicant.companyId!);
    const writesBefore = await writesAuditedFor([b.advisor.id]);
    const stranger = await signedInClient(server.baseUrl, b.advisor.id);
    const itemPath = `/dossiers/${a.dossier.id}/items/${item.id}`;
    const attempts: [string, Record<string, string> | null][] = [
      [itemPath, null],
      [itemPath, { intent: "flag", text: "越权标记缺陷", severity: "MUST" }],
      // The single-fetch action URL the browser posts to.
      [`${itemPath}.data`, { intent: "flag", text: "越权标记缺陷", severity: "MUST" }],
      [itemPath, { intent: "complete" }],
      [itemPath, { intent: "resolve", gapId: gap.id, text: "越权关闭" }],
      [itemPath, { intent: "reopen", gapId: gap.id, text: "越权重开" }],
      [`/dossiers/${a.dossier.id}`, { intent: "message", body: "越权留言" }],
      [`/dossiers/${a.dossier.id}/deferrals`, { intent: "verify", deferralId: b.deferral.id, version: "1" }],
    ];
    for (const [path, form] of attempts) {
      const res = form ? await stranger.post(path, form) : await stranger.get(path);
      const label = `${path} ${form?.intent ?? "GET"}`;
      expect(res.status, label).toBe(404);
      expect((await expectOneDenial(res, b.advisor.id, label)).objectId).toBe(a.dossier.id);
    }
    expect(await companySnapshot(a.applicant.companyId!)).toBe(before);
    expect(await writesAuditedFor([b.advisor.id])).toBe(writesBefore);
  });

  it("an applicant calls accept, every milestone, 发证, 注销, the queue's bulk reassignment, policies, the calendar and the other window forms", async () => {
    const submitted = await readyDossier([]);
    await submitDossier(submitted.applicant, submitted.dossier.id, submitted.dossier.version);
    const approved = await approvedDossier();
    const applicants = [submitted.applicant, approved.applicant, b.applicant];
    const companies = applicants.map((u) => u.companyId!);
    const snapshots = await Promise.all(companies.map(companySnapshot));
    const ids = applicants.map((u) => u.id);
    const counts = () =>
      Promise.all([
        writesAuditedFor(ids),
        prisma.deferralPolicy.count({ where: { createdById: { in: ids } } }),
        prisma.clockPolicy.count({ where: { createdById: { in: ids } } }),
        prisma.holiday.count({ where: { updatedById: { in: ids } } }),
        prisma.advisorAssignment.count({ where: { assignedById: { in: ids } } }),
        prisma.indicatorValue.count({ where: { enteredById: { in: ids } } }),
        prisma.indicator.count({ where: { updatedById: { in: ids } } }),
        prisma.certificate.count({ where: { OR: [{ recordedById: { in: ids } }, { verifiedById: { in: ids } }] } }),
      ]);
    const countsBefore = await counts();

    const s = submitted.dossier.id;
    const version = String(await dossierVersion(s));
    const milestoneForm = { version, defects: "缺少签章页", items: "请补充检验报告", reason: "越权", note: "", result: "pass", recommendation: "approve", summary: "越权结论", decision: "approve" };
    const milestones = ["handover", "returnForCorrection", "notAccept", "requestSupplement", "supplementReceived", "qmsStart", "qmsFinish", "conclude", "decide", "terminate"];
    const indicator = await prisma.indicator.findFirstOrThrow({ orderBy: { position: "asc" } });
    const email = await prisma.emailMessage.findFirstOrThrow({ where: { toAddress: b.applicant.email } });
    const certificateForm = {
      version: String(await dossierVersion(approved.dossier.id)), registrantName: "越权企业", registrantAddress: "天津市东丽区", manufacturingAddress: "天津市东丽区",
      productName: approved.dossier.productName, modelSpec: approved.dossier.model, structure: approved.dossier.structure, intendedUse: approved.dossier.intendedUse,
      attachment: "产品技术要求", otherContent: "", remarks: "", authority: "天津市药品监督管理局", approvalDate: "2026-01-05",
    };
    const clockForm = Object.fromEntries(
      ["acceptance", "handover", "review", "reviewAfterSupplement", "approval", "issuance"].flatMap((k) => [[`${k}Legal`, "60"], [`${k}Target`, ""]]),
    );
    const calls: [string, string, Record<string, string>][] = [
      [submitted.applicant.id, `/dossiers/${s}`, { intent: "accept", version }],
      ...milestones.map((intent): [string, string, Record<string, string>] => [submitted.applicant.id, `/dossiers/${s}/progress`, { ...milestoneForm, intent }]),
      [approved.applicant.id, `/dossiers/${approved.dossier.id}/certificate`, certificateForm],
      [b.applicant.id, `/certificates/${b.certificate.id}`, { reason: "越权注销" }],
      ...["refuse", "extend", "terminate"].map((intent): [string, string, Record<string, string>] => [
        b.applicant.id, `/dossiers/${b.dossier.id}/deferrals`,
        { intent, deferralId: b.deferral.id, version: String(b.deferral.version), dossierVersion: String(b.dossier.version), dueDate: "2030-01-04", reason: "越权" },
      ]),
      [submitted.applicant.id, "/window", { dossierIds: s, advisorId: b.advisor.id, reason: "越权改派" }],
      [submitted.applicant.id, "/window/unassigned", { dossierId: s, advisorId: b.advisor.id, reason: "越权分配" }],
      [submitted.applicant.id, "/window/policy", { deferrableCodes: "3.4", maxDeferralWorkingDays: "20", reminderOffsets: "3, 1, 0", graceWorkingDays: "10", barMonths: "6", reason: "越权" }],
      [submitted.applicant.id, "/window/clock-policy", { ...clockForm, basis: "legal", yellowPercent: "80", reason: "越权" }],
      [submitted.applicant.id, "/window/calendar", { date: "2031-01-02", kind: "REST", nameZh: "越权假日", nameEn: "Forged" }],
      [submitted.applicant.id, "/window/calendar?intent=remove", { date: "2026-10-01" }],
      [submitted.applicant.id, "/window/deliveries", { emailId: email.id }],
      [submitted.applicant.id, "/indicators", { intent: "verify", certificateId: b.certificate.id }],
      [submitted.applicant.id, `/indicators/${indicator.id}?intent=definition`, { target: "1", reason: "越权" }],
      [submitted.applicant.id, `/admin/users/${b.applicant.id}`, { intent: "deactivate" }],
    ];
    const clients = new Map(await Promise.all(applicants.map(async (u) => [u.id, await signedInClient(server.baseUrl, u.id)] as const)));
    for (const [actorId, path, form] of calls) {
      const res = await clients.get(actorId)!.post(path, form);
      const label = `${path} ${form.intent ?? ""}`;
      expect(res.status, label).toBe(403);
      await expectOneDenial(res, actorId, label);
    }

    expect(await counts()).toEqual(countsBefore);
    expect(await Promise.all(companies.map(companySnapshot))).toEqual(snapshots);
    // The same forms are the window's to post: acceptance goes through for window staff.
    const window = await signedInClient(server.baseUrl, submitted.window.id);
    expect((await window.post(`/dossiers/${s}`, { intent: "accept", version })).status).toBe(302);
  });
});

describe("S4 lockout after the configured number of failures", () => {
  it("refuses the right password with the wrong password's message, audits each attempt, lasts the configured time, and an admin unlocks", async () => {
    const { LOCKOUT_THRESHOLD, LOCKOUT_MINUTES } = env();
    const user = await createUser("APPLICANT");
    const attempt = (password: string) => signInForm(anonymous(), user.email, password);

    const wrong: Response[] = [];
    const lockWindow = { from: 0, to: 0 };
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++) {
      lockWindow.from = Date.now();
      wrong.push(await attempt("Wrong#Password2026"));
      lockWindow.to = Date.now();
    }
    const locked = await attempt(TEST_PASSWORD);
    const unknown = await signInForm(anonymous(), uniqueEmail("nobody"), TEST_PASSWORD);
    const answers = [...wrong, locked, unknown];
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 401));
    const messages = await Promise.all(answers.map(async (r) => loginError(await bodyText(r))));
    expect(messages).toEqual(answers.map(() => zhCN.errors.loginFailed));

    // Each attempt is its own audit row, found by the response's request id.
    for (const [i, res] of wrong.entries()) {
      const rows = await auditRowsOf(res);
      expect(rows[0]).toMatchObject({ action: "auth.signin", outcome: "FAILURE", objectId: user.id, details: { reason: "password", failures: i + 1 } });
      expect(rows.slice(1).map((r) => r.action)).toEqual(i === LOCKOUT_THRESHOLD - 1 ? ["auth.lockout"] : []);
    }
    expect(await auditRowsOf(locked)).toEqual([expect.objectContaining({ action: "auth.signin", outcome: "FAILURE", objectId: user.id, details: { reason: "locked" } })]);
    expect(await auditRowsOf(unknown)).toEqual([expect.objectContaining({ action: "auth.signin", outcome: "FAILURE", actorId: null, details: { reason: "unknown-email" } })]);

    // The lock lasts LOCKOUT_MINUTES from the last failure. Sign-in reads the real clock, so time is moved by moving lockedUntil.
    const { lockedUntil } = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(lockedUntil!.getTime()).toBeGreaterThanOrEqual(lockWindow.from + LOCKOUT_MINUTES * 60_000);
    expect(lockedUntil!.getTime()).toBeLessThanOrEqual(lockWindow.to + LOCKOUT_MINUTES * 60_000);
    await prisma.user.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() + 60_000) } });
    expect((await attempt(TEST_PASSWORD)).status).toBe(401);
    await prisma.user.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() - 1_000) } });
    expect((await attempt(TEST_PASSWORD)).status).toBe(302);

    // Locked again; an administrator unlocks through the user's page, and the sign-in works.
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++) expect((await attempt("Wrong#Password2026")).status).toBe(401);
    expect((await attempt(TEST_PASSWORD)).status).toBe(401);
    const adminUser = await createUser("ADMIN");
    const admin = await signedInClient(server.baseUrl, adminUser.id);
    expect((await admin.get(`/admin/users/${user.id}`)).status).toBe(200);
    const unlock = await admin.post(`/admin/users/${user.id}`, { intent: "unlock" });
    expect(unlock.status).toBe(200);
    expect(await auditRowsOf(unlock)).toEqual([expect.objectContaining({ action: "user.unlock", actorId: adminUser.id, objectId: user.id })]);
    expect((await attempt(TEST_PASSWORD)).status).toBe(302);
  });
});

describe("S5 password policy on registration, reset and invitation", () => {
  /** 64 characters, 84 bytes in UTF-8 (past bcrypt's 72-byte cut). */
  const PASSPHRASE = "绿通绿色通道 Class II 医疗器械 dossier, Tianjin Dongli district 2026!~~~~~";
  const weak = (email: string): [string, string][] => [
    ["Password1", zhCN.errors.password.tooShort],
    ["Ab1!xyz", zhCN.errors.password.tooShort],
    [email, zhCN.errors.password.containsEmail],
  ];

  const registration = (email: string, password: string) =>
    anonymous().post("/register", { companyName: "天津测试医疗科技有限公司", uscc: randomUscc(), contactName: "张三", email, phone: "13812345678", password, confirmPassword: password });

  async function expectPassphraseExact(email: string) {
    expect((await signInForm(anonymous(), email, PASSPHRASE)).status).toBe(302);
    expect((await signInForm(anonymous(), email, PASSPHRASE.slice(0, 63))).status).toBe(401);
  }

  it("the passphrase is what the case says", () => {
    expect([...PASSPHRASE]).toHaveLength(64);
    expect(Buffer.byteLength(PASSPHRASE)).toBeGreaterThan(72);
  });

  it("registration", async () => {
    const email = uniqueEmail("reg2026");
    for (const [password, reason] of weak(email)) {
      const res = await registration(email, password);
      expect(res.status, password).toBe(400);
      expect(await bodyText(res), password).toContain(reason);
    }
    expect(await prisma.user.count({ where: { email } })).toBe(0);
    expect((await registration(email, PASSPHRASE)).status).toBe(200);
    await prisma.user.update({ where: { email }, data: { emailVerifiedAt: new Date() } });
    await expectPassphraseExact(email);
  });

  it("reset-password", async () => {
    const user = await createUser("APPLICANT", { email: uniqueEmail("reset2026") });
    const token = await issueToken(prisma, user.id, "RESET_PASSWORD");
    for (const [password, reason] of weak(user.email)) {
      const res = await anonymous().post("/reset-password", { token, password, confirmPassword: password });
      expect(res.status, password).toBe(400);
      expect(await bodyText(res), password).toContain(reason);
    }
    expect((await anonymous().post("/reset-password", { token, password: PASSPHRASE, confirmPassword: PASSPHRASE })).status).toBe(302);
    await expectPassphraseExact(user.email);
  });

  it("invitation acceptance", async () => {
    const user = await createUser("ADVISOR", { email: uniqueEmail("invite2026") });
    await prisma.user.update({ where: { id: user.id }, data: { passwordHash: null, emailVerifiedAt: null } });
    const token = await issueToken(prisma, user.id, "INVITE");
    for (const [password, reason] of weak(user.email)) {
      const res = await anonymous().post("/invite", { token, name: "王五", password, confirmPassword: password });
      expect(res.status, password).toBe(400);
      expect(await bodyText(res), password).toContain(reason);
    }
    expect((await anonymous().post("/invite", { token, name: "王五", password: PASSPHRASE, confirmPassword: PASSPHRASE })).status).toBe(302);
    await expectPassphraseExact(user.email);
  });
});

describe("S6 the session cookie before and after sign-in", () => {
  const sessionSetCookie = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith("gl_session="));
  const tokenOf = async (client: Client) => (await sessionCookie.parse(`gl_session=${client.cookies.get("gl_session")}`)) as string;

  it("a new session id at sign-in, whatever the browser carried; HttpOnly, SameSite=Lax, no Secure on local http", async () => {
    const user = await createUser("APPLICANT");
    const client = anonymous();
    expect(sessionSetCookie(await client.get("/login"))).toBeUndefined();
    // A token planted in the browser before sign-in (signed: the worst case) is never adopted.
    const planted = "planted-by-an-attacker-0123456789abcdef";
    const [pair] = (await sessionCookie.serialize(planted)).split(";");
    client.cookies.set("gl_session", pair!.slice("gl_session=".length));
    const res = await signInForm(client, user.email, TEST_PASSWORD);
    expect(res.status).toBe(302);
    const setCookie = sessionSetCookie(res)!;
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(setCookie).toMatch(/;\s*Path=\//i);
    expect(setCookie).not.toMatch(/;\s*Secure/i);
    const first = await tokenOf(client);
    expect(first).not.toBe(planted);
    expect((await prisma.session.findMany({ where: { userId: user.id } })).map((s) => s.id)).toEqual([sha256(first)]);

    // Signing in again over a live session replaces it: the old id is gone server-side.
    const old = new Map(client.cookies);
    expect((await signInForm(client, user.email, TEST_PASSWORD)).status).toBe(302);
    const second = await tokenOf(client);
    expect(second).not.toBe(first);
    expect((await prisma.session.findMany({ where: { userId: user.id } })).map((s) => s.id)).toEqual([sha256(second)]);
    const replay = anonymous();
    replay.cookies = old;
    expect((await replay.get("/applicant")).status).toBe(302);
    expect((await client.get("/applicant")).status).toBe(200);
  });

  it("Secure (and the rest) when served over https: APP_URL https behind a proxy sending X-Forwarded-Proto and -Host", async () => {
    const user = await createUser("APPLICANT");
    const client = anonymous(https.baseUrl);
    const headers = { ...PROXY_HEADERS, Origin: HTTPS_APP_URL, "Sec-Fetch-Site": "same-origin" };
    const res = await signInForm(client, user.email, TEST_PASSWORD, headers);
    expect(res.status).toBe(302);
    const setCookie = sessionSetCookie(res)!;
    expect(setCookie).toMatch(/;\s*Secure/i);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect((await client.get("/applicant", PROXY_HEADERS)).status).toBe(200);
    const out = await client.post("/logout", {}, headers);
    expect(sessionSetCookie(out)).toMatch(/;\s*Secure/i);
  });
});

describe("S7 idle timeout and sign-out end the session server-side", () => {
  async function signedInByForm() {
    const user = await createUser("APPLICANT");
    const client = anonymous();
    expect((await signInForm(client, user.email, TEST_PASSWORD)).status).toBe(302);
    const session = await prisma.session.findFirstOrThrow({ where: { userId: user.id } });
    return { user, client, session };
  }
  const idleMs = () => env().SESSION_IDLE_MINUTES * 60_000;

  it("idle past the policy's timeout: back to sign-in, the row deleted and the expiry audited", async () => {
    const { user, client, session } = await signedInByForm();
    // A minute short of the timeout the session holds (and the visit counts as activity).
    await prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date(Date.now() - idleMs() + 60_000) } });
    expect((await client.get("/applicant")).status).toBe(200);
    expect((await prisma.session.findUniqueOrThrow({ where: { id: session.id } })).lastSeenAt.getTime()).toBeGreaterThan(Date.now() - 10_000);

    await prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date(Date.now() - idleMs() - 60_000) } });
    const res = await client.get("/applicant");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?redirectTo=%2Fapplicant");
    expect(await prisma.session.count({ where: { id: session.id } })).toBe(0);
    // Audited once as an idle expiry (the root loader and the page's both find the expired session; only the one that deletes it audits).
    const rows = await auditRowsOf(res);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "auth.session.expired", actorId: user.id, details: { reason: "idle" } });
    // The sign-in page is shown, not the role's home.
    expect((await client.get("/login")).status).toBe(200);
  });

  it("the cookie reused after sign-out finds no session: sign-in page, row gone", async () => {
    const { user, client, session } = await signedInByForm();
    const stolen = new Map(client.cookies);
    const out = await client.post("/logout", {});
    expect(out.headers.get("location")).toBe("/login?signedOut=1");
    expect(await prisma.session.count({ where: { id: session.id } })).toBe(0);
    const replay = anonymous();
    replay.cookies = stolen;
    for (const path of ["/applicant", "/notifications"]) {
      const res = await replay.get(path);
      expect(res.status, path).toBe(302);
      expect(res.headers.get("location"), path).toMatch(/^\/login\?redirectTo=/);
    }
    // The single-fetch data URL answers with the redirect to sign-in (Remix's 202 redirect payload), not with data.
    const data = await replay.get("/applicant.data");
    expect(data.status).toBe(202);
    const payload = await bodyText(data);
    expect(payload).toContain("/login?redirectTo=");
    expect(payload).not.toContain(user.email);
    expect((await replay.get("/login")).status).toBe(200);
    expect(await prisma.session.count({ where: { id: session.id } })).toBe(0);
  });
});

describe("S8 cross-site state-changing requests are refused before they reach the application", () => {
  const ATTACKS: Record<string, Record<string, string>> = {
    "another site's Origin": { Origin: "https://evil.example" },
    "Sec-Fetch-Site: cross-site": { "Sec-Fetch-Site": "cross-site" },
  };

  /** Posts with each attack's headers (403, no audit row, no cookie), checks nothing changed, then the same-origin post goes through. */
  async function refusedThenAllowed(label: string, send: (headers: Record<string, string>) => Promise<Response>, state: () => Promise<unknown>, allowed: number) {
    const before = await state();
    for (const [attack, headers] of Object.entries(ATTACKS)) {
      const res = await send(headers);
      expect(res.status, `${label}: ${attack}`).toBe(403);
      expect(res.headers.getSetCookie(), `${label}: ${attack}`).toEqual([]);
      expect(await auditRowsOf(res), `${label}: ${attack}`).toEqual([]);
    }
    expect(await state(), label).toEqual(before);
    const ok = await send(SAME_ORIGIN());
    expect(ok.status, `${label}: same origin`).toBe(allowed);
    expect(await state(), `${label}: same origin`).not.toEqual(before);
  }

  it("sign-in", async () => {
    const user = await createUser("APPLICANT");
    const state = async () => [await prisma.session.count({ where: { userId: user.id } }), await prisma.auditEvent.count({ where: { objectId: user.id } })];
    await refusedThenAllowed("/login", (h) => signInForm(anonymous(), user.email, TEST_PASSWORD, h), state, 302);
  });

  it("a dossier action", async () => {
    const body = `S8 留言 ${Date.now()}`;
    const state = () => prisma.dossierMessage.count({ where: { dossierId: a.dossier.id, body } });
    await refusedThenAllowed("message", (h) => applicantA.post(`/dossiers/${a.dossier.id}`, { intent: "message", body }, h), state, 302);
  });

  it("the upload resource route", async () => {
    const item = a.itemByCode("3.4");
    const state = () => prisma.documentVersion.count({ where: { itemId: item.id } });
    const send = (headers: Record<string, string>) => {
      const form = new FormData();
      form.set("file", new Blob([`%PDF-1.7\nS8 ${Date.now()}\n%%EOF\n`], { type: "application/pdf" }), "s8.pdf");
      return applicantA.request(`/dossiers/${a.dossier.id}/items/${item.id}/upload`, { method: "POST", body: form, headers: { ...headers, Accept: "application/json" } });
    };
    await refusedThenAllowed("upload", send, state, 200);
  });

  it("language and sign-out", async () => {
    const user = await createUser("APPLICANT");
    const client = await signedInClient(server.baseUrl, user.id);
    const locale = async () => (await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).locale;
    await refusedThenAllowed("/language", (h) => client.post("/language", { locale: "en", redirectTo: "/applicant" }, h), locale, 302);
    const sessions = () => prisma.session.count({ where: { userId: user.id } });
    await refusedThenAllowed("/logout", (h) => client.post("/logout", {}, h), sessions, 302);
  });

  it("an opaque Origin, a same-site sibling, or either signal alone is enough to refuse", async () => {
    const body = `S8 变体 ${Date.now()}`;
    const variants: Record<string, string>[] = [{ Origin: "null" }, { "Sec-Fetch-Site": "same-site" }, { Origin: server.baseUrl, "Sec-Fetch-Site": "cross-site" }, { Origin: "https://evil.example", "Sec-Fetch-Site": "same-origin" }];
    for (const headers of variants) {
      expect((await applicantA.post(`/dossiers/${a.dossier.id}`, { intent: "message", body }, headers)).status, JSON.stringify(headers)).toBe(403);
    }
    expect(await prisma.dossierMessage.count({ where: { body } })).toBe(0);
  });
});

describe("S9 security headers on every kind of response", () => {
  function directives(res: Response) {
    const csp = res.headers.get("content-security-policy") ?? "";
    return new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values.join(" ")]));
  }

  /** Each kind of response: whether it is asked for signed in, its path, its status. */
  const KINDS: [kind: string, signedIn: boolean, path: () => string, status: number][] = [
    ["public page", false, () => "/login", 200],
    ["public verification page", false, () => "/verify", 200],
    ["anonymous 404", false, () => "/no-such-page", 404],
    ["signed-in page", true, () => "/applicant", 200],
    ["signed-in dossier page", true, () => `/dossiers/${a.dossier.id}`, 200],
    ["single-fetch data URL", true, () => "/applicant.data", 200],
    ["legacy ?_data URL (closed)", true, () => `/applicant?_data=${encodeURIComponent("routes/applicant._index")}`, 400],
    ["document download", true, () => `/dossiers/${a.dossier.id}/documents/${aDocumentId}`, 200],
    ["signed-in 404 page", true, () => "/no-such-page", 404],
    ["403 page", true, () => "/window", 403],
    ["out-of-scope 404", true, () => `/dossiers/${b.dossier.id}`, 404],
  ];

  async function expectHeaders(baseUrl: string, overHttps: boolean) {
    const signedIn = await signedInClient(baseUrl, a.applicant.id);
    const proxy = overHttps ? PROXY_HEADERS : undefined;
    for (const [kind, needsSession, path, status] of KINDS) {
      const res = await (needsSession ? signedIn : anonymous(baseUrl)).get(path(), proxy);
      expect(res.status, kind).toBe(status);
      const csp = directives(res);
      expect(csp.get("object-src"), kind).toBe("'none'");
      expect(csp.get("base-uri"), kind).toBe("'none'");
      expect(csp.get("frame-ancestors"), kind).toBe("'none'");
      expect(res.headers.get("x-content-type-options"), kind).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), kind).toMatch(/^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/);
      if (needsSession) expect(res.headers.get("cache-control"), kind).toMatch(/\bno-store\b/);
      const hsts = res.headers.get("strict-transport-security");
      if (overHttps) expect(hsts, kind).toMatch(/^max-age=(\d+); includeSubDomains$/);
      else expect(hsts, kind).toBeNull();
      await res.arrayBuffer();
    }
  }

  it("over local http: CSP, nosniff, Referrer-Policy, no-store when signed in; no HSTS", () => expectHeaders(server.baseUrl, false));

  it("over https (APP_URL https behind a proxy): the same, and HSTS", () => expectHeaders(https.baseUrl, true));

  it("the inline PDF preview carries a CSP of its own: nothing may run, no other site may frame it", async () => {
    const res = await applicantA.get(`/dossiers/${a.dossier.id}/documents/${aDocumentId}?inline=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^inline;/);
    const csp = directives(res);
    expect(csp.get("default-src")).toBe("'none'");
    expect(csp.has("script-src")).toBe(false);
    expect(csp.get("frame-ancestors")).toMatch(/^('none'|'self')$/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toMatch(/\bno-store\b/);
    await res.arrayBuffer();
  });
});
