/** Instants are stored in UTC and shown in China Standard Time (DOMAIN.md "Working days"). */
export const DISPLAY_TIME_ZONE = "Asia/Shanghai";

// Building an Intl.DateTimeFormat costs far more than using one (tables show hundreds of times): one per language.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDateTime(value: Date | string | null | undefined, locale: string): string {
  if (!value) return "";
  const date = typeof value === "string" ? new Date(value) : value;
  const tag = locale === "en" ? "en-GB" : "zh-CN";
  let format = dateTimeFormats.get(tag);
  if (!format) {
    format = new Intl.DateTimeFormat(tag, {
      timeZone: DISPLAY_TIME_ZONE,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hour12: false,
    });
    dateTimeFormats.set(tag, format);
  }
  return format.format(date);
}

/** A calendar date "YYYY-MM-DD" (a deadline day, already a Shanghai date) in the reader's format: 2026/03/18 or 18/03/2026. */
export function formatDay(date: string | null | undefined, locale: string): string {
  if (!date) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return locale === "en" ? `${m[3]}/${m[2]}/${m[1]}` : `${m[1]}/${m[2]}/${m[3]}`;
}

/** Mobile numbers are masked on screen (QUALITY S15): 138****5678. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return "";
  return phone.length >= 7 ? `${phone.slice(0, 3)}${"*".repeat(phone.length - 7)}${phone.slice(-4)}` : "*".repeat(phone.length);
}

/** Identity-card numbers are masked on screen (QUALITY S15): 110***********1234. */
export function maskIdCard(id: string | null | undefined): string {
  if (!id) return "";
  return id.length > 7 ? `${id.slice(0, 3)}${"*".repeat(id.length - 7)}${id.slice(-4)}` : "*".repeat(id.length);
}
