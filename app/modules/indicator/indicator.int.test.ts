import { createHash, randomUUID } from "node:crypto";
import { access } from "node:fs/promises";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "#app/.server/db.ts";
import { FieldError } from "#app/.server/errors.ts";
import { fileStore } from "#app/.server/file-store.ts";
import { Client, createUser, randomUscc, signedInClient, startTestServer } from "#scripts/test/harness.ts";
import { pdfFile, sessionUser } from "#scripts/test/dossier-fixtures.ts";
import { countedCertificates, deviceCertificateSummary } from "./count-certificates.server.ts";
import { IndicatorRuleError } from "./errors.ts";
import { DEVICE_CERTIFICATES_KEY, toDateColumn } from "./indicator-rules.ts";
import { loadIndicatorTable, recordIndicatorValue, updateIndicatorDefinition } from "./indicator-values.server.ts";
import type { TRecordCertificate } from "./indicator.schema.ts";
import { recordCertificate, rejectRecordedCertificate, verifyCertificate } from "./record-certificate.server.ts";

/*
 * 医疗器械证（含一、二、三类） and the rest of 表1 against the real database and
 * file store, then through the built app. Other test files run in parallel
 * in the same database, so counts are read for this file's own companies,
 * or compared before and after.
 */

const PLAN = { start: "2020-09-01", end: "2022-06-30" };
const CODES = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22"];
const pick = <T,>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
const serial = () => String(1 + Math.floor(Math.random() * 9999)).padStart(4, "0");

/** A valid number of the given origin no other row has. */
async function freshNumber(kind: "green" | "nmpa" | "province" | "filing", year = 2021): Promise<string> {
  for (;;) {
    const number = {
      green: () => `津械注准${year}2${pick(CODES)}${serial()}`,
      nmpa: () => `国械注准${year}3${pick(CODES)}${serial()}`,
      province: () => `苏械注准${year}2${pick(CODES)}${serial()}`,
      filing: () => `津东械备${year}${serial()}`,
    }[kind]();
    if (!(await prisma.certificate.findUnique({ where: { number } }))) return number;
  }
}

const company = (clusterMember = true) =>
  prisma.company.create({ data: { name: `指标测试企业${randomUUID().slice(0, 8)}`, uscc: randomUscc(), clusterMember } });

/** A green-channel certificate as the issuing step leaves it: VALID from the start. */
async function greenCertificate(companyId: string, recordedById: string, approvalDate: string, state: "VALID" | "CANCELLED" | "UNVERIFIED" = "VALID") {
  return prisma.certificate.create({
    data: {
      number: await freshNumber("green"),
      kind: "REGISTRATION",
      deviceClass: 2,
      source: "GREEN_CHANNEL",
      state,
      companyId,
      registrantName: "绿通测试注册人",
      registrantAddress: "天津市东丽区",
      manufacturingAddress: "天津市东丽区",
      productName: "上肢康复训练器",
      modelSpec: "GL-R100",
      structure: "主机、手柄",
      intendedUse: "康复训练",
      authority: "天津市药品监督管理局",
      approvalDate: toDateColumn(approvalDate),
      validUntil: toDateColumn("2026-05-09"),
      recordedById,
    },
  });
}

const recordInput = (companyId: string, number: string, overrides: Partial<TRecordCertificate> = {}): TRecordCertificate => ({
  number,
  companyId,
  productName: "血管内超声诊断系统",
  modelSpec: "IVUS-3",
  registrantName: "",
  approvalDate: "2021-08-15",
  validUntil: "2026-08-14",
  authority: "国家药品监督管理局",
  remarks: "",
  ...overrides,
});

const gone = async (path: string) => access(path).then(
  () => false,
  () => true,
);

const ownCount = async (companyIds: string[]) => (await countedCertificates(PLAN)).filter((c) => companyIds.includes(c.companyId)).length;

async function windowPair() {
  return [sessionUser(await createUser("WINDOW")), sessionUser(await createUser("WINDOW"))] as const;
}

