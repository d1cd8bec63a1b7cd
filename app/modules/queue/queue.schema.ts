import { z } from "zod";
import { STAGES, type StageName } from "#app/modules/clock/stage-clock.ts";
import { CATALOGUE_CODE_LIST } from "#app/modules/dossier/catalogue-codes.ts";
import { REGISTRATION_TYPES } from "#app/modules/dossier/dossier-constants.ts";
import { decodeCursor, isCalendarDate, MAX_CURSOR_LENGTH, validSortValue, type SortDir, type SortKind } from "./queue-cursor.ts";

/*
 * The window queue's state lives in its URL (bookmarkable): filters, search,
 * sort and the keyset cursor. This is the one allow-list that reads it; any
 * parameter not named here, a value outside its list, a repeated parameter or
 * a cursor that does not fit the sort is a 400 (QUALITY S16). Universal: the
 * page builds its links with queueSearch() from the same definitions.
 */

export const QUEUE_PAGE_SIZE = 50;
export const QUEUE_SCOPES = ["open", "ended", "all"] as const;
export const QUEUE_COLOURS = ["green", "yellow", "red"] as const;
export const QUEUE_SORTS = ["due", "number", "company", "product", "code", "type", "stage", "advisor", "gaps", "deferral", "activity"] as const;
export const EXPORT_FORMATS = ["xlsx", "csv"] as const;
/** The advisor filter's value for dossiers without an advisor. */
export const UNASSIGNED = "none";

export type QueueScope = (typeof QUEUE_SCOPES)[number];
export type QueueColour = (typeof QUEUE_COLOURS)[number];
export type QueueSort = (typeof QUEUE_SORTS)[number];
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The type of each sort column's value (how a cursor value is checked and cast back). */
export const SORT_KIND: Record<QueueSort, SortKind> = {
  due: "date",
  number: "text",
  company: "text",
  product: "text",
  code: "text",
  type: "enum",
  stage: "int",
  advisor: "text",
  gaps: "int",
  deferral: "date",
  activity: "timestamp",
};

/** The direction a column sorts in when its header is first chosen: most gaps and latest activity first, the rest ascending. */
export const DEFAULT_DIR: Record<QueueSort, SortDir> = {
  due: "asc",
  number: "asc",
  company: "asc",
  product: "asc",
  code: "asc",
  type: "asc",
  stage: "asc",
  advisor: "asc",
  gaps: "desc",
  deferral: "asc",
  activity: "desc",
};

/** Parameters Remix itself adds to a route's URL (an index route's form, single-fetch revalidation): not queue state. */
const FRAMEWORK_PARAMS = new Set(["index", "_routes"]);

const day = z.string().refine(isCalendarDate);
const cursorText = z.string().max(MAX_CURSOR_LENGTH);

const filterFields = {
  scope: z.enum(QUEUE_SCOPES).optional(),
  stage: z.enum(STAGES as readonly StageName[] as [StageName, ...StageName[]]).optional(),
  colour: z.enum(QUEUE_COLOURS).optional(),
  advisor: z.union([z.literal(UNASSIGNED), z.uuid()]).optional(),
  code: z.enum(CATALOGUE_CODE_LIST as [string, ...string[]]).optional(),
  company: z.string().max(100).optional(),
  /** Submitted between (Asia/Shanghai dates, both included). */
  from: day.optional(),
  to: day.optional(),
  /** Only dossiers with an overdue or breached deferral. */
  overdue: z.literal("1").optional(),
  /** Search: reference number, company, product (case-insensitive contains). */
  q: z.string().max(100).optional(),
  sort: z.enum(QUEUE_SORTS).optional(),
  dir: z.enum(["asc", "desc"]).optional(),
};

const ZQueueParams = z.strictObject({ ...filterFields, after: cursorText.optional(), before: cursorText.optional() });
const ZExportParams = z.strictObject({ ...filterFields, format: z.enum(EXPORT_FORMATS) });

export interface TQueueFilters {
  scope: QueueScope;
  stage?: StageName;
  colour?: QueueColour;
  /** An advisor's id, or UNASSIGNED. */
  advisor?: string;
  code?: string;
  company?: string;
  from?: string;
  to?: string;
  overdue: boolean;
  q?: string;
}

