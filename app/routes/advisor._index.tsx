import type { LoaderFunctionArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["ADVISOR"]);
  return null;
}

export default function AdvisorHome() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("advisorHome.title")}</h1>
      <section className="panel empty-state" aria-labelledby="empty-title">
        <h2 id="empty-title">{t("advisorHome.emptyTitle")}</h2>
        <p>{t("advisorHome.emptyText")}</p>
      </section>
    </>
  );
}
