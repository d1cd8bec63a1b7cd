/**
 * Page helpers shared by the dossier journeys (zh-CN UI): test files, error
 * watching, hydration, the overview's panels and the new-dossier form.
 */
import type { Locator, Page } from "@playwright/test";
import { expect } from "./fixtures.ts";

/** A tiny but real-looking PDF (the upload route sniffs the `%PDF-` signature). */
export function pdfBytes(label: string): string {
  return [
    "%PDF-1.4",
    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
    "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj",
    `% ${label}`,
    "trailer << /Root 1 0 R >>",
    "%%EOF",
    "",
  ].join("\n");
}

/** Collects uncaught exceptions and console errors of a page the `page` fixture does not watch. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console.error: ${message.text()} (${message.location().url})`);
  });
  return errors;
}

/**
 * Waits until React has hydrated a page that was loaded in full (goto, reload,
 * a redirect after a no-JS post). React tags every hydrated element with its
 * props; <html> is completed last, in the same task as the commit, so once it
 * carries them the refs (react-hook-form's) and the event handlers are in
 * place. Typing before that could be undone (react-hook-form resets checkboxes
 * to their default values when it registers them), and an upload form would
 * post without JavaScript. Pages reached by a client-side navigation need no wait.
 */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => Object.keys(document.documentElement).some((key) => key.startsWith("__reactProps$")));
}

export const mainNav = (page: Page) => page.getByRole("navigation", { name: "主导航" });
export const completeness = (page: Page) => page.getByRole("region", { name: "完整性检查" });
/** The completeness panel's link to an item that blocks submission. */
export const blockerLink = (page: Page, code: string) => completeness(page).getByRole("link", { name: new RegExp(`^${code.replace(".", "\\.")} `) });

/** The checklist row of an item on the overview (the code is in a cell of its own). */
export function checklistRow(page: Page, code: string): Locator {
  return page
    .getByRole("region", { name: "申报资料清单" })
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: code, exact: true }) });
}

/** The overview, fully loaded: the heading carries the dossier number. */
export async function openOverview(page: Page, overviewUrl: string, number: string) {
  await page.goto(overviewUrl);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(number);
  await waitForHydration(page);
}

export interface NewDossierFields {
  productName: string;
  model: string;
  structure: string;
  intendedUse: string;
  /** The registration type's label: 首次注册 / 变更注册 / 延续注册. */
  registrationType: string;
  catalogueCode: string;
}

/** Opens 新建注册申请 from the main navigation and fills the form as a cluster company manufacturing in the district (not submitted). */
export async function fillNewDossierForm(page: Page, fields: NewDossierFields) {
  await mainNav(page).getByRole("link", { name: "新建注册申请" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "新建注册申请" })).toBeVisible();
  await waitForHydration(page);
  await page.getByLabel(/^产品名称/).fill(fields.productName);
  await page.getByLabel(/^型号、规格/).fill(fields.model);
  await page.getByLabel(/^结构及组成/).fill(fields.structure);
  await page.getByLabel(/^适用范围/).fill(fields.intendedUse);
  await page.getByRole("radio", { name: fields.registrationType, exact: true }).check();
  await page.getByRole("radio", { name: "医疗器械", exact: true }).check();
  await page.getByLabel(/^分类编码/).selectOption(fields.catalogueCode);
  await page.getByRole("checkbox", { name: "东丽区医疗器械产业聚集区企业" }).check();
  await page.getByRole("checkbox", { name: "在本区生产" }).check();
  await page.getByLabel(/^申请绿色通道的依据/).fill("企业位于东丽区医疗器械产业聚集区，产品在本区生产。");
}
