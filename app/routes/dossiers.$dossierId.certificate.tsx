import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, type ShouldRevalidateFunction } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import { now } from "#app/.server/clock.ts";
import { prisma, type Role } from "#app/.server/db.ts";
import { FieldError } from "#app/.server/errors.ts";
import { formFailure, parseForm } from "#app/.server/forms.ts";
import { ErrorSummary, Notice, TextField } from "#app/components/forms/fields.tsx";
import { TextAreaField } from "#app/components/forms/more-fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { validUntil } from "#app/modules/certificate/certificate-number.ts";
import { CertificateStateBadge } from "#app/modules/certificate/certificate-view.tsx";
import { isCalendarDate, ZCertificateFields, ZIssueCertificate, type CertificateFieldName } from "#app/modules/certificate/certificate.schema.ts";
import { certificateDraft, issueCertificate } from "#app/modules/certificate/issue-certificate.server.ts";
import { publicState } from "#app/modules/certificate/verify-certificate.server.ts";
import certificateCss from "#app/modules/certificate/certificate.css?url";
import { ConflictError, DossierRuleError } from "#app/modules/dossier/errors.ts";
import { requireDossier } from "#app/modules/dossier/load-dossier.server.ts";
import { formatDay } from "#app/utils/format.ts";

/*
 * 发证 for one application. Window staff get the certificate draft,
 * prefilled from the application and the company, while the application is
 * approved and has no certificate; they complete it and issue. Everyone else
 * with access to the application (and window staff afterwards) sees the
 * certificate's link, or that it is not issued yet.
 */

export const links: LinksFunction = () => [{ rel: "stylesheet", href: certificateCss }];

const VIEW_ROLES: readonly Role[] = ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, VIEW_ROLES);
  const dossier = await requireDossier(user, request, params.dossierId);
  const certificate = await prisma.certificate.findUnique({ where: { dossierId: dossier.id }, select: { id: true, number: true, state: true, validUntil: true } });
  const canIssue = user.role === "WINDOW" && dossier.status === "APPROVED" && !certificate;
  return {
    dossier: { id: dossier.id, number: dossier.number, productName: dossier.productName, status: dossier.status },
    certificate: certificate && {
      id: certificate.id,
      number: certificate.number,
      state: publicState({ state: certificate.state, validUntil: certificate.validUntil?.toISOString().slice(0, 10) ?? null }, shanghaiDate(now())),
    },
    draft: canIssue ? await certificateDraft(dossier.id) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ["WINDOW"]);
  const dossier = await requireDossier(user, request, params.dossierId);
  const parsed = await parseForm(request, ZIssueCertificate);
  if (!parsed.ok) return parsed.response;
  const { version, ...fields } = parsed.data;
  let issued: Awaited<ReturnType<typeof issueCertificate>>;
  try {
    issued = await issueCertificate(user, dossier.id, version, fields);
  } catch (error) {
    if (error instanceof FieldError) return formFailure(parsed.formData, { [error.field]: [error.messageKey] });
    if (error instanceof ConflictError) return formFailure(parsed.formData, { form: ["dossierErrors.changedMeanwhile"] }, 409);
    if (error instanceof DossierRuleError) return formFailure(parsed.formData, { form: [error.messageKey] }, 409);
    throw error;
  }
  return redirect(`/certificates/${issued.id}?issued=1`);
}

/**
 * After "changed meanwhile" the page reloads its data (a refused post otherwise keeps the old): a
 * colleague's certificate replaces the form, or the form takes the dossier's new version and the typed
 * input stays, so a deliberate second post goes through.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) => actionStatus === 409 || defaultShouldRevalidate;

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

const LONG_FIELDS = new Set<CertificateFieldName>(["modelSpec", "structure", "intendedUse", "otherContent", "remarks"]);
const HINTS: Partial<Record<CertificateFieldName, string>> = {
  registrantAddress: "certificate.issue.registrantAddressHint",
  manufacturingAddress: "certificate.issue.manufacturingAddressHint",
  attachment: "certificate.issue.attachmentHint",
  otherContent: "certificate.issue.otherContentHint",
  approvalDate: "certificate.issue.approvalDateHint",
};
const OPTIONAL = new Set<CertificateFieldName>(["otherContent", "remarks"]);
/** In the certificate's order; 批准日期 last, with the computed 有效期至 after it. */
const ORDER: CertificateFieldName[] = [
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
  "authority",
  "approvalDate",
];

