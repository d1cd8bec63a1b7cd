import type { QueueRow } from "./queue-query.server.ts";
import type { ExportFormat } from "./queue.schema.ts";

/*
 * What the queue export writes, apart from how (export-queue.server.ts
 * streams it): the columns, each row's cells in the reader's language, the
 * file name and its Content-Disposition. Pure, so it is tested without a file.
 */

export type Translate = (key: string, options?: Record<string, unknown>) => string;

export const EXPORT_COLUMNS = [
  "number",
  "company",
  "product",
  "code",
  "type",
  "status",
  "stage",
  "advisor",
  "colour",
  "elapsed",
  "limit",
  "remaining",
  "dueOn",
  "paused",
  "gaps",
  "nextDeferral",
  "overdueDeferrals",
  "lastActivity",
  "submittedAt",
] as const;

export type Cell = string | number;

export const exportHeader = (t: Translate): string[] => EXPORT_COLUMNS.map((c) => t(`queue.export.columns.${c}`));

/** One row's cells, in EXPORT_COLUMNS order: words in the reader's language, counts as numbers, days as YYYY-MM-DD, times in Beijing time. */
export function exportCells(row: QueueRow, t: Translate): Cell[] {
  const c = row.clock;
  return [
    row.number,
    row.company,
    row.product,
    row.code,
    t(`registrationType.${row.type}`),
    t(`dossierStatus.${row.status}`),
    row.stage ? t(`clock.stage.${row.stage}`) : "",
    row.advisorName ?? t("queue.unassigned"),
    c ? t(`clock.colour.${c.colour}`) : t("clock.none"),
    c ? c.elapsed : "",
    c ? c.limit : "",
    c ? c.remaining : "",
    c ? c.dueOn : "",
    c ? t(c.paused ? "common.yes" : "common.no") : "",
    row.openGaps,
    row.nextDeferralDue ?? "",
    row.overdueDeferrals,
    shanghaiDateTime(row.lastActivityAt),
    row.submittedAt ? shanghaiDateTime(row.submittedAt) : "",
  ];
}

/**
 * An instant as Beijing wall time "2026-11-28 10:20:49" (the header says so):
 * sortable in a spreadsheet in either language, and computed without an
 * Intl.DateTimeFormat per cell, which at 100,000 rows would cost seconds.
 */
export function shanghaiDateTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
}

/** "办件队列-2026-11-28.xlsx": the catalogue's file name, the Shanghai date, the format. */
export const exportFileName = (t: Translate, today: string, format: ExportFormat) => `${t("queue.export.fileName")}-${today}.${format}`;

export const EXPORT_CONTENT_TYPE: Record<ExportFormat, string> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
};

/** The byte-order mark that makes Excel read a CSV as UTF-8 (without it Chinese comes out garbled). */
export const UTF8_BOM = "\uFEFF";

/**
 * A CSV text cell that a spreadsheet would run as a formula (=, +, -, @, tab,
 * CR first) gets a leading apostrophe (OWASP CSV injection): company and
 * product names are typed by applicants. Numbers stay numbers.
 */
export function csvSafe(cell: Cell): Cell {
  return typeof cell === "string" && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
