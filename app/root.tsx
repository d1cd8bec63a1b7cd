import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useMemo, type ReactNode } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { CATALOGUES } from "#app/i18n/catalogues.ts";
import { FALLBACK_MESSAGES } from "#app/i18n/fallback.ts";
import { createI18n, DEFAULT_LOCALE, LOCALES, type Locale } from "#app/i18n/i18n.ts";
import { prisma } from "#app/.server/db.ts";
import { getSessionUser } from "#app/.server/session.ts";
import { getLocale } from "#app/.server/i18n.ts";
import { env } from "#app/.server/env.ts";
import { useRequestInfo } from "./request-info.tsx";
import stylesUrl from "./styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesUrl },
  { rel: "icon", href: "/favicon.ico" },
];

export const meta: MetaFunction = () => [{ title: "绿通 Greenlane" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  const locale = await getLocale(request, user?.locale);
  const unread = user ? await prisma.notification.count({ where: { userId: user.id, readAt: null } }) : 0;
  return {
    unread,
    locale,
    messages: CATALOGUES[locale],
    requestId: context.requestId,
    devMailbox: env().DEV_MAILBOX,
    user: user && {
      name: user.name,
      email: user.email,
      role: user.role,
      companyName: user.companyName,
      isCompanyAdmin: user.isCompanyAdmin,
    },
  };
}

type RootData = Awaited<ReturnType<typeof loader>>;
type NavUser = NonNullable<RootData["user"]>;

const NAV: Record<NavUser["role"], { to: string; key: string; end?: boolean; devOnly?: boolean }[]> = {
  APPLICANT: [
    { to: "/applicant", key: "nav.myDossiers", end: true },
    { to: "/dossiers/new", key: "dossierUi.nav.newDossier" },
    { to: "/applicant/company", key: "nav.company" },
  ],
  ADVISOR: [
    { to: "/advisor", key: "nav.assignments", end: true },
    { to: "/advisor/deferrals", key: "deferral.nav.advisor" },
    { to: "/advisor/profile", key: "review.nav.profile" },
  ],
  WINDOW: [
    { to: "/window", key: "nav.queue", end: true },
    { to: "/window/unassigned", key: "review.nav.unassigned" },
    { to: "/window/deferrals", key: "deferral.nav.window" },
    { to: "/window/calendar", key: "calendar.nav" },
    { to: "/window/policy", key: "policy.nav" },
    { to: "/window/clock-policy", key: "clockPolicy.nav" },
    { to: "/indicators", key: "indicator.nav" },
    { to: "/window/deliveries", key: "deliveries.nav" },
    { to: "/mailbox", key: "nav.mailbox", devOnly: true },
  ],
  ADMIN: [
    { to: "/admin", key: "nav.users" },
    { to: "/indicators", key: "indicator.nav" },
    { to: "/window/unassigned", key: "review.nav.unassigned" },
    { to: "/mailbox", key: "nav.mailbox", devOnly: true },
  ],
  AUDITOR: [
    { to: "/audit", key: "nav.auditLog" },
    { to: "/indicators", key: "indicator.nav" },
  ],
};

function LanguageSwitch({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <Form method="post" action="/language" className="lang-switch" reloadDocument>
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      {LOCALES.filter((l) => l !== locale).map((l) => (
        <button key={l} type="submit" name="locale" value={l} className="link-button" lang={l} aria-label={`${t("common.switchLanguage")}: ${t(`languages.${l}`)}`}>
          {t(`languages.${l}`)}
        </button>
      ))}
    </Form>
  );
}

function Header({ data }: { data: RootData }) {
  const { t } = useTranslation();
  const user = data.user;
  return (
    <header className="site-header">
      <div className="site-header__bar">
        <Link to="/" className="brand">
          <span className="brand__mark" aria-hidden="true">绿</span>
          <span>
            <span className="brand__name">{t("app.name")}</span>
            <span className="brand__full">{t("app.subtitle")}</span>
          </span>
        </Link>
        <div className="site-header__user">
          {user ? (
            <>
              <span className="user-chip" data-testid="user-chip">
                <span className="visually-hidden">{t("common.signedInAs")}: </span>
                <strong>{user.name}</strong>
                <span className="user-chip__role">{t(`roles.${user.role}`)}</span>
                {user.companyName ? <span className="user-chip__company">{user.companyName}</span> : null}
              </span>
              <Link to="/notifications" className="header-link" data-testid="notifications-link">
                {t("dossierUi.nav.notifications")}
                {data.unread > 0 ? <span className="count-badge" aria-label={t("dossierUi.nav.unread", { count: data.unread })}>{data.unread}</span> : null}
              </Link>
              <Form method="post" action="/logout">
                <button type="submit" className="button button--ghost">
                  {t("common.signOut")}
                </button>
              </Form>
            </>
          ) : null}
          <LanguageSwitch locale={data.locale} />
        </div>
      </div>
      {user ? (
        <nav aria-label={t("app.mainNav")} className="site-nav">
          <ul>
            {NAV[user.role]
              .filter((item) => !item.devOnly || data.devMailbox)
              .map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.end}>
                    {t(item.key)}
                  </NavLink>
                </li>
              ))}
          </ul>
        </nav>
      ) : null}
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const { nonce, requestId } = useRequestInfo();
  const locale = data?.locale ?? DEFAULT_LOCALE;
  const i18n = useMemo(() => createI18n(locale, data?.messages ?? FALLBACK_MESSAGES), [locale, data?.messages]);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="request-id" content={data?.requestId ?? requestId} />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>
          <a href="#main" className="skip-link">
            {i18n.t("app.skipToContent")}
          </a>
          {data ? <Header data={data} /> : null}
          <main id="main" className="site-main">
            {children}
          </main>
          <footer className="site-footer">
            {i18n.t("app.footer")} · <a href="/verify">{i18n.t("certificate.verify.nav")}</a> · <a href="/district/indicators">{i18n.t("indicator.public.nav")}</a>
          </footer>
        </I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const data = useRouteLoaderData<typeof loader>("root");
  const { requestId } = useRequestInfo();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const [title, text] =
    status === 404
      ? [t("errors.notFoundTitle"), t("errors.notFoundText")]
      : status === 403
        ? [t("errors.forbiddenTitle"), t("errors.forbiddenText")]
        : [t("errors.errorPageTitle"), t("errors.errorPageText")];
  return (
    <section className="panel error-page" aria-labelledby="error-title">
      <h1 id="error-title">
        {title} <span className="error-page__status">{status}</span>
      </h1>
      <p>{text}</p>
      {status >= 500 ? (
        <p>
          {t("errors.correlationId")}: <code data-testid="correlation-id">{data?.requestId ?? requestId}</code>
        </p>
      ) : null}
      <p>
        <Link to="/">{t("errors.goHome")}</Link>
      </p>
    </section>
  );
}
