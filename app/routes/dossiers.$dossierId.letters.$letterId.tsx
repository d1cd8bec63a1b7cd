import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFoundInScope, requireRole } from "#app/.server/auth.ts";
import { prisma } from "#app/.server/db.ts";
import { Letter } from "#app/components/deferral/letter.tsx";
import { PrintButton } from "#app/components/print-button.tsx";
import { NoticeLetter } from "#app/components/milestone/notice-letter.tsx";
import type { LetterContent } from "#app/modules/deferral/letters.ts";
import { isNoticeKind, type NoticeContent } from "#app/modules/milestone/notices.ts";
import { requireDossier } from "#app/modules/dossier/load-dossier.server.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A letter issued for the dossier (commitment or notice), printable; outside the dossier's scope a 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"]);
  const dossier = await requireDossier(user, request, params.dossierId);
  const letter =
    params.letterId && UUID.test(params.letterId) ? await prisma.issuedLetter.findFirst({ where: { id: params.letterId, dossierId: dossier.id } }) : null;
  if (!letter) return notFoundInScope(user, request, "letter", String(params.letterId));
  // The content is frozen JSON written when the letter was issued; it is shown as it was.
  return {
    dossier: { id: dossier.id, number: dossier.number },
    letter: { kind: letter.kind, sequence: letter.sequence, sha256: letter.sha256, content: letter.content as unknown as LetterContent | NoticeContent },
  };
}

export default function LetterPage() {
  const { t } = useTranslation();
  const { dossier, letter } = useLoaderData<typeof loader>();
  if (isNoticeKind(letter.kind)) {
    return (
      <>
        <p className="no-print breadcrumb">
          <Link to={`/dossiers/${dossier.id}/progress`}>{t("milestone.notice.back")}</Link>
          {" · "}
          <Link to={`/dossiers/${dossier.id}`}>{dossier.number}</Link>
        </p>
        <NoticeLetter content={letter.content as NoticeContent} sha256={letter.sha256} actions={<PrintButton label={t("milestone.notice.print")} />} />
      </>
    );
  }
  return (
    <>
      <p className="no-print breadcrumb">
        <Link to={`/dossiers/${dossier.id}/deferrals`}>{t("deferral.letter.back")}</Link>
        {" · "}
        <Link to={`/dossiers/${dossier.id}`}>{dossier.number}</Link>
      </p>
      <Letter content={letter.content as LetterContent} sha256={letter.sha256} sequence={letter.sequence} actions={<PrintButton label={t("deferral.letter.print")} />} />
    </>
  );
}
