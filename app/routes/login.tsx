import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ROLE_HOME } from "#app/.server/auth.ts";
import { formFailure, parseForm } from "#app/.server/forms.ts";
import { getSessionUser, safeRedirectPath } from "#app/.server/session.ts";
import { ErrorSummary, Notice, TextField } from "#app/components/forms/fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { ZLogin } from "#app/modules/auth/auth.schema.ts";
import { signIn } from "#app/modules/auth/sign-in.server.ts";

export const meta: MetaFunction = () => [{ title: "登录 · 绿通" }];

const NOTICES = { signedOut: "login.signedOut", verified: "login.verified", reset: "login.passwordReset" } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  if (user) throw redirect(ROLE_HOME[user.role]);
  const url = new URL(request.url);
  const notice = (Object.keys(NOTICES) as (keyof typeof NOTICES)[]).find((k) => url.searchParams.has(k));
  return { notice: notice ? NOTICES[notice] : null, redirectTo: url.searchParams.get("redirectTo") ?? "" };
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = await parseForm(request, ZLogin);
  if (!parsed.ok) return parsed.response;
  const { email, password, redirectTo } = parsed.data;
  const result = await signIn(request, email, password);
  if (!result.ok) {
    return formFailure(parsed.formData, { form: [result.reason === "unverified" ? "errors.emailNotVerified" : "errors.loginFailed"] }, result.reason === "unverified" ? 403 : 401);
  }
  throw redirect(safeRedirectPath(redirectTo, ROLE_HOME[result.role]), { headers: { "Set-Cookie": result.setCookie } });
}

export default function Login() {
  const { t } = useTranslation();
  const { notice, redirectTo } = useLoaderData<typeof loader>();
  const { register, errors, onSubmit, serverErrors } = useValidatedForm(ZLogin, { defaultValues: { redirectTo } });
  const busy = useNavigation().state !== "idle";
  return (
    <section className="panel panel--narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t("login.title")}</h1>
      <p className="lead">{t("login.intro")}</p>
      {notice ? <Notice tone="success">{t(notice)}</Notice> : null}
      {serverErrors?.form ? (
        <div className="error-summary" role="alert">
          <p className="error-summary__title" data-testid="form-error">{t(serverErrors.form[0]!)}</p>
        </div>
      ) : (
        <ErrorSummary errors={errors} labels={{ email: t("login.email"), password: t("login.password") }} />
      )}
      <Form method="post" noValidate onSubmit={onSubmit}>
        <input type="hidden" {...register("redirectTo")} />
        <TextField label={t("login.email")} type="email" autoComplete="username" required registration={register("email")} error={errors.email} />
        <TextField label={t("login.password")} type="password" autoComplete="current-password" required registration={register("password")} error={errors.password} />
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t("common.loading") : t("login.submit")}
          </button>
          <Link to="/forgot-password">{t("login.forgot")}</Link>
        </div>
      </Form>
      <p>
        {t("login.noAccount")} <Link to="/register">{t("login.registerLink")}</Link>
      </p>
    </section>
  );
}
