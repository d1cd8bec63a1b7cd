/**
 * Keyboard only (zh-CN): the dossier journey without a mouse. Every control is
 * reached with Tab / Shift+Tab and used with Enter, Space and the arrow keys;
 * text is typed once Tab has put the focus in its field. No click, fill,
 * check or selectOption, and no locator.focus(). The one exception is the
 * file: Space on the focused file input opens the operating system's file
 * dialog, which Playwright answers with the file (filechooser.setFiles).
 *
 *  1. the applicant signs in, opens 新建注册申请 from the main navigation and
 *     creates a 延续注册 dossier (registration type with the arrow keys,
 *     product kind and green-channel grounds with Space, catalogue code by
 *     typing its first characters); a factory supplies every item but 1.2 and 1.12;
 *  2. from the completeness panel: uploads 1.2 through the file dialog and
 *     declares 1.12 not applicable, back to the overview by the breadcrumb each time;
 *  3. the advisor signs in, opens the dossier from 我的辅导任务, raises a 建议
 *     (should) gap on 1.2 and marks 1.5 审核通过;
 *  4. the applicant submits and gets the receipt;
 *  5. the window searches the queue for the dossier and accepts it (受理).
 *
 * On the way: the skip link is the first Tab stop of a freshly loaded page and
 * leads into the main landmark, and every Tab stop shows a focus indicator
 * (an outline or a box shadow) on screen.
 */
import { writeFile } from "node:fs/promises";
import type { BrowserContext, Locator, Page } from "@playwright/test";
import { blockerLink, checklistRow, completeness, pdfBytes, waitForHydration, watchErrors } from "./dossier-pages.ts";
import { fillChecklistExcept } from "./factories.ts";
import { DEMO_PASSWORD, DEMO_USERS, expect, newUserContext, test, uniqueSuffix, type DemoRole } from "./fixtures.ts";

/** Where the focus is, and whether a sighted keyboard user can see it there. */
interface FocusStop {
  description: string;
  visible: boolean;
}

/** Drives one page by keyboard and keeps every Tab stop that showed no focus indicator. */
class KeyboardUser {
  /** "<page> <element>" of each Tab stop without a visible focus indicator (once each). */
  readonly unseenFocus = new Set<string>();
  tabStops = 0;

  constructor(
    readonly page: Page,
    readonly who: DemoRole,
  ) {}

