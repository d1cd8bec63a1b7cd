import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import { EmptyHome } from "#app/components/page-parts.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["APPLICANT"]);
  return { companyName: user.companyName };
}

export default function ApplicantHome() {
  const { t } = useTranslation();
  const { companyName } = useLoaderData<typeof loader>();
  return (
    <EmptyHome
      title={t("applicantHome.title")}
      lead={`${t("applicantHome.company")}：${companyName ?? ""}`}
      emptyTitle={t("applicantHome.emptyTitle")}
      emptyText={t("applicantHome.emptyText")}
    />
  );
}
