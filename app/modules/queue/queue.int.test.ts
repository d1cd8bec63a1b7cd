import { randomUUID } from "node:crypto";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { now } from "#app/.server/clock.ts";
import { prisma, type DossierStatus, type Prisma } from "#app/.server/db.ts";
import { loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { addWorkingDays, shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { toDateColumn } from "#app/modules/deferral/deferral-rules.ts";
import { nextDossierNumber } from "#app/modules/dossier/dossier-number.server.ts";
import { submitDossier } from "#app/modules/dossier/submit-dossier.server.ts";
import { Client, createUser, signedInClient, startTestServer } from "#scripts/test/harness.ts";
import { approvedDossier, readyDossier } from "#scripts/test/dossier-fixtures.ts";
import { loadQueueDashboard } from "./queue-dashboard.server.ts";
import { clockReader, queuePage, toQueueRow } from "./queue-query.server.ts";
import { parseQueueQuery, type TQueueQuery } from "./queue.schema.ts";

/*
 * The window queue against the real database: filters, colours from stored
 * clocks (set by real transitions, or written directly where a day must lie in
 * the past), search, sort, keyset pages; over HTTP: the page, its refusals,
 * the export (CSV and XLSX read back) and the bulk reassignment.
 * Other test files share the database: every assertion is narrowed to this
 * file's own uniquely named companies.
 */

const today = () => shanghaiDate(now());
const day = (offset: number) => shanghaiDate(new Date(now().getTime() + offset * 86_400_000));

function query(qs: string): TQueueQuery {
  const parsed = parseQueueQuery(new URLSearchParams(qs));
  if (!parsed.ok) throw new Error(`${qs}: ${parsed.problems.join("; ")}`);
  return parsed.value;
}

/** A company of its own (unique name: assertions filter on it) with one applicant. */
async function company(tag: string) {
  const applicant = await createUser("APPLICANT");
  const name = `队列测试${tag}${randomUUID().slice(0, 8)}有限公司`;
  await prisma.company.update({ where: { id: applicant.companyId! }, data: { name } });
  return { id: applicant.companyId!, name, applicantId: applicant.id };
}

/** Dossier rows written directly (no checklist): what the queue reads, with a real reference number. */
async function insertDossiers(c: { id: string; applicantId: string }, rows: Partial<Prisma.DossierUncheckedCreateInput>[]) {
  const created: { id: string; number: string }[] = [];
  for (const row of rows) {
    const d = await prisma.$transaction(async (tx) =>
      tx.dossier.create({
        data: {
          number: await nextDossierNumber(tx),
          companyId: c.id,
          createdById: c.applicantId,
          productName: "队列测试产品",
          model: "Q-1",
          structure: "主机",
          intendedUse: "测试",
          registrationType: "FIRST",
          productKind: "DEVICE",
          catalogueCode: "07",
          greenBasis: "测试",
          greenGrounds: [],
          tocVersion: "test",
          status: "IN_REVIEW" as DossierStatus,
          submittedAt: now(),
          ...runningClock(10),
          ...row,
        },
        select: { id: true, number: true },
      }),
    );
    created.push(d);
  }
  return created;
}

/** A running review clock due `dueIn` days from today, green (yellow and red days still ahead). */
function runningClock(dueIn: number) {
  return {
    stage: "review",
    stageRound: 1,
    stageLimitKey: "review",
    stageStartedAt: now(),
    stageLimit: 60,
    clockPaused: false,
    clockElapsed: 10,
    clockDueOn: toDateColumn(day(dueIn)),
    clockYellowOn: toDateColumn(day(dueIn - 5)),
    clockRedOn: toDateColumn(day(dueIn + 1)),
    clockPausedColour: null,
  };
}

const NO_CLOCK = {
  stage: null,
  stageRound: null,
  stageLimitKey: null,
  stageStartedAt: null,
  stageLimit: null,
  clockPaused: false,
  clockElapsed: null,
  clockDueOn: null,
  clockYellowOn: null,
  clockRedOn: null,
  clockPausedColour: null,
};

async function numbers(qs: string, limit = 50) {
  return (await queuePage(query(qs), today(), limit)).rows.map((r) => r.number);
}

describe("queue query (module)", () => {
  it("colours from clocks set by real transitions and by stored dates; stage and colour filters", async () => {
    // 准予注册 through the transition function: the 发证 clock runs and is green.
    const approved = await approvedDossier();
    const approvedCompany = (await prisma.company.findUniqueOrThrow({ where: { id: approved.applicant.companyId! } })).name;
    const green = query(`company=${encodeURIComponent(approvedCompany)}&colour=green&stage=issuance`);
    expect((await queuePage(green, today())).rows.map((r) => r.id)).toEqual([approved.dossier.id]);
    expect((await queuePage(query(`company=${encodeURIComponent(approvedCompany)}&stage=review`), today())).rows).toEqual([]);

    // A submitted dossier (受理 clock) whose red day is written into the past: red in SQL and on screen.
    const submitted = await readyDossier([]);
    await submitDossier(submitted.applicant, submitted.dossier.id, submitted.dossier.version);
    const fresh = await prisma.dossier.findUniqueOrThrow({ where: { id: submitted.dossier.id } });
    expect(fresh.stage).toBe("acceptance");
    // Due two working days ago: red since the working day after, whatever weekday the test runs on.
    const calendar = await loadHolidayCalendar();
    const due = addWorkingDays(calendar, today(), -2);
    await prisma.dossier.update({
      where: { id: fresh.id },
      data: { clockYellowOn: toDateColumn(addWorkingDays(calendar, due, -1)), clockDueOn: toDateColumn(due), clockRedOn: toDateColumn(addWorkingDays(calendar, due, 1)) },
    });
    const submittedCompany = (await prisma.company.findUniqueOrThrow({ where: { id: submitted.applicant.companyId! } })).name;
    const red = await queuePage(query(`company=${encodeURIComponent(submittedCompany)}&colour=red`), today());
    expect(red.rows.map((r) => r.id)).toEqual([fresh.id]);
    const reading = toQueueRow(clockReader(calendar, today()), red.rows[0]!).clock!;
    expect(reading).toMatchObject({ stage: "acceptance", colour: "red", paused: false, limit: 5 });
    expect(reading.remaining).toBeLessThan(0);
    expect((await queuePage(query(`company=${encodeURIComponent(submittedCompany)}&colour=green`), today())).rows).toEqual([]);

    // Yellow by dates, stopped (发补) at yellow, stopped at red: colour words match the SQL filter.
    const c = await company("色");
    const [yellow, pausedYellow, pausedRed] = await insertDossiers(c, [
      { ...runningClock(3), clockYellowOn: toDateColumn(day(-1)), clockRedOn: toDateColumn(day(4)) },
      { ...runningClock(30), status: "SUPPLEMENT_REQUESTED", clockPaused: true, clockYellowOn: null, clockRedOn: null, clockPausedColour: "yellow", clockElapsed: 50 },
      { ...runningClock(30), status: "SUPPLEMENT_REQUESTED", clockPaused: true, clockYellowOn: null, clockRedOn: null, clockPausedColour: "red", clockElapsed: 61 },
    ]);
    const byColour = async (colour: string) => (await queuePage(query(`company=${encodeURIComponent(c.name)}&colour=${colour}&sort=number`), today())).rows;
    expect((await byColour("yellow")).map((r) => r.id)).toEqual([yellow!.id, pausedYellow!.id]);
    expect((await byColour("red")).map((r) => r.id)).toEqual([pausedRed!.id]);
    expect(await byColour("green")).toEqual([]);
    const pausedReading = toQueueRow(clockReader(calendar, today()), (await byColour("red"))[0]!).clock!;
    expect(pausedReading).toMatchObject({ colour: "red", paused: true, elapsed: 61 });

    // The dashboard counts them (read afresh, not from the 15 s cache).
    const dashboard = await loadQueueDashboard(today(), addWorkingDays(calendar, today(), 5), 0);
    expect(dashboard.stages.issuance).toBeGreaterThanOrEqual(1);
    expect(dashboard.colours.red).toBeGreaterThanOrEqual(2);
    expect(dashboard.colours.yellow).toBeGreaterThanOrEqual(2);
  });

  it("scopes: open (a clock runs or correcting), ended, all; drafts never", async () => {
    const c = await company("范围");
    const [review, correcting, approved, draft] = await insertDossiers(c, [
      {},
      { status: "CORRECTION_REQUESTED", ...NO_CLOCK },
      { status: "APPROVED", ...NO_CLOCK },
      { status: "DRAFT", ...NO_CLOCK, submittedAt: null },
    ]);
    const of = async (scope: string) => new Set(await numbers(`company=${encodeURIComponent(c.name)}&scope=${scope}`));
    expect(await of("open")).toEqual(new Set([review!.number, correcting!.number]));
    expect(await of("ended")).toEqual(new Set([approved!.number]));
    expect(await of("all")).toEqual(new Set([review!.number, correcting!.number, approved!.number]));
    expect((await of("all")).has(draft!.number)).toBe(false);
  });

  it("search (number, company, product; case-insensitive, % taken literally), advisor, code, dates, overdue", async () => {
    const c = await company("搜");
    const advisor = await createUser("ADVISOR");
    const [a, b, d] = await insertDossiers(c, [
      { productName: "Ultra超声骨密度仪", catalogueCode: "06", advisorId: advisor.id, submittedAt: new Date(`${day(-40)}T01:00:00Z`) },
      { productName: "医用50%冷敷贴", overdueDeferrals: 1, nextDeferralDue: toDateColumn(day(-3)), submittedAt: new Date(`${day(-10)}T01:00:00Z`) },
      { productName: "电子血压计", submittedAt: new Date(`${day(-1)}T01:00:00Z`) },
    ]);
    const scoped = (qs: string) => numbers(`company=${encodeURIComponent(c.name)}&sort=number&${qs}`);
    expect(await scoped(`q=${a!.number.toLowerCase()}`)).toEqual([a!.number]);
    expect(await scoped("q=ultra")).toEqual([a!.number]);
    expect(await scoped("q=50%25")).toEqual([b!.number]);
    expect(await scoped("q=5_")).toEqual([]);
    expect(await numbers(`q=${encodeURIComponent(c.name.slice(0, 12))}&sort=number`)).toEqual([a!.number, b!.number, d!.number]);
    expect(await scoped(`advisor=${advisor.id}`)).toEqual([a!.number]);
    expect(await scoped("advisor=none")).toEqual([b!.number, d!.number]);
    expect(await scoped("code=06")).toEqual([a!.number]);
    expect(await scoped("overdue=1")).toEqual([b!.number]);
    expect(await scoped(`from=${day(-11)}&to=${day(-2)}`)).toEqual([b!.number]);
    expect(await scoped(`from=${day(-1)}`)).toEqual([d!.number]);
  });

  it("sorts both ways on every column, and keyset pages neither repeat nor skip rows, forwards and back", async () => {
    const c = await company("页");
    const rows = await insertDossiers(
      c,
      Array.from({ length: 23 }, (_, i) => ({
        ...runningClock(5 + (i % 6)),
        openGapCount: i % 4,
        productName: `产品${String.fromCharCode(65 + (i % 5))}`,
        registrationType: (["FIRST", "CHANGE", "RENEWAL"] as const)[i % 3],
        lastActivityAt: new Date(now().getTime() - (i % 7) * 3_600_000),
      })),
    );
    const all = rows.map((r) => r.number).sort();
    const filter = `company=${encodeURIComponent(c.name)}`;
    expect(await numbers(`${filter}&sort=number`)).toEqual(all);
    expect(await numbers(`${filter}&sort=number&dir=desc`)).toEqual([...all].reverse());

    for (const sort of ["due", "number", "company", "product", "code", "type", "stage", "advisor", "gaps", "deferral", "activity"]) {
      for (const dir of ["asc", "desc"]) {
        const base = query(`${filter}&sort=${sort}&dir=${dir}`);
        const whole = (await queuePage(base, today(), 100)).rows.map((r) => r.id);
        expect(whole).toHaveLength(rows.length);
        // Forwards by 5: the same rows in the same order, each once.
        const forwards: string[] = [];
        let page = await queuePage(base, today(), 5);
        const pages = [page];
        forwards.push(...page.rows.map((r) => r.id));
        while (page.next) {
          page = await queuePage(query(`${filter}&sort=${sort}&dir=${dir}&after=${page.next}`), today(), 5);
          pages.push(page);
          forwards.push(...page.rows.map((r) => r.id));
        }
        expect(forwards, `${sort} ${dir}`).toEqual(whole);
        expect(pages).toHaveLength(5);
        expect(pages[0]!.previous).toBeNull();
        // Backwards from the last page: the pages again, the first one without a previous link.
        const backwards: string[][] = [page.rows.map((r) => r.id)];
        while (page.previous) {
          page = await queuePage(query(`${filter}&sort=${sort}&dir=${dir}&before=${page.previous}`), today(), 5);
          backwards.unshift(page.rows.map((r) => r.id));
        }
        expect(backwards.flat(), `${sort} ${dir} backwards`).toEqual(whole);
        expect(page.previous).toBeNull();
      }
    }
    // The order follows the column: gaps descending, ties by id.
    const byGaps = (await queuePage(query(`${filter}&sort=gaps`), today(), 100)).rows.map((r) => r.openGaps);
    expect(byGaps).toEqual([...byGaps].sort((x, y) => y - x));
  });
});

describe("queue over HTTP", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let window: Client;
  beforeAll(async () => {
    server = await startTestServer();
    window = await signedInClient(server.baseUrl, (await createUser("WINDOW")).id);
  });
  afterAll(() => server?.close());

  /** The rendered markup without scripts (the loader data travels in scripts too). */
  const markup = async (response: Response) => (await response.text()).replace(/<script\b[\s\S]*?<\/script>/g, "");
  const rowNumbers = (html: string) => [...html.matchAll(/data-dossier="(GL-\d{4}-\d{6})"/g)].map((m) => m[1]!);
  const link = (html: string, rel: string) => {
    const href = new RegExp(`<a[^>]*href="([^"]+)"[^>]*rel="${rel}"|<a[^>]*rel="${rel}"[^>]*href="([^"]+)"`).exec(html);
    return href ? (href[1] ?? href[2])!.replaceAll("&amp;", "&") : null;
  };

  it("shows the page with its dashboard, sorts, pages of 50 by keyset and refuses bad parameters", async () => {
    const c = await company("网");
    const rows = await insertDossiers(c, Array.from({ length: 60 }, (_, i) => ({ ...runningClock(3 + (i % 9)), openGapCount: i % 3 })));
    const all = rows.map((r) => r.number).sort();
    const first = await window.get(`/window?company=${encodeURIComponent(c.name)}&sort=number`);
    expect(first.status).toBe(200);
    const html = await markup(first);
    expect(html).toContain('data-testid="queue-dashboard"');
    expect(html).toContain("办件队列");
    expect(html).toMatch(/<caption>办件列表：办理中，按编号升序排列<\/caption>/);
    expect(html).toMatch(/<th scope="col" aria-sort="ascending"><a[^>]*data-sort="number"/);
    expect(html).toContain("正常");
    expect(html).toContain("已用");
    const page1 = rowNumbers(html);
    expect(page1).toEqual(all.slice(0, 50));
    const next = link(html, "next");
    expect(next).toMatch(/after=/);
    expect(link(html, "prev")).toBeNull();
    const second = await markup(await window.get(next!));
    const page2 = rowNumbers(second);
    expect(page2).toEqual(all.slice(50));
    expect(link(second, "next")).toBeNull();
    const back = await markup(await window.get(link(second, "prev")!));
    expect(rowNumbers(back)).toEqual(page1);

    // Descending: the header says so, the rows are reversed.
    const desc = await markup(await window.get(`/window?company=${encodeURIComponent(c.name)}&sort=number&dir=desc`));
    expect(desc).toMatch(/aria-sort="descending"/);
    expect(rowNumbers(desc)).toEqual([...all].reverse().slice(0, 50));

    // The data URL answers the same; bad parameters are a 400 on both.
    expect((await window.get(`/window.data?company=${encodeURIComponent(c.name)}`)).status).toBe(200);
    for (const bad of ["sort=x;drop%20table%20dossier", "colour=blue", "stage=review&stage=handover", "page=2", "after=bogus", `sort=company&${new URL(next!, server.baseUrl).search.slice(1)}`]) {
      expect((await window.get(`/window?${bad}`)).status, bad).toBe(400);
      expect((await window.get(`/window.data?${bad}`)).status, bad).toBe(400);
    }
  });

  it("is the window's only: applicants and advisors are refused, anonymous users sent to sign in", async () => {
    const applicant = await signedInClient(server.baseUrl, (await createUser("APPLICANT")).id);
    const advisor = await signedInClient(server.baseUrl, (await createUser("ADVISOR")).id);
    for (const client of [applicant, advisor]) {
      expect((await client.get("/window")).status).toBe(403);
      expect((await client.get("/window.data")).status).toBe(403);
      expect((await client.get("/window/queue-export?format=csv")).status).toBe(403);
      expect((await client.request("/window?index", { method: "POST", body: new URLSearchParams({ advisorId: randomUUID(), reason: "x" }) })).status).toBe(403);
    }
    const anonymous = await new Client(server.baseUrl).get("/window/queue-export?format=csv");
    expect(anonymous.status).toBe(302);
  });

  it("exports the whole filtered list as CSV (UTF-8 with BOM) and XLSX, audited", async () => {
    const c = await company("导");
    const rows = await insertDossiers(c, Array.from({ length: 55 }, (_, i) => ({ productName: i === 0 ? "=HYPERLINK(1)" : `导出产品${i}` })));
    const all = rows.map((r) => r.number).sort();
    const filters = `company=${encodeURIComponent(c.name)}&sort=number`;

    const csv = await window.get(`/window/queue-export?format=csv&${filters}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toContain(`filename*=UTF-8''${encodeURIComponent("办件队列")}-${today()}.csv`);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^编号,企业,产品名称,分类编码,注册类型,状态,阶段,辅导专员,计时状态,/);
    expect(lines).toHaveLength(1 + 55);
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(all);
    expect(lines[1]).toContain(`${c.name},'=HYPERLINK(1)`);
    expect(lines[1]).toContain("技术审评中,技术审评");
    const csvAudit = await prisma.auditEvent.findFirst({ where: { action: "queue.export", details: { path: ["filters", "company"], equals: c.name } }, orderBy: { id: "desc" } });
    expect(csvAudit?.details).toMatchObject({ format: "csv", rows: 55, completed: true, filters: { company: c.name, sort: "number", scope: "open" } });

    const xlsx = await window.get(`/window/queue-export?format=xlsx&${filters}&dir=desc`, { "Accept-Language": "en" });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    // The window user's saved language (zh-CN) wins over the browser's.
    expect(values(1).slice(0, 3)).toEqual(["编号", "企业", "产品名称"]);
    expect(sheet.rowCount).toBe(1 + 55);
    expect(Array.from({ length: 55 }, (_, i) => values(i + 2)[0])).toEqual([...all].reverse());
    expect(values(2)[5]).toBe("技术审评中");
    expect(typeof values(2)[9]).toBe("number");
    const xlsxAudit = await prisma.auditEvent.findFirst({
      where: { action: "queue.export", AND: [{ details: { path: ["format"], equals: "xlsx" } }, { details: { path: ["filters", "company"], equals: c.name } }] },
      orderBy: { id: "desc" },
    });
    expect(xlsxAudit?.details).toMatchObject({ rows: 55, completed: true, filters: { dir: "desc" } });

    expect((await window.get(`/window/queue-export?${filters}`)).status).toBe(400);
    expect((await window.get(`/window/queue-export?format=pdf&${filters}`)).status).toBe(400);
  });

  it("reassigns ticked dossiers one by one: the ended one is refused by number, the rest move and are audited", async () => {
    const c = await company("派");
    const oldAdvisor = await createUser("ADVISOR");
    const newAdvisor = await createUser("ADVISOR");
    await prisma.advisorProfile.create({ data: { userId: newAdvisor.id, specialties: ["07"], capacity: 50 } });
    const [open1, open2, ended] = await insertDossiers(c, [
      { advisorId: oldAdvisor.id },
      { status: "CORRECTION_REQUESTED", ...NO_CLOCK, advisorId: null },
      { status: "APPROVED", ...NO_CLOCK, advisorId: oldAdvisor.id },
    ]);
    const post = (form: [string, string][]) =>
      window.request(`/window?index&company=${encodeURIComponent(c.name)}`, { method: "POST", body: new URLSearchParams(form) });

    // Refused form: 400, errors next to the fields, the input kept.
    const refused = await post([
      ["dossierIds", open1!.id],
      ["advisorId", newAdvisor.id],
      ["reason", ""],
    ]);
    expect(refused.status).toBe(400);
    const refusedHtml = await markup(refused);
    expect(refusedHtml).toContain("此项为必填项");
    expect(refusedHtml).toMatch(new RegExp(`id="pick-${open1!.id}"[^>]*checked`));
    expect(refusedHtml).toMatch(new RegExp(`<option value="${newAdvisor.id}" selected`));
    const none = await post([
      ["advisorId", newAdvisor.id],
      ["reason", "调整"],
    ]);
    expect(none.status).toBe(400);
    expect(await markup(none)).toContain("请至少勾选一件申请");

    const done = await post([
      ["dossierIds", open1!.id],
      ["dossierIds", open2!.id],
      ["dossierIds", ended!.id],
      ["advisorId", newAdvisor.id],
      ["reason", "工作量调整"],
    ]);
    expect(done.status).toBe(200);
    const html = await markup(done);
    expect(html).toContain("已将 2 件申请重新分配。");
    expect(html).toContain(`data-failed="${ended!.number}"`);
    expect(html).toContain(`${ended!.number}：申请已办结，不能重新分配`);
    const after = await prisma.dossier.findMany({ where: { id: { in: [open1!.id, open2!.id, ended!.id] } }, select: { id: true, advisorId: true, advisorName: true } });
    const advisorOf = new Map(after.map((d) => [d.id, d]));
    expect(advisorOf.get(open1!.id)?.advisorId).toBe(newAdvisor.id);
    expect(advisorOf.get(open2!.id)?.advisorName).toBe(newAdvisor.name);
    expect(advisorOf.get(ended!.id)?.advisorId).toBe(oldAdvisor.id);
    const audits = await prisma.auditEvent.findMany({ where: { action: "dossier.advisor.reassign", objectId: { in: [open1!.id, open2!.id, ended!.id] } } });
    expect(audits.map((a) => a.objectId).sort()).toEqual([open1!.id, open2!.id].sort());
    expect(audits[0]!.details).toMatchObject({ to: newAdvisor.id, reason: "工作量调整" });
    const history = await prisma.advisorAssignment.count({ where: { dossierId: { in: [open1!.id, open2!.id] }, advisorId: newAdvisor.id } });
    expect(history).toBe(2);

    // An advisor who may not take dossiers (no profile) is refused next to the field.
    const noProfile = await post([
      ["dossierIds", open1!.id],
      ["advisorId", oldAdvisor.id],
      ["reason", "再调整"],
    ]);
    expect(noProfile.status).toBe(400);
    expect(await markup(noProfile)).toContain("所选辅导专员不存在或已停用");
  });

  it("shows a dossier taken through the real transitions with its stage, advisor and clock", async () => {
    const f = await approvedDossier();
    const windowUser = await signedInClient(server.baseUrl, f.window.id);
    const companyName = (await prisma.company.findUniqueOrThrow({ where: { id: f.applicant.companyId! } })).name;
    const html = await markup(await windowUser.get(`/window?company=${encodeURIComponent(companyName)}&stage=issuance`));
    expect(rowNumbers(html)).toEqual([f.dossier.number]);
    expect(html).toContain("制证发证");
    expect(html).toContain(f.advisor.name);
    expect(html).toMatch(/data-colour="green"/);
  });
});
