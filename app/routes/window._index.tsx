import type { LoaderFunctionArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["WINDOW"]);
  return null;
}

export default function WindowQueue() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("windowHome.title")}</h1>
      <section className="panel empty-state" aria-labelledby="empty-title">
        <h2 id="empty-title">{t("windowHome.emptyTitle")}</h2>
        <p>{t("windowHome.emptyText")}</p>
      </section>
    </>
  );
}