describe("counting 医疗器械证（含一、二、三类）", () => {
  it("counts VALID certificates of cluster companies approved within the period, both ends included", async () => {
    const [staff] = await windowPair();
    const member = await company();
    const outsider = await company(false);
    const counted = [await greenCertificate(member.id, staff.id, "2021-05-10"), await greenCertificate(member.id, staff.id, "2020-09-01"), await greenCertificate(member.id, staff.id, "2022-06-30")];
    const notCounted = [
      await greenCertificate(outsider.id, staff.id, "2021-05-10"),
      await greenCertificate(member.id, staff.id, "2020-08-31"),
      await greenCertificate(member.id, staff.id, "2022-07-01"),
      await greenCertificate(member.id, staff.id, "2021-05-11", "CANCELLED"),
      await greenCertificate(member.id, staff.id, "2021-05-12", "UNVERIFIED"),
    ];
    const numbers = (await countedCertificates(PLAN)).map((c) => c.number);
    for (const c of counted) expect(numbers).toContain(c.number);
    for (const c of notCounted) expect(numbers).not.toContain(c.number);
    expect(await ownCount([member.id, outsider.id])).toBe(3);
    // A report window narrows it: up to 2021-06-30 only the first two.
    const upTo = (await countedCertificates(PLAN, { upTo: "2021-06-30" })).filter((c) => c.companyId === member.id);
    expect(upTo.map((c) => c.approvalDate).sort()).toEqual(["2020-09-01", "2021-05-10"]);

    const summary = await deviceCertificateSummary();
    expect(summary.certificates.filter((c) => c.companyId === member.id)).toHaveLength(3);
    expect(summary.indicator).toMatchObject({ target: 10, unit: "项", comparator: "=", period: PLAN });
    expect(summary.total).toBe(summary.certificates.length);
    expect(summary.months).toHaveLength(22);
  });
});

