import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { deviceCertificateSummary } from "#app/modules/indicator/count-certificates.server.ts";
import { loadIndicatorTable } from "#app/modules/indicator/indicator-values.server.ts";
import { DeviceCertificateCard, IndicatorTable } from "#app/modules/indicator/indicator-view.tsx";

/*
 * The district's public summary of 表1 (no sign-in): the 医疗器械证 count
 * against its target, by class and by month, and every indicator's current
 * value and status. Only figures leave the server: no company names, no
 * certificate numbers, no people, no notes or evidence.
 */

export async function loader() {
  const [summary, table] = await Promise.all([deviceCertificateSummary(), loadIndicatorTable()]);
  return {
    summary: {
      indicator: { name: summary.indicator.name, nameEn: summary.indicator.nameEn, unit: summary.indicator.unit, comparator: summary.indicator.comparator, target: summary.indicator.target, period: summary.indicator.period },
      total: summary.total,
      byClass: summary.byClass,
      progress: summary.progress,
      status: summary.status,
      months: summary.months,
    },
    table: table.map((r) => ({
      id: r.key,
      groupName: r.groupName,
      subgroup: r.subgroup,
      name: r.name,
      nameEn: r.nameEn,
      comparator: r.comparator,
      target: r.target,
      unit: r.unit,
      source: r.source,
      value: r.value,
      asOf: r.asOf,
      status: r.status,
    })),
  };
}

export default function DistrictIndicators() {
  const { t } = useTranslation();
  const { summary, table } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("indicator.public.title")}</h1>
      <p className="lead">{t("indicator.public.intro")}</p>
      <DeviceCertificateCard summary={summary} />
      <section className="panel table-wrap" aria-labelledby="public-table">
        <h2 id="public-table" className="panel__title">
          {t("indicator.table.title")}
        </h2>
        <IndicatorTable rows={table} />
      </section>
    </>
  );
}
