import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { prisma } from "#app/.server/db.ts";
import { parseForm } from "#app/.server/forms.ts";
import { withFieldErrors } from "#app/.server/route-helpers.ts";
import { ErrorSummary, Notice, TextField } from "#app/components/forms/fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { ZResetPassword } from "#app/modules/auth/auth.schema.ts";
import { resetPassword } from "#app/modules/auth/password-reset.server.ts";
import { findValidToken } from "#app/modules/auth/tokens.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const row = await findValidToken(prisma, token, "RESET_PASSWORD");
  return { token: row ? token : null };
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = await parseForm(request, ZResetPassword);
  if (!parsed.ok) return parsed.response;
  const result = await withFieldErrors(parsed.formData, () => resetPassword(parsed.data.token, parsed.data.password));
  if (!result.ok) return result.response;
  throw redirect("/login?reset=1");
}

export default function ResetPassword() {
  const { t } = useTranslation();
  const { token } = useLoaderData<typeof loader>();
  const { register, errors, onSubmit, serverErrors } = useValidatedForm(ZResetPassword, { defaultValues: { token: token ?? "" } });
  const busy = useNavigation().state !== "idle";
  return (
    <section className="panel panel--narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">{t("resetPassword.title")}</h1>
      {!token || serverErrors?.form ? (
        <>
          <Notice tone="warning">{t("errors.tokenInvalid")}</Notice>
          <Link to="/forgot-password">{t("forgotPassword.title")}</Link>
        </>
      ) : (
        <>
          <ErrorSummary errors={errors} labels={{ password: t("resetPassword.password"), confirmPassword: t("resetPassword.confirmPassword") }} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <input type="hidden" {...register("token")} />
            <TextField label={t("resetPassword.password")} hint={t("register.passwordHint")} type="password" required autoComplete="new-password" registration={register("password")} error={errors.password} />
            <TextField label={t("resetPassword.confirmPassword")} type="password" required autoComplete="new-password" registration={register("confirmPassword")} error={errors.confirmPassword} />
            <button type="submit" className="button" disabled={busy}>
              {t("resetPassword.submit")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
