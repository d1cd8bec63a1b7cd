import { PrintButton } from "#app/components/print-button.tsx";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFoundInScope, requireRole } from "#app/.server/auth.ts";
import { prisma } from "#app/.server/db.ts";
import { formatBytes } from "#app/components/dossier/file-size.ts";
import { Notice } from "#app/components/forms/fields.tsx";
import { requireDossier } from "#app/modules/dossier/load-dossier.server.ts";
import type { SnapshotEntry } from "#app/modules/dossier/submit-dossier.server.ts";
import { formatDateTime } from "#app/utils/format.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"]);
  const dossier = await requireDossier(user, request, params.dossierId);
  const submission =
    params.submissionId && UUID.test(params.submissionId)
      ? await prisma.submission.findFirst({ where: { id: params.submissionId, dossierId: dossier.id } })
      : null;
  if (!submission) return notFoundInScope(user, request, "submission", String(params.submissionId));
  const [company, submittedBy] = await Promise.all([
    prisma.company.findUniqueOrThrow({ where: { id: dossier.companyId }, select: { name: true, uscc: true } }),
    prisma.user.findUnique({ where: { id: submission.submittedById }, select: { name: true } }),
  ]);
  // The snapshot is frozen JSON written by submitDossier; it is shown as it was, never re-read from the items.
  const entries = (submission.snapshot as unknown as SnapshotEntry[]).map((e) => ({
    code: e.code,
    titleZh: e.titleZh,
    titleEn: e.titleEn,
    requirement: e.requirement,
    version: e.version,
    originalName: e.originalName,
    size: e.size === null ? null : Number(e.size),
    sha256: e.sha256,
    notApplicableReason: e.notApplicableReason,
    deferred: e.deferred,
  }));
  return {
    dossier: { id: dossier.id, number: dossier.number, productName: dossier.productName, model: dossier.model, registrationType: dossier.registrationType, productKind: dossier.productKind },
    company,
    submission: { sequence: submission.sequence, submittedAt: submission.submittedAt, submittedBy: submittedBy?.name ?? "" },
    entries,
  };
}

function EntryDocument({ entry }: { entry: ReturnType<typeof useLoaderData<typeof loader>>["entries"][number] }) {
  const { t, i18n } = useTranslation();
  if (entry.version !== null) {
    return (
      <>
        {t("dossierUi.receipt.version", { version: entry.version })} · <span className="receipt__file">{entry.originalName}</span>
        {entry.size !== null ? ` · ${formatBytes(entry.size, i18n.language)}` : null}
        {entry.sha256 ? (
          <>
            {" · "}
            <abbr title={entry.sha256}>SHA-256</abbr> <code>{entry.sha256.slice(0, 12)}</code>
          </>
        ) : null}
      </>
    );
  }
  if (entry.deferred) return <>{t("dossierUi.receipt.deferred")}</>;
  if (entry.notApplicableReason)
    return (
      <>
        {t("dossierUi.receipt.notApplicable")}
        {t("dossierUi.colon")}
        {entry.notApplicableReason}
      </>
    );
  return <span className="muted">{t("dossierUi.receipt.noDocument")}</span>;
}

export default function Receipt() {
  const { t, i18n } = useTranslation();
  const { dossier, company, submission, entries } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const en = i18n.language === "en";
  return (
    <>
      <p className="no-print">
        <Link to={`/dossiers/${dossier.id}`}>← {dossier.number}</Link>
      </p>
      {params.has("submitted") ? (
        <div className="no-print">
          <Notice tone="success">{t("dossierUi.receipt.submitted")}</Notice>
        </div>
      ) : null}
      <article className="panel receipt" aria-labelledby="receipt-title">
        <div className="page-head">
          <h1 id="receipt-title">{t("dossierUi.receipt.title")}</h1>
          <PrintButton label={t("dossierUi.receipt.print")} />
        </div>
        <p className="lead">{t("dossierUi.receipt.intro")}</p>
        <dl className="facts">
          <dt>{t("dossierUi.receipt.number")}</dt>
          <dd>
            <strong className="dossier-number">{dossier.number}</strong>
          </dd>
          <dt>{t("dossierUi.receipt.sequence")}</dt>
          <dd>{submission.sequence}</dd>
          <dt>{t("dossierUi.overview.company")}</dt>
          <dd>
            {company.name} · <code>{company.uscc}</code>
          </dd>
          <dt>{t("dossierUi.form.productName")}</dt>
          <dd>{dossier.productName}</dd>
          <dt>{t("dossierUi.form.model")}</dt>
          <dd className="prewrap">{dossier.model}</dd>
          <dt>{t("dossierUi.form.registrationType")}</dt>
          <dd>
            {t(`registrationType.${dossier.registrationType}`)} · {t(`productKind.${dossier.productKind}`)}
          </dd>
          <dt>{t("dossierUi.receipt.submittedAt")}</dt>
          <dd>{formatDateTime(submission.submittedAt, i18n.language)}</dd>
          <dt>{t("dossierUi.receipt.submittedBy")}</dt>
          <dd>{submission.submittedBy}</dd>
        </dl>
        <div className="table-wrap">
          <table className="data receipt__items">
            <caption>{t("dossierUi.receipt.items", { count: entries.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("dossierUi.overview.code")}</th>
                <th scope="col">{t("dossierUi.overview.item")}</th>
                <th scope="col">{t("dossierUi.overview.requirement")}</th>
                <th scope="col">{t("dossierUi.receipt.document")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.code}>
                  <td>
                    <code>{e.code}</code>
                  </td>
                  <td>{en ? e.titleEn : e.titleZh}</td>
                  <td>{t(`requirement.${e.requirement}`)}</td>
                  <td>
                    <EntryDocument entry={e} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="receipt__note">{t("dossierUi.receipt.note")}</p>
      </article>
    </>
  );
}
