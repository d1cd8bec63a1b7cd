import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import { prisma } from "#app/.server/db.ts";
import { formValues, zodFieldErrors } from "#app/.server/forms.ts";
import { ErrorSummary, Notice, TextField } from "#app/components/forms/fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { saveAdvisorProfile } from "#app/modules/dossier/advisor-profile.server.ts";
import { CATALOGUE_CODE_LIST, CATALOGUE_CODES } from "#app/modules/dossier/catalogue-codes.ts";
import { ZAdvisorProfile } from "#app/modules/dossier/dossier.schema.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["ADVISOR"]);
  const profile = await prisma.advisorProfile.findUnique({ where: { userId: user.id } });
  return {
    exists: !!profile,
    profile: {
      specialties: profile?.specialties ?? [],
      capacity: String(profile?.capacity ?? 10),
      phone: profile?.phone ?? "",
      contactEmail: profile?.contactEmail ?? user.email,
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["ADVISOR"]);
  const formData = await request.formData();
  // A checkbox group posts the same name several times: read it with getAll (Object.fromEntries keeps only the last).
  const input = {
    specialties: formData.getAll("specialties").filter((v): v is string => typeof v === "string"),
    capacity: formData.get("capacity") ?? "",
    phone: formData.get("phone") ?? "",
    contactEmail: formData.get("contactEmail") ?? "",
  };
  const parsed = ZAdvisorProfile.safeParse(input);
  if (!parsed.success) {
    // formValues keeps one value per name; the checked boxes go back as a list of their own.
    const { specialties: _one, ...values } = formValues(formData);
    return data({ errors: zodFieldErrors(parsed.error), values, checked: input.specialties }, { status: 400 });
  }
  await saveAdvisorProfile(user, parsed.data);
  return { saved: true as const };
}

export default function AdvisorProfilePage() {
  const { t, i18n } = useTranslation();
  const { profile, exists } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ saved?: true; checked?: string[] }>();
  const actionValues = (actionData as { values?: Record<string, string> } | undefined)?.values;
  // Rendered into the HTML as well, so the form shows (and keeps) its values without JavaScript too.
  const defaults = { ...profile, ...actionValues, specialties: actionData?.checked ?? profile.specialties };
  const { form, onSubmit, serverErrors } = useValidatedForm(ZAdvisorProfile, { defaultValues: defaults });
  const busy = useNavigation().state !== "idle";
  // useValidatedForm hands the server's errors to react-hook-form after hydration; before it
  // (or without JavaScript) they are shown from the action data directly.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const serverFieldErrors = Object.fromEntries(
    Object.entries(serverErrors ?? {})
      .filter(([name]) => name !== "form")
      .map(([name, messages]) => [name, { type: "server", message: messages[0] }]),
  ) as typeof form.formState.errors;
  const errors = hydrated ? form.formState.errors : serverFieldErrors;
  const en = i18n.language === "en";
  const labels = {
    specialties: t("review.advisor.profile.specialties"),
    capacity: t("review.advisor.profile.capacity"),
    phone: t("review.advisor.profile.phone"),
    contactEmail: t("review.advisor.profile.contactEmail"),
  };
  const specialtiesError = errors.specialties?.message;
  return (
    <>
      <p>
        <Link to="/advisor">← {t("advisorHome.title")}</Link>
      </p>
      <h1>{t("review.advisor.profile.title")}</h1>
      <p className="lead">{t("review.advisor.profile.intro")}</p>
      {!exists ? <Notice tone="warning">{t("review.advisor.noProfile")}</Notice> : null}
      {actionData?.saved ? <Notice tone="success">{t("review.advisor.profile.saved")}</Notice> : null}
      {serverErrors?.form ? <Notice tone="warning">{t(serverErrors.form[0]!)}</Notice> : null}
      <ErrorSummary errors={errors} labels={labels} />
      <Form method="post" noValidate onSubmit={onSubmit} className="panel">
        <fieldset className={specialtiesError ? "field--error" : undefined} aria-describedby={specialtiesError ? "specialties-error" : "specialties-hint"}>
          <legend>
            {labels.specialties}
            <span className="field__req">
              {" "}
              *<span className="visually-hidden">{t("common.required")}</span>
            </span>
          </legend>
          <p id="specialties-hint" className="field__hint">
            {t("review.advisor.profile.specialtiesHint")}
          </p>
          <div className="checkbox-grid">
            {[...CATALOGUE_CODE_LIST].sort().map((code) => (
              <label key={code} className="choice">
                <input type="checkbox" value={code} defaultChecked={defaults.specialties.includes(code)} {...form.register("specialties")} /> <code>{code}</code> {en ? CATALOGUE_CODES[code].en : CATALOGUE_CODES[code].zh}
              </label>
            ))}
          </div>
          {specialtiesError ? (
            <p id="specialties-error" className="field__error" role="alert">
              {t(String(specialtiesError))}
            </p>
          ) : null}
        </fieldset>
        <div className="form-grid">
          <TextField
            label={labels.capacity}
            hint={t("review.advisor.profile.capacityHint")}
            type="number"
            inputMode="numeric"
            min={0}
            max={200}
            required
            defaultValue={defaults.capacity}
            registration={form.register("capacity")}
            error={errors.capacity?.message}
          />
          <TextField label={labels.phone} hint={t("review.advisor.profile.phoneHint")} type="tel" autoComplete="tel" defaultValue={defaults.phone} registration={form.register("phone")} error={errors.phone?.message} />
          <TextField label={labels.contactEmail} type="email" autoComplete="email" defaultValue={defaults.contactEmail} registration={form.register("contactEmail")} error={errors.contactEmail?.message} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t("common.loading") : t("common.save")}
          </button>
        </div>
      </Form>
    </>
  );
}
