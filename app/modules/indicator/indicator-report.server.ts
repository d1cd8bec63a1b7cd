import { createHash } from "node:crypto";
import ExcelJS from "exceljs";
import type { TFunction } from "i18next";
import { audit } from "#app/.server/audit.ts";
import { now } from "#app/.server/clock.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { countedCertificates, deviceCertificateIndicator, periodOf, type CountedCertificate } from "./count-certificates.server.ts";
import { loadIndicatorTable } from "./indicator-values.server.ts";
import type { IndicatorStatus, Quarter } from "./indicator-rules.ts";

/*
 * The quarterly report for the district's joint meeting (联席会议): the whole
 * 表1 as at the quarter's end, the certificates counted up to then, and those
 * approved within the quarter. A certificate counts by its approval date and
 * its state when the report is made: one recorded in the next quarter for a
 * certificate approved in this one appears when the report is made again.
 */

const STATUS_COLOURS: Record<IndicatorStatus, string> = { met: "FF1B5E20", notMet: "FFB71C1C", noValue: "FF616161" };

export const REPORT_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function titleRow(sheet: ExcelJS.Worksheet, title: string, columns: number) {
  sheet.addRow([title]);
  sheet.mergeCells(1, 1, 1, columns);
  sheet.getRow(1).font = { bold: true, size: 13 };
}

function headerRow(sheet: ExcelJS.Worksheet, headers: string[]) {
  const row = sheet.addRow(headers);
  row.font = { bold: true };
  row.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEEF1F4" } };
    cell.border = { bottom: { style: "thin" } };
  });
  // Title and header stay in view while scrolling a long list.
  sheet.views = [{ state: "frozen", ySplit: 2 }];
}

function certificateSheet(workbook: ExcelJS.Workbook, t: TFunction, name: string, title: string, rows: readonly CountedCertificate[]) {
  const sheet = workbook.addWorksheet(name);
  const headers = [
    t("indicator.report.number"),
    t("indicator.report.deviceClass"),
    t("indicator.report.origin"),
    t("indicator.report.company"),
    t("indicator.report.product"),
    t("indicator.report.approvalDate"),
    t("indicator.report.authority"),
  ];
  titleRow(sheet, title, headers.length);
  headerRow(sheet, headers);
  for (const c of rows) {
    sheet.addRow([c.number, t(`indicator.classes.${c.deviceClass}`), t(`indicator.origins.${c.origin}`), c.companyName, c.productName, c.approvalDate, c.authority]);
  }
  sheet.addRow([]);
  sheet.addRow([t("indicator.report.total", { count: rows.length })]).font = { bold: true };
  sheet.columns.forEach((col, i) => (col.width = [22, 10, 16, 30, 30, 12, 24][i]));
  return sheet;
}

/** Builds the report workbook (audited as `indicator.report`). */
export async function buildQuarterReport(user: SessionUser, t: TFunction, locale: string, quarter: Quarter): Promise<Buffer> {
  const [table, deviceIndicator] = await Promise.all([loadIndicatorTable({ upTo: quarter.end }), deviceCertificateIndicator()]);
  const counted = await countedCertificates(periodOf(deviceIndicator), { upTo: quarter.end });
  const added = counted.filter((c) => c.approvalDate >= quarter.start);
  const en = locale === "en";

  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Greenlane";
  workbook.created = now();
  workbook.title = t("indicator.report.title", { quarter: quarter.label });

  const sheet = workbook.addWorksheet(t("indicator.report.sheetTable"));
  const headers = [
    t("indicator.table.group"),
    t("indicator.table.subgroup"),
    t("indicator.table.name"),
    t("indicator.table.target"),
    t("indicator.table.unit"),
    t("indicator.report.valueAtEnd"),
    t("indicator.table.asOf"),
    t("indicator.table.status"),
  ];
  titleRow(sheet, t("indicator.report.heading", { quarter: quarter.label, end: quarter.end }), headers.length);
  headerRow(sheet, headers);
  for (const r of table) {
    const row = sheet.addRow([
      r.groupName,
      r.subgroup,
      en && r.nameEn ? r.nameEn : r.name,
      `${r.comparator === ">=" ? "≥" : ""}${r.target}`,
      r.unit,
      r.value,
      r.asOf ?? "",
      t(`indicator.status.${r.status}`),
    ]);
    row.getCell(8).font = { bold: true, color: { argb: STATUS_COLOURS[r.status] } };
    row.alignment = { vertical: "top", wrapText: true };
  }
  sheet.columns.forEach((col, i) => (col.width = [16, 24, 40, 10, 8, 12, 12, 10][i]));

  certificateSheet(workbook, t, t("indicator.report.sheetCounted"), t("indicator.report.countedHeading", { end: quarter.end }), counted);
  certificateSheet(workbook, t, t("indicator.report.sheetAdded"), t("indicator.report.addedHeading", { start: quarter.start, end: quarter.end }), added);

  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  await audit({
    actor: user,
    action: "indicator.report",
    objectType: "indicator-report",
    objectId: quarter.label,
    // The file's hash identifies the copy handed out at the meeting.
    details: { quarter: quarter.label, counted: counted.length, added: added.length, sha256: createHash("sha256").update(buffer).digest("hex") },
  });
  return buffer;
}
