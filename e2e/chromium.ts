/**
 * Which Chromium the end-to-end tests drive. Playwright cannot download its
 * own browser build here, so the order is:
 *   1. PLAYWRIGHT_CHROMIUM_EXECUTABLE, if set (must exist);
 *   2. Playwright's own Chromium, if `npx playwright install chromium` ever ran;
 *   3. the distribution's /usr/bin/chromium (Debian: `apt-get install -y chromium`).
 * Shared by playwright.config.ts and scripts/run-e2e.ts.
 */
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

export const CHROMIUM_HELP = [
  "No Chromium found for the end-to-end tests.",
  "Install one with:  apt-get install -y chromium   (provides /usr/bin/chromium)",
  "or point to an existing build:  PLAYWRIGHT_CHROMIUM_EXECUTABLE=/path/to/chrome npm run test:e2e",
].join("\n");

export interface ChromiumChoice {
  path: string;
  source: "PLAYWRIGHT_CHROMIUM_EXECUTABLE" | "playwright" | "system";
}

function playwrightsOwnChromium(): string | undefined {
  try {
    const candidate = chromium.executablePath();
    return candidate && existsSync(candidate) ? candidate : undefined;
  } catch {
    return undefined;
  }
}

/** The Chromium to use, or null when there is none. */
export function findChromium(env: Record<string, string | undefined> = process.env): ChromiumChoice | null {
  const override = env.PLAYWRIGHT_CHROMIUM_EXECUTABLE;
  if (override) {
    // An explicit choice that does not exist is an error, not a reason to pick another browser.
    return existsSync(override) ? { path: override, source: "PLAYWRIGHT_CHROMIUM_EXECUTABLE" } : null;
  }
  const own = playwrightsOwnChromium();
  if (own) return { path: own, source: "playwright" };
  if (existsSync(SYSTEM_CHROMIUM)) return { path: SYSTEM_CHROMIUM, source: "system" };
  return null;
}

/** Like findChromium, but throws an Error that says how to get one. */
export function requireChromium(env: Record<string, string | undefined> = process.env): ChromiumChoice {
  const found = findChromium(env);
  if (found) return found;
  const override = env.PLAYWRIGHT_CHROMIUM_EXECUTABLE;
  throw new Error(override ? `PLAYWRIGHT_CHROMIUM_EXECUTABLE=${override} does not exist.\n${CHROMIUM_HELP}` : CHROMIUM_HELP);
}
