import { prisma, Prisma } from "#app/.server/db.ts";
import { shanghaiDate, type HolidayCalendar } from "#app/modules/calendar/working-days.ts";
import { storedClockOf, type StoredClockColumns } from "#app/modules/clock/clock.server.ts";
import { readStoredClock, type ClockReading, type StageName } from "#app/modules/clock/stage-clock.ts";
import type { DossierStatus, RegistrationType } from "#app/.server/generated/prisma/enums.ts";
import { encodeCursor, type SortKind } from "./queue-cursor.ts";
import { QUEUE_PAGE_SIZE, SORT_KIND, UNASSIGNED, type QueueSort, type TQueueFilters, type TQueueQuery } from "./queue.schema.ts";

/*
 * The window queue's one query: every dossier but drafts, filtered, sorted on
 * one allow-listed column and paged by keyset — (sort value, id) past the
 * cursor, never OFFSET — so the deepest page costs what the first does.
 *
 * The SQL is built from fixed fragments only; every value from the URL is a
 * bind parameter, and column names come from SORT_SQL below (QUALITY S16).
 * The open view's predicate and the sort expressions are written exactly as
 * the partial indexes of migration 20261128020712_queue_indexes define them:
 * change one, change the other, and check EXPLAIN (bench/queue.ts prints it).
 */

/** The open view: a clock runs, or the company is correcting (the indexes' WHERE, verbatim). */
const OPEN_VIEW = Prisma.sql`(d.stage IS NOT NULL OR d.status = 'CORRECTION_REQUESTED')`;

interface SortSql {
  /** The non-null expression sorted on (and indexed). */
  expr: Prisma.Sql;
  /** The cursor value as text. */
  text: Prisma.Sql;
  /** Casts the cursor's text back to the expression's type. */
  cast: Prisma.Sql;
}

function sortSql(kind: SortKind, expr: Prisma.Sql, enumType?: string): SortSql {
  switch (kind) {
    case "date":
      return { expr, text: Prisma.sql`to_char(${expr}, 'YYYY-MM-DD')`, cast: Prisma.sql`::date` };
    case "timestamp":
      return { expr, text: Prisma.sql`to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`, cast: Prisma.sql`::timestamptz` };
    case "int":
      return { expr, text: Prisma.sql`(${expr})::text`, cast: Prisma.sql`::int` };
    case "enum":
      return { expr, text: Prisma.sql`(${expr})::text`, cast: Prisma.raw(`::"${enumType!}"`) };
    case "text":
      return { expr, text: expr, cast: Prisma.sql`::text` };
  }
}

/** Sort key → column expression; the only way a sort name reaches SQL. */
const SORT_SQL: Record<QueueSort, SortSql> = {
  due: sortSql(SORT_KIND.due, Prisma.sql`COALESCE(d.clock_due_on, '9999-12-31'::date)`),
  number: sortSql(SORT_KIND.number, Prisma.sql`d.number`),
  company: sortSql(SORT_KIND.company, Prisma.sql`d.company_name`),
  product: sortSql(SORT_KIND.product, Prisma.sql`d.product_name`),
  code: sortSql(SORT_KIND.code, Prisma.sql`d.catalogue_code`),
  type: sortSql(SORT_KIND.type, Prisma.sql`d.registration_type`, "RegistrationType"),
  // Stages in process order; dossiers without a clock (correcting, finished) last.
  stage: sortSql(
    SORT_KIND.stage,
    Prisma.sql`(CASE d.stage WHEN 'acceptance' THEN 1 WHEN 'handover' THEN 2 WHEN 'review' THEN 3 WHEN 'approval' THEN 4 WHEN 'issuance' THEN 5 ELSE 9 END)`,
  ),
  advisor: sortSql(SORT_KIND.advisor, Prisma.sql`COALESCE(d.advisor_name, '')`),
  gaps: sortSql(SORT_KIND.gaps, Prisma.sql`d.open_gap_count`),
  deferral: sortSql(SORT_KIND.deferral, Prisma.sql`COALESCE(d.next_deferral_due, '9999-12-31'::date)`),
  activity: sortSql(SORT_KIND.activity, Prisma.sql`d.last_activity_at`),
};

/* The clock colours at query time, `today` a Shanghai date (bind parameter); the same rule as storedColour(). */
const isRed = (today: string) => Prisma.sql`(COALESCE(d.clock_red_on <= ${today}::date, false) OR COALESCE(d.clock_paused_colour = 'red', false))`;
const isYellow = (today: string) =>
  Prisma.sql`((COALESCE(d.clock_yellow_on <= ${today}::date, false) AND COALESCE(d.clock_red_on > ${today}::date, false)) OR COALESCE(d.clock_paused_colour = 'yellow', false))`;
