/**
 * The 容缺后补 (deferred documents) journey in the browser (zh-CN), three
 * people and a movable domain clock:
 *
 *  1. the demo applicant creates a 首次注册 device dossier through the form; a
 *     factory fills every other checklist item, leaving 3.4 检验报告 open;
 *  2. on the dossier's 容缺后补 page the applicant defers 3.4 to the working
 *     day 10 working days ahead (the live working-day count agrees); a weekend
 *     day is refused with the typed reason kept;
 *  3. the completeness panel no longer blocks on 3.4; the applicant reads the
 *     commitment preview and submits (first without ticking the 承诺书
 *     confirmation: the error is shown and nothing is lost);
 *  4. the demo window user accepts the dossier as 容缺受理: the notice shows
 *     3.4 and its due date, the window's deferral list shows the deferral;
 *  5. the clock moves to 09:00:30 five working days before the due date: the
 *     first reminder (deferral.due-5) reaches the applicant by email (dev
 *     mailbox) and in the portal's notifications;
 *  6. the applicant uploads the report to 3.4 (已补交); on the due day no
 *     further reminder for this dossier is sent;
 *  7. the demo advisor finds the deferral in 容缺项目 and verifies it (已核验).
 *
 * axe-core checks the deferral pages, the letters and both lists on the way
 * (no serious or critical violations). Other specs run in parallel: every
 * lookup is filtered by this dossier's number, and the clock is put back.
 */
import { writeFile } from "node:fs/promises";
import type { Locator, Page } from "@playwright/test";
import { setClock } from "../app/.server/clock.ts";
import { addWorkingDays, buildCalendar, isWorkingDay, shanghaiDate } from "../app/modules/calendar/working-days.ts";
import { officialHolidays } from "../scripts/official-holidays.ts";
import { checklistRow, completeness, fillNewDossierForm, mainNav, openOverview, pdfBytes, waitForHydration, watchErrors } from "./dossier-pages.ts";
import { fillChecklistExcept } from "./factories.ts";
import { DEMO_USERS, expect, expectNoSeriousViolations, loginAs, newUserContext, test, uniqueSuffix } from "./fixtures.ts";

const DEFERRED = "3.4";
const DEFERRED_TITLE = "检验报告（自检报告或委托有资质的检验机构出具）";
/** The demo seed's 容缺受理 application (prisma/seed.ts). */
const DEMO_DEFERRAL_PRODUCT = "医用电子体温计";
const WORKING_DAYS = 10;

/** The server's holiday table comes from the same schedules (prisma/migrations/*_holidays). */
const calendar = buildCalendar(officialHolidays(2020, 2026));

/** "2026-12-11" → "2026/12/11", as the zh-CN pages show a day. */
const zhDay = (date: string) => date.replaceAll("-", "/");

function clockFile(): string {
  const file = process.env.E2E_CLOCK_FILE;
  if (!file) throw new Error("E2E_CLOCK_FILE is not set (run through playwright.config.ts)");
  return file;
}

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** 09:00:30 Asia/Shanghai on a date: half a minute after that day's reminders are due. */
const justAfterNine = (date: string) => new Date(`${date}T09:00:30+08:00`);

/**
 * A rule refusal comes back as 409 with the form and its message, and
 * Chromium logs every non-2xx fetch as a console error. Takes exactly that
 * entry (the refused post's data request to `path`) off the list the
 * `pageErrors` fixture checks; anything else stays an error.
 */
async function acknowledgeRefusal(errors: string[], path: string) {
  const isIt = (e: string) => e.startsWith("console.error: Failed to load resource: the server responded with a status of 409") && e.includes(`${path}.data`);
  await expect.poll(() => errors.some(isIt), { message: `409 from ${path} logged` }).toBe(true);
  errors.splice(errors.findIndex(isIt), 1);
}

/** A row of a deferral list (window, advisor) or of the dossier's own table, by the dossier number or the item code. */
const listRow = (page: Page, testId: string, number: string) =>
  page.getByTestId(testId).getByRole("row").filter({ has: page.getByRole("link", { name: number, exact: true }) });