describe("recording certificates obtained elsewhere", () => {
  it("counts only after a second window staff member verifies it; the recorder cannot", async () => {
    const [recorder, verifier] = await windowPair();
    const member = await company();
    const evidence = await pdfFile();
    const number = await freshNumber("nmpa");
    const cert = await recordCertificate(recorder, recordInput(member.id, ` ${number.slice(0, 6)} ${number.slice(6)}号 `), evidence);
    expect(cert).toMatchObject({ number, source: "RECORDED", state: "UNVERIFIED", kind: "REGISTRATION", deviceClass: 3, registrantName: member.name, recordedById: recorder.id });
    expect(cert.evidenceSha256).toBe(evidence.sha256);
    expect(cert.evidenceMediaType).toBe("application/pdf");
    expect(await fileStore().has(evidence.sha256)).toBe(true);
    expect(await gone(evidence.tempPath)).toBe(true);
    expect(await prisma.auditEvent.count({ where: { action: "indicator.certificate.record", objectId: cert.id } })).toBe(1);
    expect(await ownCount([member.id])).toBe(0);

    await expect(verifyCertificate(recorder, cert.id)).rejects.toThrow(new IndicatorRuleError("indicator.errors.ownRecord"));
    expect(await prisma.auditEvent.count({ where: { action: "indicator.certificate.verify", objectId: cert.id, outcome: "DENIED" } })).toBe(1);
    expect(await ownCount([member.id])).toBe(0);

    const verified = await verifyCertificate(verifier, cert.id);
    expect(verified).toMatchObject({ state: "VALID", verifiedById: verifier.id });
    expect(verified.verifiedAt).toBeInstanceOf(Date);
    const rows = (await countedCertificates(PLAN)).filter((c) => c.companyId === member.id);
    expect(rows).toMatchObject([{ number, origin: "nmpa", deviceClass: 3 }]);
    await expect(verifyCertificate(verifier, cert.id)).rejects.toThrow(new IndicatorRuleError("indicator.errors.notPending"));
  });

  it("takes class and kind from the number: Class I filings (no expiry), other provinces' Class II, a Tianjin number issued elsewhere", async () => {
    const [recorder] = await windowPair();
    const member = await company();
    const filing = await recordCertificate(recorder, recordInput(member.id, await freshNumber("filing"), { validUntil: undefined, authority: "天津市东丽区市场监督管理局" }), await pdfFile());
    expect(filing).toMatchObject({ kind: "FILING", deviceClass: 1, validUntil: null });
    const province = await recordCertificate(recorder, recordInput(member.id, await freshNumber("province"), { authority: "江苏省药品监督管理局" }), await pdfFile());
    expect(province).toMatchObject({ kind: "REGISTRATION", deviceClass: 2 });
    const tianjin = await recordCertificate(recorder, recordInput(member.id, await freshNumber("green", 2020), { authority: "天津市药品监督管理局" }), await pdfFile());
    expect(tianjin).toMatchObject({ source: "RECORDED", deviceClass: 2 });
  });

  it("refuses companies outside the cluster, bad numbers and future dates, leaving no file behind", async () => {
    const [recorder] = await windowPair();
    const outsider = await company(false);
    const member = await company();
    const cases: [TRecordCertificate, string, string][] = [
      [recordInput(outsider.id, await freshNumber("nmpa")), "companyId", "indicator.errors.company"],
      [recordInput(member.id, "国械注准20212070001"), "number", "indicator.numberErrors.authority"],
      [recordInput(member.id, await freshNumber("nmpa"), { approvalDate: "2099-01-01", validUntil: "2104-01-01" }), "approvalDate", "indicator.errors.future"],
    ];
    for (const [input, field, key] of cases) {
      const file = await pdfFile();
      await expect(recordCertificate(recorder, input, file)).rejects.toThrow(new FieldError(field, key));
      expect(await gone(file.tempPath)).toBe(true);
      expect(await fileStore().has(file.sha256)).toBe(false);
      expect(await prisma.certificate.count({ where: { number: input.number } })).toBe(0);
    }
    const advisor = sessionUser(await createUser("ADVISOR"));
    const file = await pdfFile();
    await expect(recordCertificate(advisor, recordInput(member.id, await freshNumber("nmpa")), file)).rejects.toThrow(IndicatorRuleError);
    expect(await gone(file.tempPath)).toBe(true);
  });

  it("refuses the same number twice, leaving no row and no orphan file, also when both arrive at once", async () => {
    const [recorder, verifier] = await windowPair();
    const member = await company();
    const number = await freshNumber("province");
    await recordCertificate(recorder, recordInput(member.id, number), await pdfFile());

    const second = await pdfFile();
    await expect(recordCertificate(verifier, recordInput(member.id, number), second)).rejects.toThrow(new FieldError("number", "indicator.errors.numberTaken"));
    expect(await prisma.certificate.count({ where: { number } })).toBe(1);
    expect(await gone(second.tempPath)).toBe(true);
    expect(await fileStore().has(second.sha256)).toBe(false);

    // A green-channel number cannot be recorded on top.
    const green = await greenCertificate(member.id, recorder.id, "2021-03-01");
    const third = await pdfFile();
    await expect(recordCertificate(recorder, recordInput(member.id, green.number), third)).rejects.toThrow(new FieldError("number", "indicator.errors.numberTaken"));
    expect(await fileStore().has(third.sha256)).toBe(false);

    // Two at once: the unique constraint decides; the loser's file is removed from the store again.
    const racing = await freshNumber("nmpa");
    const files = [await pdfFile(), await pdfFile()];
    const results = await Promise.allSettled(files.map((f, i) => recordCertificate(i === 0 ? recorder : verifier, recordInput(member.id, racing), f)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.findIndex((r) => r.status === "rejected");
    expect((results[lost] as PromiseRejectedResult).reason).toEqual(new FieldError("number", "indicator.errors.numberTaken"));
    expect(await prisma.certificate.count({ where: { number: racing } })).toBe(1);
    for (const f of files) expect(await gone(f.tempPath)).toBe(true);
    expect(await fileStore().has(files[lost]!.sha256)).toBe(false);
    expect(await fileStore().has(files[1 - lost]!.sha256)).toBe(true);
  });

  it("keeps a shared file when a refused record carries the same content as a stored one", async () => {
    const [recorder] = await windowPair();
    const member = await company();
    const content = `%PDF-1.7\n${randomUUID()}\n%%EOF\n`;
    const first = await recordCertificate(recorder, recordInput(member.id, await freshNumber("nmpa")), await pdfFile(content));
    const copy = await pdfFile(content);
    await expect(recordCertificate(recorder, recordInput(member.id, first.number), copy)).rejects.toThrow(FieldError);
    expect(await fileStore().has(first.evidenceSha256!)).toBe(true);
  });

  it("a rejected record does not count, and the number may be recorded again correctly", async () => {
    const [recorder, verifier] = await windowPair();
    const wrong = await company();
    const right = await company();
    const number = await freshNumber("nmpa");
    const cert = await recordCertificate(recorder, recordInput(wrong.id, number), await pdfFile());
    const rejected = await rejectRecordedCertificate(verifier, cert.id, "企业选错");
    expect(rejected).toMatchObject({ state: "CANCELLED", cancelReason: "企业选错" });
    await expect(verifyCertificate(verifier, cert.id)).rejects.toThrow(new IndicatorRuleError("indicator.errors.notPending"));

    const again = await recordCertificate(recorder, recordInput(right.id, number), await pdfFile());
    expect(again).toMatchObject({ id: cert.id, companyId: right.id, state: "UNVERIFIED", cancelReason: null, cancelledAt: null });
    await verifyCertificate(verifier, again.id);
    expect(await ownCount([wrong.id])).toBe(0);
    expect(await ownCount([right.id])).toBe(1);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "indicator.certificate.record", objectId: cert.id }, orderBy: { id: "desc" } });
    expect(audit.details).toMatchObject({ replacesRejected: { companyId: wrong.id, cancelReason: "企业选错" } });
  });
});

