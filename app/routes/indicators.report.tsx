import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "#app/.server/auth.ts";
import { now } from "#app/.server/clock.ts";
import { getFixedT, getLocale } from "#app/.server/i18n.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { attachmentDisposition } from "#app/utils/content-disposition.ts";
import { buildQuarterReport, REPORT_MEDIA_TYPE } from "#app/modules/indicator/indicator-report.server.ts";
import { parseQuarter, quarterOf } from "#app/modules/indicator/indicator-rules.ts";
import { ZReportQuery } from "#app/modules/indicator/indicator.schema.ts";

/*
 * The quarterly 表1 report for the joint meeting as XLSX (resource route):
 * `?quarter=2021-Q3`; without it, the current quarter. Anything else in the
 * query is a 400.
 */

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["WINDOW", "ADMIN", "AUDITOR"]);
  const query = ZReportQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const quarter = query.success ? parseQuarter(query.data.quarter ?? quarterOf(shanghaiDate(now()))) : null;
  if (!quarter) throw data({ reason: "bad-query" }, { status: 400 });
  const [t, locale] = await Promise.all([getFixedT(request, user.locale), getLocale(request, user.locale)]);
  const body = await buildQuarterReport(user, t, locale, quarter);
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      "Content-Type": REPORT_MEDIA_TYPE,
      "Content-Length": String(body.byteLength),
      "Content-Disposition": attachmentDisposition(t("indicator.report.fileName", { quarter: quarter.label })),
      "Cache-Control": "private, no-store",
    },
  });
}