  private async focusStop(): Promise<FocusStop | null> {
    return this.page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body || !(el instanceof HTMLElement)) return null;
      const style = getComputedStyle(el);
      const indicator = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
      const rect = el.getBoundingClientRect();
      const onScreen = rect.width > 1 && rect.height > 1 && rect.bottom > 0 && rect.right > 0 && rect.top < window.innerHeight && rect.left < window.innerWidth;
      const label = el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement ? el.labels?.[0]?.innerText : undefined;
      const name = (el.getAttribute("aria-label") ?? label ?? el.innerText ?? "").trim().replace(/\s+/g, " ").slice(0, 40);
      const type = el.getAttribute("type");
      // React's generated ids (":r1:") say nothing: only authored ones are shown.
      const id = el.id && !el.id.startsWith(":") ? `#${el.id}` : "";
      // A date field's calendar button is focused inside the field: the field itself does not match :focus then.
      const inner = el.matches(":focus") ? "" : " (focus on a part inside it)";
      const problems = [indicator ? "" : " no outline or box shadow", onScreen ? "" : " off screen"].join("");
      return { description: `<${el.tagName.toLowerCase()}${id}${type ? ` type=${type}` : ""}> "${name}"${inner}${problems}`, visible: indicator && onScreen };
    });
  }

  /** Presses Tab (Shift+Tab with `back`) until `target` has the focus; fails when `max` presses do not get there. */
  async tabTo(target: Locator, { back = false, max = 150 } = {}): Promise<void> {
    await expect(target).toBeVisible();
    for (let i = 0; i < max; i++) {
      await this.page.keyboard.press(back ? "Shift+Tab" : "Tab");
      this.tabStops += 1;
      const stop = await this.focusStop();
      if (stop && !stop.visible) this.unseenFocus.add(`${new URL(this.page.url()).pathname} ${stop.description}`);
      if (await target.evaluate((el) => el === document.activeElement)) return;
    }
    throw new Error(`${this.who}: ${target.toString()} not reached with ${back ? "Shift+Tab" : "Tab"} in ${max} presses on ${this.page.url()}`);
  }

  /** Tabs to a text field and types into it. */
  async typeInto(field: Locator, text: string): Promise<void> {
    await this.tabTo(field);
    await this.page.keyboard.type(text);
    await expect(field).toHaveValue(text);
  }

  /** Tabs to a link or button and presses Enter. */
  async activate(control: Locator, options?: { back?: boolean }): Promise<void> {
    await this.tabTo(control, options);
    await this.page.keyboard.press("Enter");
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  /**
   * On a freshly loaded page: the first Tab stop is the skip link, shown on
   * screen; Enter on it moves the starting point into <main>, so the next Tab
   * lands on a control inside the main landmark.
   */
  async skipToMain(): Promise<void> {
    await expect(this.page.getByRole("main")).toHaveCount(1);
    await this.page.keyboard.press("Tab");
    this.tabStops += 1;
    const skip = this.page.getByRole("link", { name: "跳到主要内容" });
    await expect(skip).toBeFocused();
    const stop = await this.focusStop();
    expect(stop?.visible, `skip link visible when focused: ${stop?.description}`).toBe(true);
    await this.page.keyboard.press("Enter");
    await this.page.keyboard.press("Tab");
    this.tabStops += 1;
    expect(await this.page.evaluate(() => !!document.activeElement?.closest("main")), "the Tab after the skip link lands inside <main>").toBe(true);
  }

  /** Signs in through /login by keyboard and waits for the role's home page. */
  async signIn(): Promise<void> {
    const user = DEMO_USERS[this.who];
    await this.page.goto("/login");
    await waitForHydration(this.page);
    await this.skipToMain();
    await this.typeInto(this.page.getByLabel(/^电子邮箱/), user.email);
    await this.typeInto(this.page.getByLabel(/^密码/), DEMO_PASSWORD);
    await this.page.keyboard.press("Enter");
    await expect(this.page).toHaveURL(new RegExp(`${user.home}$`));
    await expect(this.page.getByRole("heading", { level: 1, name: user.heading })).toBeVisible();
    await waitForHydration(this.page);
  }

  expectFocusAlwaysVisible(): void {
    expect([...this.unseenFocus], `${this.who}: Tab stops without a visible focus indicator`).toEqual([]);
  }
}

const breadcrumb = (page: Page) => page.getByRole("navigation", { name: "位置" }).getByRole("link");