describe("manual indicators", () => {
  async function ownIndicator() {
    return prisma.indicator.create({
      data: {
        key: `test-${randomUUID()}`,
        groupName: "测试指标",
        subgroup: "测试二级",
        name: `测试指标 ${randomUUID().slice(0, 6)}`,
        comparator: ">=",
        target: 5,
        unit: "家",
        periodStart: toDateColumn(PLAN.start),
        periodEnd: toDateColumn(PLAN.end),
        source: "MANUAL",
        position: 900,
      },
    });
  }

  it("the newest value by as-of date wins, a later correction for the same date too; the history stays", async () => {
    const [staff] = await windowPair();
    const admin = sessionUser(await createUser("ADMIN"));
    const indicator = await ownIndicator();
    await recordIndicatorValue(staff, indicator.id, { value: "3", asOf: "2021-03-31", note: "一季度" }, null);
    const evidence = await pdfFile();
    const june = await recordIndicatorValue(admin, indicator.id, { value: "6", asOf: "2021-06-30", note: "" }, evidence);
    expect(june.evidenceSha256).toBe(evidence.sha256);
    expect(await gone(evidence.tempPath)).toBe(true);
    await recordIndicatorValue(staff, indicator.id, { value: "4", asOf: "2021-05-31", note: "补录" }, null);

    const rowOf = async (upTo?: string) => (await loadIndicatorTable({ upTo })).find((r) => r.id === indicator.id)!;
    expect(await rowOf()).toMatchObject({ value: 6, asOf: "2021-06-30", valueId: june.id, hasEvidence: true, status: "met" });
    expect(await rowOf("2021-05-31")).toMatchObject({ value: 4, status: "notMet" });
    expect(await rowOf("2020-12-31")).toMatchObject({ value: null, status: "noValue" });

    await recordIndicatorValue(staff, indicator.id, { value: "5.5", asOf: "2021-06-30", note: "更正" }, null);
    expect(await rowOf()).toMatchObject({ value: 5.5, hasEvidence: false, status: "met" });
    expect(await prisma.indicatorValue.count({ where: { indicatorId: indicator.id } })).toBe(4);
    expect(await prisma.auditEvent.count({ where: { action: "indicator.value.record", objectId: june.id } })).toBe(1);
  });

  it("refuses values for the counted indicator, future dates and auditors, removing the file", async () => {
    const [staff] = await windowPair();
    const auditor = sessionUser(await createUser("AUDITOR"));
    const device = await prisma.indicator.findUniqueOrThrow({ where: { key: DEVICE_CERTIFICATES_KEY } });
    const indicator = await ownIndicator();
    const file = await pdfFile();
    await expect(recordIndicatorValue(staff, device.id, { value: "12", asOf: "2021-06-30", note: "" }, file)).rejects.toThrow(new IndicatorRuleError("indicator.errors.counted"));
    expect(await gone(file.tempPath)).toBe(true);
    expect(await fileStore().has(file.sha256)).toBe(false);
    await expect(recordIndicatorValue(staff, indicator.id, { value: "1", asOf: "2099-01-01", note: "" }, null)).rejects.toThrow(new FieldError("asOf", "indicator.errors.future"));
    await expect(recordIndicatorValue(auditor, indicator.id, { value: "1", asOf: "2021-01-01", note: "" }, null)).rejects.toThrow(new IndicatorRuleError("indicator.errors.notAllowed"));
    expect(await prisma.indicatorValue.count({ where: { indicatorId: { in: [indicator.id, device.id] } } })).toBe(0);
  });

  it("definitions change with an audit of before and after; a stale form is 'changed meanwhile'", async () => {
    const [staff] = await windowPair();
    const indicator = await ownIndicator();
    const input = { name: "测试指标（修订）", nameEn: "Test indicator", target: "8", unit: "家", periodStart: "2020-09-01", periodEnd: "2023-06-30", comparator: "=" as const, updatedAt: indicator.updatedAt.toISOString() };
    const after = await updateIndicatorDefinition(staff, indicator.id, input);
    expect(after).toMatchObject({ name: "测试指标（修订）", comparator: "=", updatedById: staff.id });
    expect(Number(after.target)).toBe(8);
    const row = await prisma.auditEvent.findFirstOrThrow({ where: { action: "indicator.definition.update", objectId: indicator.id } });
    expect(row.details).toMatchObject({ before: { target: "5", periodEnd: "2022-06-30", comparator: ">=" }, after: { target: "8", periodEnd: "2023-06-30", comparator: "=" } });
    await expect(updateIndicatorDefinition(staff, indicator.id, { ...input, target: "9" })).rejects.toThrow(new IndicatorRuleError("indicator.errors.changedMeanwhile"));
  });
});

