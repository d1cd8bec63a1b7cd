import type { LoaderFunctionArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import { EmptyHome } from "#app/components/page-parts.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["ADVISOR"]);
  return null;
}

export default function AdvisorHome() {
  const { t } = useTranslation();
  return <EmptyHome title={t("advisorHome.title")} emptyTitle={t("advisorHome.emptyTitle")} emptyText={t("advisorHome.emptyText")} />;
}
