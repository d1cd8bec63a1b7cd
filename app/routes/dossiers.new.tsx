import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import { keepListFields, parseDossierForm } from "#app/components/dossier/dossier-form.server.ts";
import { DossierFormFields, FormLevelError, useDossierFieldLabels, useShownErrors, withoutFormError } from "#app/components/dossier/dossier-form.tsx";
import { ErrorSummary, Notice } from "#app/components/forms/fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { createDossier } from "#app/modules/dossier/create-dossier.server.ts";
import { ZCreateDossier } from "#app/modules/dossier/dossier.schema.ts";
import { withDossierErrors } from "#app/modules/dossier/route-errors.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["APPLICANT"]);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["APPLICANT"]);
  const parsed = await parseDossierForm(request, ZCreateDossier);
  if (!parsed.ok) return parsed.response;
  const result = await withDossierErrors(parsed.formData, () => createDossier(user, parsed.data));
  if (!result.ok) return keepListFields(result.response, parsed.formData);
  return redirect(`/dossiers/${result.value.id}?created=1`);
}

export default function NewDossier() {
  const { t } = useTranslation();
  const { form, onSubmit, serverErrors } = useValidatedForm(ZCreateDossier, { defaultValues: { greenGrounds: [] } });
  const busy = useNavigation().state !== "idle";
  const labels = useDossierFieldLabels();
  const errors = useShownErrors(form.formState.errors, serverErrors);
  return (
    <section className="panel" aria-labelledby="new-dossier-title">
      <p>
        <Link to="/applicant">← {t("dossierUi.list.title")}</Link>
      </p>
      <h1 id="new-dossier-title">{t("dossierUi.new.title")}</h1>
      <p className="lead">{t("dossierUi.new.intro")}</p>
      <FormLevelError message={serverErrors?.form?.[0]}>
        <Notice tone="warning">{t(serverErrors?.form?.[0] ?? "")}</Notice>
      </FormLevelError>
      <ErrorSummary errors={withoutFormError(errors)} labels={labels} />
      <Form method="post" noValidate onSubmit={onSubmit}>
        <DossierFormFields register={(name) => form.register(name)} errors={errors} defaults={form.getValues()} />
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t("common.loading") : t("dossierUi.new.submit")}
          </button>
          <Link to="/applicant">{t("common.cancel")}</Link>
        </div>
      </Form>
    </section>
  );
}
