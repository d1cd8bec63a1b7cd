/**
 * The dossier journey in the browser (zh-CN), two people at once:
 *
 *  1. the demo applicant creates a 延续注册 (renewal) dossier through the form —
 *     seven checklist items, seven blockers in the completeness panel;
 *  2. uploads a PDF to each required item (one blocker fewer each time) and
 *     marks the conditional item 1.12 not applicable;
 *  3. the demo advisor, in a second browser context, finds the dossier in
 *     "我的辅导任务" and flags a 必须补正 gap on item 1.2;
 *  4. the applicant sees the gap and answers it with a new version (第 2 版);
 *  5. the advisor resolves the gap;
 *  6. the applicant submits, gets the receipt (items with their versions,
 *     print button) and the overview says 已提交.
 *
 * Finally axe-core checks the overview, an item page, the advisor's list and
 * the receipt (no serious or critical violations).
 */
import { writeFile } from "node:fs/promises";
import type { Locator, Page } from "@playwright/test";
import { blockerLink, checklistRow, completeness, fillNewDossierForm, openOverview, pdfBytes, waitForHydration, watchErrors } from "./dossier-pages.ts";
import { DEMO_USERS, expect, login, loginAs, seriousViolations, test, uniqueSuffix } from "./fixtures.ts";

/** The renewal checklist of a device (DEVICE × RENEWAL): six required items and 1.12 "if applicable". */
const REQUIRED = ["1.2", "1.5", "1.7", "1.9", "1.10", "1.11"] as const;
const CONDITIONAL = "1.12";
const ALL_CODES = [...REQUIRED, CONDITIONAL];

/** The blockers listed in the completeness panel (one list item each, in every group). */
const blockers = (page: Page) => completeness(page).getByRole("listitem");
/** A link in the completeness panel: "<code> <title>" (the trailing space keeps 1.1 apart from 1.10). */

/** Opens an item from the overview's checklist and waits for its page. */
async function openItem(page: Page, code: string) {
  await checklistRow(page, code).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(code);
  await expect(page).toHaveURL(/\/dossiers\/[0-9a-f-]{36}\/items\/[0-9a-f-]{36}$/);
}

/** The item page's "上传新版本" form: choose the file, upload (with JavaScript), wait for the new version to be listed. */
async function uploadOnItemPage(page: Page, file: string, expectedVersion: number) {
  const section = page.getByRole("region", { name: "上传新版本" });
  await section.getByLabel("选择文件").setInputFiles(file);
  await section.getByRole("button", { name: "上传", exact: true }).click();
  await expect(section.getByRole("status")).toHaveText(`已上传，保存为第 ${expectedVersion} 版。`);
  // The page data is revalidated after the upload: the versions table lists it.
  await expect(page.getByTestId("versions").getByRole("cell", { name: `第 ${expectedVersion} 版`, exact: true })).toBeVisible();
}

