import type { Locale } from "./i18n.ts";
import { en } from "./en.ts";
import { zhCN, type Messages } from "./zh-CN.ts";

/**
 * Both catalogues. Server code and emails import this; the browser receives
 * only the current language's catalogue through the root loader's data.
 */
export const CATALOGUES: Record<Locale, Messages> = { "zh-CN": zhCN, en };
