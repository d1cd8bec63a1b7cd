import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import { parseForm } from "#app/.server/forms.ts";
import { withFieldErrors } from "#app/.server/route-helpers.ts";
import { ErrorSummary, SelectField, TextField } from "#app/components/forms/fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { STAFF_ROLES, ZCreateStaff } from "#app/modules/auth/auth.schema.ts";
import { createStaffUser } from "#app/modules/auth/invite-user.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["ADMIN"]);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, ["ADMIN"]);
  const parsed = await parseForm(request, ZCreateStaff);
  if (!parsed.ok) return parsed.response;
  const result = await withFieldErrors(parsed.formData, () => createStaffUser(admin, parsed.data));
  if (!result.ok) return result.response;
  throw redirect(`/admin/users/${result.value.id}?created=1`);
}

export default function NewStaff() {
  const { t } = useTranslation();
  const { register, errors, onSubmit } = useValidatedForm(ZCreateStaff, { defaultValues: { role: "ADVISOR" } });
  const busy = useNavigation().state !== "idle";
  return (
    <section className="panel panel--narrow" aria-labelledby="new-staff-title">
      <h1 id="new-staff-title">{t("admin.createStaff")}</h1>
      <p className="lead">{t("admin.createIntro")}</p>
      <ErrorSummary errors={errors} labels={{ name: t("admin.name"), email: t("admin.email"), role: t("admin.role") }} />
      <Form method="post" noValidate onSubmit={onSubmit}>
        <TextField label={t("admin.name")} required registration={register("name")} error={errors.name} />
        <TextField label={t("admin.email")} type="email" required registration={register("email")} error={errors.email} />
        <SelectField label={t("admin.role")} required registration={register("role")} error={errors.role}>
          {STAFF_ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </SelectField>
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy}>
            {t("admin.createSubmit")}
          </button>
          <Link to="/admin">{t("common.cancel")}</Link>
        </div>
      </Form>
    </section>
  );
}