const deferralRow = (page: Page) => page.getByTestId("deferrals").getByRole("row").filter({ has: page.locator("code", { hasText: DEFERRED }) });

async function openDeferrals(page: Page, url: string, number: string) {
  await page.goto(url);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`容缺后补 ${number}`);
  await waitForHydration(page);
}

/** How many reminder emails for `number` the dev mailbox holds for the demo applicant (a fresh load of /mailbox). */
async function reminderEmails(mailbox: Page, number: string): Promise<number> {
  await mailbox.goto("/mailbox");
  await expect(mailbox.getByRole("heading", { level: 1 })).toBeVisible();
  return mailbox
    .getByRole("row")
    .filter({ hasText: DEMO_USERS.applicant.email })
    .filter({ has: mailbox.getByRole("link", { name: `【绿通】${number} 容缺资料补交提醒`, exact: true }) })
    .count();
}

test.describe("deferral journey", () => {
  test.describe.configure({ mode: "serial" });

  // Start from the real time, and leave it so: other specs share the server (and its clock).
  test.beforeAll(() => setClock(clockFile(), new Date()));
  test.afterAll(() => setClock(clockFile(), new Date()));

  test("applicant defers the test report, window accepts as 容缺受理, reminders run on the clock, advisor verifies", async ({ page, browser, pageErrors }, testInfo) => {
    test.setTimeout(300_000);
    const suffix = uniqueSuffix();
    const productName = `一次性使用医用口罩 E2E-${suffix}`;
    const reason = `检验报告正在天津市医疗器械质量监督检验中心出具（E2E-${suffix}）。`;

    const today = shanghaiDate(new Date());
    const firstAllowed = addWorkingDays(calendar, today, 1);
    const dueDate = addWorkingDays(calendar, today, WORKING_DAYS);
    const firstReminderDay = addWorkingDays(calendar, dueDate, -5);
    // A Saturday or Sunday inside the allowed range that no make-up schedule (调休) turns into a working day.
    let weekendDay = firstAllowed;
    while (isWorkingDay(calendar, weekendDay) || ![0, 6].includes(weekday(weekendDay))) weekendDay = nextDay(weekendDay);
    expect(weekendDay < dueDate, `a weekend day before ${dueDate}`).toBe(true);

    const windowContext = await newUserContext(browser, testInfo);
    const advisorContext = await newUserContext(browser, testInfo);
    const windowPage = await windowContext.newPage();
    const advisor = await advisorContext.newPage();
    const windowErrors = watchErrors(windowPage);
    const advisorErrors = watchErrors(advisor);

    let overviewUrl = "";
    let deferralsUrl = "";
    let noticeUrl = "";
    let number = "";
    let demo: { number: string; dueDate: string | null } | null = null;

    try {
      await test.step("1. the applicant creates a 首次注册 device dossier; the factory fills all but 3.4", async () => {
        await loginAs(page, "applicant");
        await waitForHydration(page);
        await fillNewDossierForm(page, {
          productName,
          model: "KZ-17、KZ-18",
          structure: "由口罩体、鼻夹和口罩带组成。",
          intendedUse: "供临床医务人员在有创操作等过程中佩戴。",
          registrationType: "首次注册",
          catalogueCode: "14",
        });
        await page.getByRole("button", { name: "创建注册申请" }).click();

        await expect(page).toHaveURL(/\/dossiers\/[0-9a-f-]{36}\?created=1$/);
        overviewUrl = new URL(page.url()).pathname;
        deferralsUrl = `${overviewUrl}/deferrals`;
        number = (await page.locator("h1 .dossier-number").innerText()).trim();
        expect(number).toMatch(/^GL-\d{4}-\d{6}$/);
        await expect(page.getByRole("main")).toContainText("首次注册 · 医疗器械");
        await expect(checklistRow(page, DEFERRED)).toContainText(DEFERRED_TITLE);

        // Setup, not under test: every other item gets a document or a not-applicable reason.
        await fillChecklistExcept(number, [DEFERRED]);
        await openOverview(page, overviewUrl, number);
        const blockers = completeness(page).getByRole("listitem");
        await expect(blockers).toHaveCount(1);
        await expect(blockers).toHaveText(`${DEFERRED} ${DEFERRED_TITLE}`);
      });

      await test.step("2. defers 3.4 to the working day 10 working days ahead; a weekend day is refused", async () => {
        await page.getByRole("region", { name: "容缺后补", exact: true }).getByRole("link", { name: "申请或查看容缺后补" }).click();
        await expect(page).toHaveURL(new RegExp(`${deferralsUrl}$`));
        await expect(page.getByRole("heading", { level: 1 })).toContainText(`容缺后补 ${number}`);
        await expect(page.getByRole("region", { name: "本申请的容缺事项" })).toContainText("本申请没有容缺事项。");

        const request = page.getByRole("region", { name: "申请容缺后补" });
        const form = request.getByRole("form", { name: `${DEFERRED} ${DEFERRED_TITLE}` });
        await expect(form).toHaveCount(1);
        const date = form.getByLabel(/^承诺补交日期/);
        const count = form.locator(".working-days");
        // The server's calendar agrees with the official schedules: the earliest day is the next working day.
        await expect(date).toHaveAttribute("min", firstAllowed);
        const max = await date.getAttribute("max");
        expect(max! >= dueDate, `max ${max} allows ${dueDate}`).toBe(true);

        await form.getByLabel(/^容缺理由/).fill(reason);

        // A weekend day: the live count says so, and the server refuses it with the reason kept.
        await date.fill(weekendDay);
        await expect(count).toHaveText("所选日期不是工作日");
        await form.getByRole("button", { name: "保存容缺申请" }).click();
        await expect(request.getByRole("status").filter({ hasText: "补交日期须为工作日，请另选一天。" })).toBeVisible();
        await acknowledgeRefusal(pageErrors, deferralsUrl);
        await expect(form.getByLabel(/^容缺理由/)).toHaveValue(reason);
        await expect(date).toHaveValue(weekendDay);
        await expect(page.getByRole("region", { name: "本申请的容缺事项" })).toContainText("本申请没有容缺事项。");

        // Beyond the allowed range.
        const beyond = addWorkingDays(calendar, max!, 3);
        await date.fill(beyond);
        await expect(count).toHaveText("所选日期不在可选范围内");

        await date.fill(dueDate);
        await expect(count).toHaveText(`距今 ${WORKING_DAYS} 个工作日`);
        await expectNoSeriousViolations(page);

        await form.getByRole("button", { name: "保存容缺申请" }).click();
        await expect(page).toHaveURL(new RegExp(`${deferralsUrl}\\?done=request$`));
        await expect(page.getByRole("status").filter({ hasText: "容缺申请已保存。" })).toBeVisible();
        const row = deferralRow(page);
        await expect(row).toHaveCount(1);
        await expect(row.locator("[data-state]").first()).toHaveText("已申请");
        await expect(row.locator(`time[datetime="${dueDate}"]`)).toHaveText(zhDay(dueDate));
        await expect(row).toContainText(`还剩 ${WORKING_DAYS} 个工作日`);
        await expect(row).toContainText(reason);
        await expect(request).toContainText(`已申请容缺，补交日期 ${zhDay(dueDate)}。`);
        await expect(form.getByLabel(/^承诺补交日期/)).toHaveValue(dueDate);
      });

      await test.step("3. nothing blocks on 3.4; commitment preview; submit refused unticked, then accepted", async () => {
        await page.getByRole("link", { name: `← 返回申请 ${number}` }).click();
        await expect(page).toHaveURL(new RegExp(`${overviewUrl}$`));
        await expect(completeness(page).getByRole("link", { name: new RegExp(`^${DEFERRED.replace(".", "\\.")} `) })).toHaveCount(0);
        await expect(completeness(page)).toContainText("资料完整，可以提交。");
        const deferredList = completeness(page).getByRole("list", { name: "本次提交包含以下容缺事项" });
        await expect(deferredList.getByRole("listitem")).toHaveText([`${DEFERRED} ${DEFERRED_TITLE}：${zhDay(dueDate)} 前补交`]);
        await expect(checklistRow(page, DEFERRED).getByTestId("deferred-badge")).toHaveText("容缺");
        await expect(checklistRow(page, DEFERRED)).toContainText("已申请");

        // The commitment letter as it would be frozen now.
        await completeness(page).getByRole("link", { name: "阅读《申请容缺受理承诺书》" }).click();
        await expect(page.getByRole("heading", { level: 1, name: "申请容缺受理承诺书" })).toBeVisible();
        await expect(page.getByRole("status").filter({ hasText: "预览：本承诺书在您提交申请并勾选确认后生效" })).toBeVisible();
        const letter = page.getByRole("article", { name: "申请容缺受理承诺书" });
        await expect(letter).toContainText(number);
        await expect(letter).toContainText(productName);
        const letterRow = letter.getByRole("row").filter({ has: page.getByRole("cell", { name: DEFERRED, exact: true }) });
        await expect(letterRow).toContainText(DEFERRED_TITLE);
        await expect(letterRow).toContainText(zhDay(dueDate));
        await expect(letterRow).toContainText(reason);
        await expect(letter.getByTestId("letter-confirmation")).toHaveCount(0);
        await expect(page.getByRole("button", { name: "打印" })).toBeVisible();
        await expectNoSeriousViolations(page);
        await page.getByRole("link", { name: `← 返回申请 ${number}` }).click();
        await expect(page).toHaveURL(new RegExp(`${overviewUrl}#submit$`));

        // Without the confirmation: refused, the deferral and the list stay.
        const confirm = completeness(page).getByRole("checkbox", { name: /^我已阅读并确认《申请容缺受理承诺书》/ });
        await expect(confirm).not.toBeChecked();
        await completeness(page).getByRole("button", { name: "提交注册申请" }).click();
        await expect(completeness(page).getByRole("status").filter({ hasText: "请阅读并勾选确认《申请容缺受理承诺书》后再提交。" })).toBeVisible();
        await acknowledgeRefusal(pageErrors, overviewUrl);
        await expect(page).not.toHaveURL(/\/receipt\//);
        await expect(page.locator("h1 + .lead [data-status]")).toHaveText("草稿");
        await expect(deferredList.getByRole("listitem")).toHaveText([`${DEFERRED} ${DEFERRED_TITLE}：${zhDay(dueDate)} 前补交`]);
        await expect(confirm).not.toBeChecked();
        await expectNoSeriousViolations(page);

        await confirm.check();
        await completeness(page).getByRole("button", { name: "提交注册申请" }).click();
        await expect(page).toHaveURL(/\/receipt\/[0-9a-f-]{36}\?submitted=1$/);
        const receipt = page.getByRole("article", { name: "注册申请提交回执" });
        await expect(receipt).toContainText(number);
        await expect(receipt.getByRole("row").filter({ has: page.getByRole("cell", { name: DEFERRED, exact: true }) })).toContainText("容缺后补");
      });

      await test.step("4. the window accepts as 容缺受理: the notice lists 3.4 with its due date, the window list shows it", async () => {
        await loginAs(windowPage, "window");
        await openOverview(windowPage, overviewUrl, number);
        const accept = windowPage.getByRole("region", { name: "受理", exact: true });
        await expect(accept).toContainText(`${DEFERRED} ${DEFERRED_TITLE}：${zhDay(dueDate)} 前补交`);
        await accept.getByRole("button", { name: "容缺受理", exact: true }).click();
        await expect(windowPage).toHaveURL(new RegExp(`${overviewUrl}\\?acceptedWithDeferral=1$`));
        await expect(windowPage.getByRole("status").filter({ hasText: "已容缺受理该申请，《容缺受理通知书》已发送企业。" })).toBeVisible();
        await expect(windowPage.locator("h1 + .lead [data-status]")).toHaveText("已受理");

        await windowPage.getByRole("region", { name: "容缺后补", exact: true }).getByRole("link", { name: "《容缺受理通知书》" }).click();
        await expect(windowPage.getByRole("heading", { level: 1, name: "容缺受理通知书" })).toBeVisible();
        noticeUrl = new URL(windowPage.url()).pathname;
        expect(noticeUrl).toMatch(new RegExp(`^${overviewUrl}/letters/[0-9a-f-]{36}$`));
        const notice = windowPage.getByRole("article", { name: "容缺受理通知书" });
        await expect(notice).toContainText(number);
        await expect(notice).toContainText(productName);
        const noticeRow = notice.getByRole("row").filter({ has: windowPage.getByRole("cell", { name: DEFERRED, exact: true }) });
        await expect(noticeRow).toContainText(DEFERRED_TITLE);
        await expect(noticeRow.locator(`time[datetime="${dueDate}"]`)).toHaveText(zhDay(dueDate));
        await expect(notice.locator(".sha256")).toHaveText(/^[0-9a-f]{64}$/);
        await expectNoSeriousViolations(windowPage);

        await mainNav(windowPage).getByRole("link", { name: "容缺后补" }).click();
        await expect(windowPage.getByRole("heading", { level: 1, name: "容缺后补" })).toBeVisible();
        // Due in 10 working days: not in "due within 5 working days", but among the open ones.
        await expect(windowPage.getByRole("link", { name: /^5 个工作日内到期/ })).toHaveAttribute("aria-current", "page");
        await expect(windowPage.getByRole("link", { name: number, exact: true })).toHaveCount(0);
        await windowPage.getByRole("navigation", { name: "筛选容缺事项" }).getByRole("link", { name: /^全部未结/ }).click();
        await expect(windowPage).toHaveURL(/\/window\/deferrals\?tab=open$/);
        const row = listRow(windowPage, "window-deferrals", number);
        await expect(row).toHaveCount(1);
        await expect(row).toContainText(productName);
        await expect(row).toContainText(`${DEFERRED} ${DEFERRED_TITLE}`);
        await expect(row.locator("[data-state]").first()).toHaveText("待补交");
        await expect(row.locator(`time[datetime="${dueDate}"]`)).toHaveText(zhDay(dueDate));
        await expect(row).toContainText(`还剩 ${WORKING_DAYS} 个工作日`);
        await expectNoSeriousViolations(windowPage);

        // The seeded 容缺受理 application: its reminders later tell us the worker has swept.
        const demoRow = windowPage.getByTestId("window-deferrals").getByRole("row").filter({ hasText: DEMO_DEFERRAL_PRODUCT }).first();
        if ((await demoRow.count()) > 0) {
          demo = { number: (await demoRow.locator("th a").innerText()).trim(), dueDate: await demoRow.locator("time").first().getAttribute("datetime") };
        }
      });

      await test.step("5. five working days before the due date the first reminder reaches the applicant", async () => {
        setClock(clockFile(), justAfterNine(firstReminderDay));
        await expect.poll(() => reminderEmails(windowPage, number), { timeout: 20_000, intervals: [500, 1_000] }).toBe(1);

        const mail = windowPage
          .getByRole("row")
          .filter({ hasText: DEMO_USERS.applicant.email })
          .getByRole("link", { name: `【绿通】${number} 容缺资料补交提醒`, exact: true });
        await mail.click();
        await expect(windowPage.getByRole("heading", { level: 1, name: `【绿通】${number} 容缺资料补交提醒` })).toBeVisible();
        const body = windowPage.getByTestId("mail-body");
        await expect(body).toContainText(`注册申请 ${number}（${productName}）第 ${DEFERRED} 项`);
        await expect(body).toContainText(`应于 ${zhDay(dueDate)} 前补交，还剩 5 个工作日。`);
        // The link in the text and the action button's address.
        await expect(body.getByRole("link", { name: new RegExp(`${deferralsUrl}$`) }).first()).toBeVisible();

        // The window's "due within 5 working days" tab now has it, on the moved clock.
        await windowPage.goto("/window/deferrals");
        await expect(listRow(windowPage, "window-deferrals", number)).toContainText("还剩 5 个工作日");

        await page.goto("/notifications");
        await expect(page.getByRole("heading", { level: 1, name: "通知" })).toBeVisible();
        const reminder = page.getByRole("listitem").filter({ hasText: `${number} 容缺资料补交提醒` });
        await expect(reminder).toHaveCount(1);
        await expect(reminder).toContainText(`第 ${DEFERRED} 项（${DEFERRED_TITLE}）应于 ${zhDay(dueDate)} 前补交，还剩 5 个工作日。`);
      });

      await test.step("6. the applicant supplies the report (已补交); on the due day no further reminder comes", async () => {
        await openDeferrals(page, deferralsUrl, number);
        await expect(deferralRow(page).locator("[data-state]").first()).toHaveText("待补交");
        await expect(deferralRow(page)).toContainText("还剩 5 个工作日");
        await deferralRow(page).getByRole("link", { name: DEFERRED_TITLE }).click();
        await expect(page.getByRole("heading", { level: 1 })).toContainText(DEFERRED);
        const file = testInfo.outputPath("test-report.pdf");
        await writeFile(file, pdfBytes(`${number} ${DEFERRED} test report`));
        const upload = page.getByRole("region", { name: "上传新版本" });
        await upload.getByLabel("选择文件").setInputFiles(file);
        await upload.getByRole("button", { name: "上传", exact: true }).click();
        // The supplied document fulfils the deferral, so the revalidated page no longer offers the upload form;
        // the confirmation moves to the page (role status) instead of vanishing with the form.
        await expect(upload).toHaveCount(0);
        await expect(page.getByRole("status").filter({ hasText: "已上传，保存为第 1 版。" })).toBeVisible();
        const versions = page.getByTestId("versions");
        await expect(versions.getByRole("cell", { name: "第 1 版", exact: true })).toBeVisible();
        await expect(versions.getByRole("cell", { name: "test-report.pdf" })).toBeVisible();

        await openDeferrals(page, deferralsUrl, number);
        const row = deferralRow(page);
        await expect(row.locator("[data-state]").first()).toHaveText("已补交待核验");
        await expect(row).toContainText("已补交");
        await expectNoSeriousViolations(page);

        // The due day: the remaining reminders of this deferral were cancelled with the upload.
        // The seeded deferral, when it shares the due date and has only had its first reminder (as ours), is the
        // marker: its reminders of the following days arriving show that the worker has swept the new time.
        const sameDay = demo && demo.dueDate === dueDate ? demo : null;
        const demoBefore = sameDay ? await reminderEmails(windowPage, sameDay.number) : 0;
        const marker = sameDay && demoBefore === 1 ? sameDay : null;
        setClock(clockFile(), justAfterNine(dueDate));
        if (marker) {
          await expect.poll(() => reminderEmails(windowPage, marker.number), { timeout: 20_000, intervals: [500, 1_000] }).toBeGreaterThan(demoBefore);
        } else {
          testInfo.annotations.push({ type: "note", description: "no seeded deferral to watch: bounded wait only" });
        }
        // Then a few more looks over ~3 s: still the one reminder of step 5.
        for (let i = 0; i < 5; i++) {
          expect(await reminderEmails(windowPage, number), "reminder emails for this dossier").toBe(1);
          await windowPage.waitForTimeout(600);
        }
        expect(await reminderEmails(windowPage, number)).toBe(1);
      });

      await test.step("7. the advisor finds the supplied document in 容缺项目 and verifies it (已核验)", async () => {
        await loginAs(advisor, "advisor");
        await waitForHydration(advisor);
        await mainNav(advisor).getByRole("link", { name: "容缺项目" }).click();
        await expect(advisor.getByRole("heading", { level: 1, name: "容缺项目" })).toBeVisible();
        const row = listRow(advisor, "advisor-deferrals", number);
        await expect(row).toHaveCount(1);
        await expect(row).toContainText(productName);
        await expect(row.locator("[data-state]").first()).toHaveText("已补交待核验");
        await expectNoSeriousViolations(advisor);

        await row.getByRole("link", { name: number, exact: true }).click();
        await expect(advisor).toHaveURL(new RegExp(`${deferralsUrl}$`));
        const verify = advisor.getByRole("region", { name: new RegExp(`^${DEFERRED.replace(".", "\\.")} `) });
        await expect(verify).toContainText("企业已补交该项资料，请查看后核验。");
        await verify.getByRole("link", { name: "查看资料项" }).click();
        await expect(advisor.getByRole("heading", { level: 1 })).toContainText(DEFERRED);
        const versions = advisor.getByTestId("versions");
        await expect(versions.getByRole("cell", { name: "第 1 版", exact: true })).toBeVisible();
        await expect(versions.getByRole("cell", { name: "test-report.pdf" })).toBeVisible();
        await advisor.goBack();
        await expect(advisor).toHaveURL(new RegExp(`${deferralsUrl}$`));
        await expectNoSeriousViolations(advisor);

        await verify.getByRole("button", { name: "核验通过" }).click();
        await expect(advisor).toHaveURL(new RegExp(`${deferralsUrl}\\?done=verify$`));
        await expect(advisor.getByRole("status").filter({ hasText: "补交资料已核验。" })).toBeVisible();
        await expect(deferralRow(advisor).locator("[data-state]").first()).toHaveText("已核验");
        await expect(verify).toHaveCount(0);

        // No longer open: gone from the advisor's list.
        await advisor.goto("/advisor/deferrals");
        await expect(advisor.getByRole("heading", { level: 1, name: "容缺项目" })).toBeVisible();
        await expect(advisor.getByRole("link", { name: number, exact: true })).toHaveCount(0);

        await openDeferrals(page, deferralsUrl, number);
        await expect(deferralRow(page).locator("[data-state]").first()).toHaveText("已核验");
      });

      await test.step("8. axe: deferrals page, notice, window and advisor lists", async () => {
        const pages: { who: Page; url: string; ready: (p: Page) => Locator }[] = [
          { who: page, url: deferralsUrl, ready: (p) => p.getByRole("region", { name: "文书" }) },
          { who: page, url: noticeUrl, ready: (p) => p.getByRole("button", { name: "打印" }) },
          { who: windowPage, url: "/window/deferrals?tab=open", ready: (p) => p.getByRole("heading", { level: 1, name: "容缺后补" }) },
          { who: advisor, url: "/advisor/deferrals", ready: (p) => p.getByRole("heading", { level: 1, name: "容缺项目" }) },
        ];
        for (const { who, url, ready } of pages) {
          await who.goto(url);
          await expect(ready(who)).toBeVisible();
          await expectNoSeriousViolations(who);
        }
        // The applicant's letters: the confirmed commitment and the notice.
        await page.goto(deferralsUrl);
        const letters = page.getByRole("region", { name: "文书" });
        await letters.getByRole("link", { name: /^申请容缺受理承诺书/ }).click();
        await expect(page.getByRole("heading", { level: 1, name: "申请容缺受理承诺书" })).toBeVisible();
        await expect(page.getByTestId("letter-confirmation")).toContainText(DEMO_USERS.applicant.email);
        await expectNoSeriousViolations(page);
      });

      expect(windowErrors, "errors in the window's page").toEqual([]);
      expect(advisorErrors, "errors in the advisor's page").toEqual([]);
    } finally {
      await windowContext.close();
      await advisorContext.close();
    }
  });
});
