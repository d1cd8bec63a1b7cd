import { data, redirect, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Notice } from "#app/components/forms/fields.tsx";
import { normaliseCertificateNumber } from "#app/modules/certificate/certificate-number.ts";
import { VerificationResult } from "#app/modules/certificate/certificate-view.tsx";
import certificateCss from "#app/modules/certificate/certificate.css?url";
import { findCertificateForPublic } from "#app/modules/certificate/verify-certificate.server.ts";

/*
 * The QR code's target: /verify/<number>, public (no sign-in), rate limited
 * per IP in the Express host. A number written loosely (spaces, full-width
 * digits, a trailing 号) is redirected to its one canonical address; a bad
 * number is a 400 with its reason, an unknown one a 404.
 */

export const links: LinksFunction = () => [{ rel: "stylesheet", href: certificateCss }];
export const meta: MetaFunction = () => [{ title: "注册证核验 · 绿通" }];

/** Longer than any number; anything beyond is not worth parsing. */
const MAX_INPUT = 64;

export async function loader({ params }: LoaderFunctionArgs) {
  const raw = params.number ?? "";
  if (raw.length > MAX_INPUT) return data({ number: raw.slice(0, MAX_INPUT), lookup: { ok: false as const, error: "certificate.errors.format" as const } }, { status: 400 });
  const canonical = normaliseCertificateNumber(raw);
  if (canonical && canonical !== raw) throw redirect(`/verify/${encodeURIComponent(canonical)}`);
  const lookup = await findCertificateForPublic(raw);
  const status = !lookup.ok ? 400 : lookup.certificate ? 200 : 404;
  return data({ number: raw, lookup }, { status });
}

export default function VerifyNumberPage() {
  const { t } = useTranslation();
  const { number, lookup } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("certificate.verify.title")}</h1>
      {lookup.ok ? (
        <VerificationResult number={lookup.number} certificate={lookup.certificate} />
      ) : (
        <Notice tone="warning">
          <strong>{t("certificate.verify.badNumber")}</strong> {t("certificate.verify.badNumberFor", { number, reason: t(lookup.error) })}
        </Notice>
      )}
      <p>
        <Link to="/verify">{t("certificate.verify.again")}</Link>
      </p>
    </>
  );
}
