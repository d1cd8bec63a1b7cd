/**
 * The window's journey in the browser (zh-CN): from acceptance to the
 * certificate and the indicator.
 *
 *  1. the demo applicant creates a dossier; a factory fills every checklist
 *     item; the applicant submits;
 *  2. the demo window user accepts it (受理) on the overview, then on the
 *     progress page (办件进度) hands it over to technical review and issues a
 *     supplement notice (发补) listing two questions: the notice prints both
 *     and the one-year deadline, the applicant's progress page shows the
 *     review clock stopped;
 *  3. the window records the answer (补正资料已收到): a second review round
 *     runs against its own limit; concludes (审评结论) and approves (准予注册);
 *  4. the window issues the certificate from the prefilled form: the
 *     electronic certificate shows its number and a QR code whose target, opened
 *     signed out, verifies the certificate as valid;
 *  5. the indicator 医疗器械证 moves from n to n + 1;
 *  6. the queue finds the dossier by its number and exports the filtered list
 *     (CSV), and a stage filter leaves it out.
 *
 * Other specs run in parallel: lookups are filtered by this dossier's number.
 */
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { fillNewDossierForm, openOverview, completeness, waitForHydration, watchErrors } from "./dossier-pages.ts";
import { fillChecklistExcept } from "./factories.ts";
import { expect, expectNoSeriousViolations, loginAs, newUserContext, test, uniqueSuffix } from "./fixtures.ts";

/** Opens a milestone's form on the progress page, fills it and confirms; the page reloads with its success notice. */
async function milestone(page: Page, action: string, fill?: (form: ReturnType<Page["locator"]>) => Promise<void>) {
  const panel = page.getByRole("region", { name: "窗口办理" });
  const details = panel.locator("details").filter({ has: page.getByText(action, { exact: true }) });
  await details.locator("summary").click();
  if (fill) await fill(details);
  await details.getByRole("button", { name: "确认办理" }).click();
}

