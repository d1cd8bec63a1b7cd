import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ROLE_HOME } from "#app/.server/auth.ts";
import { parseForm } from "#app/.server/forms.ts";
import { getLocale } from "#app/.server/i18n.ts";
import { withFieldErrors } from "#app/.server/route-helpers.ts";
import { getSessionUser } from "#app/.server/session.ts";
import { ErrorSummary, Notice, TextField } from "#app/components/forms/fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { ZRegister } from "#app/modules/auth/auth.schema.ts";
import { registerCompany } from "#app/modules/auth/register-company.server.ts";

export const meta: MetaFunction = () => [{ title: "企业注册 · 绿通" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  if (user) throw redirect(ROLE_HOME[user.role]);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = await parseForm(request, ZRegister);
  if (!parsed.ok) return parsed.response;
  const locale = await getLocale(request);
  const result = await withFieldErrors(parsed.formData, () => registerCompany(parsed.data, locale));
  if (!result.ok) return result.response;
  return { done: true as const, email: result.value.email };
}

export default function Register() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const { register, errors, onSubmit, serverErrors } = useValidatedForm(ZRegister);
  const busy = useNavigation().state !== "idle";

  if (actionData && "done" in actionData) {
    return (
      <section className="panel panel--narrow" aria-labelledby="done-title">
        <h1 id="done-title">{t("register.doneTitle")}</h1>
        <Notice tone="success">{t("register.doneText", { email: actionData.email })}</Notice>
        <Link to="/login">{t("common.signIn")}</Link>
      </section>
    );
  }

  const labels = {
    companyName: t("register.companyName"),
    uscc: t("register.uscc"),
    contactName: t("register.contactName"),
    email: t("register.email"),
    phone: t("register.phone"),
    password: t("register.password"),
    confirmPassword: t("register.confirmPassword"),
  };
  return (
    <section className="panel" aria-labelledby="register-title">
      <h1 id="register-title">{t("register.title")}</h1>
      <p className="lead">{t("register.intro")}</p>
      {serverErrors?.form ? <Notice tone="warning">{t(serverErrors.form[0]!)}</Notice> : null}
      <ErrorSummary errors={errors} labels={labels} />
      <Form method="post" noValidate onSubmit={onSubmit}>
        <fieldset>
          <legend>{t("register.companySection")}</legend>
          <div className="form-grid">
            <TextField label={labels.companyName} required autoComplete="organization" registration={register("companyName")} error={errors.companyName} />
            <TextField label={labels.uscc} hint={t("register.usccHint")} required maxLength={18} autoCapitalize="characters" spellCheck={false} registration={register("uscc")} error={errors.uscc} />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("register.userSection")}</legend>
          <div className="form-grid">
            <TextField label={labels.contactName} required autoComplete="name" registration={register("contactName")} error={errors.contactName} />
            <TextField label={labels.phone} type="tel" autoComplete="tel" inputMode="numeric" registration={register("phone")} error={errors.phone} />
            <TextField label={labels.email} hint={t("register.emailHint")} type="email" required autoComplete="email" registration={register("email")} error={errors.email} />
          </div>
          <div className="form-grid">
            <TextField label={labels.password} hint={t("register.passwordHint")} type="password" required autoComplete="new-password" registration={register("password")} error={errors.password} />
            <TextField label={labels.confirmPassword} type="password" required autoComplete="new-password" registration={register("confirmPassword")} error={errors.confirmPassword} />
          </div>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t("common.loading") : t("register.submit")}
          </button>
          <span>
            {t("register.haveAccount")} <Link to="/login">{t("common.signIn")}</Link>
          </span>
        </div>
      </Form>
    </section>
  );
}