test.describe("dossier journey", () => {
  test("applicant and advisor take a renewal dossier from creation to the submission receipt", async ({ page, browser }, testInfo) => {
    test.setTimeout(240_000);
    const suffix = uniqueSuffix();
    const productName = `一次性使用血氧探头 E2E-${suffix}`;
    const naReason = `本次延续注册产品技术要求未发生变化（E2E-${suffix}）。`;
    const gapText = `第 1.2 项：请补充上一注册周期内的不良事件汇总（E2E-${suffix}）。`;
    const replyText = `已补充不良事件汇总，见第 2 版（E2E-${suffix}）。`;

    // The advisor works in a browser context of their own (same settings as the page's).
    const advisorContext = await browser.newContext({
      baseURL: testInfo.project.use.baseURL,
      locale: "zh-CN",
      timezoneId: "Asia/Shanghai",
      viewport: { width: 1280, height: 800 },
    });
    const advisor = await advisorContext.newPage();
    const advisorErrors = watchErrors(advisor);

    let overviewUrl = "";
    let number = "";
    const urls = new Map<string, string>();

    try {
      await test.step("1. the applicant creates a renewal dossier: seven blockers", async () => {
        await loginAs(page, "applicant");
        await waitForHydration(page);
        await fillNewDossierForm(page, {
          productName,
          model: "SpO2-A1、SpO2-P2",
          structure: "由传感器、连接线缆和插头组成。",
          intendedUse: "与血氧监护仪配合使用，用于无创监测成人和儿童的脉搏血氧饱和度。",
          registrationType: "延续注册",
          catalogueCode: "07",
        });
        await expect(page.getByRole("radio", { name: "延续注册", exact: true })).toBeChecked();
        await expect(page.getByRole("checkbox", { name: "在本区生产" })).toBeChecked();
        await page.getByRole("button", { name: "创建注册申请" }).click();

        await expect(page).toHaveURL(/\/dossiers\/[0-9a-f-]{36}\?created=1$/);
        await expect(page.getByRole("status").filter({ hasText: "注册申请已创建" })).toBeVisible();
        overviewUrl = new URL(page.url()).pathname;
        number = (await page.locator("h1 .dossier-number").innerText()).trim();
        expect(number).not.toBe("");
        await expect(page.getByRole("heading", { level: 1 })).toContainText(productName);
        await expect(page.getByRole("main")).toContainText("延续注册 · 医疗器械");
        const facts = page.getByRole("region", { name: "申请信息" });
        await expect(facts).toContainText("07 医用诊察和监护器械");
        await expect(facts).toContainText("东丽区医疗器械产业聚集区企业、在本区生产");

        // The renewal checklist: exactly these seven items.
        const checklist = page.getByRole("region", { name: "申报资料清单" });
        await expect(checklist.getByRole("cell", { name: /^\d+\.\d+$/ })).toHaveText(ALL_CODES);
        for (const code of ALL_CODES) {
          const href = await checklistRow(page, code).getByRole("link").getAttribute("href");
          expect(href, `link of item ${code}`).toMatch(/\/items\/[0-9a-f-]{36}$/);
          urls.set(code, href!);
        }

        // Six required items without a document, and 1.12 neither uploaded nor declared not applicable.
        await expect(completeness(page)).toContainText("还有 7 个问题，处理后才能提交");
        await expect(blockers(page)).toHaveCount(7);
        await expect(completeness(page).getByRole("list", { name: /必需项尚未上传文件/ }).getByRole("listitem")).toHaveCount(6);
        await expect(completeness(page).getByRole("list", { name: /如适用项/ }).getByRole("listitem")).toHaveCount(1);
        await expect(completeness(page).getByRole("button", { name: "提交注册申请" })).toBeDisabled();
      });

      await test.step("2. uploads to every required item, 1.12 not applicable: the blockers shrink to none", async () => {
        let remaining = 7;
        for (const code of REQUIRED) {
          const file = testInfo.outputPath(`item-${code}-v1.pdf`);
          await writeFile(file, pdfBytes(`${number} ${code} v1`));
          // Straight from the completeness panel to the item.
          await blockerLink(page, code).click();
          await expect(page.getByRole("heading", { level: 1 })).toContainText(code);
          await uploadOnItemPage(page, file, 1);

          await page.getByRole("navigation", { name: "位置" }).getByRole("link").click();
          await expect(page).toHaveURL(new RegExp(`${overviewUrl}$`));
          remaining -= 1;
          await expect(blockers(page)).toHaveCount(remaining);
          await expect(blockerLink(page, code)).toHaveCount(0);
          await expect(checklistRow(page, code)).toContainText("已上传（第 1 版）");
        }

        await blockerLink(page, CONDITIONAL).click();
        await expect(page.getByRole("heading", { level: 1 })).toContainText(CONDITIONAL);
        const na = page.getByRole("region", { name: "不适用说明" });
        await na.getByLabel("不适用的理由").fill(naReason);
        await na.getByRole("button", { name: "保存不适用说明" }).click();
        await expect(na.getByRole("status")).toHaveText("已保存不适用说明。");
        await expect(page.getByRole("region", { name: "资料项信息" })).toContainText(naReason);

        await page.getByRole("navigation", { name: "位置" }).getByRole("link").click();
        await expect(page).toHaveURL(new RegExp(`${overviewUrl}$`));
        await expect(blockers(page)).toHaveCount(0);
        await expect(completeness(page)).toContainText("资料完整，可以提交。");
        await expect(checklistRow(page, CONDITIONAL)).toContainText(naReason);
      });

      await test.step("3. the advisor finds the dossier and flags a 必须补正 gap on 1.2", async () => {
        await login(advisor, DEMO_USERS.advisor.email);
        await expect(advisor).toHaveURL(/\/advisor$/);
        await waitForHydration(advisor);
        await advisor.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "我的辅导任务" }).click();
        await expect(advisor.getByRole("heading", { level: 1, name: "我的辅导任务" })).toBeVisible();
        const row = advisor.getByTestId("assignments").getByRole("row").filter({ has: advisor.getByRole("link", { name: number, exact: true }) });
        await expect(row).toHaveCount(1);
        await expect(row).toContainText(productName);
        await expect(row).toContainText("草稿");
        await row.getByRole("link", { name: number, exact: true }).click();
        await expect(advisor).toHaveURL(new RegExp(`${overviewUrl}$`));
        await expect(advisor.getByRole("heading", { level: 1 })).toContainText(number);

        await openItem(advisor, "1.2");
        const review = advisor.getByRole("region", { name: "辅导审核" });
        await review.getByLabel(/^问题说明/).fill(gapText);
        await review.getByRole("radio", { name: "必须补正" }).check();
        await review.getByRole("button", { name: "提出问题", exact: true }).click();
        await expect(review.getByRole("status")).toHaveText("已提出问题，企业会收到通知。");
        const gap = advisor.getByRole("article", { name: /^问题 1/ });
        await expect(gap).toContainText(gapText);
        await expect(gap.getByRole("heading", { level: 3 })).toContainText("必须补正");
        await expect(gap.getByRole("heading", { level: 3 })).toContainText("待回复");
      });

      await test.step("4. the applicant sees the open gap and answers it with version 2", async () => {
        await openOverview(page, overviewUrl, number);
        await expect(blockers(page)).toHaveCount(1);
        await expect(completeness(page).getByRole("list", { name: /有未解决的“必须补正”问题/ }).getByRole("listitem")).toHaveCount(1);
        await expect(completeness(page).getByRole("button", { name: "提交注册申请" })).toBeDisabled();
        await expect(checklistRow(page, "1.2")).toContainText("必须补正 ×1");

        await blockerLink(page, "1.2").click();
        await expect(page).toHaveURL(new RegExp(`${urls.get("1.2")}$`));
        const gap = page.getByRole("article", { name: /^问题 1/ });
        await expect(gap).toContainText(gapText);
        await expect(gap.getByRole("heading", { level: 3 })).toContainText("待回复");

        const file = testInfo.outputPath("item-1.2-v2.pdf");
        await writeFile(file, pdfBytes(`${number} 1.2 v2 (answer to the gap)`));
        await gap.getByText("上传新版本作为回复").click();
        await gap.getByLabel("回复说明（选填）").fill(replyText);
        await gap.getByLabel("选择文件").setInputFiles(file);
        await gap.getByRole("button", { name: "上传并回复" }).click();
        await expect(gap.getByRole("status")).toHaveText("已上传，保存为第 2 版。");

        const versions = page.getByTestId("versions");
        await expect(versions.getByRole("cell", { name: "第 2 版", exact: true })).toBeVisible();
        await expect(versions.getByRole("cell", { name: "第 1 版", exact: true })).toBeVisible();
        await expect(versions.getByRole("cell", { name: "item-1.2-v2.pdf" })).toBeVisible();
        await expect(gap.getByRole("heading", { level: 3 })).toContainText("已回复");
        await expect(gap).toContainText(replyText);
        await expect(gap.getByRole("link", { name: "随附文件：第 2 版" })).toBeVisible();

        // A reply alone does not lift a 必须补正 gap: only the advisor's resolution does.
        await page.getByRole("navigation", { name: "位置" }).getByRole("link").click();
        await expect(page).toHaveURL(new RegExp(`${overviewUrl}$`));
        await expect(blockers(page)).toHaveCount(1);
        await expect(checklistRow(page, "1.2")).toContainText("已上传（第 2 版）");
      });

      await test.step("5. the advisor resolves the gap", async () => {
        await advisor.reload();
        await waitForHydration(advisor);
        const gap = advisor.getByRole("article", { name: /^问题 1/ });
        await expect(gap.getByRole("heading", { level: 3 })).toContainText("已回复");
        await expect(gap).toContainText(replyText);
        await gap.getByLabel("处理意见（选填）").fill("已核对第 2 版，问题解决。");
        await gap.getByRole("button", { name: "标记为已解决" }).click();
        await expect(gap.getByRole("status")).toHaveText("问题已标记为已解决。");
        await expect(gap.getByRole("heading", { level: 3 })).toContainText("已解决");
      });

      let receiptUrl = "";
      await test.step("6. the applicant submits and gets the receipt", async () => {
        await openOverview(page, overviewUrl, number);
        await expect(blockers(page)).toHaveCount(0);
        await expect(completeness(page)).toContainText("资料完整，可以提交。");
        const submit = completeness(page).getByRole("button", { name: "提交注册申请" });
        await expect(submit).toBeEnabled();
        await submit.click();

        await expect(page).toHaveURL(/\/receipt\/[0-9a-f-]{36}\?submitted=1$/);
        receiptUrl = new URL(page.url()).pathname;
        await expect(page.getByRole("heading", { level: 1, name: "注册申请提交回执" })).toBeVisible();
        await expect(page.getByRole("status").filter({ hasText: "注册申请已提交" })).toBeVisible();
        const receipt = page.getByRole("article", { name: "注册申请提交回执" });
        await expect(receipt).toContainText(number);
        await expect(receipt).toContainText(productName);

        const table = receipt.getByRole("table", { name: "提交的资料（共 7 项）" });
        await expect(table.getByRole("row")).toHaveCount(1 + ALL_CODES.length);
        const entry = (code: string) => table.getByRole("row").filter({ has: page.getByRole("cell", { name: code, exact: true }) });
        await expect(entry("1.2")).toContainText("第 2 版 · item-1.2-v2.pdf");
        for (const code of REQUIRED.filter((c) => c !== "1.2")) await expect(entry(code)).toContainText(`第 1 版 · item-${code}-v1.pdf`);
        await expect(entry(CONDITIONAL)).toContainText(`不适用：${naReason}`);

        // The print button appears once the page is interactive; window.print is stubbed so no dialog opens.
        const print = page.getByRole("button", { name: "打印" });
        await expect(print).toBeVisible();
        await page.evaluate(() => {
          const w = window as unknown as { __printCalls: number };
          w.__printCalls = 0;
          window.print = () => {
            w.__printCalls += 1;
          };
        });
        await print.click();
        await expect.poll(() => page.evaluate(() => (window as unknown as { __printCalls: number }).__printCalls)).toBe(1);

        await page.getByRole("link", { name: `← ${number}` }).click();
        await expect(page).toHaveURL(new RegExp(`${overviewUrl}$`));
        await expect(page.locator("h1 + .lead [data-status]")).toHaveText("已提交");
        await expect(completeness(page)).toHaveCount(0);
        await expect(page.getByRole("region", { name: "提交记录" }).getByRole("link", { name: "第 1 次提交的回执" })).toHaveAttribute("href", receiptUrl);
      });

      await test.step("axe: overview, item page, advisor list and receipt", async () => {
        const pages: { who: Page; url: string; ready: (p: Page) => Locator }[] = [
          { who: page, url: overviewUrl, ready: (p) => p.getByRole("heading", { level: 1, name: new RegExp(number) }) },
          { who: page, url: urls.get("1.2")!, ready: (p) => p.getByRole("article", { name: /^问题 1/ }) },
          { who: page, url: receiptUrl, ready: (p) => p.getByRole("button", { name: "打印" }) },
          { who: advisor, url: "/advisor", ready: (p) => p.getByTestId("assignments") },
          { who: advisor, url: urls.get("1.2")!, ready: (p) => p.getByRole("region", { name: "辅导审核" }) },
        ];
        for (const { who, url, ready } of pages) {
          await who.goto(url);
          await expect(ready(who)).toBeVisible();
          expect(await seriousViolations(who), `axe violations on ${url}`).toEqual([]);
        }
      });

      expect(advisorErrors, "errors in the advisor's page").toEqual([]);
    } finally {
      await advisorContext.close();
    }
  });
});
