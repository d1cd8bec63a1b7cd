import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "#app/.server/auth.ts";
import { prisma } from "#app/.server/db.ts";
import { scopedDossiers } from "#app/.server/scope.ts";
import { Notice } from "#app/components/forms/fields.tsx";
import { EmptyHome } from "#app/components/page-parts.tsx";
import { CATALOGUE_CODES, isCatalogueCode } from "#app/modules/dossier/catalogue-codes.ts";
import { formatDateTime } from "#app/utils/format.ts";

const SORTS = ["gaps", "age", "updated"] as const;
type Sort = (typeof SORTS)[number];
type Dir = "asc" | "desc";

// Sorting from an allow-list (QUALITY S16); unknown values are a 400.
const ZSort = z.object({
  sort: z.enum(SORTS).optional(),
  dir: z.enum(["asc", "desc"]).optional(),
});

const DAY = 86_400_000;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["ADVISOR"]);
  const parsed = ZSort.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw data({ reason: "bad-sort" }, { status: 400 });
  const sort: Sort = parsed.data.sort ?? "gaps";
  const dir: Dir = parsed.data.dir ?? "desc";

  const [dossiers, profile] = await Promise.all([
    prisma.dossier.findMany({
      where: scopedDossiers(user),
      select: {
        id: true,
        number: true,
        productName: true,
        catalogueCode: true,
        status: true,
        createdAt: true,
        updatedAt: true,
        company: { select: { name: true } },
      },
    }),
    prisma.advisorProfile.findUnique({ where: { userId: user.id }, select: { userId: true } }),
  ]);
  const ids = dossiers.map((d) => d.id);
  const gapCounts = ids.length
    ? await prisma.gap.groupBy({ by: ["dossierId", "severity"], where: { dossierId: { in: ids }, state: { not: "RESOLVED" } }, _count: { _all: true } })
    : [];
  // "Last update" is the latest activity: the dossier row, a gap, or an uploaded document.
  const [gapTimes, documentTimes] = ids.length
    ? await Promise.all([
        prisma.gap.groupBy({ by: ["dossierId"], where: { dossierId: { in: ids } }, _max: { updatedAt: true } }),
        prisma.$queryRaw<{ dossierId: string; at: Date }[]>`
          SELECT i.dossier_id AS "dossierId", max(v.created_at) AS at
          FROM document_version v JOIN dossier_item i ON i.id = v.item_id
          WHERE i.dossier_id = ANY(${ids}::uuid[]) GROUP BY i.dossier_id`,
      ])
    : [[], []];
  const lastActivity = new Map<string, number>();
  const touch = (id: string, at: Date | null) => at && lastActivity.set(id, Math.max(lastActivity.get(id) ?? 0, at.getTime()));
  for (const g of gapTimes) touch(g.dossierId, g._max.updatedAt);
  for (const d of documentTimes) touch(d.dossierId, d.at);

  const open = new Map<string, { all: number; must: number }>();
  for (const g of gapCounts) {
    const c = open.get(g.dossierId) ?? { all: 0, must: 0 };
    c.all += g._count._all;
    if (g.severity === "MUST") c.must += g._count._all;
    open.set(g.dossierId, c);
  }

  const now = Date.now();
  const rows = dossiers.map((d) => ({
    id: d.id,
    number: d.number,
    company: d.company.name,
    productName: d.productName,
    catalogueCode: d.catalogueCode,
    status: d.status,
    openGaps: open.get(d.id)?.all ?? 0,
    mustGaps: open.get(d.id)?.must ?? 0,
    ageDays: Math.max(0, Math.floor((now - d.createdAt.getTime()) / DAY)),
    createdAt: d.createdAt,
    updatedAt: new Date(Math.max(d.updatedAt.getTime(), lastActivity.get(d.id) ?? 0)),
  }));
  const key: Record<Sort, (r: (typeof rows)[number]) => number> = {
    gaps: (r) => r.openGaps,
    age: (r) => -r.createdAt.getTime(),
    updated: (r) => r.updatedAt.getTime(),
  };
  const sign = dir === "asc" ? 1 : -1;
  // Ties: the older dossier first, then the number, so the order is stable.
  rows.sort((a, b) => sign * (key[sort](a) - key[sort](b)) || a.createdAt.getTime() - b.createdAt.getTime() || a.number.localeCompare(b.number));
  return { rows, sort, dir, hasProfile: !!profile };
}

