import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatDay } from "#app/utils/format.ts";
import type { CertificateState } from "./certificate-number.ts";

/*
 * The certificate as printed (注册证 layout: the numbered fields in a ruled
 * table, the authority, approval date and validity at the foot) and its
 * state in words and colour. Shared by the electronic certificate and the
 * public verification pages; the caller decides which fields it has.
 */

export interface CertificateContent {
  number: string;
  registrantName: string;
  registrantAddress: string;
  manufacturingAddress: string;
  productName: string;
  modelSpec: string;
  structure: string;
  intendedUse: string;
  attachment: string;
  otherContent: string;
  remarks: string;
  authority: string;
  approvalDate: string;
  /** Null for Class I filings, which do not expire. */
  validUntil: string | null;
  state: CertificateState;
}

const BODY_FIELDS = [
  "number",
  "registrantName",
  "registrantAddress",
  "manufacturingAddress",
  "productName",
  "modelSpec",
  "structure",
  "intendedUse",
  "attachment",
  "otherContent",
  "remarks",
] as const;

const STATE_BADGE: Record<CertificateState, string> = { valid: "badge badge--green", expired: "badge badge--amber", cancelled: "badge badge--red" };

export function CertificateStateBadge({ state }: { state: CertificateState }) {
  const { t } = useTranslation();
  return (
    <span className={`${STATE_BADGE[state]} certificate-state certificate-state--${state}`} data-state={state}>
      {t(`certificate.state.${state}`)}
    </span>
  );
}

/** The state as a sentence beside its badge (colour never carries the meaning alone). */
export function CertificateStateLine({ state, validUntil }: { state: CertificateState; validUntil: string | null }) {
  const { t, i18n } = useTranslation();
  return (
    <p className={`certificate-status certificate-status--${state}`}>
      <strong>{t("certificate.state.label")}：</strong>
      <CertificateStateBadge state={state} /> {t(`certificate.stateText.${state}`, { date: formatDay(validUntil, i18n.language) })}
    </p>
  );
}

/** The certificate document; `aside` (the QR code) sits in its head, `actions` (print) above it. */
export function CertificateDocument({ content, aside, headingLevel = 1 }: { content: CertificateContent; aside?: ReactNode; headingLevel?: 1 | 2 }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const Heading = headingLevel === 1 ? "h1" : "h2";
  return (
    <article className="certificate" aria-labelledby="certificate-title" data-state={content.state}>
      <div className="certificate__head">
        <Heading id="certificate-title" className="certificate__title">
          {t("certificate.title")}
        </Heading>
        {aside}
      </div>
      <table className="certificate__table">
        <tbody>
          {BODY_FIELDS.map((field) => (
            <tr key={field}>
              <th scope="row">{t(`certificate.fields.${field}`)}</th>
              <td className={field === "number" ? "certificate__number" : "prewrap"} data-field={field}>
                {content[field]}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="certificate__foot">
        <div>
          <dt>{t("certificate.fields.authority")}</dt>
          <dd data-field="authority">{content.authority}</dd>
        </div>
        <div>
          <dt>{t("certificate.fields.approvalDate")}</dt>
          <dd data-field="approvalDate">{formatDay(content.approvalDate, lang)}</dd>
        </div>
        {content.validUntil ? (
          <div>
            <dt>{t("certificate.fields.validUntil")}</dt>
            <dd data-field="validUntil">{formatDay(content.validUntil, lang)}</dd>
          </div>
        ) : null}
      </dl>
    </article>
  );
}

/**
 * The public verification result: the certificate's printed content and its
 * state, or a plain "no such certificate".
 */
export function VerificationResult({ number, certificate }: { number: string; certificate: CertificateContent | null }) {
  const { t } = useTranslation();
  if (!certificate) {
    return (
      <section className="panel certificate-result certificate-result--none" aria-labelledby="verify-result">
        <h2 id="verify-result" className="panel__title">
          {t("certificate.verify.result")}
        </h2>
        <p role="status" data-testid="verify-not-found">
          {t("certificate.verify.notFound", { number })}
        </p>
      </section>
    );
  }
  return (
    <section className={`certificate-result certificate-result--${certificate.state}`} aria-labelledby="verify-result">
      <div className="panel">
        <h2 id="verify-result" className="panel__title">
          {t("certificate.verify.resultFor", { number: certificate.number })}
        </h2>
        <CertificateStateLine state={certificate.state} validUntil={certificate.validUntil} />
      </div>
      <CertificateDocument content={certificate} headingLevel={2} />
      <p className="field__hint">{t("certificate.verify.publicOnly")}</p>
    </section>
  );
}