describe("indicator pages over HTTP", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  /** The rendered markup without scripts (the catalogue and loader data travel in scripts). */
  const markup = async (response: Response) => (await response.text()).replace(/<script\b[\s\S]*?<\/script>/g, "");

  function certificateForm(fields: Record<string, string>, evidence?: { content: string; name: string; type: string }) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (evidence) form.append("evidence", new Blob([evidence.content], { type: evidence.type }), evidence.name);
    else form.append("evidence", new Blob([]), "");
    return form;
  }
  const post = (client: Client, path: string, body: FormData) => client.request(path, { method: "POST", body });

  it("dashboard, recording through the form with its refusals, the four-eyes check, evidence download", async () => {
    const recorderRow = await createUser("WINDOW");
    const verifierRow = await createUser("WINDOW");
    const recorder = await signedInClient(server.baseUrl, recorderRow.id);
    const verifier = await signedInClient(server.baseUrl, verifierRow.id);
    const member = await company();
    const green = await greenCertificate(member.id, verifierRow.id, "2021-04-20");

    const before = (await deviceCertificateSummary()).total;
    const page = await recorder.get("/indicators");
    const after = (await deviceCertificateSummary()).total;
    expect(page.status).toBe(200);
    const html = await markup(page);
    expect([before, after].some((n) => html.includes(`${n} / 10 项`))).toBe(true);
    expect(html).toContain(green.number);
    expect(html).toContain(`href="/certificates/${green.id}"`);
    expect(html).toContain("医疗器械证（含一、二、三类）");
    expect(html).toContain("专利申请量（发明占30%以上）");
    expect(html).toContain("≥100");

    const form = await recorder.get("/indicators/certificates/new");
    expect(form.status).toBe(200);
    expect(await markup(form)).toContain(member.name);

    const number = await freshNumber("province");
    const fields = { number, companyId: member.id, productName: "一次性使用输液器（表单）", modelSpec: "A型", registrantName: "", approvalDate: "2021-08-15", validUntil: "2026-08-14", authority: "江苏省药品监督管理局", remarks: "" };
    const pdf = { content: `%PDF-1.7\n${randomUUID()}\n%%EOF\n`, name: "注册证.pdf", type: "application/pdf" };

    // No evidence: refused with every field kept and the file asked for again.
    const missing = await post(recorder, "/indicators/certificates/new", certificateForm(fields));
    expect(missing.status).toBe(400);
    const missingHtml = await markup(missing);
    expect(missingHtml).toContain("请选择佐证材料");
    expect(missingHtml).toContain("一次性使用输液器（表单）");
    expect(missingHtml).toContain("浏览器不会保留已选择的文件");

    // HTML posing as a PDF: refused by content.
    const html415 = await post(recorder, "/indicators/certificates/new", certificateForm(fields, { content: "<html><body>x</body></html>", name: "注册证.pdf", type: "application/pdf" }));
    expect(html415.status).toBe(415);
    expect(await markup(html415)).toContain("一次性使用输液器（表单）");

    // A number NMPA would not issue (a domestic Class II under 国); a registration without its expiry: field errors, values kept.
    const bad = await post(recorder, "/indicators/certificates/new", certificateForm({ ...fields, number: "国械注准20212070001" }, pdf));
    expect(bad.status).toBe(400);
    const badHtml = await markup(bad);
    expect(badHtml).toContain("审批部门与类别不符");
    expect(badHtml).toContain('value="国械注准20212070001"');
    const noExpiry = await post(recorder, "/indicators/certificates/new", certificateForm({ ...fields, validUntil: "" }, pdf));
    expect(noExpiry.status).toBe(400);
    expect(await markup(noExpiry)).toContain("注册证须填写有效期至");
    expect(await prisma.certificate.count({ where: { number } })).toBe(0);

    const recorded = await post(recorder, "/indicators/certificates/new", certificateForm(fields, pdf));
    expect(recorded.status).toBe(302);
    expect(recorded.headers.get("location")).toBe("/indicators?done=recorded#pending");
    const cert = await prisma.certificate.findUniqueOrThrow({ where: { number } });
    expect(cert).toMatchObject({ state: "UNVERIFIED", source: "RECORDED", recordedById: recorderRow.id, evidenceName: "注册证.pdf" });

    // The same number again: refused on the field, nothing written, the new file not kept.
    const dupPdf = { ...pdf, content: `%PDF-1.7\n${randomUUID()}\n%%EOF\n` };
    const dup = await post(verifier, "/indicators/certificates/new", certificateForm(fields, dupPdf));
    expect(dup.status).toBe(400);
    expect(await markup(dup)).toContain("该编号已录入或已由绿色通道发证");
    expect(await prisma.certificate.count({ where: { number } })).toBe(1);
    expect(await fileStore().has(createHash("sha256").update(dupPdf.content).digest("hex"))).toBe(false);

    // The recorder sees it as their own, without a verify button; their post is refused.
    const own = await markup(await recorder.get("/indicators"));
    const ownRow = new RegExp(`data-certificate="${number}"[\\s\\S]*?</tr>`).exec(own)![0];
    expect(ownRow).toContain("由您录入");
    expect(ownRow).not.toContain('value="verify"');
    const refused = await recorder.post("/indicators?index", { intent: "verify", certificateId: cert.id });
    expect(refused.status).toBe(409);
    expect(await markup(refused)).toContain("录入人不能核验自己录入的证书");
    expect((await prisma.certificate.findUniqueOrThrow({ where: { id: cert.id } })).state).toBe("UNVERIFIED");

    // The second window staff member verifies it: it counts.
    const theirs = await markup(await verifier.get("/indicators"));
    expect(new RegExp(`data-certificate="${number}"[\\s\\S]*?</tr>`).exec(theirs)![0]).toContain('value="verify"');
    const ok = await verifier.post("/indicators?index", { intent: "verify", certificateId: cert.id });
    expect(ok.status).toBe(302);
    expect((await prisma.certificate.findUniqueOrThrow({ where: { id: cert.id } })).state).toBe("VALID");
    expect(await markup(await verifier.get("/indicators"))).toContain(`data-certificate="${number}"`);

    // Its evidence downloads under its Chinese name, as an attachment, not sniffed.
    const download = await verifier.get(`/indicators/evidence/certificate/${cert.id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(download.headers.get("content-disposition")).toContain(`filename*=UTF-8''${encodeURIComponent("注册证.pdf")}`);
    expect(download.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await download.text()).toBe(pdf.content);
    expect((await verifier.get(`/indicators/evidence/certificate/${randomUUID()}`)).status).toBe(404);
    expect((await verifier.get(`/indicators/evidence/dossier/${cert.id}`)).status).toBe(404);
  });

  it("indicator page: values with evidence, the definition, read-only for auditors", async () => {
    const staffRow = await createUser("WINDOW");
    const staff = await signedInClient(server.baseUrl, staffRow.id);
    const auditor = await signedInClient(server.baseUrl, (await createUser("AUDITOR")).id);
    const indicator = await prisma.indicator.create({
      data: { key: `test-${randomUUID()}`, groupName: "测试指标", subgroup: "测试二级", name: `测试页面指标 ${randomUUID().slice(0, 6)}`, target: 2, unit: "家", periodStart: toDateColumn(PLAN.start), periodEnd: toDateColumn(PLAN.end), source: "MANUAL", position: 901 },
    });
    const path = `/indicators/${indicator.id}`;
    expect((await staff.get(path)).status).toBe(200);

    const valueForm = new FormData();
    valueForm.append("intent", "value");
    valueForm.append("value", "abc");
    valueForm.append("asOf", "2021-06-30");
    valueForm.append("note", "区统计局数据（甲）");
    valueForm.append("evidence", new Blob([]), "");
    const badValue = await staff.request(`${path}?intent=value`, { method: "POST", body: valueForm });
    expect(badValue.status).toBe(400);
    expect(await markup(badValue)).toContain("区统计局数据（甲）");

    valueForm.set("value", "3");
    valueForm.set("evidence", new Blob(["%PDF-1.7\nvalue evidence\n"], { type: "application/pdf" }), "统计表.pdf");
    const saved = await staff.request(`${path}?intent=value`, { method: "POST", body: valueForm });
    expect(saved.status).toBe(302);
    const value = await prisma.indicatorValue.findFirstOrThrow({ where: { indicatorId: indicator.id } });
    expect(value).toMatchObject({ asOf: toDateColumn("2021-06-30"), note: "区统计局数据（甲）", evidenceName: "统计表.pdf", enteredById: staffRow.id });
    const pageHtml = await markup(await auditor.get(path));
    expect(pageHtml).toContain("统计表.pdf");
    expect(pageHtml).not.toContain('name="value"');
    const download = await auditor.get(`/indicators/evidence/value/${value.id}`);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe("%PDF-1.7\nvalue evidence\n");

    const definition = { intent: "definition", name: indicator.name, nameEn: "", target: "4", unit: "家", periodStart: "2020-09-01", periodEnd: "2022-06-30", comparator: ">=", updatedAt: indicator.updatedAt.toISOString() };
    const badDefinition = await staff.post(`${path}?intent=definition`, { ...definition, periodEnd: "2020-01-01" });
    expect(badDefinition.status).toBe(400);
    expect(await markup(badDefinition)).toContain("结束日不能早于开始日");
    expect((await staff.post(`${path}?intent=definition`, definition)).status).toBe(302);
    expect(Number((await prisma.indicator.findUniqueOrThrow({ where: { id: indicator.id } })).target)).toBe(4);
    expect((await auditor.post(`${path}?intent=definition`, definition)).status).toBe(403);
    expect((await staff.post(`${path}?intent=other`, definition)).status).toBe(400);
    expect((await staff.get(`/indicators/${randomUUID()}`)).status).toBe(404);
    expect((await staff.get("/indicators/not-an-id")).status).toBe(404);
    // The counted indicator's page offers no value form.
    const device = await prisma.indicator.findUniqueOrThrow({ where: { key: DEVICE_CERTIFICATES_KEY } });
    expect(await markup(await staff.get(`/indicators/${device.id}`))).not.toContain('name="value"');
  });

  it("the public page shows figures only: no company names, numbers or people", async () => {
    const staffRow = await createUser("WINDOW");
    const member = await company();
    const green = await greenCertificate(member.id, staffRow.id, "2021-02-02");
    const anonymous = new Client(server.baseUrl);
    const res = await anonymous.get("/district/indicators");
    expect(res.status).toBe(200);
    const full = await res.text();
    expect(full).toContain("医疗器械证（含一、二、三类）");
    expect(full).toMatch(/\d+ \/ 10 项/);
    expect(full).toContain("第二类");
    expect(full).not.toContain(member.name);
    expect(full).not.toContain(green.number);
    expect(full).not.toContain(green.id);
    expect(full).not.toContain(staffRow.name);
    expect(full).not.toContain("/indicators/evidence/");
  });

  it("the quarterly report downloads as XLSX with the 表1, the counted and the added certificates; bad quarters are 400", async () => {
    const staffRow = await createUser("WINDOW");
    const auditorRow = await createUser("AUDITOR");
    const auditor = await signedInClient(server.baseUrl, auditorRow.id);
    const member = await company();
    const inQ2 = await greenCertificate(member.id, staffRow.id, "2021-05-10");
    const inQ3 = await greenCertificate(member.id, staffRow.id, "2021-09-30");
    const inQ4 = await greenCertificate(member.id, staffRow.id, "2021-10-01");

    const res = await auditor.get("/indicators/report?quarter=2021-Q3");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("content-disposition")).toContain(`filename*=UTF-8''${encodeURIComponent("表1量化指标季度报告-2021-Q3.xlsx")}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["表1", "累计医疗器械证", "本季度新增"]);
    const cells = (name: string) => {
      const values: string[] = [];
      workbook.getWorksheet(name)!.eachRow((row) => row.eachCell((cell) => values.push(String(cell.value))));
      return values;
    };
    const table = cells("表1");
    expect(table).toContain("医疗器械证（含一、二、三类）");
    expect(table).toContain("≥100");
    expect(table.some((v) => v.includes("2021-Q3"))).toBe(true);
    const counted = cells("累计医疗器械证");
    expect(counted).toEqual(expect.arrayContaining([inQ2.number, inQ3.number, member.name]));
    expect(counted).not.toContain(inQ4.number);
    const added = cells("本季度新增");
    expect(added).toContain(inQ3.number);
    expect(added).not.toContain(inQ2.number);
    expect(added).not.toContain(inQ4.number);
    expect(await prisma.auditEvent.count({ where: { action: "indicator.report", actorId: auditorRow.id, objectId: "2021-Q3" } })).toBe(1);

    for (const q of ["2021-Q5", "2021Q3", "x", "2021-Q3&sort=1"]) expect((await auditor.get(`/indicators/report?quarter=${q}`)).status).toBe(400);
    expect((await auditor.get("/indicators/report?other=1")).status).toBe(400);
    expect((await auditor.get("/indicators/report")).status).toBe(200);
  });

  it("company users get 403 everywhere", async () => {
    const applicant = await signedInClient(server.baseUrl, (await createUser("APPLICANT")).id);
    for (const path of ["/indicators", "/indicators/report?quarter=2021-Q3", "/indicators/certificates/new", `/indicators/evidence/value/${randomUUID()}`, `/indicators/${randomUUID()}`]) {
      expect((await applicant.get(path)).status).toBe(403);
    }
    const form = new FormData();
    form.append("number", "国械注准20213070001");
    expect((await applicant.request("/indicators/certificates/new", { method: "POST", body: form })).status).toBe(403);
  });
});
