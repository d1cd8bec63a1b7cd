import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownDatabase } from "#scripts/test/own-database.ts";

/*
 * Every mutation leaves an audit row (QUALITY.md, 等保 Level 3 audit): this
 * file walks every action of every route module over real HTTP — each intent
 * of each form — and checks that the request wrote at least one successful
 * audit row (the row carries the request's X-Request-Id), then runs the chain
 * verifier over the whole trail. The inventory test fails when a route module
 * gains an action or an intent the walk does not post, so a new mutation
 * cannot ship unaudited. A database of its own: the walk changes global
 * policies and moves a deferral's clock.
 */
const database = await ownDatabase("actions");
const { prisma } = await import("#app/.server/db.ts");
const { verifyAuditChain } = await import("#app/.server/audit.ts");
const { now } = await import("#app/.server/clock.ts");
const { issueToken } = await import("#app/modules/auth/tokens.server.ts");
const { loadHolidayCalendar } = await import("#app/modules/calendar/calendar.server.ts");
const { addWorkingDays, shanghaiDate } = await import("#app/modules/calendar/working-days.ts");
const { currentClockPolicy } = await import("#app/modules/clock/clock.server.ts");
const { acceptDossier } = await import("#app/modules/deferral/accept-dossier.server.ts");
const { currentDeferralPolicy } = await import("#app/modules/deferral/policy.server.ts");
const { requestDeferral } = await import("#app/modules/deferral/request-deferral.server.ts");
const { addDocumentVersion } = await import("#app/modules/dossier/add-document.server.ts");
const { submitDossier } = await import("#app/modules/dossier/submit-dossier.server.ts");
const { transitionDossier } = await import("#app/modules/dossier/transition-dossier.server.ts");
const { MILESTONE_INTENTS } = await import("#app/modules/milestone/milestone.schema.ts");
const { Client, createUser, signedInClient, startTestServer, TEST_PASSWORD, uniqueEmail, randomUscc } = await import("#scripts/test/harness.ts");
const { DOSSIER_FIELDS, dossierVersion, pdfFile, readyDossier } = await import("#scripts/test/dossier-fixtures.ts");

type TestClient = InstanceType<typeof Client>;
const root = path.resolve(import.meta.dirname, "..");
const buildDir = path.resolve(root, process.env.REMIX_BUILD_DIR ?? "build");

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
  await prisma.$disconnect();
  await database.drop();
});

/* ---------- the inventory: every (route, intent) that can change something ---------- */

/** Intents a route tells apart without a `case "…"` the inventory can read. */
const INTENTS_OUTSIDE_CASES: Record<string, readonly string[]> = {
  "routes/dossiers.$dossierId.progress": MILESTONE_INTENTS,
  "routes/indicators.$indicatorId": ["definition", "value"],
  "routes/indicators._index": ["verify", "reject"],
  "routes/window.calendar": ["save", "remove"],
  "routes/notifications": ["read-all", "open"],
};

async function mutationInventory(): Promise<string[]> {
  const build = (await import(path.join(buildDir, "server/index.js"))) as ServerBuild;
  const keys: string[] = [];
  for (const [id, route] of Object.entries(build.routes)) {
    if (!route.module.action) continue;
    const file = [".tsx", ".ts"].map((ext) => path.join(root, "app", `${id}${ext}`)).find((f) => existsSync(f));
    expect(file, `the source of ${id}`).toBeDefined();
    const source = readFileSync(file!, "utf8");
    const action = source.slice(source.search(/export (async function|const) action\b/));
    const intents = new Set([...action.matchAll(/case "([\w-]+)"/g)].map((m) => m[1]!));
    for (const intent of INTENTS_OUTSIDE_CASES[id] ?? []) intents.add(intent);
    if (intents.size === 0) keys.push(id);
    for (const intent of intents) keys.push(`${id}#${intent}`);
  }
  return keys.sort();
}

/* ---------- the walk ---------- */

/** One post of the walk: what it answers and which audit actions its request wrote. */
const walked = new Map<string, { status: number; actions: string[] }>();

