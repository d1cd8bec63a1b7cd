import { render } from "@react-email/render";
import { CATALOGUES } from "#app/i18n/catalogues.ts";
import { createI18n, isLocale, DEFAULT_LOCALE, translateParams } from "#app/i18n/i18n.ts";
import type { FunctionComponent } from "react";
import { EMAIL_TEMPLATES, isEmailTemplateName } from "./registry.ts";

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Renders a template in the recipient's language to HTML and plain text. */
export async function renderEmail(template: string, locale: string, props: unknown): Promise<RenderedEmail> {
  if (!isEmailTemplateName(template)) throw new Error(`unknown email template: ${template}`);
  const lang = isLocale(locale) ? locale : DEFAULT_LOCALE;
  const { t } = createI18n(lang, CATALOGUES[lang]);
  const entry = EMAIL_TEMPLATES[template] as unknown as { component: FunctionComponent<Record<string, unknown>>; subjectKey: string };
  const Component = entry.component;
  const element = <Component {...(props as Record<string, unknown>)} t={t} lang={lang} />;
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  // Notifications carry their own subject: the kind's title with its params.
  const subject =
    template === "notification"
      ? t("email.notification.subject", { title: t(`notify.${(props as { kind: string }).kind}.title`, translateParams(t, (props as { params: Record<string, string> }).params, lang)) })
      : t(entry.subjectKey, props as Record<string, unknown>);
  return { subject, html, text };
}
