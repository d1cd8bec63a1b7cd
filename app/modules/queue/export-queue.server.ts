import { PassThrough } from "node:stream";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { audit } from "#app/.server/audit.ts";
import { now } from "#app/.server/clock.ts";
import { logger } from "#app/.server/logger.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { EXPORT_COLUMNS, EXPORT_CONTENT_TYPE, csvSafe, exportCells, exportFileName, exportHeader, UTF8_BOM, type Cell, type Translate } from "./queue-export.ts";
import { clockReader, queueRows, toQueueRow } from "./queue-query.server.ts";
import type { ExportFormat, TQueueQuery } from "./queue.schema.ts";

/*
 * The queue's export: every row of the filtered, sorted view (not only the
 * page), streamed as it is read — keyset batches of 5,000 from the database,
 * written out batch by batch (CSV text, or ExcelJS's streaming workbook
 * writer), so 100,000 rows never sit in memory as rows. The audit row
 * ("queue.export", the filters and the row count) is written when the last
 * row has been produced and before the response ends, so whoever has the whole
 * file has an audit row for it; an aborted download is audited too, with the
 * rows sent so far and completed: false.
 *
 * At 100,000 rows a CSV is about 19 MB and takes a few seconds. Remix's Node
 * adapter writes the body without waiting for the socket to drain, so for a
 * slow client the server may hold up to that much output; rows as objects are
 * never held beyond one batch.
 */

export interface QueueExport {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  fileName: string;
}

export async function exportQueue(options: { user: SessionUser; query: TQueueQuery; format: ExportFormat; t: Translate }): Promise<QueueExport> {
  const { user, query, format, t } = options;
  const calendar = await loadHolidayCalendar();
  const today = shanghaiDate(now());
  let rows = 0;
  let audited = false;
  const finish = async (completed: boolean) => {
    if (audited) return;
    audited = true;
    const { cursor: _cursor, ...view } = query;
    const filters = Object.fromEntries(Object.entries(view).filter(([, v]) => v !== undefined && v !== false));
    await audit({ actor: user, action: "queue.export", objectType: "queue", details: { format, filters, rows, completed } });
  };
  const readClock = clockReader(calendar, today);
  const batches = (async function* () {
    for await (const batch of queueRows(query, today)) {
      rows += batch.length;
      yield batch.map((r) => exportCells(toQueueRow(readClock, r), t));
    }
  })();
  const header = exportHeader(t);
  const body = format === "csv" ? csvStream(header, batches, finish) : xlsxStream(header, t("queue.export.sheet"), batches, finish);
  return { body, contentType: EXPORT_CONTENT_TYPE[format], fileName: exportFileName(t, today, format) };
}

type Finish = (completed: boolean) => Promise<void>;

/** CSV, UTF-8 with a byte-order mark (Excel then reads Chinese correctly), CRLF line ends. */
function csvStream(header: string[], batches: AsyncGenerator<Cell[][]>, finish: Finish): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const csv = (records: Cell[][]) => encoder.encode(stringify(records.map((r) => r.map(csvSafe)), { record_delimiter: "windows" }));
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(UTF8_BOM));
      controller.enqueue(csv([header]));
    },
    async pull(controller) {
      try {
        const next = await batches.next();
        if (next.done) {
          await finish(true);
          controller.close();
        } else controller.enqueue(csv(next.value));
      } catch (error) {
        logger.error({ err: (error as Error).message }, "queue export failed");
        await finish(false).catch(() => {});
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return(undefined);
      await finish(false);
    },
  });
}

/** XLSX through ExcelJS's streaming writer: rows are committed (written and dropped) as they come; no shared strings table. */
function xlsxStream(header: string[], sheetName: string, batches: AsyncGenerator<Cell[][]>, finish: Finish): ReadableStream<Uint8Array> {
  const zip = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: zip, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = EXPORT_COLUMNS.map((key) => ({ key, width: key === "company" || key === "product" ? 32 : key === "lastActivity" || key === "submittedAt" ? 20 : 14 }));
  const headerRow = sheet.addRow(header);
  headerRow.font = { bold: true };
  headerRow.commit();
  const writing = (async () => {
    for await (const batch of batches) for (const cells of batch) sheet.addRow(cells).commit();
    sheet.commit();
    await workbook.commit();
  })();
  // A failure while writing ends the zip stream with it; the reader below reports it.
  writing.catch((error: unknown) => zip.destroy(error as Error));
  const chunks = zip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) {
          await writing;
          await finish(true);
          controller.close();
        } else controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
      } catch (error) {
        logger.error({ err: (error as Error).message }, "queue export failed");
        await finish(false).catch(() => {});
        controller.error(error);
      }
    },
    async cancel() {
      zip.destroy();
      await batches.return(undefined);
      await finish(false);
    },
  });
}