async function auditedBy(response: Response) {
  const requestId = response.headers.get("x-request-id");
  expect(requestId, "every response carries its request id").toBeTruthy();
  const rows = await prisma.auditEvent.findMany({ where: { requestId, outcome: "SUCCESS" }, orderBy: { id: "asc" }, select: { action: true } });
  return rows.map((r) => r.action);
}

/**
 * Posts one mutation and checks it: a success answer (2xx or a redirect), and
 * the named audit action among the rows its request wrote.
 */
async function walk(key: string, audits: string, post: () => Promise<Response>) {
  const response = await post();
  const body = response.status >= 400 ? (await response.text()).replace(/<script\b[\s\S]*?<\/script>/g, "").slice(0, 2000) : "";
  expect(response.status, `${key} answered ${response.status}: ${body}`).toBeLessThan(400);
  const actions = await auditedBy(response);
  walked.set(key, { status: response.status, actions });
  expect(actions, `${key} wrote no "${audits}" audit row`).toContain(audits);
}

const multipart = (fields: Record<string, string>, files: Record<string, { content: string; name: string; type: string }> = {}) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const [k, f] of Object.entries(files)) form.append(k, new Blob([f.content], { type: f.type }), f.name);
  return form;
};
const postMultipart = (client: TestClient, target: string, body: FormData) => client.request(target, { method: "POST", body });
const pdf = (name: string) => ({ content: `%PDF-1.7\n${name}\n%%EOF\n`, name, type: "application/pdf" });

const dueIn = async (workingDays: number) => addWorkingDays(await loadHolidayCalendar(), shanghaiDate(now()), workingDays);
const commitment = { confirmed: true, ip: "203.0.113.7", userAgent: "vitest" };
const anonymous = () => new Client(server.baseUrl);
const clientOf = (userId: string) => signedInClient(server.baseUrl, userId);
const v = async (dossierId: string) => String(await dossierVersion(dossierId));

async function submitted() {
  const f = await readyDossier([]);
  await submitDossier(f.applicant, f.dossier.id, f.dossier.version);
  return f;
}

async function acceptedWithDeferral() {
  const f = await readyDossier(["3.4"]);
  await requestDeferral(f.applicant, f.dossier.id, f.dossier.version, { itemId: f.itemByCode("3.4").id, dueDate: await dueIn(10), reason: "检验报告尚在检验机构出具中" });
  await submitDossier(f.applicant, f.dossier.id, await dossierVersion(f.dossier.id), { commitment });
  await acceptDossier(f.window, f.dossier.id, await dossierVersion(f.dossier.id));
  const deferral = await prisma.deferral.findFirstOrThrow({ where: { dossierId: f.dossier.id } });
  return { ...f, deferral };
}

