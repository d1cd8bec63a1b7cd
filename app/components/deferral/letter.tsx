import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { LetterContent } from "#app/modules/deferral/letters.ts";
import { formatDateTime, formatDay } from "#app/utils/format.ts";

/*
 * The two letters of 容缺受理 — 申请容缺受理承诺书 (commitment) and
 * 容缺受理通知书 (notice) — rendered from their frozen content: the facts
 * (who, what, by when, under which policy) come from the content, the
 * wording from the catalogue (deferral.letter.*). Used by the printable
 * letter page and by the commitment preview before submission.
 */

function ItemsTable({ content }: { content: LetterContent }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === "en";
  return (
    <div className="table-wrap">
      <table className="data letter__items">
        <caption className="visually-hidden">{t(`deferral.letter.${content.kind}`)}</caption>
        <thead>
          <tr>
            <th scope="col">{t("deferral.letter.code")}</th>
            <th scope="col">{t("deferral.letter.item")}</th>
            <th scope="col">{t("deferral.letter.dueDate")}</th>
            <th scope="col">{t("deferral.letter.workingDays")}</th>
            <th scope="col">{t("deferral.letter.reason")}</th>
          </tr>
        </thead>
        <tbody>
          {content.items.map((item) => (
            <tr key={item.code}>
              <td>
                <code>{item.code}</code>
              </td>
              <td>{en ? item.titleEn : item.titleZh}</td>
              <td className="nowrap">
                <time dateTime={item.dueDate}>{formatDay(item.dueDate, i18n.language)}</time>
              </td>
              <td className="nowrap">{t("deferral.letter.workingDaysValue", { count: item.workingDays })}</td>
              <td className="prewrap">{item.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface LetterProps {
  content: LetterContent;
  /** The frozen letter's checksum and number; absent in the preview. */
  sha256?: string;
  sequence?: number;
  /** The commitment before it is confirmed: no confirmation line. */
  preview?: boolean;
  /** Beside the title (the print button). */
  actions?: ReactNode;
}

export function Letter({ content, sha256, sequence, preview, actions }: LetterProps) {
  const { t, i18n } = useTranslation();
  const facts = {
    company: content.company.name,
    uscc: content.company.uscc,
    number: content.dossier.number,
    product: content.dossier.productName,
    model: content.dossier.model,
    registrationType: t(`registrationType.${content.dossier.registrationType}`),
  };
  const { maxDeferralWorkingDays: max, graceWorkingDays: grace, barMonths: bar } = content.policy;
  const commitment = content.kind === "COMMITMENT";
  return (
    <article className="panel letter" aria-labelledby="letter-title" data-kind={content.kind}>
      <div className="page-head">
        <h1 id="letter-title" className="letter__title">
          {t(`deferral.letter.${content.kind}`)}
        </h1>
        {actions}
      </div>
      {commitment ? (
        <>
          <p className="letter__to">{t("deferral.letter.recipient")}</p>
          <p>{t("deferral.letter.commitmentIntro", facts)}</p>
          <ItemsTable content={content} />
          <p className="letter__promises-title">{t("deferral.letter.promisesTitle")}</p>
          <ol className="letter__promises">
            <li>{t("deferral.letter.promise1")}</li>
            <li>{t("deferral.letter.promise2", { max })}</li>
            <li>{t("deferral.letter.promise3", { grace, bar })}</li>
            <li>{t("deferral.letter.promise4")}</li>
          </ol>
          <div className="letter__signature">
            <p>{t("deferral.letter.signatureCompany", { company: content.company.name })}</p>
            {preview ? null : (
              <p className="letter__confirmation" data-testid="letter-confirmation">
                {t("deferral.letter.confirmed", {
                  name: content.person.name,
                  email: content.person.email,
                  time: formatDateTime(content.at, i18n.language),
                  ip: content.ip ?? t("deferral.letter.unknownIp"),
                })}
              </p>
            )}
            <p>{t("deferral.letter.date", { date: formatDay(content.date, i18n.language) })}</p>
          </div>
        </>
      ) : (
        <>
          <p className="letter__to">{t("deferral.letter.addressee", { company: content.company.name })}</p>
          <p>{t("deferral.letter.noticeIntro", facts)}</p>
          <ItemsTable content={content} />
          <p>{t("deferral.letter.noticeConsequence", { grace, bar })}</p>
          <p>{t("deferral.letter.noticeNote")}</p>
          <div className="letter__signature">
            <p>{t("deferral.letter.issuer")}</p>
            <p>{t("deferral.letter.issuedBy", { name: content.person.name, email: content.person.email })}</p>
            <p>{t("deferral.letter.date", { date: formatDay(content.date, i18n.language) })}</p>
          </div>
        </>
      )}
      {sha256 ? (
        <p className="letter__hash">
          {sequence ? <>{t("deferral.letter.sequence", { sequence })} · </> : null}
          {t("deferral.letter.sha256")} <code className="sha256">{sha256}</code>
          <br />
          {t("deferral.letter.sha256Hint")}
        </p>
      ) : null}
    </article>
  );
}
