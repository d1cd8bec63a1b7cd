import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { parseForm } from "#app/.server/forms.ts";
import { withFieldErrors } from "#app/.server/route-helpers.ts";
import { ErrorSummary, Notice, TextField } from "#app/components/forms/fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { ZAcceptInvite } from "#app/modules/auth/auth.schema.ts";
import { acceptInvite, findInvite } from "#app/modules/auth/invite-user.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const row = await findInvite(token);
  if (!row) return { token: null, name: "", email: "", role: null, company: null };
  return { token, name: row.user.name, email: row.user.email, role: row.user.role, company: row.user.company?.name ?? null };
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = await parseForm(request, ZAcceptInvite);
  if (!parsed.ok) return parsed.response;
  const result = await withFieldErrors(parsed.formData, () => acceptInvite(parsed.data));
  if (!result.ok) return result.response;
  throw redirect("/login?verified=1");
}

export default function AcceptInvite() {
  const { t } = useTranslation();
  const invite = useLoaderData<typeof loader>();
  const { register, errors, onSubmit, serverErrors } = useValidatedForm(ZAcceptInvite, { defaultValues: { token: invite.token ?? "", name: invite.name } });
  const busy = useNavigation().state !== "idle";
  return (
    <section className="panel panel--narrow" aria-labelledby="invite-title">
      <h1 id="invite-title">{t("invite.title")}</h1>
      {!invite.token || serverErrors?.form ? (
        <>
          <Notice tone="warning">{t("errors.tokenInvalid")}</Notice>
          <Link to="/login">{t("common.signIn")}</Link>
        </>
      ) : (
        <>
          <p className="lead">{t("invite.intro", { role: t(`roles.${invite.role}`), company: invite.company ? ` · ${invite.company}` : "" })}</p>
          <p>
            <strong>{invite.email}</strong>
          </p>
          <ErrorSummary errors={errors} labels={{ name: t("invite.name"), password: t("invite.password"), confirmPassword: t("invite.confirmPassword") }} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <input type="hidden" {...register("token")} />
            <TextField label={t("invite.name")} required autoComplete="name" registration={register("name")} error={errors.name} />
            <TextField label={t("invite.password")} hint={t("register.passwordHint")} type="password" required autoComplete="new-password" registration={register("password")} error={errors.password} />
            <TextField label={t("invite.confirmPassword")} type="password" required autoComplete="new-password" registration={register("confirmPassword")} error={errors.confirmPassword} />
            <button type="submit" className="button" disabled={busy}>
              {t("invite.submit")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