function IssueForm({ draft }: { draft: NonNullable<LoaderData["draft"]> }) {
  const { t, i18n } = useTranslation();
  const busy = useNavigation().state !== "idle";
  // The browser checks the fields; the dossier version travels beside them, always the loader's.
  const { register, errors, onSubmit, form } = useValidatedForm(ZCertificateFields, { defaultValues: draft.fields });
  const labels = Object.fromEntries(ORDER.map((f) => [f, t(`certificate.fields.${f}`)])) as Record<CertificateFieldName, string>;
  const approvalDate = form.watch("approvalDate") ?? draft.fields.approvalDate;
  const until = typeof approvalDate === "string" && isCalendarDate(approvalDate) ? validUntil(approvalDate) : null;
  return (
    <section className="panel" aria-labelledby="issue-form">
      <h2 id="issue-form" className="panel__title visually-hidden">
        {t("certificate.title")}
      </h2>
      <ErrorSummary errors={errors} labels={labels} />
      <Form method="post" noValidate onSubmit={onSubmit}>
        <input type="hidden" name="version" value={draft.dossier.version} />
        <dl className="facts">
          <dt>{t("certificate.fields.number")}</dt>
          <dd>
            <span className="certificate-draft__number">{t("certificate.issue.numberOnIssue")}</span>
            <span className="field__hint"> · {t("certificate.issue.numberPattern", { prefix: draft.prefix })}</span>
          </dd>
        </dl>
        {ORDER.map((field) => {
          const common = {
            label: labels[field],
            hint: HINTS[field] ? t(HINTS[field]) : undefined,
            required: !OPTIONAL.has(field),
            registration: register(field),
            error: errors[field]?.message,
          };
          if (LONG_FIELDS.has(field)) return <TextAreaField key={field} {...common} rows={field === "modelSpec" || field === "remarks" || field === "otherContent" ? 2 : 3} />;
          return <TextField key={field} {...common} type={field === "approvalDate" ? "date" : "text"} max={field === "approvalDate" ? draft.today : undefined} />;
        })}
        <dl className="facts">
          <dt>{t("certificate.issue.validUntilComputed")}</dt>
          <dd>
            <output aria-live="polite" data-testid="valid-until">
              {until ? formatDay(until, i18n.language) : "—"}
            </output>
            <span className="field__hint"> · {t("certificate.issue.validUntilHint")}</span>
          </dd>
        </dl>
        <p className="field__hint">{t("certificate.issue.confirm")}</p>
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t("common.loading") : t("certificate.issue.submit")}
          </button>
        </div>
      </Form>
    </section>
  );
}

export default function DossierCertificatePage() {
  const { t } = useTranslation();
  const { dossier, certificate, draft } = useLoaderData<typeof loader>();
  const answer = useActionData<{ errors?: Record<string, string[]> }>();
  const formError = answer?.errors?.form?.[0];
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/dossiers/${dossier.id}/progress`}>{t("certificate.dossier.back")}</Link>
        {" · "}
        <Link to={`/dossiers/${dossier.id}`}>{dossier.number}</Link>
      </p>
      <h1>{draft ? t("certificate.issue.title", { number: dossier.number }) : t("certificate.dossier.title")}</h1>
      <p className="lead">{dossier.productName}</p>
      {draft ? <p>{t("certificate.issue.intro")}</p> : null}
      {formError ? <Notice tone="warning">{t(formError)}</Notice> : null}
      {draft ? (
        <IssueForm draft={draft} />
      ) : (
        <section className="panel" aria-labelledby="certificate-status">
          <h2 id="certificate-status" className="panel__title">
            {t("certificate.dossier.title")}
          </h2>
          {certificate ? (
            <>
              <p>
                {t("certificate.dossier.issued")} <strong>{certificate.number}</strong> <CertificateStateBadge state={certificate.state} />
              </p>
              <p>
                <Link className="button" to={`/certificates/${certificate.id}`}>
                  {t("certificate.dossier.open")}
                </Link>
              </p>
            </>
          ) : (
            <>
              <p>{t("certificate.dossier.notIssued")}</p>
              <p className="muted">{dossier.status === "APPROVED" ? t("certificate.dossier.awaiting") : t("certificate.dossier.notApproved")}</p>
            </>
          )}
        </section>
      )}
    </>
  );
}
