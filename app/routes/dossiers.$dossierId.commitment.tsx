import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import { Notice } from "#app/components/forms/fields.tsx";
import { Letter } from "#app/components/deferral/letter.tsx";
import { PrintButton } from "#app/components/print-button.tsx";
import { previewCommitment } from "#app/modules/deferral/commitment.server.ts";
import { requireDossier } from "#app/modules/dossier/load-dossier.server.ts";

/** The commitment letter (申请容缺受理承诺书) as it would be frozen if the applicant submitted now. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["APPLICANT"]);
  const dossier = await requireDossier(user, request, params.dossierId);
  return { dossier: { id: dossier.id, number: dossier.number }, content: await previewCommitment(user, dossier.id) };
}

export default function CommitmentPreview() {
  const { t } = useTranslation();
  const { dossier, content } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="no-print breadcrumb">
        <Link to={`/dossiers/${dossier.id}#submit`}>{t("deferral.letter.backToDossier", { number: dossier.number })}</Link>
        {" · "}
        <Link to={`/dossiers/${dossier.id}/deferrals`}>{t("deferral.page.title")}</Link>
      </p>
      {content ? (
        <>
          <div className="no-print">
            <Notice>{t("deferral.letter.preview")}</Notice>
          </div>
          <Letter content={content} preview actions={<PrintButton label={t("deferral.letter.print")} />} />
        </>
      ) : (
        <>
          <h1>{t("deferral.letter.COMMITMENT")}</h1>
          <Notice>{t("deferral.letter.previewNone")}</Notice>
        </>
      )}
    </>
  );
}
