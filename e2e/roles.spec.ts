/** Every demo role signs in through the form, lands on its home page, and signs out. */
import { DEMO_USERS, expect, login, ROLES, test } from "./fixtures.ts";

for (const role of ROLES) {
  const user = DEMO_USERS[role];

  test(`${role} (${user.roleName}) signs in and out`, async ({ page }) => {
    await login(page, user.email);
    await expect(page).toHaveURL(new RegExp(`${user.home}$`));
    await expect(page.getByRole("heading", { level: 1, name: user.heading })).toBeVisible();

    const chip = page.getByTestId("user-chip");
    await expect(chip).toContainText(user.roleName);
    await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();

    await page.getByRole("button", { name: "退出登录" }).click();
    await expect(page).toHaveURL(/\/login\?signedOut=1$/);
    await expect(page.getByRole("status")).toContainText("您已安全退出");
    await expect(page.getByTestId("user-chip")).toHaveCount(0);

    // The session is gone: the home page sends us back to sign in.
    await page.goto(user.home);
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
  });
}
