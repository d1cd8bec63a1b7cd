/** Shared helpers for the end-to-end specs (zh-CN UI, the launcher's demo data). */
import { randomInt } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Browser, type BrowserContext, type Page, type TestInfo } from "@playwright/test";

export { expect };

/**
 * `test` with an automatic check: an uncaught exception or a console error in
 * the page (hydration mismatch, CSP violation, failed script) fails the test.
 */
export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(`console.error: ${message.text()} (${message.location().url})`);
      });
      await use(errors);
      expect(errors, "errors in the page").toEqual([]);
    },
    { auto: true },
  ],
});

export const DEMO_PASSWORD = "Greenlane@2026";

export type DemoRole = "applicant" | "advisor" | "window" | "admin" | "auditor";

/** The demo users seeded by the launcher, with what their home page shows in zh-CN. */
export const DEMO_USERS: Record<DemoRole, { email: string; roleName: string; home: string; heading: string }> = {
  applicant: { email: "applicant@demo.greenlane.local", roleName: "申请企业", home: "/applicant", heading: "我的注册申请" },
  advisor: { email: "advisor@demo.greenlane.local", roleName: "辅导专员", home: "/advisor", heading: "我的辅导任务" },
  window: { email: "window@demo.greenlane.local", roleName: "窗口人员", home: "/window", heading: "办件队列" },
  admin: { email: "admin@demo.greenlane.local", roleName: "系统管理员", home: "/admin", heading: "用户管理" },
  auditor: { email: "auditor@demo.greenlane.local", roleName: "审计员", home: "/audit", heading: "审计日志" },
};

export const ROLES = Object.keys(DEMO_USERS) as DemoRole[];

/** Signs in through the /login form and waits until the portal has left the sign-in page. */
export async function login(page: Page, email: string, password: string = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
  await page.getByLabel(/^电子邮箱/).fill(email);
  await page.getByLabel(/^密码/).fill(password);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page).not.toHaveURL(/\/login(\?|$)/);
}

/** Signs in as one of the demo users and checks that its home page is shown. */
export async function loginAs(page: Page, role: DemoRole): Promise<void> {
  const user = DEMO_USERS[role];
  await login(page, user.email);
  await expect(page).toHaveURL(new RegExp(`${user.home}$`));
  await expect(page.getByRole("heading", { level: 1, name: user.heading })).toBeVisible();
}

/** A browser context of its own for another person in a journey, with the project's settings (zh-CN, Shanghai time, 1280×800). */
export async function newUserContext(browser: Browser, testInfo: TestInfo): Promise<BrowserContext> {
  return browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: "zh-CN", timezoneId: "Asia/Shanghai", viewport: { width: 1280, height: 800 } });
}

/** 统一社会信用代码 (GB 32100-2015): alphabet without I, O, S, V, Z; check character mod 31. */
export const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new Error(`need 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17[i]!);
    if (value < 0) throw new Error(`"${first17[i]}" is not a USCC character`);
    sum += value * USCC_WEIGHTS[i]!;
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/**
 * A fresh, valid code: "91" (enterprise, registered with 市场监管), 120110
 * (天津市东丽区), a random 9-character organisation code and the check character.
 */
export function generateUscc(): { valid: string; wrongCheck: string } {
  let org = "";
  for (let i = 0; i < 9; i++) org += USCC_ALPHABET[randomInt(USCC_ALPHABET.length)];
  const first17 = `91120110${org}`;
  const check = usccCheckCharacter(first17);
  const wrong = USCC_ALPHABET[(USCC_ALPHABET.indexOf(check) + 1 + randomInt(USCC_ALPHABET.length - 1)) % USCC_ALPHABET.length]!;
  return { valid: first17 + check, wrongCheck: first17 + wrong };
}

/** A mailbox address nobody else uses (per run, per call). */
export function uniqueEmail(prefix = "e2e"): string {
  return `${prefix}-${Date.now().toString(36)}-${randomInt(36 ** 4).toString(36)}@e2e.greenlane.test`;
}

/** A short suffix for names that must be unique (company names). */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36).slice(-5)}${randomInt(36 ** 3).toString(36)}`.toUpperCase();
}

/** Fails the test with the page's serious and critical axe violations, if any. */
export async function expectNoSeriousViolations(page: Page) {
  expect(await seriousViolations(page), `axe violations on ${page.url()}`).toEqual([]);
}

/** axe-core's serious and critical violations on the page, in a readable shape. */
export async function seriousViolations(page: Page, builder = new AxeBuilder({ page })) {
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
    }));
}
