import { createCookie } from "@remix-run/node";
import { CATALOGUES } from "#app/i18n/catalogues.ts";
import { createI18n, negotiateLocale, type Locale } from "#app/i18n/i18n.ts";
import { env, isSecureOrigin } from "./env.ts";

export const langCookie = createCookie("gl_lang", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  secure: isSecureOrigin(env()),
  maxAge: 365 * 24 * 3600,
});

/** The language of this request: a signed-in user's saved choice wins, then the cookie, then Accept-Language. */
export async function getLocale(request: Request, userLocale?: string | null): Promise<Locale> {
  const cookie = (await langCookie.parse(request.headers.get("Cookie"))) as string | null;
  return negotiateLocale(userLocale ?? cookie, request.headers.get("Accept-Language"));
}

export async function getFixedT(request: Request, userLocale?: string | null) {
  const locale = await getLocale(request, userLocale);
  return createI18n(locale, CATALOGUES[locale]).t;
}
