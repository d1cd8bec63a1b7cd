import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { DeferralStateName } from "#app/modules/deferral/deferral-rules.ts";
import { Countdown, DeferralStateBadge, DueDate, type CountdownData } from "./deferral-parts.tsx";

export interface DeferralListItem {
  id: string;
  state: DeferralStateName;
  dueDate: string;
  provisional: boolean;
  code: string;
  titleZh: string;
  titleEn: string;
  dossierId: string;
  number: string;
  productName: string;
  company: string;
  countdown: CountdownData | null;
}

/** The deferrals of several dossiers: application, company, item, state, due date and countdown; each links to the dossier's deferral page. */
export function DeferralListTable({ rows, caption, testId }: { rows: readonly DeferralListItem[]; caption: string; testId?: string }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === "en";
  return (
    <table className="data data--wrap" data-testid={testId}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("deferral.lists.number")}</th>
          <th scope="col">{t("deferral.lists.company")}</th>
          <th scope="col">{t("deferral.lists.product")}</th>
          <th scope="col">{t("deferral.page.item")}</th>
          <th scope="col">{t("deferral.page.state")}</th>
          <th scope="col">{t("deferral.page.dueDate")}</th>
          <th scope="col">{t("deferral.page.countdown")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-state={r.state}>
            <th scope="row">
              <Link to={`/dossiers/${r.dossierId}/deferrals`} className="dossier-number">
                {r.number}
              </Link>
            </th>
            <td>{r.company}</td>
            <td>{r.productName}</td>
            <td>
              <code>{r.code}</code> {en ? r.titleEn : r.titleZh}
            </td>
            <td>
              <DeferralStateBadge state={r.state} />
            </td>
            <td>
              <DueDate date={r.dueDate} provisional={r.provisional} />
            </td>
            <td>
              <Countdown value={r.countdown} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