export interface TQueueQuery extends TQueueFilters {
  sort: QueueSort;
  dir: SortDir;
  /** Continue after (next page) or before (previous page) this row. */
  cursor: { direction: "after" | "before"; value: string; id: string } | null;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/**
 * The query string as one value per name: trimmed, empty fields dropped (a GET
 * form sends every field), Remix's own parameters left out. A repeated name is
 * refused (null): the allow-list knows every parameter to be single.
 */
export function queueParams(search: URLSearchParams): Record<string, string> | null {
  const entries: [string, string][] = [];
  for (const key of new Set(search.keys())) {
    if (FRAMEWORK_PARAMS.has(key)) continue;
    const all = search.getAll(key);
    if (all.length > 1) return null;
    const value = all[0]!.trim();
    if (value !== "") entries.push([key, value]);
  }
  // fromEntries defines own properties: a "__proto__" parameter stays a (refused) key, not a prototype.
  return Object.fromEntries(entries);
}

function filtersOf(p: z.infer<typeof ZQueueParams> | z.infer<typeof ZExportParams>): TQueueFilters {
  return {
    scope: p.scope ?? "open",
    stage: p.stage,
    colour: p.colour,
    advisor: p.advisor?.toLowerCase(),
    code: p.code,
    company: p.company,
    from: p.from,
    to: p.to,
    overdue: p.overdue === "1",
    q: p.q,
  };
}

const problemsOf = (error: z.ZodError) => error.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`);

/** The queue page's query string, checked against the allow-list. */
export function parseQueueQuery(search: URLSearchParams): ParseResult<TQueueQuery> {
  const params = queueParams(search);
  if (!params) return { ok: false, problems: ["a parameter is repeated"] };
  const parsed = ZQueueParams.safeParse(params);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error) };
  const p = parsed.data;
  if (p.from && p.to && p.from > p.to) return { ok: false, problems: ["from: after to"] };
  if (p.after && p.before) return { ok: false, problems: ["after and before together"] };
  const sort = p.sort ?? "due";
  const dir = p.dir ?? DEFAULT_DIR[sort];
  let cursor: TQueueQuery["cursor"] = null;
  const text = p.after ?? p.before;
  if (text !== undefined) {
    const decoded = decodeCursor(text);
    if (!decoded || decoded.sort !== sort || decoded.dir !== dir || !validSortValue(SORT_KIND[sort], decoded.value, REGISTRATION_TYPES)) {
      return { ok: false, problems: ["cursor: not a cursor of this sort"] };
    }
    cursor = { direction: p.after ? "after" : "before", value: decoded.value, id: decoded.id };
  }
  return { ok: true, value: { ...filtersOf(p), sort, dir, cursor } };
}

/** The export's query string: the queue's filters and sort (no cursor: every row) and the format. */
export function parseExportQuery(search: URLSearchParams): ParseResult<{ query: TQueueQuery; format: ExportFormat }> {
  const params = queueParams(search);
  if (!params) return { ok: false, problems: ["a parameter is repeated"] };
  const parsed = ZExportParams.safeParse(params);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error) };
  const p = parsed.data;
  if (p.from && p.to && p.from > p.to) return { ok: false, problems: ["from: after to"] };
  const sort = p.sort ?? "due";
  return { ok: true, value: { query: { ...filtersOf(p), sort, dir: p.dir ?? DEFAULT_DIR[sort], cursor: null }, format: p.format } };
}

/**
 * The canonical query string of a queue view: only what differs from the
 * defaults, in a fixed order, so links are short and equal views share a URL.
 * `change` overrides parts (a sort header, a page cursor, the export format).
 */
export function queueSearch(
  query: TQueueFilters & { sort: QueueSort; dir: SortDir },
  change: Partial<TQueueFilters & { sort: QueueSort; dir: SortDir }> & { after?: string; before?: string; format?: ExportFormat } = {},
): URLSearchParams {
  const v = { ...query, ...change };
  const out = new URLSearchParams();
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== "") out.set(key, value);
  };
  put("format", change.format);
  put("scope", v.scope === "open" ? undefined : v.scope);
  put("stage", v.stage);
  put("colour", v.colour);
  put("advisor", v.advisor);
  put("code", v.code);
  put("company", v.company);
  put("from", v.from);
  put("to", v.to);
  put("overdue", v.overdue ? "1" : undefined);
  put("q", v.q);
  put("sort", v.sort === "due" ? undefined : v.sort);
  put("dir", v.dir === DEFAULT_DIR[v.sort] ? undefined : v.dir);
  put("after", change.after);
  put("before", change.before);
  return out;
}

/* ---- Bulk reassignment of advisors (the queue's form) ---- */

/** Ticked rows arrive as nothing, one value or several (react-hook-form gives false for none). */
const idList = z.preprocess(
  (v) => (v === undefined || v === "" || v === false || v === null ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.uuid("queue.bulk.errors.noneChosen")).min(1, "queue.bulk.errors.noneChosen").max(QUEUE_PAGE_SIZE, "queue.bulk.errors.tooMany"),
);

export const ZBulkReassign = z.object({
  dossierIds: idList,
  advisorId: z.uuid("errors.choose"),
  reason: z.string().trim().min(1, "errors.required").max(500, "errors.tooLong"),
});
export type TBulkReassign = z.infer<typeof ZBulkReassign>;
