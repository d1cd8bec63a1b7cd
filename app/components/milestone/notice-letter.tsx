import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { NoticeContent } from "#app/modules/milestone/notices.ts";
import { formatDay } from "#app/utils/format.ts";

const INTRO = {
  CORRECTION_NOTICE: "milestone.notice.correctionIntro",
  NOT_ACCEPTED_NOTICE: "milestone.notice.notAcceptedIntro",
  SUPPLEMENT_NOTICE: "milestone.notice.supplementIntro",
} as const;

/** 补正材料通知书 / 不予受理通知书 / 补充资料通知书, printed from their frozen content: every item in one notice. */
export function NoticeLetter({ content, sha256, actions }: { content: NoticeContent; sha256: string; actions?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const facts = { number: content.dossier.number, product: content.dossier.productName, model: content.dossier.model };
  return (
    <article className="panel letter notice-letter" aria-labelledby="letter-title" data-kind={content.kind}>
      <div className="page-head">
        <h1 id="letter-title" className="letter__title">
          {t(`milestone.notice.${content.kind}`)}
        </h1>
        {actions}
      </div>
      <p className="letter__to">{t("milestone.notice.to", { company: content.company.name, uscc: content.company.uscc })}</p>
      <p>{t(INTRO[content.kind], facts)}</p>
      {content.items.length > 0 ? (
        <ol aria-label={t("milestone.notice.items")}>
          {content.items.map((item, i) => (
            <li key={i} className="prewrap">
              {item}
            </li>
          ))}
        </ol>
      ) : null}
      {content.kind === "NOT_ACCEPTED_NOTICE" && content.reason ? <p className="prewrap">{t("milestone.notice.reason", { reason: content.reason })}</p> : null}
      {content.kind !== "NOT_ACCEPTED_NOTICE" && content.reason ? <p className="prewrap">{t("milestone.notice.note", { note: content.reason })}</p> : null}
      {content.dueDate ? <p>{t("milestone.notice.supplementDue", { date: formatDay(content.dueDate, lang) })}</p> : null}
      <div className="letter__signature">
        <p>{t("milestone.notice.office")}</p>
        <p>{t("milestone.notice.issuedBy", { name: content.person.name })}</p>
        <p>{t("milestone.notice.date", { date: formatDay(content.date, lang) })}</p>
      </div>
      <p className="field__hint letter__hash">{t("milestone.notice.hash", { hash: sha256 })}</p>
    </article>
  );
}
