import i18next, { type i18n } from "i18next";
import { formatDateTime } from "#app/utils/format.ts";
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
export function translateParams(t: (key: string) => string, params: Record<string, string>, locale: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, v.startsWith("t:") ? t(v.slice(2)) : v.startsWith("d:") ? formatDateTime(v.slice(2), locale) : v]),
  );
}