test.describe("window journey", () => {
  test.describe.configure({ mode: "serial" });

  test("window accepts, hands over, asks for a supplement, records it, concludes, approves and issues the certificate", async ({ page, browser }, testInfo) => {
    test.setTimeout(300_000);
    const suffix = uniqueSuffix();
    const productName = `医用红外体温计 E2E-${suffix}`;
    const windowContext = await newUserContext(browser, testInfo);
    const windowPage = await windowContext.newPage();
    const windowErrors = watchErrors(windowPage);
    let overviewUrl = "";
    let number = "";

    try {
      await test.step("1. the applicant creates and submits a complete dossier", async () => {
        await loginAs(page, "applicant");
        await waitForHydration(page);
        await fillNewDossierForm(page, {
          productName,
          model: "HT-1、HT-2",
          structure: "由红外传感器、测量电路、显示屏和电池组成。",
          intendedUse: "供测量人体额温用。",
          registrationType: "首次注册",
          catalogueCode: "07",
        });
        await page.getByRole("button", { name: "创建注册申请" }).click();
        await expect(page).toHaveURL(/\/dossiers\/[0-9a-f-]{36}\?created=1$/);
        overviewUrl = new URL(page.url()).pathname;
        number = (await page.locator("h1 .dossier-number").innerText()).trim();
        await fillChecklistExcept(number, []);
        await openOverview(page, overviewUrl, number);
        await expect(completeness(page)).toContainText("资料完整，可以提交。");
        await completeness(page).getByRole("button", { name: "提交注册申请" }).click();
        await expect(page.getByRole("article", { name: "注册申请提交回执" })).toBeVisible();
      });

      await test.step("2. the window accepts, hands over and issues a supplement notice listing every question", async () => {
        await loginAs(windowPage, "window");
        await openOverview(windowPage, overviewUrl, number);
        const accept = windowPage.getByRole("region", { name: "受理", exact: true });
        await accept.getByRole("button", { name: "受理", exact: true }).click();
        await expect(windowPage.locator("h1 + .lead [data-status]")).toHaveText("已受理");
        // The overview shows the running clock of the handover stage, in words.
        await expect(windowPage.locator(".clock")).toContainText("正常");
        await expect(windowPage.locator(".clock")).toContainText("转技术审评");

        await windowPage.getByRole("link", { name: "办件进度" }).click();
        await expect(windowPage.getByRole("heading", { level: 1 })).toHaveText(`办件进度 ${number}`);
        await waitForHydration(windowPage);
        await expectNoSeriousViolations(windowPage);
        await milestone(windowPage, "转技术审评");
        await expect(windowPage.getByRole("status").filter({ hasText: "已转技术审评。" })).toBeVisible();

        // An empty list is refused in the browser, with the note kept.
        await milestone(windowPage, "发补（补充资料通知）", async (form) => {
          await form.getByLabel(/^需补充的资料/).fill("");
          await form.getByLabel(/^备注/).fill("请一次性提交。");
        });
        const supplementForm = windowPage.getByRole("region", { name: "窗口办理" }).locator("details[open]");
        await expect(supplementForm.getByText("请至少列出一项")).toBeVisible();
        await expect(supplementForm.getByLabel(/^备注/)).toHaveValue("请一次性提交。");
        await supplementForm.getByLabel(/^需补充的资料/).fill("1. 补充货架有效期验证资料\n2. 修订说明书中的禁忌证");
        await supplementForm.getByRole("button", { name: "确认办理" }).click();
        await expect(windowPage.getByRole("status").filter({ hasText: "补充资料通知已发出，审评计时暂停。" })).toBeVisible();

        await windowPage.getByRole("link", { name: "补充资料通知书（第 1 份）" }).click();
        const notice = windowPage.getByRole("article", { name: "补充资料通知书" });
        await expect(notice.getByRole("listitem")).toHaveText(["补充货架有效期验证资料", "修订说明书中的禁忌证"]);
        await expect(notice).toContainText("前一次性提交全部补充资料");
        await expectNoSeriousViolations(windowPage);

        // The applicant sees the stopped clock and the deadline.
        await page.goto(`${overviewUrl}/progress`);
        await expect(page.getByRole("main")).toContainText("补充资料须于");
        await expect(page.locator(".clock").first()).toContainText("已暂停计时");
        await expectNoSeriousViolations(page);
      });

      await test.step("3. the answer arrives; a second review round runs; conclusion and approval", async () => {
        await windowPage.goto(`${overviewUrl}/progress`);
        await waitForHydration(windowPage);
        await milestone(windowPage, "补充资料已收到");
        await expect(windowPage.getByRole("status").filter({ hasText: "补充资料已收到，审评恢复计时。" })).toBeVisible();
        const stages = windowPage.getByRole("table", { name: "各办理阶段的时限和已用工作日" });
        await expect(stages.getByRole("row").filter({ hasText: "补充资料后" })).toContainText("进行中");

        await milestone(windowPage, "审评结论", async (form) => {
          await form.getByLabel(/^审评建议/).selectOption("approve");
          await form.getByLabel(/^审评结论摘要/).fill("产品安全有效性资料符合要求。");
        });
        await expect(windowPage.getByRole("status").filter({ hasText: "审评结论已记录，转入行政审批。" })).toBeVisible();
        await milestone(windowPage, "审批决定", async (form) => {
          await form.getByLabel(/^决定/).selectOption("approve");
        });
        await expect(windowPage.getByRole("status").filter({ hasText: "审批决定已记录。" })).toBeVisible();
        await expect(windowPage.locator("h1 + .lead [data-status], .lead [data-status]").first()).toHaveText("准予注册");
      });

      let before = 0;
      await test.step("4. the indicator's period is extended to today; its count is read", async () => {
        // The plan's original period (2020-09 to 2022-06) is editable: window staff extend it to count this year's certificates.
        await windowPage.goto("/indicators");
        const deviceRow = windowPage.getByRole("row").filter({ hasText: "医疗器械证（含一、二、三类）" }).filter({ has: windowPage.getByRole("link", { name: "修改定义" }) });
        await deviceRow.getByRole("link", { name: "修改定义" }).click();
        await expect(windowPage.getByRole("heading", { level: 1 })).toContainText("医疗器械证");
        await waitForHydration(windowPage);
        const end = windowPage.getByLabel(/^统计期间结束日/);
        if ((await end.inputValue()) < "2030-12-31") {
          await end.fill("2030-12-31");
          await windowPage.getByRole("button", { name: "保存定义" }).click();
          await expect(windowPage.getByRole("status").filter({ hasText: "指标定义已保存。" })).toBeVisible();
        }
        await windowPage.goto("/indicators");
        // "n / 10 项"
        before = Number.parseInt(await windowPage.getByTestId("device-count").locator("strong").innerText(), 10);
        expect(before).toBeGreaterThanOrEqual(0);
      });

      let verifyUrl = "";
      await test.step("5. the window issues the certificate from the prefilled form; the QR target verifies it signed out", async () => {
        await windowPage.goto(`${overviewUrl}/progress`);
        await windowPage.getByRole("link", { name: "制发注册证" }).click();
        await expect(windowPage.getByRole("heading", { level: 1 })).toHaveText(`制发注册证 ${number}`);
        await waitForHydration(windowPage);
        // Prefilled from the dossier: product, model, structure, intended use; the addresses are the window's to fill.
        await expect(windowPage.getByLabel(/^产品名称/)).toHaveValue(productName);
        await expect(windowPage.getByLabel(/^型号、规格/)).toHaveValue("HT-1、HT-2");
        await windowPage.getByLabel(/^注册人住所/).fill("天津市东丽区华明高新区示范路 1 号");
        await windowPage.getByLabel(/^生产地址/).fill("天津市东丽区华明高新区示范路 1 号 2 号厂房");
        await expectNoSeriousViolations(windowPage);
        await windowPage.getByRole("button", { name: "确认发证" }).click();

        await expect(windowPage).toHaveURL(/\/certificates\/[0-9a-f-]{36}/);
        await expect(windowPage.getByText("注册证已发放，企业和辅导专员已收到通知。")).toBeVisible();
        // 津械注准 + year + class 2 + catalogue code 07 + serial.
        const certificateNumber = /津械注准\d{4}207\d{4}/.exec(await windowPage.getByRole("main").innerText())?.[0] ?? "";
        expect(certificateNumber).toMatch(new RegExp(`^津械注准${new Date().getFullYear()}207\\d{4}$`));
        await expect(windowPage.getByTestId("certificate-qr").locator("svg")).toBeVisible();
        verifyUrl = (await windowPage.getByRole("link", { name: /\/verify\// }).getAttribute("href"))!;
        expect(decodeURIComponent(verifyUrl)).toContain(`/verify/${certificateNumber}`);
        await expectNoSeriousViolations(windowPage);

        // The QR code's target, opened by anyone: no sign-in, the certificate's fields and its state.
        const publicContext = await newUserContext(browser, testInfo);
        try {
          const publicPage = await publicContext.newPage();
          await publicPage.goto(verifyUrl);
          await expect(publicPage.getByRole("main")).toContainText(certificateNumber);
          await expect(publicPage.getByRole("main")).toContainText("有效");
          await expect(publicPage.getByRole("main")).not.toContainText(number);
          await expectNoSeriousViolations(publicPage);
        } finally {
          await publicContext.close();
        }
      });

      await test.step("6. the indicator moves from n to n + 1", async () => {
        await windowPage.goto("/indicators");
        await expect(windowPage.getByTestId("device-count").locator("strong")).toHaveText(new RegExp(`^${before + 1} / 10`));
        await expect(windowPage.getByTestId("counted-certificates")).toContainText(productName);
        await expectNoSeriousViolations(windowPage);
      });

      await test.step("7. the queue finds the dossier by its number, filters by stage and exports the filtered list", async () => {
        await windowPage.goto("/window");
        await expect(windowPage.getByRole("heading", { level: 1 })).toHaveText("办件队列");
        await waitForHydration(windowPage);
        await expectNoSeriousViolations(windowPage);
        // The filters live in the URL: search for the number among every dossier (the approved one has no running clock any more).
        await windowPage.getByLabel(/^搜索/).fill(number);
        await windowPage.getByLabel(/^范围/).selectOption("all");
        await windowPage.getByRole("button", { name: "筛选", exact: true }).click();
        await expect(windowPage).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(number)}`));
        const rows = windowPage.getByRole("table").getByRole("row").filter({ has: windowPage.getByRole("link", { name: number, exact: true }) });
        await expect(rows).toHaveCount(1);
        await expect(rows).toContainText(productName);

        // The same view exported: the CSV holds this dossier only.
        const download = windowPage.waitForEvent("download");
        await windowPage.getByRole("link", { name: "导出 CSV" }).click();
        const file = await (await download).path();
        const csv = await readFile(file, "utf8");
        expect(csv).toContain(number);
        expect(csv.trim().split(/\r?\n/)).toHaveLength(2);

        // A stage filter on the open view: the approved dossier (its certificate issued) is not in review any more.
        await windowPage.goto(`/window?stage=review&q=${encodeURIComponent(number)}`);
        await expect(windowPage.getByRole("link", { name: number, exact: true })).toHaveCount(0);
      });

      expect(windowErrors).toEqual([]);
    } finally {
      await windowContext.close();
    }
  });
});
