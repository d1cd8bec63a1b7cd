import { describe, expect, it } from "vitest";
import { en } from "#app/i18n/en.ts";
import { createI18n } from "#app/i18n/i18n.ts";
import { zhCN } from "#app/i18n/zh-CN.ts";
import { tableTranslator } from "./queue-table.tsx";

describe("the table's translator", () => {
  it.each([
    ["zh-CN", zhCN],
    ["en", en],
  ] as const)("says exactly what i18next says (%s), plural forms included", (language, messages) => {
    const { t } = createI18n(language, messages);
    const tr = tableTranslator(t, language);
    const cases: [string, Record<string, string | number>?][] = [
      ["clock.elapsedOfLimit", { elapsed: 12, limit: 60 }],
      ["clock.elapsedOfLimit", { elapsed: 61, limit: 60 }],
      ["clock.remaining", { count: 1 }],
      ["clock.remaining", { count: 0 }],
      ["clock.overBy", { count: 7 }],
      ["clock.dueOn", { date: "2026/12/01" }],
      ["queue.overdueDeferrals", { count: 1 }],
      ["queue.overdueDeferrals", { count: 2 }],
      ["queue.overdueDeferrals", { count: 1 }],
      ["queue.selectRow", { number: "GL-2026-000001" }],
      ["queue.nextDue", { date: "2026/12/01" }],
      ["registrationType.FIRST"],
      ["dossierStatus.IN_REVIEW"],
      ["clock.stage.review"],
      ["clock.colour.yellow"],
      ["queue.unassigned"],
    ];
    for (const [key, vars] of cases) {
      expect(tr(key, vars), key).toBe(vars ? t(key, vars) : t(key));
    }
  });
});