describe("every mutation writes an audit row", () => {
  it("sign-up, sign-in and the one-time links", async () => {
    const email = uniqueEmail("walk");
    await walk("routes/register", "company.register", () =>
      anonymous().post("/register", { companyName: "天津审计走查医疗科技有限公司", uscc: randomUscc(), contactName: "张三", email, phone: "13812345678", password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD }),
    );
    const registered = await prisma.user.findUniqueOrThrow({ where: { email } });
    const verifyToken = await issueToken(prisma, registered.id, "VERIFY_EMAIL");
    await walk("routes/verify-email", "auth.email.verify", () => anonymous().post("/verify-email", { token: verifyToken }));
    await walk("routes/login", "auth.signin", () => anonymous().post("/login", { email, password: TEST_PASSWORD }));
    await walk("routes/forgot-password", "auth.password.reset-request", () => anonymous().post("/forgot-password", { email }));
    const resetToken = await issueToken(prisma, registered.id, "RESET_PASSWORD");
    const newPassword = `${TEST_PASSWORD}-new`;
    await walk("routes/reset-password", "auth.password.reset", () => anonymous().post("/reset-password", { token: resetToken, password: newPassword, confirmPassword: newPassword }));

    const applicant = await clientOf(registered.id);
    const colleague = uniqueEmail("colleague");
    await walk("routes/applicant.company", "user.invite", () => applicant.post("/applicant/company", { name: "李四", email: colleague, phone: "" }));
    const invited = await prisma.user.findUniqueOrThrow({ where: { email: colleague } });
    const inviteToken = await issueToken(prisma, invited.id, "INVITE");
    await walk("routes/invite", "user.invite.accept", () => anonymous().post("/invite", { token: inviteToken, name: "李四", password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD }));
    await walk("routes/language", "user.locale", () => applicant.post("/language", { locale: "en", redirectTo: "/applicant" }));
    await walk("routes/logout", "auth.signout", () => applicant.post("/logout", {}));
  });

  it("the applicant's draft: create, edit, upload, not applicable and back", async () => {
    const row = await createUser("APPLICANT");
    const applicant = await clientOf(row.id);
    const fields = { ...DOSSIER_FIELDS, catalogueCode: "07", greenGrounds: "clusterCompany" };
    await walk("routes/dossiers.new", "dossier.create", () => applicant.post("/dossiers/new", fields));
    const dossier = await prisma.dossier.findFirstOrThrow({ where: { companyId: row.companyId! } });
    await walk("routes/dossiers.$dossierId.edit", "dossier.edit", async () =>
      applicant.post(`/dossiers/${dossier.id}/edit`, { ...fields, model: "GL-R200", version: await v(dossier.id) }),
    );
    const items = await prisma.dossierItem.findMany({ where: { dossierId: dossier.id }, orderBy: { position: "asc" } });
    const required = items.find((i) => i.requirement === "R")!;
    await walk("routes/dossiers.$dossierId.items.$itemId.upload", "dossier.document.upload", () =>
      postMultipart(applicant, `/dossiers/${dossier.id}/items/${required.id}/upload`, multipart({}, { file: pdf("说明书.pdf") })),
    );
    const conditional = items.find((i) => i.requirement === "CR")!;
    const itemPage = `/dossiers/${dossier.id}/items/${conditional.id}`;
    await walk("routes/dossiers.$dossierId.items.$itemId#notApplicable", "dossier.item.not-applicable", async () =>
      applicant.post(itemPage, { intent: "notApplicable", reason: "本产品不含软件", version: await v(dossier.id) }),
    );
    await walk("routes/dossiers.$dossierId.items.$itemId#clearNotApplicable", "dossier.item.applicable", async () =>
      applicant.post(itemPage, { intent: "clearNotApplicable", reason: "", version: await v(dossier.id) }),
    );
  });

  it("review of items, messages, reassignment, submission, acceptance and every milestone to the certificate", async () => {
    const f = await readyDossier([]);
    const id = f.dossier.id;
    const [applicant, advisor, window] = await Promise.all([clientOf(f.applicant.id), clientOf(f.advisor.id), clientOf(f.window.id)]);
    const item = f.itemByCode("1.1");
    const itemPage = `/dossiers/${id}/items/${item.id}`;
    await walk("routes/dossiers.$dossierId.items.$itemId#flag", "dossier.gap.flag", () => advisor.post(itemPage, { intent: "flag", text: "申请表缺少签章", severity: "SHOULD" }));
    const gap = await prisma.gap.findFirstOrThrow({ where: { itemId: item.id } });
    await walk("routes/dossiers.$dossierId.items.$itemId#reply", "dossier.gap.reply", () => applicant.post(itemPage, { intent: "reply", gapId: gap.id, text: "已补签章" }));
    await walk("routes/dossiers.$dossierId.items.$itemId#resolve", "dossier.gap.resolve", () => advisor.post(itemPage, { intent: "resolve", gapId: gap.id, text: "" }));
    await walk("routes/dossiers.$dossierId.items.$itemId#reopen", "dossier.gap.reopen", () => advisor.post(itemPage, { intent: "reopen", gapId: gap.id, text: "签章不清晰" }));
    expect((await advisor.post(itemPage, { intent: "resolve", gapId: gap.id, text: "" })).status).toBeLessThan(400);
    await walk("routes/dossiers.$dossierId.items.$itemId#complete", "dossier.item.review", () => advisor.post(itemPage, { intent: "complete" }));
    await walk("routes/dossiers.$dossierId._index#message", "dossier.message", () => applicant.post(`/dossiers/${id}`, { intent: "message", body: "请问检验报告的格式要求？" }));

    const other = await createUser("ADVISOR");
    await prisma.advisorProfile.create({ data: { userId: other.id, specialties: [], capacity: 50 } });
    await walk("routes/dossiers.$dossierId._index#reassign", "dossier.advisor.reassign", () => window.post(`/dossiers/${id}`, { intent: "reassign", advisorId: other.id, reason: "工作调整" }));
    await walk("routes/dossiers.$dossierId._index#submit", "dossier.submit", async () => applicant.post(`/dossiers/${id}`, { intent: "submit", version: await v(id) }));
    await walk("routes/dossiers.$dossierId._index#accept", "dossier.accept", async () => window.post(`/dossiers/${id}`, { intent: "accept", version: await v(id) }));

    const progress = `/dossiers/${id}/progress`;
    const milestone = (intent: string, fields: Record<string, string> = {}) => async () => window.post(progress, { intent, version: await v(id), ...fields });
    await walk("routes/dossiers.$dossierId.progress#qmsStart", "dossier.qms_started", milestone("qmsStart", { note: "" }));
    await walk("routes/dossiers.$dossierId.progress#handover", "dossier.handover", milestone("handover"));
    await walk("routes/dossiers.$dossierId.progress#qmsFinish", "dossier.qms_finished", milestone("qmsFinish", { result: "pass", note: "" }));
    await walk("routes/dossiers.$dossierId.progress#requestSupplement", "dossier.requestSupplement", milestone("requestSupplement", { items: "1. 补充临床评价资料", note: "" }));
    await walk("routes/dossiers.$dossierId.progress#supplementReceived", "dossier.supplementReceived", milestone("supplementReceived", { note: "" }));
    await walk("routes/dossiers.$dossierId.progress#conclude", "dossier.conclude", milestone("conclude", { recommendation: "approve", summary: "符合要求" }));
    await walk("routes/dossiers.$dossierId.progress#decide", "dossier.approve", milestone("decide", { decision: "approve", reason: "" }));

    const company = await prisma.company.findUniqueOrThrow({ where: { id: f.applicant.companyId! } });
    const dossier = await prisma.dossier.findUniqueOrThrow({ where: { id } });
    await walk("routes/dossiers.$dossierId.certificate", "certificate.issue", async () =>
      window.post(`/dossiers/${id}/certificate`, {
        version: await v(id),
        registrantName: company.name,
        registrantAddress: "天津市东丽区华明高新区 1 号",
        manufacturingAddress: "天津市东丽区华明高新区 1 号 2 号楼",
        productName: dossier.productName,
        modelSpec: dossier.model,
        structure: dossier.structure,
        intendedUse: dossier.intendedUse,
        attachment: "产品技术要求",
        otherContent: "",
        remarks: "",
        authority: "天津市药品监督管理局",
        approvalDate: shanghaiDate(now()),
      }),
    );
    const certificate = await prisma.certificate.findFirstOrThrow({ where: { dossierId: id } });
    await walk("routes/certificates.$certificateId", "certificate.cancel", () => window.post(`/certificates/${certificate.id}`, { reason: "注册人申请注销" }));
  });

  it("the window's other endings and the applicant's withdrawal", async () => {
    const correction = await submitted();
    const window = await clientOf(correction.window.id);
    const post = (id: string, intent: string, fields: Record<string, string>) => async () => window.post(`/dossiers/${id}/progress`, { intent, version: await v(id), ...fields });
    await walk("routes/dossiers.$dossierId.progress#returnForCorrection", "dossier.returnForCorrection", post(correction.dossier.id, "returnForCorrection", { defects: "1. 说明书版本不一致", note: "" }));
    const refused = await submitted();
    await walk("routes/dossiers.$dossierId.progress#notAccept", "dossier.notAccept", post(refused.dossier.id, "notAccept", { reason: "不属于本行政区域" }));
    const ended = await submitted();
    for (const action of ["accept", "handover"] as const) {
      const expectedVersion = await dossierVersion(ended.dossier.id);
      await prisma.$transaction((tx) => transitionDossier(tx, { dossierId: ended.dossier.id, expectedVersion, action, actor: ended.window }));
    }
    await walk("routes/dossiers.$dossierId.progress#terminate", "dossier.terminate", post(ended.dossier.id, "terminate", { reason: "申请人逾期未补正" }));
    const withdrawn = await submitted();
    const applicant = await clientOf(withdrawn.applicant.id);
    await walk("routes/dossiers.$dossierId._index#withdraw", "dossier.withdraw", async () =>
      applicant.post(`/dossiers/${withdrawn.dossier.id}`, { intent: "withdraw", version: await v(withdrawn.dossier.id), reason: "产品设计变更" }),
    );
  });

  it("容缺后补: request, drop, refuse, extend, verify, terminate after a breach", async () => {
    const f = await readyDossier(["3.4"]);
    const page = `/dossiers/${f.dossier.id}/deferrals`;
    const applicant = await clientOf(f.applicant.id);
    const window = await clientOf(f.window.id);
    const itemId = f.itemByCode("3.4").id;
    await walk("routes/dossiers.$dossierId.deferrals#request", "deferral.request", async () =>
      applicant.post(page, { intent: "request", version: await v(f.dossier.id), itemId, dueDate: await dueIn(5), reason: "检验报告尚在出具中" }),
    );
    const requested = await prisma.deferral.findFirstOrThrow({ where: { dossierId: f.dossier.id } });
    await walk("routes/dossiers.$dossierId.deferrals#drop", "deferral.drop", async () => applicant.post(page, { intent: "drop", version: await v(f.dossier.id), deferralId: requested.id }));
    await requestDeferral(f.applicant, f.dossier.id, await dossierVersion(f.dossier.id), { itemId, dueDate: await dueIn(5), reason: "检验报告尚在出具中" });
    await submitDossier(f.applicant, f.dossier.id, await dossierVersion(f.dossier.id), { commitment });
    const open = await prisma.deferral.findFirstOrThrow({ where: { dossierId: f.dossier.id, state: "REQUESTED" } });
    await walk("routes/dossiers.$dossierId.deferrals#refuse", "deferral.refuse", async () =>
      window.post(page, { intent: "refuse", deferralId: open.id, dossierVersion: await v(f.dossier.id), reason: "检验报告为核心资料" }),
    );

    const g = await acceptedWithDeferral();
    const gPage = `/dossiers/${g.dossier.id}/deferrals`;
    const gWindow = await clientOf(g.window.id);
    const version = async () => String((await prisma.deferral.findUniqueOrThrow({ where: { id: g.deferral.id } })).version);
    await walk("routes/dossiers.$dossierId.deferrals#extend", "deferral.extend", async () =>
      gWindow.post(gPage, { intent: "extend", deferralId: g.deferral.id, version: await version(), dueDate: await dueIn(20), reason: "检验机构排期延后" }),
    );
    await addDocumentVersion(g.applicant, { dossierId: g.dossier.id, itemId: g.deferral.itemId }, await pdfFile());
    const advisor = await clientOf(g.advisor.id);
    await walk("routes/dossiers.$dossierId.deferrals#verify", "deferral.verify", async () => advisor.post(gPage, { intent: "verify", deferralId: g.deferral.id, version: await version() }));

    const h = await acceptedWithDeferral();
    // The sweep's outcome, written directly: advancing the sweep's clock would move every deferral of the run.
    const breached = await prisma.deferral.update({ where: { id: h.deferral.id }, data: { state: "BREACHED", version: { increment: 1 } } });
    const hWindow = await clientOf(h.window.id);
    await walk("routes/dossiers.$dossierId.deferrals#terminate", "dossier.terminate", async () =>
      hWindow.post(`/dossiers/${h.dossier.id}/deferrals`, { intent: "terminate", deferralId: h.deferral.id, version: String(breached.version), dossierVersion: await v(h.dossier.id), reason: "未按承诺补交检验报告" }),
    );
  });

  it("the window's settings, queue and deliveries", async () => {
    const staff = await createUser("WINDOW");
    const window = await clientOf(staff.id);
    await walk("routes/window.calendar#save", "calendar.save", () => window.post("/window/calendar", { date: "2099-01-01", kind: "REST", nameZh: "元旦", nameEn: "New Year's Day" }));
    await walk("routes/window.calendar#remove", "calendar.remove", () => window.post("/window/calendar?intent=remove", { date: "2099-01-01" }));

    const clock = await currentClockPolicy();
    const limits = Object.fromEntries(
      Object.entries(clock.limits).flatMap(([key, limit]) => [
        [`${key}Legal`, String(limit.legal)],
        [`${key}Target`, limit.target === undefined ? "" : String(limit.target)],
      ]),
    );
    await walk("routes/window.clock-policy", "clock.policy.save", () => window.post("/window/clock-policy", { ...limits, basis: clock.basis, yellowPercent: String(Math.round(clock.yellowAt * 100)), reason: "年度复核" }));
    const deferral = await currentDeferralPolicy();
    await walk("routes/window.policy", "policy.deferral.save", () =>
      window.post("/window/policy", {
        deferrableCodes: deferral.deferrableCodes.join(", "),
        maxDeferralWorkingDays: String(deferral.maxDeferralWorkingDays),
        reminderOffsets: deferral.reminderOffsets.join(", "),
        graceWorkingDays: String(deferral.graceWorkingDays),
        barMonths: String(deferral.barMonths),
        reason: "年度复核",
      }),
    );

    const f = await submitted();
    const advisor = await createUser("ADVISOR");
    await prisma.advisorProfile.create({ data: { userId: advisor.id, specialties: [], capacity: 50 } });
    await walk("routes/window._index", "dossier.advisor.reassign", () => window.post("/window?index", { dossierIds: f.dossier.id, advisorId: advisor.id, reason: "均衡工作量" }));
    await prisma.dossier.update({ where: { id: f.dossier.id }, data: { advisorId: null } });
    await walk("routes/window.unassigned", "dossier.advisor.reassign", () => window.post("/window/unassigned", { dossierId: f.dossier.id, advisorId: advisor.id, reason: "补充指派" }));

    const failed = await prisma.emailMessage.create({
      data: { toAddress: uniqueEmail("bounce"), template: "notification", props: {}, state: "FAILED", attempts: 5, lastError: "550 mailbox unavailable", messageId: `<${randomUUID()}@greenlane.test>` },
    });
    await walk("routes/window.deliveries", "email.retry", () => window.post("/window/deliveries", { emailId: failed.id }));
  });

  it("indicators: a recorded certificate, the four-eyes check, definitions and values", async () => {
    const [recorderRow, verifierRow] = [await createUser("WINDOW"), await createUser("WINDOW")];
    const recorder = await clientOf(recorderRow.id);
    const verifier = await clientOf(verifierRow.id);
    const member = await prisma.company.create({ data: { name: "天津审计走查器械有限公司", uscc: randomUscc() } });
    const record = (number: string) =>
      multipart(
        { number, companyId: member.id, productName: "血管内超声诊断系统", modelSpec: "IVUS-3", registrantName: "", approvalDate: "2021-08-15", validUntil: "2026-08-14", authority: "国家药品监督管理局", remarks: "" },
        { evidence: pdf("注册证.pdf") },
      );
    await walk("routes/indicators.certificates.new", "indicator.certificate.record", () => postMultipart(recorder, "/indicators/certificates/new", record("国械注准20213070001")));
    const first = await prisma.certificate.findUniqueOrThrow({ where: { number: "国械注准20213070001" } });
    await walk("routes/indicators._index#verify", "indicator.certificate.verify", () => verifier.post("/indicators?index", { intent: "verify", certificateId: first.id }));
    expect((await postMultipart(recorder, "/indicators/certificates/new", record("国械注准20213070002"))).status).toBe(302);
    const second = await prisma.certificate.findUniqueOrThrow({ where: { number: "国械注准20213070002" } });
    await walk("routes/indicators._index#reject", "indicator.certificate.reject", () => verifier.post("/indicators?index", { intent: "reject", certificateId: second.id, reason: "证书影印件不清晰" }));

    const indicator = await prisma.indicator.findFirstOrThrow({ where: { source: "MANUAL" }, orderBy: { position: "asc" } });
    const target = `/indicators/${indicator.id}`;
    await walk("routes/indicators.$indicatorId#definition", "indicator.definition.update", () =>
      recorder.post(`${target}?intent=definition`, {
        name: indicator.name,
        nameEn: indicator.nameEn ?? "",
        target: String(indicator.target),
        unit: indicator.unit,
        periodStart: shanghaiDate(indicator.periodStart),
        periodEnd: shanghaiDate(indicator.periodEnd),
        comparator: indicator.comparator,
        updatedAt: indicator.updatedAt.toISOString(),
      }),
    );
    await walk("routes/indicators.$indicatorId#value", "indicator.value.record", () =>
      postMultipart(recorder, `${target}?intent=value`, multipart({ value: "3", asOf: "2021-06-30", note: "区统计局数据" }, { evidence: pdf("统计表.pdf") })),
    );
  });

  it("user administration, the advisor's profile and notifications", async () => {
    const adminRow = await createUser("ADMIN");
    const admin = await clientOf(adminRow.id);
    const email = uniqueEmail("staff");
    await walk("routes/admin.users.new", "user.create-staff", () => admin.post("/admin/users/new", { name: "新辅导员", email, role: "ADVISOR" }));
    const staff = await prisma.user.findUniqueOrThrow({ where: { email } });
    await walk("routes/admin.users.$userId#resend-invite", "user.invite.resend", () => admin.post(`/admin/users/${staff.id}`, { intent: "resend-invite" }));
    const locked = await createUser("APPLICANT");
    await prisma.user.update({ where: { id: locked.id }, data: { failedLogins: 5, lockedUntil: new Date(Date.now() + 15 * 60_000) } });
    await walk("routes/admin.users.$userId#unlock", "user.unlock", () => admin.post(`/admin/users/${locked.id}`, { intent: "unlock" }));
    await walk("routes/admin.users.$userId#deactivate", "user.deactivate", () => admin.post(`/admin/users/${locked.id}`, { intent: "deactivate" }));
    await walk("routes/admin.users.$userId#activate", "user.activate", () => admin.post(`/admin/users/${locked.id}`, { intent: "activate" }));

    const advisorRow = await createUser("ADVISOR");
    await walk("routes/advisor.profile", "advisor.profile", async () =>
      (await clientOf(advisorRow.id)).post("/advisor/profile", { specialties: "07", capacity: "20", phone: "022-12345678", contactEmail: "" }),
    );

    const reader = await createUser("WINDOW");
    const client = await clientOf(reader.id);
    const [one] = await Promise.all(
      ["第一条", "第二条"].map((title) => prisma.notification.create({ data: { userId: reader.id, kind: "dossierMessage", params: { title }, link: "/notifications" } })),
    );
    await walk("routes/notifications#open", "notification.read", () => client.post("/notifications", { intent: "open", id: one!.id }));
    await walk("routes/notifications#read-all", "notification.read-all", () => client.post("/notifications", { intent: "read-all" }));
  });

  it("the inventory: every action and intent of every route module was walked", async () => {
    const inventory = await mutationInventory();
    expect(inventory.length).toBeGreaterThan(40);
    expect([...walked.keys()].sort(), "routes or intents that change data but were not walked (or walked keys that no longer exist)").toEqual(inventory);
  });

  it("the chain verifier finds the whole trail intact", async () => {
    const result = await verifyAuditChain();
    expect(result).toMatchObject({ ok: true });
    expect(result.checked).toBeGreaterThan(walked.size);
  });
});
