import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { now } from "#app/.server/clock.ts";
import { requireRole } from "#app/.server/auth.ts";
import { prisma, type Prisma } from "#app/.server/db.ts";
import { scopedDossiers } from "#app/.server/scope.ts";
import { DeferralListTable } from "#app/components/deferral/deferral-list.tsx";
import { LIST_SELECT, toListRow } from "#app/modules/deferral/deferral-rows.server.ts";
import { EmptyHome, NextPageLink } from "#app/components/page-parts.tsx";
import { loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { OPEN_DEFERRAL } from "#app/modules/deferral/deferral-rules.ts";

const PAGE_SIZE = 50;
// Query parameters from an allow-list; anything else is a 400 (QUALITY S16).
const ZQuery = z.object({ after: z.uuid().optional() });

/** The advisor's deferred items still open (awaiting the document or the advisor's check), due soonest first. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["ADVISOR"]);
  const parsed = ZQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw data({ reason: "bad-query" }, { status: 400 });
  const where: Prisma.DeferralWhereInput = { state: { in: [...OPEN_DEFERRAL] }, dossier: scopedDossiers(user) };
  // Keyset pagination on (dueDate, id), soonest first.
  const cursor = parsed.data.after ? await prisma.deferral.findFirst({ where: { AND: [where, { id: parsed.data.after }] }, select: { id: true, dueDate: true } }) : null;
  const [calendar, rows] = await Promise.all([
    loadHolidayCalendar(),
    prisma.deferral.findMany({
      where: cursor ? { AND: [where, { OR: [{ dueDate: { gt: cursor.dueDate } }, { dueDate: cursor.dueDate, id: { gt: cursor.id } }] }] } : where,
      orderBy: [{ dueDate: "asc" }, { id: "asc" }],
      take: PAGE_SIZE + 1,
      select: LIST_SELECT,
    }),
  ]);
  const at = now();
  const page = rows.slice(0, PAGE_SIZE).map((r) => toListRow(calendar, at, r));
  return { rows: page, nextAfter: rows.length > PAGE_SIZE ? page[page.length - 1]!.id : null };
}

export default function AdvisorDeferrals() {
  const { t } = useTranslation();
  const { rows, nextAfter } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  if (rows.length === 0 && !params.has("after")) {
    return <EmptyHome title={t("deferral.lists.advisorTitle")} emptyTitle={t("deferral.lists.empty")} emptyText={t("deferral.lists.advisorIntro")} />;
  }
  return (
    <>
      <div className="page-head">
        <h1>{t("deferral.lists.advisorTitle")}</h1>
      </div>
      <p className="lead">{t("deferral.lists.advisorIntro")}</p>
      <div className="panel table-wrap">
        {rows.length === 0 ? <p>{t("deferral.lists.empty")}</p> : <DeferralListTable rows={rows} caption={t("deferral.lists.advisorTitle")} testId="advisor-deferrals" />}
        <NextPageLink params={params} cursorName="after" cursor={nextAfter} />
      </div>
    </>
  );
}
