import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import type { FieldErrors as HookFieldErrors } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import { prisma } from "#app/.server/db.ts";
import { FieldError } from "#app/.server/errors.ts";
import { zodFieldErrors, type FieldErrors } from "#app/.server/forms.ts";
import { discardUpload } from "#app/.server/upload.ts";
import { ErrorSummary, Notice, SelectField, TextField } from "#app/components/forms/fields.tsx";
import { TextAreaField } from "#app/components/forms/more-fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { IndicatorRuleError } from "#app/modules/indicator/errors.ts";
import { drainRequestBody, EvidenceFormError, evidenceMaxBytes, receiveEvidenceForm } from "#app/modules/indicator/evidence.server.ts";
import { EVIDENCE_FIELD, ZRecordCertificate } from "#app/modules/indicator/indicator.schema.ts";
import { recordCertificate } from "#app/modules/indicator/record-certificate.server.ts";
import { EvidenceField } from "#app/modules/indicator/indicator-view.tsx";

/*
 * Window staff record a certificate a cluster company obtained elsewhere
 * (NMPA Class III, another province's Class II, a Class I filing) with its
 * evidence. One multipart post: the typed fields and the file. A refused
 * form comes back with the typed values; a browser cannot be given a file
 * back, so the page says to choose it again.
 */


export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["WINDOW"]);
  const companies = await prisma.company.findMany({ where: { clusterMember: true }, orderBy: [{ name: "asc" }, { id: "asc" }], select: { id: true, name: true, uscc: true } });
  return { companies, maxBytes: evidenceMaxBytes() };
}

type Failure = { errors: FieldErrors; values: Record<string, string> };
const refuse = (status: number, errors: FieldErrors, values: Record<string, string>) => data<Failure>({ errors, values }, { status });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["WINDOW"]);
  let received: Awaited<ReturnType<typeof receiveEvidenceForm>>;
  try {
    received = await receiveEvidenceForm(request, { required: true });
  } catch (error) {
    if (!(error instanceof EvidenceFormError)) throw error;
    drainRequestBody(request);
    // Every problem at once: the fields' errors together with the file's.
    const fieldCheck = ZRecordCertificate.safeParse(error.fields);
    const errors = fieldCheck.success ? {} : zodFieldErrors(fieldCheck.error);
    return refuse(error.status, { ...errors, [EVIDENCE_FIELD]: [`indicator.upload.${error.problem}`] }, error.fields);
  }
  const { file, fields } = received;
  const parsed = ZRecordCertificate.safeParse(fields);
  if (!parsed.success || !file) {
    if (file) await discardUpload(file);
    return refuse(400, parsed.success ? {} : zodFieldErrors(parsed.error), fields);
  }
  try {
    await recordCertificate(user, parsed.data, file);
  } catch (error) {
    // recordCertificate has removed the file already.
    if (error instanceof FieldError) return refuse(400, { [error.field]: [error.messageKey] }, fields);
    if (error instanceof IndicatorRuleError) return refuse(409, { form: [error.messageKey] }, fields);
    throw error;
  }
  return redirect("/indicators?done=recorded#pending");
}

export default function RecordCertificatePage() {
  const { t } = useTranslation();
  const { companies, maxBytes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { register, errors, onSubmit, serverErrors } = useValidatedForm(ZRecordCertificate, {});
  const [fileError, setFileError] = useState<string | null>(null);
  const evidenceError = fileError ?? serverErrors?.[EVIDENCE_FIELD]?.[0];
  const formError = serverErrors?.form?.[0];
  const labels: Record<string, string> = {
    number: t("indicator.record.number"),
    companyId: t("indicator.record.company"),
    productName: t("indicator.record.productName"),
    modelSpec: t("indicator.record.modelSpec"),
    registrantName: t("indicator.record.registrantName"),
    approvalDate: t("indicator.record.approvalDate"),
    validUntil: t("indicator.record.validUntil"),
    authority: t("indicator.record.authority"),
    remarks: t("indicator.record.remarks"),
    [EVIDENCE_FIELD]: t("indicator.record.evidence"),
  };
  const summaryErrors: HookFieldErrors = evidenceError ? ({ ...errors, [EVIDENCE_FIELD]: { type: "server", message: evidenceError } } as HookFieldErrors) : errors;

  // The file is checked in the browser too, so a missing or too-large file is caught before anything is sent.
  function submit(event: FormEvent<HTMLFormElement>) {
    const file = (event.currentTarget.elements.namedItem(EVIDENCE_FIELD) as HTMLInputElement | null)?.files?.[0];
    const problem = !file ? "missing" : file.size === 0 ? "empty" : file.size > maxBytes ? "size" : null;
    setFileError(problem ? `indicator.upload.${problem}` : null);
    if (problem) {
      event.preventDefault();
      return;
    }
    onSubmit(event);
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to="/indicators">{t("indicator.backToDashboard")}</Link>
      </p>
      <h1>{t("indicator.record.title")}</h1>
      <p className="lead">{t("indicator.record.intro")}</p>
      {actionData ? <Notice tone="warning">{t("indicator.record.fileNotKept")}</Notice> : null}
      {formError ? <Notice tone="warning">{t(formError)}</Notice> : null}
      <section className="panel">
        <ErrorSummary errors={summaryErrors} labels={labels} />
        <Form method="post" encType="multipart/form-data" noValidate onSubmit={submit}>
          <TextField label={labels.number!} hint={t("indicator.record.numberHint")} required registration={register("number")} error={errors.number?.message} autoComplete="off" />
          <SelectField label={labels.companyId!} hint={t("indicator.record.companyHint")} required registration={register("companyId")} error={errors.companyId?.message}>
            <option value="">{t("indicator.record.chooseCompany")}</option>
            {companies.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}（{c.uscc}）
              </option>
            ))}
          </SelectField>
          <div className="form-grid">
            <TextField label={labels.productName!} required registration={register("productName")} error={errors.productName?.message} />
            <TextField label={labels.modelSpec!} required registration={register("modelSpec")} error={errors.modelSpec?.message} />
            <TextField label={labels.registrantName!} hint={t("indicator.record.registrantHint")} registration={register("registrantName")} error={errors.registrantName?.message} />
            <TextField label={labels.authority!} hint={t("indicator.record.authorityHint")} required registration={register("authority")} error={errors.authority?.message} />
            <TextField label={labels.approvalDate!} type="date" required registration={register("approvalDate")} error={errors.approvalDate?.message} />
            <TextField label={labels.validUntil!} type="date" hint={t("indicator.record.validUntilHint")} registration={register("validUntil")} error={errors.validUntil?.message} />
          </div>
          <TextAreaField label={labels.remarks!} rows={2} registration={register("remarks")} error={errors.remarks?.message} />
          <EvidenceField id="evidence" label={labels[EVIDENCE_FIELD]!} hintKey="indicator.record.evidenceHint" maxBytes={maxBytes} required error={evidenceError} onChange={() => setFileError(null)} />
          <div className="form-actions">
            <button type="submit" className="button" disabled={busy}>
              {busy ? t("common.loading") : t("indicator.record.submit")}
            </button>
            <Link to="/indicators">{t("common.cancel")}</Link>
          </div>
        </Form>
      </section>
    </>
  );
}
