import path from "node:path";
import { describe, expect, it } from "vitest";
import { pageWeight } from "#scripts/page-weight.ts";

/* QUALITY P6 as a budget in the test command: the applicant's dossier page and the window queue ship at most 150 KiB of JavaScript (gzip). */

const BUDGET_BYTES = 150 * 1024;
const clientDir = path.resolve(import.meta.dirname, "..", process.env.REMIX_BUILD_DIR ?? "build", "client");

describe("page weight", () => {
  for (const [page, routeId] of [
    ["the applicant's dossier page", "routes/dossiers.$dossierId._index"],
    ["the window queue", "routes/window._index"],
  ] as const) {
    it(`${page} ships at most 150 KiB of JavaScript (gzip)`, () => {
      const weight = pageWeight(clientDir, routeId);
      console.log(`[page weight] ${routeId}: ${(weight.gzipBytes / 1024).toFixed(1)} KiB gzip in ${weight.files.length} files`);
      expect(weight.files.length).toBeGreaterThan(2);
      expect(weight.gzipBytes).toBeLessThanOrEqual(BUDGET_BYTES);
    });
  }
});
