import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import { parseForm } from "#app/.server/forms.ts";
import { publishEmails } from "#app/.server/queue.ts";
import { withFieldErrors } from "#app/.server/route-helpers.ts";
import type { FieldError } from "react-hook-form";
import { ErrorSummary, Notice, SelectField, TextField } from "#app/components/forms/fields.tsx";
import { DashboardStrip, queueHref, type QueueState } from "#app/components/queue/queue-parts.tsx";
import { QueueTable } from "#app/components/queue/queue-table.tsx";
import { STAGES } from "#app/modules/clock/stage-clock.ts";
import { CATALOGUE_CODE_LIST, CATALOGUE_CODES } from "#app/modules/dossier/catalogue-codes.ts";
import { loadQueue } from "#app/modules/queue/load-queue.server.ts";
import { reassignAdvisors, type BulkReassignResult } from "#app/modules/queue/reassign-advisors.server.ts";
import { DEFAULT_DIR, parseQueueQuery, QUEUE_COLOURS, QUEUE_SCOPES, queueSearch, UNASSIGNED, ZBulkReassign } from "#app/modules/queue/queue.schema.ts";

/*
 * The window staff's queue: every dossier but drafts, filtered, searched,
 * sorted and paged by keyset, all of it in the URL; the dashboard strip above,
 * the export and the bulk reassignment of advisors below.
 */

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["WINDOW"]);
  const parsed = parseQueueQuery(new URL(request.url).searchParams);
  if (!parsed.ok) throw data({ reason: "bad-query" }, { status: 400 });
  const view = await loadQueue(parsed.value);
  return { ...view, query: parsed.value };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["WINDOW"]);
  const parsed = await parseForm(request, ZBulkReassign);
  if (!parsed.ok) return parsed.response;
  const result = await withFieldErrors(parsed.formData, () => reassignAdvisors(user, parsed.data));
  if (!result.ok) return result.response;
  // After every transaction has committed: the fast path to the mail queue (the sweep covers a miss).
  await publishEmails(result.value.emailIds);
  const { emailIds: _published, ...report } = result.value;
  return { bulk: report };
}

type ActionAnswer = { bulk: Omit<BulkReassignResult, "emailIds"> } | { errors: Record<string, string[]>; values: Record<string, string | string[]> };

const BULK_FORM = "bulk-reassign";

