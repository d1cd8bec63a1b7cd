import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import { keepListFields, parseDossierForm } from "#app/components/dossier/dossier-form.server.ts";
import { DossierFormFields, FormLevelError, useDossierFieldLabels, useShownErrors, withoutFormError } from "#app/components/dossier/dossier-form.tsx";
import { StatusBadge } from "#app/components/dossier/status-badge.tsx";
import { ErrorSummary, Notice } from "#app/components/forms/fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { ZUpdateDossier } from "#app/modules/dossier/dossier.schema.ts";
import { updateDossier } from "#app/modules/dossier/edit-dossier.server.ts";
import { dossierFacts } from "#app/modules/dossier/dossier-facts.ts";
import { requireDossier } from "#app/modules/dossier/load-dossier.server.ts";
import { withDossierErrors } from "#app/modules/dossier/route-errors.server.ts";
import { EDITABLE } from "#app/modules/dossier/transitions.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["APPLICANT"]);
  const d = await requireDossier(user, request, params.dossierId);
  return {
    dossier: dossierFacts(d),
    editable: EDITABLE.includes(d.status),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ["APPLICANT"]);
  const dossier = await requireDossier(user, request, params.dossierId);
  const parsed = await parseDossierForm(request, ZUpdateDossier);
  if (!parsed.ok) return parsed.response;
  const { version, ...fields } = parsed.data;
  const result = await withDossierErrors(parsed.formData, () => updateDossier(user, dossier.id, version, fields));
  if (!result.ok) return keepListFields(result.response, parsed.formData);
  return redirect(`/dossiers/${dossier.id}?edited=1`);
}

export default function EditDossier() {
  const { t } = useTranslation();
  const { dossier, editable } = useLoaderData<typeof loader>();
  const { id, number, status, ...defaults } = dossier;
  const { form, onSubmit, serverErrors } = useValidatedForm(ZUpdateDossier, { defaultValues: defaults });
  const busy = useNavigation().state !== "idle";
  const labels = useDossierFieldLabels();
  const errors = useShownErrors(form.formState.errors, serverErrors);
  const conflict = serverErrors?.form?.[0] === "dossierErrors.changedMeanwhile";
  return (
    <section className="panel" aria-labelledby="edit-dossier-title">
      <p>
        <Link to={`/dossiers/${id}`}>← {number}</Link>
      </p>
      <h1 id="edit-dossier-title">
        {t("dossierUi.edit.title")} <span className="dossier-number">{number}</span> <StatusBadge status={status} />
      </h1>
      <FormLevelError message={serverErrors?.form?.[0]}>
        <Notice tone="warning">
          {t(serverErrors?.form?.[0] ?? "")}
          {conflict ? (
            <>
              {" "}
              <a href={`/dossiers/${id}/edit`}>{t("dossierUi.edit.reload")}</a>
            </>
          ) : null}
        </Notice>
      </FormLevelError>
      {!editable ? (
        <Notice tone="warning">{t("dossierErrors.notEditable")}</Notice>
      ) : (
        <>
          <p className="lead">{t("dossierUi.edit.intro")}</p>
          <ErrorSummary errors={withoutFormError(errors)} labels={labels} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <input type="hidden" defaultValue={String(form.getValues("version") ?? "")} {...form.register("version")} />
            <DossierFormFields
              register={(name) => form.register(name)}
              errors={errors}
              defaults={form.getValues()}
              fixed={{ productKind: dossier.productKind, registrationType: dossier.registrationType }}
            />
            <div className="form-actions">
              <button type="submit" className="button" disabled={busy}>
                {busy ? t("common.loading") : t("common.save")}
              </button>
              <Link to={`/dossiers/${id}`}>{t("common.cancel")}</Link>
            </div>
          </Form>
        </>
      )}
    </section>
  );
}
