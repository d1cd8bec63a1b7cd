import type { LoaderFunctionArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import { EmptyHome } from "#app/components/page-parts.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["WINDOW"]);
  return null;
}

export default function WindowQueue() {
  const { t } = useTranslation();
  return <EmptyHome title={t("windowHome.title")} emptyTitle={t("windowHome.emptyTitle")} emptyText={t("windowHome.emptyText")} />;
}
