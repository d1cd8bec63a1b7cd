/**
 * A company registers, verifies its email through the development mailbox
 * (read by the admin in a second browser), and signs in.
 */
import { DEMO_USERS, expect, generateUscc, login, test, uniqueEmail, uniqueSuffix } from "./fixtures.ts";

const PASSWORD = "Tianjin#Device2026";
const VERIFY_SUBJECT = "【绿通】请验证您的邮箱";

test("company registration, email verification and first sign-in", async ({ page, browser }, testInfo) => {
  const companyName = `天津绿通测试医疗器械有限公司${uniqueSuffix()}`;
  const contactName = "陈测试";
  const email = uniqueEmail("register");
  const uscc = generateUscc();

  await test.step("a wrong check character is reported next to the field, other input is kept", async () => {
    await page.goto("/register");
    await expect(page.getByRole("heading", { level: 1, name: "企业注册" })).toBeVisible();
    await page.getByLabel(/^企业名称/).fill(companyName);
    await page.getByLabel(/^统一社会信用代码/).fill(uscc.wrongCheck);
    await page.getByLabel(/^联系人姓名/).fill(contactName);
    await page.getByLabel(/^电子邮箱/).fill(email);
    await page.getByLabel(/^密码/).fill(PASSWORD);
    await page.getByLabel(/^确认密码/).fill(PASSWORD);
    await page.getByRole("button", { name: "注册", exact: true }).click();

    const usccInput = page.getByLabel(/^统一社会信用代码/);
    const usccField = page.locator(".field").filter({ has: usccInput });
    await expect(usccField.getByRole("alert")).toContainText("统一社会信用代码校验位不正确");
    await expect(usccInput).toHaveAttribute("aria-invalid", "true");
    await expect(usccInput).toHaveAccessibleDescription(/统一社会信用代码校验位不正确/);
    // Still on the form, with everything the user typed.
    await expect(page.getByRole("heading", { level: 1, name: "企业注册" })).toBeVisible();
    await expect(usccInput).toHaveValue(uscc.wrongCheck);
    await expect(page.getByLabel(/^企业名称/)).toHaveValue(companyName);
    await expect(page.getByLabel(/^联系人姓名/)).toHaveValue(contactName);
    await expect(page.getByLabel(/^电子邮箱/)).toHaveValue(email);
    await expect(page.getByLabel(/^密码/)).toHaveValue(PASSWORD);
    await expect(page.getByLabel(/^确认密码/)).toHaveValue(PASSWORD);
  });

  await test.step("with the right check character the registration goes through", async () => {
    await page.getByLabel(/^统一社会信用代码/).fill(uscc.valid);
    await page.getByRole("button", { name: "注册", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "请查收验证邮件" })).toBeVisible();
    await expect(page.getByRole("status")).toContainText(email);
  });

  const verificationLink = await test.step("the admin finds the verification email in the dev mailbox", async () => {
    const admin = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: "zh-CN" });
    try {
      const adminPage = await admin.newPage();
      await login(adminPage, DEMO_USERS.admin.email);
      await adminPage.goto("/mailbox");
      await expect(adminPage.getByRole("heading", { level: 1, name: "开发邮箱" })).toBeVisible();
      // The worker delivers within seconds; reload until the message is listed.
      const row = adminPage.getByRole("row").filter({ hasText: email });
      await expect(async () => {
        await adminPage.reload();
        await expect(row).toHaveCount(1, { timeout: 1_000 });
      }).toPass({ timeout: 20_000, intervals: [500, 1_000, 2_000] });
      await row.getByRole("link", { name: VERIFY_SUBJECT }).click();
      await expect(adminPage.getByRole("heading", { level: 1, name: VERIFY_SUBJECT })).toBeVisible();
      const body = (await adminPage.getByTestId("mail-body").textContent()) ?? "";
      const link = /https?:\/\/[^\s<>"']+\/verify-email\?token=[^\s<>"']+/.exec(body)?.[0];
      expect(link, `verification link in the mail body:\n${body}`).toBeTruthy();
      return link!;
    } finally {
      await admin.close();
    }
  });

  await test.step("the link confirms the email", async () => {
    // The link must point at this portal (APP_URL).
    expect(new URL(verificationLink).origin).toBe(new URL(testInfo.project.use.baseURL!).origin);
    await page.goto(verificationLink);
    await expect(page.getByRole("heading", { level: 1, name: "验证邮箱" })).toBeVisible();
    await expect(page.getByText(email)).toBeVisible();
    await page.getByRole("button", { name: "确认验证" }).click();
    await expect(page).toHaveURL(/\/login\?verified=1$/);
    await expect(page.getByRole("status")).toContainText("邮箱验证成功");
  });

  await test.step("the new user signs in and sees the applicant home", async () => {
    await login(page, email, PASSWORD);
    await expect(page).toHaveURL(/\/applicant$/);
    await expect(page.getByRole("heading", { level: 1, name: "我的注册申请" })).toBeVisible();
    const chip = page.getByTestId("user-chip");
    await expect(chip).toContainText(companyName);
    await expect(chip).toContainText(contactName);
    await expect(chip).toContainText("申请企业");
  });
});
