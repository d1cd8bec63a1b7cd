/**
 * axe-core on the public pages and on each role's home page: no serious or
 * critical violations. Also keeps a full-page screenshot of every home page
 * in test-results/screenshots/<role>.png.
 */
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, loginAs, ROLES, seriousViolations, test } from "./fixtures.ts";

async function expectNoSeriousViolations(page: Page) {
  expect(await seriousViolations(page), `axe violations on ${page.url()}`).toEqual([]);
}

for (const publicPath of ["/login", "/register", "/verify", "/district/indicators"]) {
  test(`${publicPath} has no serious accessibility violations`, async ({ page }) => {
    await page.goto(publicPath);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSeriousViolations(page);
  });
}

for (const role of ROLES) {
  test(`${role} home has no serious accessibility violations`, async ({ page }, testInfo) => {
    await loginAs(page, role);
    await page.screenshot({ path: path.join(testInfo.project.outputDir, "screenshots", `${role}.png`), fullPage: true });
    await expectNoSeriousViolations(page);
  });
}

// The role pages beyond the homes that the journeys do not already check.
const MORE_PAGES: [Parameters<typeof loginAs>[1], string][] = [
  ["window", "/window/calendar"],
  ["window", "/window/policy"],
  ["window", "/window/unassigned"],
  ["window", "/window/deferrals"],
  ["window", "/window/deliveries"],
  ["window", "/window/clock-policy"],
  ["window", "/indicators"],
  ["window", "/indicators/certificates/new"],
  ["auditor", "/indicators"],
  ["advisor", "/advisor/deferrals"],
  ["advisor", "/advisor/profile"],
  ["applicant", "/applicant/company"],
  ["applicant", "/dossiers/new"],
  ["applicant", "/notifications"],
  ["admin", "/admin/users/new"],
  ["admin", "/mailbox"],
];
for (const [role, pagePath] of MORE_PAGES) {
  test(`${pagePath} (${role}) has no serious accessibility violations`, async ({ page }) => {
    await loginAs(page, role);
    await page.goto(pagePath);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSeriousViolations(page);
  });
}
