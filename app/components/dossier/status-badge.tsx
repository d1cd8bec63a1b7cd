import { useTranslation } from "react-i18next";
import type { DossierStatus } from "#app/.server/generated/prisma/enums.ts";

/** Colour per status: waiting on the applicant amber, refused or ended red, in progress blue, approved green. */
const TONE: Record<DossierStatus, "green" | "red" | "amber" | "grey" | "blue"> = {
  DRAFT: "grey",
  SUBMITTED: "blue",
  ACCEPTED: "blue",
  CORRECTION_REQUESTED: "amber",
  NOT_ACCEPTED: "red",
  IN_REVIEW: "blue",
  SUPPLEMENT_REQUESTED: "amber",
  REVIEW_CONCLUDED: "blue",
  APPROVED: "green",
  REJECTED: "red",
  WITHDRAWN: "grey",
  TERMINATED: "red",
};

/** A dossier's status in words and colour together. */
export function StatusBadge({ status }: { status: DossierStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge--${TONE[status]}`} data-status={status}>
      {t(`dossierStatus.${status}`)}
    </span>
  );
}
