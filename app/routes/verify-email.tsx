import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { withFieldErrors } from "#app/.server/route-helpers.ts";
import { Notice } from "#app/components/forms/fields.tsx";
import { findEmailVerification, verifyEmail } from "#app/modules/auth/verify-email.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const row = await findEmailVerification(token);
  return { token: row ? token : null, email: row?.user.email ?? null };
}

/** Verification is a POST behind a button, so mail scanners that open links do not consume the token. */
export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  const result = await withFieldErrors(formData, () => verifyEmail(String(formData.get("token") ?? "")));
  if (!result.ok) return result.response;
  throw redirect("/login?verified=1");
}

export default function VerifyEmail() {
  const { t } = useTranslation();
  const { token, email } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  return (
    <section className="panel panel--narrow" aria-labelledby="verify-title">
      <h1 id="verify-title">{t("verifyEmail.title")}</h1>
      {!token || failed ? (
        <>
          <Notice tone="warning">{t("errors.tokenInvalid")}</Notice>
          <Link to="/login">{t("common.signIn")}</Link>
        </>
      ) : (
        <Form method="post">
          <p>{t("verifyEmail.text", { email })}</p>
          <input type="hidden" name="token" value={token} />
          <button type="submit" className="button">
            {t("verifyEmail.submit")}
          </button>
        </Form>
      )}
    </section>
  );
}