export default function AdvisorHome() {
  const { t, i18n } = useTranslation();
  const { rows, sort, dir, hasProfile } = useLoaderData<typeof loader>();
  const en = i18n.language === "en";

  const profileNotice = hasProfile ? null : (
    <Notice tone="warning">
      {t("review.advisor.noProfile")} <Link to="/advisor/profile">{t("review.advisor.fillProfile")}</Link>
    </Notice>
  );
  if (rows.length === 0) {
    return (
      <>
        {profileNotice}
        <EmptyHome title={t("advisorHome.title")} emptyTitle={t("advisorHome.emptyTitle")} emptyText={t("advisorHome.emptyText")} />
        <p>
          <Link to="/advisor/profile">{t("review.advisor.profileLink")}</Link>
        </p>
      </>
    );
  }

  const sortHeader = (column: Sort, label: string) => {
    const active = sort === column;
    const nextDir: Dir = active && dir === "desc" ? "asc" : "desc";
    return (
      <th scope="col" aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}>
        <Link to={`?sort=${column}&dir=${nextDir}`} className="sort-link">
          {label}
          <span aria-hidden="true">{active ? (dir === "asc" ? " ▲" : " ▼") : " ↕"}</span>
          <span className="visually-hidden">
            {" "}
            {t(nextDir === "asc" ? "review.advisor.sortAsc" : "review.advisor.sortDesc")}
          </span>
        </Link>
      </th>
    );
  };

  return (
    <>
      <div className="page-head">
        <h1>{t("advisorHome.title")}</h1>
        <Link to="/advisor/profile" className="button button--secondary">
          {t("review.advisor.profileLink")}
        </Link>
      </div>
      <p className="lead">{t("review.advisor.intro")}</p>
      {profileNotice}
      <div className="panel table-wrap">
        <table className="data" data-testid="assignments">
          <caption className="visually-hidden">{t("advisorHome.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("review.advisor.number")}</th>
              <th scope="col">{t("review.advisor.company")}</th>
              <th scope="col">{t("review.advisor.product")}</th>
              <th scope="col">{t("review.advisor.code")}</th>
              <th scope="col">{t("review.advisor.status")}</th>
              {sortHeader("gaps", t("review.advisor.openGaps"))}
              <th scope="col">{t("review.advisor.mustGaps")}</th>
              {sortHeader("age", t("review.advisor.age"))}
              {sortHeader("updated", t("review.advisor.updated"))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/dossiers/${r.id}`}>{r.number}</Link>
                </td>
                <td>{r.company}</td>
                <td>{r.productName}</td>
                <td>
                  <code>{r.catalogueCode}</code>
                  {isCatalogueCode(r.catalogueCode) ? <span className="field__hint"> {en ? CATALOGUE_CODES[r.catalogueCode].en : CATALOGUE_CODES[r.catalogueCode].zh}</span> : null}
                </td>
                <td>{t(`dossierStatus.${r.status}`)}</td>
                <td>{r.openGaps > 0 ? <span className="badge badge--amber">{r.openGaps}</span> : <span className="badge badge--green">0</span>}</td>
                <td>{r.mustGaps > 0 ? <span className="badge badge--red">{t("review.advisor.mustCount", { count: r.mustGaps })}</span> : "0"}</td>
                <td>{t("review.advisor.days", { count: r.ageDays })}</td>
                <td>{formatDateTime(r.updatedAt, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
