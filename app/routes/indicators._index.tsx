import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "#app/.server/auth.ts";
import { now } from "#app/.server/clock.ts";
import { formFailure, parseForm } from "#app/.server/forms.ts";
import { Notice } from "#app/components/forms/fields.tsx";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { deviceCertificateSummary } from "#app/modules/indicator/count-certificates.server.ts";
import { IndicatorRuleError } from "#app/modules/indicator/errors.ts";
import { quartersBetween, quarterOf } from "#app/modules/indicator/indicator-rules.ts";
import { ZCertificateDecision } from "#app/modules/indicator/indicator.schema.ts";
import { INDICATOR_EDITORS, loadIndicatorTable } from "#app/modules/indicator/indicator-values.server.ts";
import { DeviceCertificateCard, IndicatorTable } from "#app/modules/indicator/indicator-view.tsx";
import { pendingCertificates, rejectRecordedCertificate, verifyCertificate } from "#app/modules/indicator/record-certificate.server.ts";
import { formatDateTime, formatDay } from "#app/utils/format.ts";

/*
 * The 表1 dashboard: 医疗器械证（含一、二、三类） on top (count / target, the
 * breakdowns, the months, the list behind the number), the recorded
 * certificates waiting for their second pair of eyes, then the whole 表1.
 * Window staff record and verify; administrators edit; auditors read.
 */

