import i18next, { type i18n } from "i18next";
import { formatDateTime, formatDay } from "#app/utils/format.ts";
import type { Messages } from "./zh-CN.ts";

export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";

export const isLocale = (v: unknown): v is Locale => typeof v === "string" && (LOCALES as readonly string[]).includes(v);

/**
 * A synchronous i18next instance for one locale. The server makes one per
 * request; the browser makes one from the catalogue the root loader sent, so
 * only the current language's messages travel to the client.
 */
export function createI18n(locale: Locale, messages: Messages | Partial<Messages>): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: locale,
    fallbackLng: false,
    resources: { [locale]: { translation: messages } },
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return instance;
}

/** Picks the language: explicit cookie, then Accept-Language, then zh-CN. */
export function negotiateLocale(cookieValue: string | null | undefined, acceptLanguage: string | null): Locale {
  if (isLocale(cookieValue)) return cookieValue;
  const first = acceptLanguage?.split(",")[0]?.trim().toLowerCase() ?? "";
  if (first.startsWith("en")) return "en";
  return DEFAULT_LOCALE;
}

/**
 * Notification params are rendered for the reader: "t:<key>" is a message
 * key, "d:<ISO instant>" a time shown in Asia/Shanghai in the reader's language.
 */
/**
 * Notification params are stored language-neutral and rendered per reader:
 * "t:key" a catalogue message, "d:ISO" an instant (Shanghai time), "day:YYYY-MM-DD"
 * a calendar date, "zh:…|en:…" a value held in both languages (item titles).
 */
export function translateParams(t: (key: string) => string, params: Record<string, string>, locale: string): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, renderParam(t, v, locale)]));
}

function renderParam(t: (key: string) => string, v: string, locale: string): string {
  if (v.startsWith("t:")) return t(v.slice(2));
  if (v.startsWith("d:")) return formatDateTime(v.slice(2), locale);
  if (v.startsWith("day:")) return formatDay(v.slice(4), locale);
  if (v.startsWith("zh:")) {
    const split = v.indexOf("|en:");
    if (split < 0) return v.slice(3);
    return locale === "en" ? v.slice(split + 4) : v.slice(3, split);
  }
  return v;
}

/** Both languages of a value in one notification param (see translateParams). */
export const bilingual = (zh: string, en: string) => `zh:${zh}|en:${en}`;
