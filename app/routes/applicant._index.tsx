import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import { prisma } from "#app/.server/db.ts";
import { scopedDossiers } from "#app/.server/scope.ts";
import { StatusBadge } from "#app/components/dossier/status-badge.tsx";
import { formatDateTime } from "#app/utils/format.ts";

/** One company's dossiers fit on one page; the cap only guards against the unexpected. */
const LIMIT = 200;

/**
 * The next legal deadline of a dossier (acceptance, supplement answer,
 * deferred document …). No deadlines exist yet: this seam returns null until
 * the working-day clocks and deferrals arrive, and the page shows "—".
 */
function nextDeadline(_dossier: { id: string }): Date | null {
  return null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["APPLICANT"]);
  const rows = await prisma.dossier.findMany({
    where: scopedDossiers(user),
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: LIMIT,
    select: {
      id: true,
      number: true,
      productName: true,
      registrationType: true,
      status: true,
      updatedAt: true,
      advisor: { select: { name: true } },
      _count: { select: { gaps: { where: { state: { not: "RESOLVED" } } } } },
    },
  });
  return {
    companyName: user.companyName,
    dossiers: rows.map(({ _count, advisor, ...d }) => ({ ...d, advisorName: advisor?.name ?? null, openGaps: _count.gaps, nextDeadline: nextDeadline(d) })),
  };
}

export default function ApplicantHome() {
  const { t, i18n } = useTranslation();
  const { companyName, dossiers } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t("dossierUi.list.title")}</h1>
          <p className="lead">
            {t("applicantHome.company")}
            {t("dossierUi.colon")}
            {companyName ?? ""}
          </p>
        </div>
        <Link to="/dossiers/new" className="button">
          {t("dossierUi.list.new")}
        </Link>
      </div>
      {dossiers.length === 0 ? (
        <section className="panel empty-state" aria-labelledby="empty-title">
          <h2 id="empty-title">{t("applicantHome.emptyTitle")}</h2>
          <p>{t("dossierUi.list.emptyText")}</p>
          <Link to="/dossiers/new" className="button">
            {t("dossierUi.list.new")}
          </Link>
        </section>
      ) : (
        <div className="panel table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t("dossierUi.list.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("dossierUi.list.number")}</th>
                <th scope="col">{t("dossierUi.form.productName")}</th>
                <th scope="col">{t("dossierUi.form.registrationType")}</th>
                <th scope="col">{t("dossierUi.list.status")}</th>
                <th scope="col">{t("dossierUi.overview.advisor")}</th>
                <th scope="col">{t("dossierUi.list.openGaps")}</th>
                <th scope="col">{t("dossierUi.list.nextDeadline")}</th>
                <th scope="col">{t("dossierUi.list.updatedAt")}</th>
              </tr>
            </thead>
            <tbody>
              {dossiers.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`/dossiers/${d.id}`} className="dossier-number">
                      {d.number}
                    </Link>
                  </td>
                  <td>{d.productName}</td>
                  <td>{t(`registrationType.${d.registrationType}`)}</td>
                  <td>
                    <StatusBadge status={d.status} />
                  </td>
                  <td>{d.advisorName ?? <span className="badge badge--amber">{t("dossierUi.overview.unassigned")}</span>}</td>
                  <td>{d.openGaps > 0 ? <span className="badge badge--amber">{d.openGaps}</span> : <span className="muted">0</span>}</td>
                  <td>
                    {d.nextDeadline ? formatDateTime(d.nextDeadline, i18n.language) : <span title={t("dossierUi.list.noDeadlineHint")}>{t("dossierUi.list.noDeadline")}</span>}
                  </td>
                  <td>{formatDateTime(d.updatedAt, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