const VIEW_ROLES = ["WINDOW", "ADMIN", "AUDITOR"] as const;
const DONE = ["recorded", "verified", "rejected"] as const;
const ZQuery = z.object({ done: z.enum(DONE).optional() });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, VIEW_ROLES);
  const query = ZQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw data({ reason: "bad-query" }, { status: 400 });
  const [summary, table, pending] = await Promise.all([deviceCertificateSummary(), loadIndicatorTable(), pendingCertificates()]);
  const today = shanghaiDate(now());
  // Report quarters: from the plan's first quarter to the current one; the default is the last one the plan covers.
  const lastQuarter = quarterOf(today < summary.indicator.period.end ? today : summary.indicator.period.end);
  const quarters = quartersBetween(summary.indicator.period.start, today > summary.indicator.period.end ? today : summary.indicator.period.end);
  return {
    summary,
    table,
    pending: pending.map(({ recordedById, ...p }) => ({ ...p, mine: recordedById === user.id })),
    quarters,
    defaultQuarter: lastQuarter,
    canRecord: user.role === "WINDOW",
    canEdit: INDICATOR_EDITORS.includes(user.role),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["WINDOW"]);
  const parsed = await parseForm(request, ZCertificateDecision);
  if (!parsed.ok) return parsed.response;
  try {
    if (parsed.data.intent === "verify") await verifyCertificate(user, parsed.data.certificateId);
    else await rejectRecordedCertificate(user, parsed.data.certificateId, parsed.data.reason);
  } catch (error) {
    if (error instanceof IndicatorRuleError) return formFailure(parsed.formData, { form: [error.messageKey] }, 409);
    throw error;
  }
  return redirect(`/indicators?done=${parsed.data.intent === "verify" ? "verified" : "rejected"}#pending`);
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function PendingList({ pending, canVerify }: { pending: LoaderData["pending"]; canVerify: boolean }) {
  const { t, i18n } = useTranslation();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const failure = actionData && "errors" in actionData ? actionData : undefined;
  return (
    <section className="panel table-wrap" aria-labelledby="pending-title" id="pending">
      <h2 id="pending-title" className="panel__title">
        {t("indicator.pending.title", { count: pending.length })}
      </h2>
      <p className="lead">{t("indicator.pending.intro")}</p>
      {failure?.errors.form?.[0] ? <Notice tone="warning">{t(failure.errors.form[0])}</Notice> : null}
      {failure?.errors.reason?.[0] ? <Notice tone="warning">{t("indicator.pending.reasonRequired")}</Notice> : null}
      {pending.length === 0 ? (
        <p>{t("indicator.pending.empty")}</p>
      ) : (
        <table className="data data--wrap" data-testid="pending-certificates">
          <caption className="visually-hidden">{t("indicator.pending.title", { count: pending.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("indicator.list.number")}</th>
              <th scope="col">{t("indicator.list.deviceClass")}</th>
              <th scope="col">{t("indicator.list.origin")}</th>
              <th scope="col">{t("indicator.list.company")}</th>
              <th scope="col">{t("indicator.list.product")}</th>
              <th scope="col">{t("indicator.list.approvalDate")}</th>
              <th scope="col">{t("indicator.pending.recordedBy")}</th>
              <th scope="col">{t("indicator.list.evidence")}</th>
              <th scope="col">{t("common.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {pending.map((p) => (
              <tr key={p.id} data-certificate={p.number}>
                <th scope="row">
                  <code>{p.number}</code>
                </th>
                <td>{t(`indicator.classes.${p.deviceClass}`)}</td>
                <td>{t(`indicator.origins.${p.origin}`)}</td>
                <td>{p.companyName}</td>
                <td>{p.productName}</td>
                <td className="nowrap">{formatDay(p.approvalDate, i18n.language)}</td>
                <td>
                  {p.recordedBy}
                  <br />
                  <span className="muted">{formatDateTime(p.recordedAt, i18n.language)}</span>
                </td>
                <td>
                  {p.evidenceName !== null ? (
                    <a href={`/indicators/evidence/certificate/${p.id}`} download>
                      {p.evidenceName || t("indicator.list.evidenceLink")}
                    </a>
                  ) : null}
                </td>
                <td>
                  {!canVerify ? (
                    <span className="muted">{t("indicator.pending.waiting")}</span>
                  ) : p.mine ? (
                    <span className="muted" data-testid="own-record">
                      {t("indicator.pending.ownRecord")}
                    </span>
                  ) : (
                    <Form method="post" className="form-actions">
                      <input type="hidden" name="certificateId" value={p.id} />
                      <button type="submit" name="intent" value="verify" className="button" disabled={busy}>
                        {t("indicator.pending.verify")}
                      </button>
                    </Form>
                  )}
                  {canVerify ? (
                    <details>
                      <summary>{t("indicator.pending.reject")}</summary>
                      <Form method="post">
                        <input type="hidden" name="certificateId" value={p.id} />
                        <div className="field">
                          <label htmlFor={`reason-${p.id}`}>{t("indicator.pending.reason")}</label>
                          <textarea id={`reason-${p.id}`} name="reason" rows={2} maxLength={500} required />
                        </div>
                        <button type="submit" name="intent" value="reject" className="button button--secondary" disabled={busy}>
                          {t("indicator.pending.rejectSubmit")}
                        </button>
                      </Form>
                    </details>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export default function IndicatorDashboard() {
  const { t, i18n } = useTranslation();
  const { summary, table, pending, quarters, defaultQuarter, canRecord, canEdit } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const done = params.get("done");
  const doneKey = done && (DONE as readonly string[]).includes(done) ? done : null;
  return (
    <>
      <div className="page-head">
        <h1>{t("indicator.title")}</h1>
        <div className="form-actions">
          {canRecord ? (
            <Link to="/indicators/certificates/new" className="button">
              {t("indicator.recordCertificate")}
            </Link>
          ) : null}
          <Link to="/district/indicators">{t("indicator.publicLink")}</Link>
        </div>
      </div>
      <p className="lead">{t("indicator.intro")}</p>
      {doneKey ? <Notice tone="success">{t(`indicator.done.${doneKey}`)}</Notice> : null}

      <DeviceCertificateCard summary={summary}>
        <h3 id="certificate-list">{t("indicator.list.title", { count: summary.total })}</h3>
        {summary.certificates.length === 0 ? (
          <p>{t("indicator.list.empty")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data data--wrap" data-testid="counted-certificates">
              <caption className="visually-hidden">{t("indicator.list.title", { count: summary.total })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("indicator.list.number")}</th>
                  <th scope="col">{t("indicator.list.deviceClass")}</th>
                  <th scope="col">{t("indicator.list.origin")}</th>
                  <th scope="col">{t("indicator.list.company")}</th>
                  <th scope="col">{t("indicator.list.product")}</th>
                  <th scope="col">{t("indicator.list.approvalDate")}</th>
                </tr>
              </thead>
              <tbody>
                {summary.certificates.map((c) => (
                  <tr key={c.id} data-certificate={c.number}>
                    <th scope="row">
                      {c.source === "GREEN_CHANNEL" ? (
                        <Link to={`/certificates/${c.id}`}>
                          <code>{c.number}</code>
                        </Link>
                      ) : (
                        <code>{c.number}</code>
                      )}
                    </th>
                    <td>{t(`indicator.classes.${c.deviceClass}`)}</td>
                    <td>{t(`indicator.origins.${c.origin}`)}</td>
                    <td>{c.companyName}</td>
                    <td>{c.productName}</td>
                    <td className="nowrap">{formatDay(c.approvalDate, i18n.language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </DeviceCertificateCard>

      <PendingList pending={pending} canVerify={canRecord} />

      <section className="panel table-wrap" aria-labelledby="table-title">
        <div className="page-head">
          <h2 id="table-title" className="panel__title">
            {t("indicator.table.title")}
          </h2>
          <Form method="get" action="/indicators/report" reloadDocument className="filters">
            <div className="field">
              <label htmlFor="report-quarter">{t("indicator.report.quarter")}</label>
              <select id="report-quarter" name="quarter" defaultValue={defaultQuarter}>
                {quarters.map((q) => (
                  <option key={q} value={q}>
                    {q}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button button--secondary">
              {t("indicator.report.download")}
            </button>
          </Form>
        </div>
        <IndicatorTable
          rows={table}
          extraHeaders={[t("indicator.table.evidence"), t("common.actions")]}
          extra={(row) => (
            <>
              <td>
                {row.source === "CERTIFICATES" ? (
                  <a href="#certificate-list">{t("indicator.table.countedList")}</a>
                ) : row.hasEvidence && row.valueId ? (
                  <a href={`/indicators/evidence/value/${row.valueId}`} download>
                    {t("indicator.list.evidenceLink")}
                  </a>
                ) : null}
              </td>
              <td className="row-actions">
                {canEdit ? (
                  <>
                    {row.source === "MANUAL" ? <Link to={`/indicators/${row.id}#value-form`}>{t("indicator.table.recordValue")}</Link> : null}
                    <Link to={`/indicators/${row.id}#definition`}>{t("indicator.table.editDefinition")}</Link>
                  </>
                ) : (
                  <Link to={`/indicators/${row.id}`}>{t("indicator.table.view")}</Link>
                )}
              </td>
            </>
          )}
        />
      </section>
    </>
  );
}