test.describe("keyboard only", () => {
  test("an applicant prepares and submits a dossier, the advisor reviews it and the window accepts it, all by keyboard", async ({ page, browser }, testInfo) => {
    test.setTimeout(240_000);
    const suffix = uniqueSuffix();
    const productName = `一次性使用血压袖带 KB-${suffix}`;
    const applicant = new KeyboardUser(page, "applicant");
    const contexts: BrowserContext[] = [];
    const users = [applicant];
    const otherErrors: string[][] = [];
    const open = async (who: DemoRole) => {
      const context = await newUserContext(browser, testInfo);
      contexts.push(context);
      const other = await context.newPage();
      otherErrors.push(watchErrors(other));
      const user = new KeyboardUser(other, who);
      users.push(user);
      return user;
    };
    let overviewUrl = "";
    let number = "";

    try {
      await test.step("1. the applicant creates a renewal dossier through the form", async () => {
        await applicant.signIn();
        await applicant.activate(page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "新建注册申请" }));
        await expect(page.getByRole("heading", { level: 1, name: "新建注册申请" })).toBeVisible();
        await waitForHydration(page);

        await applicant.typeInto(page.getByLabel(/^产品名称/), productName);
        await applicant.typeInto(page.getByLabel(/^型号、规格/), "BP-C1、BP-C2");
        await applicant.typeInto(page.getByLabel(/^结构及组成/), "由袖带囊、外套和连接管组成。");
        await applicant.typeInto(page.getByLabel(/^适用范围/), "与电子血压计配合使用，用于测量成人血压。");
        // A radio group is one Tab stop; nothing is chosen yet, so Tab lands on the first type and the arrows choose.
        await applicant.tabTo(page.getByRole("radio", { name: "首次注册", exact: true }));
        await applicant.press("ArrowDown");
        await applicant.press("ArrowDown");
        await expect(page.getByRole("radio", { name: "延续注册", exact: true })).toBeChecked();
        await expect(page.getByRole("radio", { name: "延续注册", exact: true })).toBeFocused();
        await applicant.tabTo(page.getByRole("radio", { name: "医疗器械", exact: true }));
        await applicant.press("Space");
        await expect(page.getByRole("radio", { name: "医疗器械", exact: true })).toBeChecked();
        // A closed <select> picks the option whose label starts with what is typed.
        await applicant.tabTo(page.getByLabel(/^分类编码/));
        await page.keyboard.type("07");
        await expect(page.getByLabel(/^分类编码/)).toHaveValue("07");
        for (const ground of ["东丽区医疗器械产业聚集区企业", "在本区生产"]) {
          await applicant.tabTo(page.getByRole("checkbox", { name: ground }));
          await applicant.press("Space");
          await expect(page.getByRole("checkbox", { name: ground })).toBeChecked();
        }
        await applicant.typeInto(page.getByLabel(/^申请绿色通道的依据/), "企业位于东丽区医疗器械产业聚集区，产品在本区生产。");
        await applicant.activate(page.getByRole("button", { name: "创建注册申请" }));

        await expect(page).toHaveURL(/\/dossiers\/[0-9a-f-]{36}\?created=1$/);
        overviewUrl = new URL(page.url()).pathname;
        number = (await page.locator("h1 .dossier-number").innerText()).trim();
        await expect(page.getByRole("main")).toContainText("延续注册 · 医疗器械");
        await fillChecklistExcept(number, ["1.2", "1.12"]);
      });

      await test.step("2. the applicant uploads 1.2 and declares 1.12 not applicable", async () => {
        await page.reload();
        await expect(page.getByRole("heading", { level: 1 })).toContainText(number);
        await waitForHydration(page);
        await applicant.skipToMain();
        await expect(completeness(page).getByRole("listitem")).toHaveCount(2);

        const file = testInfo.outputPath("item-1.2.pdf");
        await writeFile(file, pdfBytes(`${number} 1.2 keyboard`));
        await applicant.activate(blockerLink(page, "1.2"));
        await expect(page.getByRole("heading", { level: 1 })).toContainText("1.2");
        const upload = page.getByRole("region", { name: "上传新版本" });
        await applicant.tabTo(upload.getByLabel("选择文件"));
        // Space opens the file dialog; Playwright answers it with the file.
        const chooser = page.waitForEvent("filechooser");
        await applicant.press("Space");
        await (await chooser).setFiles(file);
        await applicant.activate(upload.getByRole("button", { name: "上传", exact: true }));
        await expect(upload.getByRole("status")).toHaveText("已上传，保存为第 1 版。");
        await expect(page.getByTestId("versions").getByRole("cell", { name: "第 1 版", exact: true })).toBeVisible();
        await applicant.activate(breadcrumb(page), { back: true });
        await expect(page).toHaveURL(new RegExp(`${overviewUrl}$`));
        await expect(completeness(page).getByRole("listitem")).toHaveCount(1);

        await applicant.activate(blockerLink(page, "1.12"));
        await expect(page.getByRole("heading", { level: 1 })).toContainText("1.12");
        const na = page.getByRole("region", { name: "不适用说明" });
        await applicant.typeInto(na.getByLabel("不适用的理由"), `本次延续注册不涉及此项（KB-${suffix}）。`);
        await applicant.activate(na.getByRole("button", { name: "保存不适用说明" }));
        await expect(na.getByRole("status")).toHaveText("已保存不适用说明。");
        await applicant.activate(breadcrumb(page), { back: true });
        await expect(page).toHaveURL(new RegExp(`${overviewUrl}$`));
        await expect(completeness(page)).toContainText("资料完整，可以提交。");
      });

      await test.step("3. the advisor raises a 建议 gap on 1.2 and marks 1.5 审核通过", async () => {
        const advisor = await open("advisor");
        const page2 = advisor.page;
        await advisor.signIn();
        await advisor.activate(page2.getByTestId("assignments").getByRole("link", { name: number, exact: true }));
        await expect(page2).toHaveURL(new RegExp(`${overviewUrl}$`));

        await advisor.activate(checklistRow(page2, "1.2").getByRole("link"));
        await expect(page2.getByRole("heading", { level: 1 })).toContainText("1.2");
        const review = page2.getByRole("region", { name: "辅导审核" });
        await advisor.typeInto(review.getByLabel(/^问题说明/), `建议在说明书中补充袖带尺寸的选择方法（KB-${suffix}）。`);
        // The severity group has 必须补正 chosen; Tab enters the group on it and ArrowDown moves to 建议.
        await advisor.tabTo(review.getByRole("radio", { name: "必须补正" }));
        await advisor.press("ArrowDown");
        await expect(review.getByRole("radio", { name: "建议" })).toBeChecked();
        await advisor.activate(review.getByRole("button", { name: "提出问题", exact: true }));
        await expect(review.getByRole("status")).toHaveText("已提出问题，企业会收到通知。");
        await expect(page2.getByRole("article", { name: /^问题 1/ }).getByRole("heading", { level: 3 })).toContainText("建议");

        await advisor.activate(breadcrumb(page2), { back: true });
        await expect(page2).toHaveURL(new RegExp(`${overviewUrl}$`));
        await advisor.activate(checklistRow(page2, "1.5").getByRole("link"));
        await expect(page2.getByRole("heading", { level: 1 })).toContainText("1.5");
        await advisor.activate(page2.getByRole("button", { name: "标记为审核通过" }));
        await expect(page2.getByRole("region", { name: "辅导审核" }).getByRole("status")).toHaveText("已标记为审核通过，企业会收到通知。");
        advisor.expectFocusAlwaysVisible();
      });

      await test.step("4. the applicant submits and gets the receipt", async () => {
        await page.reload();
        await waitForHydration(page);
        await expect(completeness(page)).toContainText("资料完整，可以提交。");
        await applicant.activate(completeness(page).getByRole("button", { name: "提交注册申请" }));
        await expect(page).toHaveURL(/\/receipt\/[0-9a-f-]{36}\?submitted=1$/);
        await expect(page.getByRole("heading", { level: 1, name: "注册申请提交回执" })).toBeVisible();
        applicant.expectFocusAlwaysVisible();
      });

      await test.step("5. the window finds the dossier in the queue and accepts it", async () => {
        const staff = await open("window");
        const page3 = staff.page;
        await staff.signIn();
        await staff.typeInto(page3.getByRole("searchbox", { name: /^搜索/ }), number);
        await staff.press("Enter");
        await expect(page3).toHaveURL(/\/window\?.*q=/);
        await staff.activate(page3.getByRole("link", { name: number, exact: true }));
        await expect(page3).toHaveURL(new RegExp(`${overviewUrl}$`));
        await waitForHydration(page3);
        await staff.activate(page3.getByRole("region", { name: "受理", exact: true }).getByRole("button", { name: "受理", exact: true }));
        await expect(page3.locator("h1 + .lead [data-status]")).toHaveText("已受理");
        staff.expectFocusAlwaysVisible();
      });

      for (const errors of otherErrors) expect(errors, "errors in the advisor's or window's page").toEqual([]);
      testInfo.annotations.push({ type: "Tab stops", description: users.map((u) => `${u.who} ${u.tabStops}`).join(", ") });
    } finally {
      await Promise.all(contexts.map((c) => c.close()));
    }
  });
});