export default function WindowQueue() {
  const { t, i18n } = useTranslation();
  const { rows, next, previous, dashboard, advisors, query } = useLoaderData<typeof loader>();
  const answer = useActionData<ActionAnswer>();
  const busy = useNavigation().state === "submitting";
  const location = useLocation();
  const en = i18n.language === "en";
  const { cursor: _cursor, ...state } = query;
  const view: QueueState = state;

  // The bulk form is checked by the action only (ZBulkReassign): zod in the browser would push this page over
  // its JavaScript budget (QUALITY P6). A refused post shows its errors and keeps the ticks, advisor and reason.
  const report = answer && "bulk" in answer ? answer.bulk : null;
  const refused = answer && "values" in answer ? answer : null;
  const kept = refused ? [refused.values.dossierIds ?? []].flat() : [];
  const keptValue = (name: string) => {
    const v = refused?.values[name];
    return typeof v === "string" ? v : "";
  };
  const errors: Record<string, FieldError> = Object.fromEntries(Object.entries(refused?.errors ?? {}).map(([k, v]) => [k, { type: "server", message: v[0] }]));
  // A done reassignment clears the form (ticks, advisor, reason): the form and the table start afresh.
  const formKey = useMemo(() => (report ? `done-${Math.random()}` : "bulk"), [report]);

  const labels = { dossierIds: t("queue.bulk.chosen"), advisorId: t("queue.bulk.advisor"), reason: t("queue.bulk.reason") };
  const caption = t("queue.caption", {
    scope: t(`queue.filters.scopes.${view.scope}`),
    column: t(`queue.columns.${view.sort}`),
    dir: t(`queue.dirs.${view.dir}`),
  });
  const exportHref = (format: "xlsx" | "csv") => `/window/queue-export?${queueSearch(view, { format }).toString()}`;

  return (
    <>
      <div className="page-head">
        <h1>{t("queue.title")}</h1>
      </div>
      <p className="lead">{t("queue.intro")}</p>

      <DashboardStrip dashboard={dashboard} stages={STAGES} />

      <section className="panel" aria-labelledby="queue-filters-title">
        <h2 id="queue-filters-title">{t("queue.filters.title")}</h2>
        {/* Keyed by the URL: after a navigation the fields show the view's values again. */}
        <Form method="get" action="/window" className="filters" role="search" key={location.search}>
          <TextField label={t("queue.filters.q")} hint={t("queue.filters.qHint")} name="q" type="search" maxLength={100} defaultValue={view.q ?? ""} />
          <SelectField label={t("queue.filters.scope")} name="scope" defaultValue={view.scope}>
            {QUEUE_SCOPES.map((s) => (
              <option key={s} value={s}>
                {t(`queue.filters.scopes.${s}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("queue.filters.stage")} name="stage" defaultValue={view.stage ?? ""}>
            <option value="">{t("queue.filters.any")}</option>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {t(`clock.stage.${s}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("queue.filters.colour")} name="colour" defaultValue={view.colour ?? ""}>
            <option value="">{t("queue.filters.any")}</option>
            {QUEUE_COLOURS.map((c) => (
              <option key={c} value={c}>
                {t(`clock.colour.${c}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("queue.filters.advisor")} name="advisor" defaultValue={view.advisor ?? ""}>
            <option value="">{t("queue.filters.any")}</option>
            <option value={UNASSIGNED}>{t("queue.unassigned")}</option>
            {advisors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("queue.filters.code")} name="code" defaultValue={view.code ?? ""}>
            <option value="">{t("queue.filters.any")}</option>
            {CATALOGUE_CODE_LIST.map((code) => (
              <option key={code} value={code}>
                {code} {en ? CATALOGUE_CODES[code].en : CATALOGUE_CODES[code].zh}
              </option>
            ))}
          </SelectField>
          <TextField label={t("queue.filters.company")} name="company" maxLength={100} defaultValue={view.company ?? ""} />
          <TextField label={t("queue.filters.from")} name="from" type="date" defaultValue={view.from ?? ""} />
          <TextField label={t("queue.filters.to")} name="to" type="date" defaultValue={view.to ?? ""} />
          <div className="choice">
            <input id="queue-overdue" type="checkbox" name="overdue" value="1" defaultChecked={view.overdue} />
            <label htmlFor="queue-overdue">{t("queue.filters.overdue")}</label>
          </div>
          {/* The sort survives a change of filters; the page does not (a new filter starts at the first page). */}
          {view.sort !== "due" ? <input type="hidden" name="sort" value={view.sort} /> : null}
          {view.dir !== DEFAULT_DIR[view.sort] ? <input type="hidden" name="dir" value={view.dir} /> : null}
          <div className="form-actions">
            <button type="submit" className="button">
              {t("queue.filters.apply")}
            </button>
            <Link to="/window" className="button button--secondary">
              {t("queue.filters.reset")}
            </Link>
          </div>
        </Form>
      </section>

      {report ? (
        <div data-testid="bulk-report">
          {report.reassigned.length > 0 ? (
            <Notice tone="success">
              {`${t("queue.bulk.done", { count: report.reassigned.length })} ${report.reassigned.join("、")}`}
            </Notice>
          ) : null}
          {report.unchanged.length > 0 ? <Notice>{t("queue.bulk.unchanged", { numbers: report.unchanged.join("、") })}</Notice> : null}
          {report.failed.length > 0 ? (
            <Notice tone="warning">
              {t("queue.bulk.failedTitle")}
              <ul>
                {report.failed.map((f) => (
                  <li key={f.id} data-failed={f.number ?? f.id}>
                    {`${f.number ?? t("queue.bulk.unknownNumber")}：${t(`queue.bulk.failed.${f.reason}`)}`}
                  </li>
                ))}
              </ul>
            </Notice>
          ) : null}
        </div>
      ) : null}

      <section className="panel table-wrap" aria-labelledby="queue-list-title">
        <div className="page-head">
          <h2 id="queue-list-title">{t(`queue.filters.scopes.${view.scope}`)}</h2>
          <div className="form-actions" role="group" aria-label={t("queue.export.title")}>
            <a href={exportHref("xlsx")} className="button button--secondary" download>
              {t("queue.export.xlsx")}
            </a>
            <a href={exportHref("csv")} className="button button--secondary" download>
              {t("queue.export.csv")}
            </a>
          </div>
        </div>
        <p className="field__hint">{t("queue.export.hint")}</p>
        {rows.length === 0 ? (
          <p>{t("queue.empty")}</p>
        ) : (
          <QueueTable key={formKey} rows={rows} state={view} caption={caption} select={{ form: BULK_FORM, name: "dossierIds" }} ticked={kept} />
        )}
        <nav className="pager" aria-label={t("queue.pages")}>
          {previous ? (
            <Link to={queueHref(view, { before: previous })} rel="prev">
              {t("queue.previous")}
            </Link>
          ) : null}
          {next ? (
            <Link to={queueHref(view, { after: next })} rel="next">
              {t("queue.next")}
            </Link>
          ) : null}
        </nav>
      </section>

      <section className="panel" aria-labelledby="bulk-title">
        <h2 id="bulk-title">{t("queue.bulk.title")}</h2>
        <p className="lead">{t("queue.bulk.intro")}</p>
        <ErrorSummary errors={errors} labels={labels} />
        <Form method="post" id={BULK_FORM} key={formKey} noValidate>
          {errors.dossierIds?.message ? (
            <p className="field__error" role="alert" data-testid="bulk-chosen-error">
              {labels.dossierIds}：{t(String(errors.dossierIds.message))}
            </p>
          ) : null}
          <div className="form-grid">
            <SelectField label={labels.advisorId} required name="advisorId" defaultValue={keptValue("advisorId")} error={errors.advisorId?.message}>
              <option value="">{t("queue.bulk.chooseAdvisor")}</option>
              {advisors
                .filter((a) => a.assignable)
                .map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
            </SelectField>
            <TextField label={labels.reason} required maxLength={500} name="reason" defaultValue={keptValue("reason")} error={errors.reason?.message} />
          </div>
          <button type="submit" className="button" disabled={busy}>
            {t("queue.bulk.submit")}
          </button>
        </Form>
      </section>
    </>
  );
}
