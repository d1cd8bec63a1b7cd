/** The header's language switch: zh-CN (default) → English → zh-CN. */
import { expect, test } from "./fixtures.ts";

test("switching the sign-in page to English and back", async ({ page }) => {
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();

  await page.getByRole("button", { name: /English/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel(/^Email/)).toBeVisible();

  // The choice is remembered (cookie) across navigation.
  await page.goto("/register");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.goto("/login");

  await page.getByRole("button", { name: /中文/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
});
