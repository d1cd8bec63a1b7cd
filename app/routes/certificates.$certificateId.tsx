import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import type { Role } from "#app/.server/db.ts";
import { formFailure, parseForm } from "#app/.server/forms.ts";
import { Notice } from "#app/components/forms/fields.tsx";
import { TextAreaField } from "#app/components/forms/more-fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { PrintButton } from "#app/components/print-button.tsx";
import { CertificateDocument, CertificateStateLine } from "#app/modules/certificate/certificate-view.tsx";
import { ZCancelCertificate } from "#app/modules/certificate/certificate.schema.ts";
import certificateCss from "#app/modules/certificate/certificate.css?url";
import { CertificateRuleError } from "#app/modules/certificate/errors.ts";
import { cancelCertificate } from "#app/modules/certificate/issue-certificate.server.ts";
import { requireCertificate } from "#app/modules/certificate/load-certificate.server.ts";
import { formatDateTime } from "#app/utils/format.ts";

/*
 * The electronic certificate (电子注册证): every field as on the paper
 * certificate, printable, with a QR code that opens the public verification
 * page. Window staff, administrators, the application's advisor and the
 * company's users may open it; anyone else gets a 404. Window staff may
 * cancel (注销) it with a reason.
 */

export const links: LinksFunction = () => [{ rel: "stylesheet", href: certificateCss }];

const VIEW_ROLES: readonly Role[] = ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, VIEW_ROLES);
  const certificate = await requireCertificate(user, request, params.certificateId);
  return { certificate, canCancel: user.role === "WINDOW" && certificate.state !== "cancelled" };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ["WINDOW"]);
  const certificate = await requireCertificate(user, request, params.certificateId, { qr: false });
  const parsed = await parseForm(request, ZCancelCertificate);
  if (!parsed.ok) return parsed.response;
  try {
    await cancelCertificate(user, certificate.id, parsed.data.reason);
  } catch (error) {
    if (error instanceof CertificateRuleError) return formFailure(parsed.formData, { form: [error.messageKey] }, 409);
    throw error;
  }
  return redirect(`/certificates/${certificate.id}?cancelled=1`);
}

function CancelForm() {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const { register, errors, onSubmit, serverErrors } = useValidatedForm(ZCancelCertificate);
  return (
    <section className="panel no-print certificate-actions" aria-labelledby="cancel-title">
      <details open={!!serverErrors}>
        <summary id="cancel-title">{t("certificate.cancel.title")}</summary>
        <p className="field__hint">{t("certificate.cancel.intro")}</p>
        {serverErrors?.form ? <Notice tone="warning">{t(serverErrors.form[0]!)}</Notice> : null}
        <Form method="post" noValidate onSubmit={onSubmit}>
          <TextAreaField label={t("certificate.cancel.reason")} required rows={2} maxLength={2000} registration={register("reason")} error={errors.reason?.message} />
          <button type="submit" className="button button--danger" disabled={busy}>
            {t("certificate.cancel.submit")}
          </button>
        </Form>
      </details>
    </section>
  );
}

export default function CertificatePage() {
  const { t, i18n } = useTranslation();
  const { certificate: c, canCancel } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const readableUrl = (() => {
    try {
      return decodeURI(c.verifyUrl);
    } catch {
      return c.verifyUrl;
    }
  })();
  return (
    <div className="certificate-page">
      {c.dossier ? (
        <p className="no-print breadcrumb">
          <Link to={`/dossiers/${c.dossier.id}/progress`}>{t("certificate.page.back", { number: c.dossier.number })}</Link>
        </p>
      ) : null}
      {search.get("issued") === "1" ? <Notice tone="success">{t("certificate.page.issuedNotice")}</Notice> : null}
      {search.get("cancelled") === "1" ? <Notice tone="success">{t("certificate.page.cancelledNotice")}</Notice> : null}
      <div className="page-head certificate-actions no-print">
        <span className="badge badge--blue">{t("certificate.electronic")}</span>
        <PrintButton label={t("certificate.page.print")} />
      </div>
      <div className="certificate-actions">
        <CertificateStateLine state={c.state} validUntil={c.validUntil} />
        {c.state === "cancelled" && c.cancelledAt ? (
          <p>
            {t("certificate.page.cancelledOn", { time: formatDateTime(c.cancelledAt, i18n.language) })}
            {c.cancelReason ? <span className="prewrap"> · {t("certificate.page.cancelReason", { reason: c.cancelReason })}</span> : null}
          </p>
        ) : null}
      </div>
      <CertificateDocument
        content={c}
        aside={
          <figure className="certificate__qr">
            {/* The SVG is generated on the server by the qrcode package from our own URL: no user markup in it. */}
            <div role="img" aria-label={t("certificate.page.qrLabel")} data-testid="certificate-qr" dangerouslySetInnerHTML={{ __html: c.qr }} />
            <figcaption>{t("certificate.page.qrHint")}</figcaption>
          </figure>
        }
      />
      <div className="certificate-actions">
        <p className="certificate-url">
          {t("certificate.page.verifyUrl")}：<a href={c.verifyUrl}>{readableUrl}</a>
        </p>
        <p className="field__hint">{t("certificate.electronicNote")}</p>
      </div>
      {canCancel ? <CancelForm /> : null}
    </div>
  );
}
