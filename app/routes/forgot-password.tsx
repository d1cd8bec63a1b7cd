import type { ActionFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { parseForm } from "#app/.server/forms.ts";
import { getLocale } from "#app/.server/i18n.ts";
import { ErrorSummary, Notice, TextField } from "#app/components/forms/fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { ZForgotPassword } from "#app/modules/auth/auth.schema.ts";
import { requestPasswordReset } from "#app/modules/auth/password-reset.server.ts";

export function loader() {
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = await parseForm(request, ZForgotPassword);
  if (!parsed.ok) return parsed.response;
  await requestPasswordReset(parsed.data.email, await getLocale(request));
  // Same answer whether or not the account exists.
  return { sent: true as const };
}

export default function ForgotPassword() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const { register, errors, onSubmit } = useValidatedForm(ZForgotPassword);
  const busy = useNavigation().state !== "idle";
  return (
    <section className="panel panel--narrow" aria-labelledby="forgot-title">
      <h1 id="forgot-title">{t("forgotPassword.title")}</h1>
      {actionData && "sent" in actionData ? (
        <Notice tone="success">{t("forgotPassword.sent")}</Notice>
      ) : (
        <>
          <p className="lead">{t("forgotPassword.intro")}</p>
          <ErrorSummary errors={errors} labels={{ email: t("forgotPassword.email") }} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <TextField label={t("forgotPassword.email")} type="email" required autoComplete="email" registration={register("email")} error={errors.email} />
            <button type="submit" className="button" disabled={busy}>
              {t("forgotPassword.submit")}
            </button>
          </Form>
        </>
      )}
      <p>
        <Link to="/login">{t("common.signIn")}</Link>
      </p>
    </section>
  );
}
