import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { now } from "#app/.server/clock.ts";
import { requireRole } from "#app/.server/auth.ts";
import { prisma, type Prisma } from "#app/.server/db.ts";
import { DeferralListTable } from "#app/components/deferral/deferral-list.tsx";
import { LIST_SELECT, toListRow } from "#app/modules/deferral/deferral-rows.server.ts";
import { NextPageLink } from "#app/components/page-parts.tsx";
import { loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { addWorkingDays, shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { OPEN_DEFERRAL, toDateColumn } from "#app/modules/deferral/deferral-rules.ts";
import { formatDateTime, formatDay } from "#app/utils/format.ts";

const PAGE_SIZE = 50;
const TABS = ["week", "overdue", "breached", "open"] as const;
type Tab = (typeof TABS)[number];
/** "This week" in working days: due from today up to five working days ahead. */
const WEEK_WORKING_DAYS = 5;

// Query parameters from an allow-list; anything else is a 400 (QUALITY S16).
const ZQuery = z.object({ tab: z.enum(TABS).optional(), after: z.uuid().optional(), breachAfter: z.uuid().optional() });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["WINDOW"]);
  const parsed = ZQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw data({ reason: "bad-query" }, { status: 400 });
  const tab: Tab = parsed.data.tab ?? "week";
  const calendar = await loadHolidayCalendar();
  const at = now();
  const today = shanghaiDate(at);
  const weekEnd = addWorkingDays(calendar, today, WEEK_WORKING_DAYS);
  const filters: Record<Tab, Prisma.DeferralWhereInput> = {
    week: { state: { in: ["PENDING", "EXTENDED"] }, dueDate: { gte: toDateColumn(today), lte: toDateColumn(weekEnd) } },
    overdue: { state: "OVERDUE" },
    breached: { state: "BREACHED" },
    open: { state: { in: [...OPEN_DEFERRAL] } },
  };
  const where = filters[tab];

  // Keyset pagination on (dueDate, id), soonest first; the commitment records on (breachedAt, id), newest first.
  const cursor = parsed.data.after ? await prisma.deferral.findFirst({ where: { AND: [where, { id: parsed.data.after }] }, select: { id: true, dueDate: true } }) : null;
  const breachCursor = parsed.data.breachAfter
    ? await prisma.commitmentBreach.findUnique({ where: { id: parsed.data.breachAfter }, select: { id: true, breachedAt: true } })
    : null;
  const [rows, counts, breaches] = await Promise.all([
    prisma.deferral.findMany({
      where: cursor ? { AND: [where, { OR: [{ dueDate: { gt: cursor.dueDate } }, { dueDate: cursor.dueDate, id: { gt: cursor.id } }] }] } : where,
      orderBy: [{ dueDate: "asc" }, { id: "asc" }],
      take: PAGE_SIZE + 1,
      select: LIST_SELECT,
    }),
    Promise.all(TABS.map((t) => prisma.deferral.count({ where: filters[t] }))),
    prisma.commitmentBreach.findMany({
      where: breachCursor ? { OR: [{ breachedAt: { lt: breachCursor.breachedAt } }, { breachedAt: breachCursor.breachedAt, id: { lt: breachCursor.id } }] } : {},
      orderBy: [{ breachedAt: "desc" }, { id: "desc" }],
      take: PAGE_SIZE + 1,
      select: {
        id: true,
        breachedAt: true,
        barUntil: true,
        company: { select: { name: true, uscc: true } },
        deferral: { select: { item: { select: { code: true } }, dossier: { select: { id: true, number: true } } } },
      },
    }),
  ]);
  const page = rows.slice(0, PAGE_SIZE).map((r) => toListRow(calendar, at, r));
  const breachPage = breaches.slice(0, PAGE_SIZE).map((b) => ({
    id: b.id,
    company: b.company.name,
    uscc: b.company.uscc,
    dossierId: b.deferral.dossier.id,
    number: b.deferral.dossier.number,
    code: b.deferral.item.code,
    breachedAt: b.breachedAt,
    barUntil: shanghaiDate(b.barUntil),
    active: b.barUntil > at,
  }));
  return {
    tab,
    counts: Object.fromEntries(TABS.map((t, i) => [t, counts[i]!])) as Record<Tab, number>,
    rows: page,
    nextAfter: rows.length > PAGE_SIZE ? page[page.length - 1]!.id : null,
    breaches: breachPage,
    nextBreachAfter: breaches.length > PAGE_SIZE ? breachPage[breachPage.length - 1]!.id : null,
  };
}

