/*
 * Keyset cursors of the window queue: the sort value and id of the row a page
 * continues from, carried in the URL (`after=` / `before=`) so a page is
 * bookmarkable. Opaque to the user but not secret: base64url of a small JSON
 * array. A cursor names the sort and direction it was made for, so a cursor
 * pasted under another sort is refused instead of silently skipping rows.
 * Every value is a string; the query casts it back to the sort column's type,
 * which is why each kind is checked here before any SQL sees it.
 */

export type SortKind = "text" | "date" | "int" | "timestamp" | "enum";
export type SortDir = "asc" | "desc";

export interface QueueCursor {
  sort: string;
  dir: SortDir;
  /** The sort expression's value at the row, as text (dates "YYYY-MM-DD", instants ISO 8601 UTC). */
  value: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Cursors stay short: a long one is not ours. */
export const MAX_CURSOR_LENGTH = 1_000;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function encodeCursor(cursor: QueueCursor): string {
  return toBase64Url(JSON.stringify([cursor.sort, cursor.dir, cursor.value, cursor.id]));
}

/** The cursor, or null for anything that is not a well-formed one (never throws). */
export function decodeCursor(text: string): QueueCursor | null {
  if (text.length === 0 || text.length > MAX_CURSOR_LENGTH) return null;
  const json = fromBase64Url(text);
  if (json === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return null;
  const [sort, dir, value, id] = parsed as unknown[];
  if (typeof sort !== "string" || (dir !== "asc" && dir !== "desc") || typeof value !== "string" || typeof id !== "string" || !UUID.test(id)) return null;
  return { sort, dir, value, id: id.toLowerCase() };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A real calendar date "YYYY-MM-DD" (not 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** Whether `value` can be cast to the sort column's type without an error (enums: one of `allowed`). */
export function validSortValue(kind: SortKind, value: string, allowed: readonly string[] = []): boolean {
  switch (kind) {
    case "text":
      return value.length <= 500;
    case "date":
      return isCalendarDate(value);
    case "int":
      return /^-?\d{1,9}$/.test(value);
    case "timestamp":
      return INSTANT.test(value) && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;
    case "enum":
      return allowed.includes(value);
  }
}
