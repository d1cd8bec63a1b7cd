/**
 * Prints the SQL that seeds the holiday table from the `chinese-days`
 * package's record of the State Council schedules (2020 to its last year).
 * Used once to write the holidays migration; kept to regenerate it when a new
 * year is published (window staff can also enter a year in the portal).
 *   npx tsx scripts/holidays-sql.ts 2020 2026
 */
import { officialHolidays } from "./official-holidays.ts";

const [from = "2020", to = "2026"] = process.argv.slice(2);
const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const rows = officialHolidays(Number(from), Number(to)).map((h) => `(${quote(h.date)}, ${quote(h.kind)}, ${quote(h.nameZh)}, ${quote(h.nameEn)})`);
console.log(`-- State Council holiday schedules ${from}–${to} (rest days and make-up working days), from the chinese-days package.`);
console.log(`INSERT INTO "holiday" ("date", "kind", "name_zh", "name_en") VALUES\n${rows.join(",\n")}\nON CONFLICT ("date") DO NOTHING;`);