export default function WindowDeferrals() {
  const { t, i18n } = useTranslation();
  const { tab, counts, rows, nextAfter, breaches, nextBreachAfter } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  // Each list pages on its own cursor; the other list starts over.
  const rowParams = new URLSearchParams(params);
  rowParams.delete("breachAfter");
  const breachParams = new URLSearchParams(params);
  breachParams.delete("after");
  return (
    <>
      <div className="page-head">
        <h1>{t("deferral.lists.windowTitle")}</h1>
      </div>
      <p className="lead">{t("deferral.lists.windowIntro")}</p>
      <nav className="tabs" aria-label={t("deferral.lists.tabs.label")}>
        <ul>
          {TABS.map((key) => (
            <li key={key}>
              <Link to={`?tab=${key}`} aria-current={key === tab ? "page" : undefined} className={`tabs__tab${key === tab ? " tabs__tab--active" : ""}`}>
                {t("deferral.lists.tabCount", { label: t(`deferral.lists.tabs.${key}`), count: counts[key] })}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <section className="panel table-wrap" aria-labelledby="deferral-list-title">
        <h2 id="deferral-list-title" className="panel__title">
          {t(`deferral.lists.tabs.${tab}`)}
        </h2>
        {rows.length === 0 ? <p>{t("deferral.lists.empty")}</p> : <DeferralListTable rows={rows} caption={t(`deferral.lists.tabs.${tab}`)} testId="window-deferrals" />}
        <NextPageLink params={rowParams} cursorName="after" cursor={nextAfter} />
      </section>
      <section className="panel table-wrap" aria-labelledby="breaches-title" id="commitment-records">
        <h2 id="breaches-title" className="panel__title">
          {t("deferral.lists.breachesTitle")}
        </h2>
        <p className="lead">{t("deferral.lists.breachesIntro")}</p>
        {breaches.length === 0 ? (
          <p>{t("deferral.lists.breachesEmpty")}</p>
        ) : (
          <table className="data data--wrap" data-testid="breaches">
            <caption className="visually-hidden">{t("deferral.lists.breachesTitle")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("deferral.lists.company")}</th>
                <th scope="col">{t("deferral.lists.uscc")}</th>
                <th scope="col">{t("deferral.lists.number")}</th>
                <th scope="col">{t("deferral.page.item")}</th>
                <th scope="col">{t("deferral.lists.breachedAt")}</th>
                <th scope="col">{t("deferral.lists.barUntil")}</th>
              </tr>
            </thead>
            <tbody>
              {breaches.map((b) => (
                <tr key={b.id}>
                  <th scope="row">{b.company}</th>
                  <td>
                    <code>{b.uscc}</code>
                  </td>
                  <td>
                    <Link to={`/dossiers/${b.dossierId}/deferrals`} className="dossier-number">
                      {b.number}
                    </Link>
                  </td>
                  <td>
                    <code>{b.code}</code>
                  </td>
                  <td>{formatDateTime(b.breachedAt, i18n.language)}</td>
                  <td>
                    <time dateTime={b.barUntil}>{formatDay(b.barUntil, i18n.language)}</time>{" "}
                    <span className={`badge badge--${b.active ? "red" : "grey"}`}>{t(b.active ? "deferral.lists.barActive" : "deferral.lists.barEnded")}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <NextPageLink params={breachParams} cursorName="breachAfter" cursor={nextBreachAfter} />
      </section>
    </>
  );
}
