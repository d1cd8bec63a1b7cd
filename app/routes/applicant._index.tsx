import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["APPLICANT"]);
  return { companyName: user.companyName };
}

export default function ApplicantHome() {
  const { t } = useTranslation();
  const { companyName } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>{t("applicantHome.title")}</h1>
        <p className="lead">
          {t("applicantHome.company")}：{companyName}
        </p>
      </div>
      <section className="panel empty-state" aria-labelledby="empty-title">
        <h2 id="empty-title">{t("applicantHome.emptyTitle")}</h2>
        <p>{t("applicantHome.emptyText")}</p>
      </section>
    </>
  );
}
