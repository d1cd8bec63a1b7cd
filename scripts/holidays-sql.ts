/**
 * Prints the SQL that seeds the holiday table from the `chinese-days`
 * package's record of the State Council schedules (2020 to its last year).
 * Used once to write the holidays migration; kept to regenerate it when a new
 * year is published (window staff can also enter a year in the portal).
 *   npx tsx scripts/holidays-sql.ts 2020 2026
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [from = "2020", to = "2026"] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const dir = path.dirname(require.resolve("chinese-days"));
const data = JSON.parse(readFileSync(path.join(dir, "chinese-days.json"), "utf8")) as Record<"holidays" | "workdays", Record<string, string>>;

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const rows: string[] = [];
for (const [kind, source] of [["REST", data.holidays], ["WORK", data.workdays]] as const) {
  for (const [date, label] of Object.entries(source).sort()) {
    const year = date.slice(0, 4);
    if (year < from || year > to) continue;
    const [en, zh] = label.split(",");
    rows.push(`(${quote(date)}, ${quote(kind)}, ${quote(zh!)}, ${quote(en!)})`);
  }
}
console.log(`-- State Council holiday schedules ${from}–${to} (rest days and make-up working days), from the chinese-days package.`);
console.log(`INSERT INTO "holiday" ("date", "kind", "name_zh", "name_en") VALUES\n${rows.join(",\n")}\nON CONFLICT ("date") DO NOTHING;`);
