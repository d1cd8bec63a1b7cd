import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TextField } from "#app/components/forms/fields.tsx";
import { VerificationResult } from "#app/modules/certificate/certificate-view.tsx";
import { ZVerifyQuery } from "#app/modules/certificate/certificate.schema.ts";
import certificateCss from "#app/modules/certificate/certificate.css?url";
import { findCertificateForPublic } from "#app/modules/certificate/verify-certificate.server.ts";

/*
 * Public verification by number (no sign-in; rate limited per IP in the
 * Express host). A bad number is a 400 with its reason, an unknown one a 404
 * with a plain "no such certificate"; only what is printed on the
 * certificate and its state leave the server.
 */

export const links: LinksFunction = () => [{ rel: "stylesheet", href: certificateCss }];
export const meta: MetaFunction = () => [{ title: "注册证核验 · 绿通" }];

/** Parameters Remix itself adds (an index route's form, single-fetch revalidation). */
const FRAMEWORK_PARAMS = new Set(["index", "_routes"]);

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const keys = [...url.searchParams.keys()].filter((k) => !FRAMEWORK_PARAMS.has(k));
  if (new Set(keys).size !== keys.length) throw data({ reason: "bad-query" }, { status: 400 });
  const query = ZVerifyQuery.safeParse(Object.fromEntries(keys.map((k) => [k, url.searchParams.get(k)])));
  if (!query.success) throw data({ reason: "bad-query" }, { status: 400 });
  const input = query.data.number?.trim() ?? "";
  if (!input) return { input, lookup: null };
  const lookup = await findCertificateForPublic(input);
  if (!lookup.ok) return data({ input, lookup }, { status: 400 });
  return data({ input, lookup }, { status: lookup.certificate ? 200 : 404 });
}

export default function VerifyPage() {
  const { t } = useTranslation();
  const { input, lookup } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <h1>{t("certificate.verify.title")}</h1>
      <p className="lead">{t("certificate.verify.intro")}</p>
      <section className="panel certificate-result" aria-labelledby="verify-form-title">
        <h2 id="verify-form-title" className="visually-hidden">
          {t("certificate.verify.submit")}
        </h2>
        {/* key: a new lookup starts from what was looked up, also after client-side navigation. */}
        <Form method="get" className="verify-form" role="search" key={input}>
          <TextField
            label={t("certificate.verify.number")}
            hint={t("certificate.verify.numberHint")}
            name="number"
            defaultValue={input}
            maxLength={64}
            autoComplete="off"
            spellCheck={false}
            required
            error={lookup && !lookup.ok ? lookup.error : undefined}
          />
          <button type="submit" className="button" disabled={busy}>
            {t("certificate.verify.submit")}
          </button>
        </Form>
      </section>
      {lookup?.ok ? <VerificationResult number={lookup.number} certificate={lookup.certificate} /> : null}
    </>
  );
}
