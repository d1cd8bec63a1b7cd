import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export interface OfficialHoliday {
  date: string;
  kind: "REST" | "WORK";
  nameZh: string;
  nameEn: string;
}

/**
 * The State Council holiday schedules between two years (inclusive), as the
 * `chinese-days` package records them: the source of the holidays migration
 * (scripts/holidays-sql.ts) and the reference the calendar tests check against.
 */
export function officialHolidays(fromYear = 2020, toYear = 2026): OfficialHoliday[] {
  const require = createRequire(import.meta.url);
  const file = path.join(path.dirname(require.resolve("chinese-days")), "chinese-days.json");
  const data = JSON.parse(readFileSync(file, "utf8")) as Record<"holidays" | "workdays", Record<string, string>>;
  const rows: OfficialHoliday[] = [];
  for (const [kind, source] of [["REST", data.holidays], ["WORK", data.workdays]] as const) {
    for (const [date, label] of Object.entries(source).sort()) {
      const year = Number(date.slice(0, 4));
      if (year < fromYear || year > toYear) continue;
      const [nameEn = "", nameZh = ""] = label.split(",");
      rows.push({ date, kind, nameZh, nameEn });
    }
  }
  return rows;
}