const isGreen = (today: string) => Prisma.sql`(d.stage IS NOT NULL AND NOT ${isRed(today)} AND NOT ${isYellow(today)})`;

/** `%text%` for ILIKE with the user's %, _ and \ taken literally. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The filters as one WHERE condition (drafts never: they are the company's own until submitted). */
export function queueWhere(f: TQueueFilters, today: string): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`d.status <> 'DRAFT'`];
  if (f.scope === "open") parts.push(OPEN_VIEW);
  else if (f.scope === "ended") parts.push(Prisma.sql`NOT ${OPEN_VIEW}`);
  if (f.stage) parts.push(Prisma.sql`d.stage = ${f.stage}`);
  if (f.colour === "red") parts.push(isRed(today));
  else if (f.colour === "yellow") parts.push(isYellow(today));
  else if (f.colour === "green") parts.push(isGreen(today));
  if (f.advisor === UNASSIGNED) parts.push(Prisma.sql`d.advisor_id IS NULL`);
  else if (f.advisor) parts.push(Prisma.sql`d.advisor_id = ${f.advisor}::uuid`);
  if (f.code) parts.push(Prisma.sql`d.catalogue_code = ${f.code}`);
  if (f.company) parts.push(Prisma.sql`d.company_name ILIKE ${containsPattern(f.company)}`);
  // Submission dates are Shanghai days: [from 00:00, the day after `to` 00:00) in +08:00.
  if (f.from) parts.push(Prisma.sql`d.submitted_at >= (${f.from}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  if (f.to) parts.push(Prisma.sql`d.submitted_at < ((${f.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  if (f.overdue) parts.push(Prisma.sql`d.overdue_deferrals > 0`);
  if (f.q) {
    const pattern = containsPattern(f.q);
    parts.push(Prisma.sql`(d.number ILIKE ${pattern} OR d.company_name ILIKE ${pattern} OR d.product_name ILIKE ${pattern})`);
  }
  return Prisma.join(parts, " AND ");
}

/** A dossier row as the queue reads it (the copied columns: no joins, no per-row counts). */
export interface QueueDbRow extends StoredClockColumns {
  id: string;
  number: string;
  companyName: string;
  productName: string;
  catalogueCode: string;
  registrationType: RegistrationType;
  status: DossierStatus;
  advisorId: string | null;
  advisorName: string | null;
  openGaps: number;
  nextDeferralDue: Date | null;
  overdueDeferrals: number;
  lastActivityAt: Date;
  submittedAt: Date | null;
  sortValue: string;
}

const COLUMNS = Prisma.sql`
  d.id, d.number, d.company_name AS "companyName", d.product_name AS "productName", d.catalogue_code AS "catalogueCode",
  d.registration_type::text AS "registrationType", d.status::text AS status, d.advisor_id AS "advisorId", d.advisor_name AS "advisorName",
  d.stage, d.stage_round AS "stageRound", d.stage_limit_key AS "stageLimitKey", d.stage_started_at AS "stageStartedAt",
  d.stage_limit AS "stageLimit", d.clock_paused AS "clockPaused", d.clock_elapsed AS "clockElapsed", d.clock_due_on AS "clockDueOn",
  d.clock_yellow_on AS "clockYellowOn", d.clock_red_on AS "clockRedOn", d.clock_paused_colour AS "clockPausedColour",
  d.open_gap_count AS "openGaps", d.next_deferral_due AS "nextDeferralDue", d.overdue_deferrals AS "overdueDeferrals",
  d.last_activity_at AS "lastActivityAt", d.submitted_at AS "submittedAt"`;

interface Keyset {
  direction: "after" | "before";
  value: string;
  id: string;
}

/**
 * The SQL of one keyset page: `limit` rows after (or, for a previous page,
 * before) the cursor in the query's order. A previous page is read in the
 * opposite order (the same index, backwards) and reversed by the caller.
 */
export function queuePageSql(query: TQueueFilters & { sort: QueueSort; dir: "asc" | "desc" }, today: string, limit: number, keyset: Keyset | null): Prisma.Sql {
  const s = SORT_SQL[query.sort];
  const backwards = keyset?.direction === "before";
  const descending = (query.dir === "desc") !== backwards;
  const conditions = [queueWhere(query, today)];
  if (keyset) {
    conditions.push(Prisma.sql`(${s.expr}, d.id) ${descending ? Prisma.sql`<` : Prisma.sql`>`} (${keyset.value}${s.cast}, ${keyset.id}::uuid)`);
  }
  const order = descending ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  return Prisma.sql`
    SELECT ${COLUMNS}, ${s.text} AS "sortValue"
    FROM dossier d
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ${s.expr} ${order}, d.id ${order}
    LIMIT ${limit}`;
}

export interface QueuePage {
  rows: QueueDbRow[];
  /** Cursor of the next page (`after=`), null on the last page. */
  next: string | null;
  /** Cursor of the previous page (`before=`), null on the first page. */
  previous: string | null;
}

/** One page of the queue (QUEUE_PAGE_SIZE rows) with the cursors around it. */
export async function queuePage(query: TQueueQuery, today: string, limit = QUEUE_PAGE_SIZE): Promise<QueuePage> {
  const backwards = query.cursor?.direction === "before";
  // One row more than the page tells whether another page follows in the reading direction.
  const rows = await prisma.$queryRaw<QueueDbRow[]>(queuePageSql(query, today, limit + 1, query.cursor));
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backwards) page.reverse();
  const cursorOf = (r: QueueDbRow) => encodeCursor({ sort: query.sort, dir: query.dir, value: r.sortValue, id: r.id });
  const first = page[0];
  const last = page.at(-1);
  return {
    rows: page,
    next: last && (backwards || more) ? cursorOf(last) : null,
    previous: first && (backwards ? more : query.cursor !== null) ? cursorOf(first) : null,
  };
}

/** Every row of the view in order, in batches (the export): keyset batches, so memory stays flat at any size. */
export async function* queueRows(query: TQueueQuery, today: string, batch = 5_000): AsyncGenerator<QueueDbRow[]> {
  let keyset: Keyset | null = null;
  for (;;) {
    const rows: QueueDbRow[] = await prisma.$queryRaw<QueueDbRow[]>(queuePageSql(query, today, batch, keyset));
    if (rows.length > 0) yield rows;
    if (rows.length < batch) return;
    const last: QueueDbRow = rows.at(-1)!;
    keyset = { direction: "after", value: last.sortValue, id: last.id };
  }
}

/** A queue row for the page and the export: the clock read for `today`, dates as strings. */
export interface QueueRow {
  id: string;
  number: string;
  company: string;
  product: string;
  code: string;
  type: RegistrationType;
  status: DossierStatus;
  stage: StageName | null;
  advisorId: string | null;
  advisorName: string | null;
  clock: ClockReading | null;
  openGaps: number;
  nextDeferralDue: string | null;
  overdueDeferrals: number;
  /** ISO 8601 instant, and its Asia/Shanghai day. */
  lastActivityAt: string;
  lastActivityOn: string;
  submittedAt: string | null;
}

const day = (d: Date | null) => (d === null ? null : d.toISOString().slice(0, 10));

/**
 * Reads stored clocks for one Shanghai date, each distinct clock once: rows
 * sorted by due date share their clocks page after page (and an export reads
 * 100,000 of them), and a reading walks the working days to the due date.
 */
export function clockReader(calendar: HolidayCalendar, today: string): (row: QueueDbRow) => ClockReading | null {
  const seen = new Map<string, ClockReading | null>();
  return (row) => {
    const clock = storedClockOf(row);
    const key = [clock.stage, clock.stageLimit, clock.clockPaused, clock.clockElapsed, clock.clockDueOn, clock.clockYellowOn, clock.clockRedOn, clock.clockPausedColour].join("|");
    let reading = seen.get(key);
    if (reading === undefined) {
      reading = readStoredClock(calendar, clock, today);
      seen.set(key, reading);
    }
    return reading;
  };
}

export function toQueueRow(readClock: (row: QueueDbRow) => ClockReading | null, r: QueueDbRow): QueueRow {
  return {
    id: r.id,
    number: r.number,
    company: r.companyName,
    product: r.productName,
    code: r.catalogueCode,
    type: r.registrationType,
    status: r.status,
    stage: r.stage as StageName | null,
    advisorId: r.advisorId,
    advisorName: r.advisorName,
    clock: readClock(r),
    openGaps: r.openGaps,
    nextDeferralDue: day(r.nextDeferralDue),
    overdueDeferrals: r.overdueDeferrals,
    lastActivityAt: r.lastActivityAt.toISOString(),
    lastActivityOn: shanghaiDate(r.lastActivityAt),
    submittedAt: r.submittedAt?.toISOString() ?? null,
  };
}
