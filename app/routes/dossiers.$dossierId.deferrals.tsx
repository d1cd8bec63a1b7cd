import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { now } from "#app/.server/clock.ts";
import { notFoundInScope, requireRole, type SessionUser } from "#app/.server/auth.ts";
import { prisma, type Role } from "#app/.server/db.ts";
import { parseForm } from "#app/.server/forms.ts";
import { DeferralStateBadge, Countdown, DueDate } from "#app/components/deferral/deferral-parts.tsx";
import { deferralCountdown } from "#app/modules/deferral/deferral-rows.server.ts";
import { ErrorSummary, Notice, TextField } from "#app/components/forms/fields.tsx";
import { TextAreaField } from "#app/components/forms/more-fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { addWorkingDays, buildCalendar, isProvisional, isWorkingDay, shanghaiDate, workingDaysBetween, type HolidayCalendar } from "#app/modules/calendar/working-days.ts";
import { refuseDeferral } from "#app/modules/deferral/accept-dossier.server.ts";
import { extendDeferral, terminateForBreach, verifyDeferral } from "#app/modules/deferral/deferral-lifecycle.server.ts";
import { dateOnly, dueDateBounds, type DeferralStateName } from "#app/modules/deferral/deferral-rules.ts";
import { ZDeferralDecision, ZDeferralExtension, ZDeferralRef, ZDeferralRequest } from "#app/modules/deferral/deferral.schema.ts";
import { companyBarUntil, deferrableItemsOf, dropDeferralRequest, requestDeferral } from "#app/modules/deferral/request-deferral.server.ts";
import { requireDossier } from "#app/modules/dossier/load-dossier.server.ts";
import { requireIntent, withDossierErrors } from "#app/modules/dossier/route-errors.server.ts";
import { canTransition, EDITABLE, PRE_DECISION } from "#app/modules/dossier/transitions.ts";
import { formatDateTime, formatDay } from "#app/utils/format.ts";

const VIEW_ROLES: readonly Role[] = ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"];

/** Who may post which intent; the action checks this before parsing, the domain functions check the rest. */
const INTENT_ROLES = {
  request: ["APPLICANT"],
  drop: ["APPLICANT"],
  refuse: ["WINDOW"],
  extend: ["WINDOW"],
  terminate: ["WINDOW"],
  verify: ["ADVISOR"],
} as const satisfies Record<string, readonly Role[]>;
type Intent = keyof typeof INTENT_ROLES;

const version = z.coerce.number().int().min(1);
/* The forms as posted: each carries the optimistic version it was loaded at (the dossier's, or the deferral's). */
const ZRequestForm = ZDeferralRequest.extend({ version });
/** `version` is the dossier's: dropping a request changes the draft. */
const ZDropForm = ZDeferralRef;
const ZRefuseForm = ZDeferralDecision.omit({ version: true }).extend({ dossierVersion: version });
const ZTerminateForm = ZDeferralDecision.extend({ dossierVersion: version });

/** Extension bounds only apply to these states (deferral-lifecycle.server.ts extendDeferral). */
const EXTENDABLE: readonly DeferralStateName[] = ["PENDING", "OVERDUE", "BREACHED"];

/** The holiday days between two dates, for the browser's working-day count (the calendar functions are universal). */
function holidaysBetween(calendar: HolidayCalendar, from: string, to: string) {
  const pick = (days: ReadonlySet<string>) => [...days].filter((d) => d >= from && d <= to).sort();
  return { rest: pick(calendar.rest), work: pick(calendar.work), lastPublishedYear: calendar.lastPublishedYear };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, VIEW_ROLES);
  const d = await requireDossier(user, request, params.dossierId);
  const [calendar, rows, letters] = await Promise.all([
    loadHolidayCalendar(),
    prisma.deferral.findMany({
      where: { dossierId: d.id },
      orderBy: [{ item: { position: "asc" } }, { requestedAt: "asc" }],
      include: { item: { select: { code: true, titleZh: true, titleEn: true } }, policy: { select: { graceWorkingDays: true, maxDeferralWorkingDays: true } } },
    }),
    prisma.issuedLetter.findMany({ where: { dossierId: d.id }, orderBy: { issuedAt: "asc" }, select: { id: true, kind: true, sequence: true, issuedAt: true } }),
  ]);
  const at = now();
  const today = shanghaiDate(at);
  const isWindow = user.role === "WINDOW";
  const canRequest = user.role === "APPLICANT" && EDITABLE.includes(d.status);
  const bar = canRequest ? await companyBarUntil(d.companyId, at) : null;
  const deferrable = canRequest && !bar ? await deferrableItemsOf(d.id) : null;
  const bounds = deferrable ? dueDateBounds(calendar, today, deferrable.policy.maxDeferralWorkingDays) : null;

  const deferrals = rows.map((r) => {
    const dueDate = dateOnly(r.dueDate);
    const can = {
      refuse: isWindow && d.status === "SUBMITTED" && r.state === "REQUESTED",
      extend: isWindow && !r.extendedAt && EXTENDABLE.includes(r.state) && PRE_DECISION.includes(d.status),
      terminate: isWindow && r.state === "BREACHED" && canTransition("terminate", d.status, user.role),
      verify: user.role === "ADVISOR" && d.advisorId === user.id && r.state === "FULFILLED",
    };
    let extension: { min: string; max: string; days: number } | null = null;
    if (can.extend) {
      const allowed = dueDateBounds(calendar, today, r.policy.maxDeferralWorkingDays);
      const afterDue = addWorkingDays(calendar, dueDate, 1);
      extension = { min: afterDue > allowed.min ? afterDue : allowed.min, max: allowed.max, days: r.policy.maxDeferralWorkingDays };
    }
    return {
      id: r.id,
      itemId: r.itemId,
      state: r.state,
      version: r.version,
      code: r.item.code,
      titleZh: r.item.titleZh,
      titleEn: r.item.titleEn,
      dueDate,
      provisional: isProvisional(calendar, dueDate),
      originalDueDate: r.originalDueDate ? dateOnly(r.originalDueDate) : null,
      reason: r.reason,
      extendedAt: r.extendedAt,
      extensionReason: r.extensionReason,
      refusalReason: r.refusalReason,
      fulfilledAt: r.fulfilledAt,
      verifiedAt: r.verifiedAt,
      breachedAt: r.breachedAt,
      commitmentId: r.commitmentId,
      noticeId: r.noticeId,
      countdown: deferralCountdown(calendar, at, r),
      can,
      extension,
    };
  });

  const requestedByItem = new Map(rows.filter((r) => r.state === "REQUESTED").map((r) => [r.itemId, r]));
  return {
    dossier: { id: d.id, number: d.number, productName: d.productName, status: d.status, version: d.version },
    deferrals,
    letters,
    applicant: canRequest
      ? {
          barUntil: bar ? shanghaiDate(bar) : null,
          request:
            deferrable && bounds
              ? {
                  today,
                  bounds,
                  maxWorkingDays: deferrable.policy.maxDeferralWorkingDays,
                  holidays: holidaysBetween(calendar, today, bounds.max),
                  items: deferrable.items.map((i) => {
                    const requested = requestedByItem.get(i.id);
                    return {
                      id: i.id,
                      code: i.code,
                      titleZh: i.titleZh,
                      titleEn: i.titleEn,
                      requested: requested ? { id: requested.id, dueDate: dateOnly(requested.dueDate), reason: requested.reason } : null,
                    };
                  }),
                }
              : null,
        }
      : null,
    canPreview: canRequest && requestedByItem.size > 0,
  };
}

/** The deferral named by a form must belong to this dossier; otherwise a 404 like any row outside the scope. */
async function requireDeferralOf(user: SessionUser, request: Request, dossierId: string, deferralId: string) {
  const row = await prisma.deferral.findFirst({ where: { id: deferralId, dossierId }, select: { id: true } });
  if (!row) return notFoundInScope(user, request, "deferral", deferralId);
  return row;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, VIEW_ROLES);
  const dossier = await requireDossier(user, request, params.dossierId);
  const intent = await requireIntent(user, request, dossier.id, INTENT_ROLES);
  const done = () => redirect(`/dossiers/${dossier.id}/deferrals?done=${intent}`);

  switch (intent) {
    case "request": {
      const parsed = await parseForm(request, ZRequestForm);
      if (!parsed.ok) return parsed.response;
      const { version: dossierVersion, ...input } = parsed.data;
      const result = await withDossierErrors(parsed.formData, () => requestDeferral(user, dossier.id, dossierVersion, input));
      if (!result.ok) return result.response;
      return done();
    }
    case "drop": {
      const parsed = await parseForm(request, ZDropForm);
      if (!parsed.ok) return parsed.response;
      const result = await withDossierErrors(parsed.formData, () => dropDeferralRequest(user, dossier.id, parsed.data.version, parsed.data.deferralId));
      if (!result.ok) return result.response;
      return done();
    }
    case "refuse": {
      const parsed = await parseForm(request, ZRefuseForm);
      if (!parsed.ok) return parsed.response;
      const { deferralId, dossierVersion, reason } = parsed.data;
      await requireDeferralOf(user, request, dossier.id, deferralId);
      const result = await withDossierErrors(parsed.formData, () => refuseDeferral(user, dossier.id, dossierVersion, deferralId, reason));
      if (!result.ok) return result.response;
      return done();
    }
    case "extend": {
      const parsed = await parseForm(request, ZDeferralExtension);
      if (!parsed.ok) return parsed.response;
      await requireDeferralOf(user, request, dossier.id, parsed.data.deferralId);
      const result = await withDossierErrors(parsed.formData, () => extendDeferral(user, parsed.data));
      if (!result.ok) return result.response;
      return done();
    }
    case "terminate": {
      const parsed = await parseForm(request, ZTerminateForm);
      if (!parsed.ok) return parsed.response;
      await requireDeferralOf(user, request, dossier.id, parsed.data.deferralId);
      const result = await withDossierErrors(parsed.formData, () => terminateForBreach(user, parsed.data));
      if (!result.ok) return result.response;
      return done();
    }
    case "verify": {
      const parsed = await parseForm(request, ZDeferralRef);
      if (!parsed.ok) return parsed.response;
      await requireDeferralOf(user, request, dossier.id, parsed.data.deferralId);
      const result = await withDossierErrors(parsed.formData, () => verifyDeferral(user, parsed.data.deferralId, parsed.data.version));
      if (!result.ok) return result.response;
      return done();
    }
  }
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type DeferralRow = LoaderData["deferrals"][number];
type RequestData = NonNullable<NonNullable<LoaderData["applicant"]>["request"]>;

/** The failed form's errors and input, when the answer belongs to `intent` (and to this deferral). */
function useFailure(intent: Intent, deferralId?: string) {
  const actionData = useActionData<typeof action>();
  if (!actionData || !("errors" in actionData) || actionData.values.intent !== intent) return undefined;
  if (deferralId && actionData.values.deferralId !== deferralId) return undefined;
  return actionData;
}

function FormError({ intent, deferralId }: { intent: Intent; deferralId?: string }) {
  const { t } = useTranslation();
  const message = useFailure(intent, deferralId)?.errors.form?.[0];
  return message ? <Notice tone="warning">{t(message)}</Notice> : null;
}

const posted = (values: Record<string, string | string[]> | undefined, name: string) => {
  const v = values?.[name];
  return typeof v === "string" ? v : undefined;
};

function DeferralTable({ deferrals, dossierId }: { deferrals: DeferralRow[]; dossierId: string }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === "en";
  return (
    <div className="table-wrap">
      <table className="data data--wrap deferral-table" data-testid="deferrals">
        <caption className="visually-hidden">{t("deferral.page.listTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("deferral.page.item")}</th>
            <th scope="col">{t("deferral.page.state")}</th>
            <th scope="col">{t("deferral.page.dueDate")}</th>
            <th scope="col">{t("deferral.page.countdown")}</th>
            <th scope="col">{t("deferral.page.reason")}</th>
            <th scope="col">{t("deferral.page.details")}</th>
          </tr>
        </thead>
        <tbody>
          {deferrals.map((r) => (
            <tr key={r.id} data-state={r.state}>
              <th scope="row">
                <code>{r.code}</code> <Link to={`/dossiers/${dossierId}/items/${r.itemId}`}>{en ? r.titleEn : r.titleZh}</Link>
              </th>
              <td>
                <DeferralStateBadge state={r.state} />
              </td>
              <td>
                <DueDate date={r.dueDate} provisional={r.provisional} />
                {r.originalDueDate ? <div className="field__hint">{t("deferral.page.originalDueDate", { date: formatDay(r.originalDueDate, i18n.language) })}</div> : null}
              </td>
              <td>
                <Countdown value={r.countdown} />
              </td>
              <td className="prewrap">{r.reason}</td>
              <td>
                <ul className="plain-list">
                  {r.extendedAt ? <li>{t("deferral.page.extended", { time: formatDateTime(r.extendedAt, i18n.language), reason: r.extensionReason ?? "" })}</li> : null}
                  {r.refusalReason ? <li>{t("deferral.page.refused", { reason: r.refusalReason })}</li> : null}
                  {r.fulfilledAt ? <li>{t("deferral.page.fulfilled", { time: formatDateTime(r.fulfilledAt, i18n.language) })}</li> : null}
                  {r.verifiedAt ? <li>{t("deferral.page.verified", { time: formatDateTime(r.verifiedAt, i18n.language) })}</li> : null}
                  {r.breachedAt ? <li className="text-red">{t("deferral.page.breached", { time: formatDateTime(r.breachedAt, i18n.language) })}</li> : null}
                  {r.commitmentId ? (
                    <li>
                      <Link to={`/dossiers/${dossierId}/letters/${r.commitmentId}`}>{t("deferral.page.commitment")}</Link>
                    </li>
                  ) : null}
                  {r.noticeId ? (
                    <li>
                      <Link to={`/dossiers/${dossierId}/letters/${r.noticeId}`}>{t("deferral.page.notice")}</Link>
                    </li>
                  ) : null}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A labelled textarea for a decision's reason, keeping what was typed after a refusal. */
function ReasonField({ label, intent, deferralId }: { label: string; intent: Intent; deferralId: string }) {
  const failure = useFailure(intent, deferralId);
  return (
    <TextAreaField
      label={label}
      name="reason"
      required
      rows={2}
      maxLength={1000}
      defaultValue={posted(failure?.values, "reason") ?? ""}
      error={failure?.errors.reason?.[0]}
    />
  );
}

function WindowActions({ row, dossier }: { row: DeferralRow; dossier: LoaderData["dossier"] }) {
  const { t, i18n } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const en = i18n.language === "en";
  const refuseFailure = useFailure("refuse", row.id);
  const extendFailure = useFailure("extend", row.id);
  const terminateFailure = useFailure("terminate", row.id);
  const confirmTerminate = (event: FormEvent<HTMLFormElement>) => {
    const reason = new FormData(event.currentTarget).get("reason");
    if (typeof reason !== "string" || !reason.trim()) return;
    if (!window.confirm(t("deferral.window.terminateConfirm", { number: dossier.number }))) event.preventDefault();
  };
  return (
    <section className="deferral-actions" aria-labelledby={`actions-${row.id}`}>
      <h3 id={`actions-${row.id}`}>
        <code>{row.code}</code> {en ? row.titleEn : row.titleZh} <DeferralStateBadge state={row.state} />
      </h3>
      {row.can.refuse ? (
        <details open={!!refuseFailure}>
          <summary>{t("deferral.window.refuseTitle")}</summary>
          <p className="field__hint">{t("deferral.window.refuseHint")}</p>
          <FormError intent="refuse" deferralId={row.id} />
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="refuse" />
            <input type="hidden" name="deferralId" value={row.id} />
            <input type="hidden" name="dossierVersion" value={dossier.version} />
            <ReasonField label={t("deferral.window.refuseReason")} intent="refuse" deferralId={row.id} />
            <button type="submit" className="button button--danger" disabled={busy}>
              {t("deferral.window.refuse")}
            </button>
          </Form>
        </details>
      ) : null}
      {row.can.extend && row.extension ? (
        <details open={!!extendFailure}>
          <summary>{t("deferral.window.extendTitle")}</summary>
          <p className="field__hint">{t("deferral.window.extendHint", { days: row.extension.days, max: formatDay(row.extension.max, i18n.language) })}</p>
          <FormError intent="extend" deferralId={row.id} />
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="extend" />
            <input type="hidden" name="deferralId" value={row.id} />
            <input type="hidden" name="version" value={row.version} />
            <div className="form-grid">
              <TextField
                label={t("deferral.window.extendDate")}
                type="date"
                name="dueDate"
                required
                min={row.extension.min}
                max={row.extension.max}
                defaultValue={posted(extendFailure?.values, "dueDate") ?? ""}
                error={extendFailure?.errors.dueDate?.[0]}
              />
            </div>
            <ReasonField label={t("deferral.window.extendReason")} intent="extend" deferralId={row.id} />
            <button type="submit" className="button" disabled={busy}>
              {t("deferral.window.extend")}
            </button>
          </Form>
        </details>
      ) : null}
      {row.can.terminate ? (
        <details open={!!terminateFailure}>
          <summary>{t("deferral.window.terminateTitle")}</summary>
          <p className="field__hint">{t("deferral.window.terminateHint")}</p>
          <FormError intent="terminate" deferralId={row.id} />
          <Form method="post" noValidate onSubmit={confirmTerminate}>
            <input type="hidden" name="intent" value="terminate" />
            <input type="hidden" name="deferralId" value={row.id} />
            <input type="hidden" name="version" value={row.version} />
            <input type="hidden" name="dossierVersion" value={dossier.version} />
            <ReasonField label={t("deferral.window.terminateReason")} intent="terminate" deferralId={row.id} />
            <button type="submit" className="button button--danger" disabled={busy}>
              {t("deferral.window.terminate")}
            </button>
          </Form>
        </details>
      ) : null}
    </section>
  );
}

function VerifyAction({ row, dossierId }: { row: DeferralRow; dossierId: string }) {
  const { t, i18n } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const en = i18n.language === "en";
  return (
    <section className="deferral-actions" aria-labelledby={`verify-${row.id}`}>
      <h3 id={`verify-${row.id}`}>
        <code>{row.code}</code> {en ? row.titleEn : row.titleZh} <DeferralStateBadge state={row.state} />
      </h3>
      <p className="field__hint">
        {t("deferral.advisor.verifyHint")} <Link to={`/dossiers/${dossierId}/items/${row.itemId}`}>{t("deferral.page.openItem")}</Link>
      </p>
      <FormError intent="verify" deferralId={row.id} />
      <Form method="post">
        <input type="hidden" name="intent" value="verify" />
        <input type="hidden" name="deferralId" value={row.id} />
        <input type="hidden" name="version" value={row.version} />
        <button type="submit" className="button" disabled={busy}>
          {t("deferral.advisor.verify")}
        </button>
      </Form>
    </section>
  );
}

type RequestItem = RequestData["items"][number];

/** The working days from today to `date`, or why it cannot be counted (out of range, not a working day). */
function workingDayCount(calendar: HolidayCalendar, today: string, bounds: { min: string; max: string }, date: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  if (date < bounds.min || date > bounds.max) return { problem: "outOfRange" as const };
  try {
    if (!isWorkingDay(calendar, date)) return { problem: "notWorkingDay" as const };
    return { days: workingDaysBetween(calendar, today, date) };
  } catch {
    return null;
  }
}

function RequestForm({ item, request, calendar, dossierVersion }: { item: RequestItem; request: RequestData; calendar: HolidayCalendar; dossierVersion: number }) {
  const { t, i18n } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const en = i18n.language === "en";
  const { register, errors, onSubmit, serverErrors, form } = useValidatedForm(ZDeferralRequest, {
    defaultValues: { itemId: item.id, dueDate: item.requested?.dueDate ?? "", reason: item.requested?.reason ?? "" },
    owns: (values) => values.intent === "request" && values.itemId === item.id,
  });
  const dueDate = form.watch("dueDate") ?? "";
  const count = workingDayCount(calendar, request.today, request.bounds, String(dueDate));
  const titleId = `request-${item.id}`;
  const countId = `request-${item.id}-count`;
  const labels = { dueDate: t("deferral.request.dueDate"), reason: t("deferral.request.reason"), itemId: t("deferral.page.item") };
  // Rule refusals ("form") show as the notice above the form; the summary lists the fields.
  const fieldErrors = Object.fromEntries(Object.entries(errors).filter(([name]) => name !== "form")) as typeof errors;
  return (
    <div className="deferral-request">
      <h3 id={titleId}>
        <code>{item.code}</code> {en ? item.titleEn : item.titleZh}{" "}
        {item.requested ? <DeferralStateBadge state="REQUESTED" /> : null}
      </h3>
      {item.requested ? <p className="field__hint">{t("deferral.request.requested", { date: formatDay(item.requested.dueDate, i18n.language) })}</p> : null}
      {serverErrors?.form ? <Notice tone="warning">{t(serverErrors.form[0]!)}</Notice> : null}
      <ErrorSummary errors={fieldErrors} labels={labels} />
      <Form method="post" noValidate onSubmit={onSubmit} aria-labelledby={titleId}>
        <input type="hidden" name="intent" value="request" />
        <input type="hidden" name="version" value={dossierVersion} />
        <input type="hidden" {...register("itemId")} />
        <div className="due-date-row">
          <TextField
            label={labels.dueDate}
            hint={t("deferral.request.dueDateHint", { min: formatDay(request.bounds.min, i18n.language), max: formatDay(request.bounds.max, i18n.language) })}
            type="date"
            required
            min={request.bounds.min}
            max={request.bounds.max}
            registration={register("dueDate")}
            error={errors.dueDate}
          />
          <p id={countId} className={`working-days${count && "problem" in count ? " working-days--problem" : ""}`} aria-live="polite">
            {count === null ? null : "problem" in count ? t(`deferral.request.${count.problem}`) : t("deferral.request.workingDays", { count: count.days })}
            {count && "days" in count && isProvisional(calendar, String(dueDate)) ? (
              <>
                {" "}
                <abbr className="badge badge--amber" title={t("deferral.countdown.provisionalHint")}>
                  {t("deferral.countdown.provisional")}
                </abbr>
              </>
            ) : null}
          </p>
        </div>
        <TextAreaField label={labels.reason} hint={t("deferral.request.reasonHint")} required rows={2} maxLength={1000} registration={register("reason")} error={errors.reason} />
        <button type="submit" className="button" disabled={busy}>
          {item.requested ? t("deferral.request.update") : t("deferral.request.save")}
        </button>
      </Form>
      {item.requested ? <DropForm deferralId={item.requested.id} dossierVersion={dossierVersion} /> : null}
    </div>
  );
}

function DropForm({ deferralId, dossierVersion }: { deferralId: string; dossierVersion: number }) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  return (
    <Form method="post" className="form-actions">
      <FormError intent="drop" deferralId={deferralId} />
      <input type="hidden" name="intent" value="drop" />
      <input type="hidden" name="deferralId" value={deferralId} />
      <input type="hidden" name="version" value={dossierVersion} />
      <button type="submit" className="button button--secondary" disabled={busy}>
        {t("deferral.request.drop")}
      </button>
    </Form>
  );
}

function ApplicantRequests({ data: { applicant, dossier } }: { data: LoaderData }) {
  const { t, i18n } = useTranslation();
  const request = applicant?.request ?? null;
  const calendar = useMemo(() => {
    if (!request) return null;
    const rows = [...request.holidays.rest.map((date) => ({ date, kind: "REST" as const })), ...request.holidays.work.map((date) => ({ date, kind: "WORK" as const }))];
    // Only the range's days travel; the published-years mark comes from the whole calendar.
    return { ...buildCalendar(rows), lastPublishedYear: request.holidays.lastPublishedYear };
  }, [request]);
  if (!applicant) return null;
  return (
    <section className="panel" aria-labelledby="request-title">
      <h2 id="request-title" className="panel__title">
        {t("deferral.request.title")}
      </h2>
      {applicant.barUntil ? (
        <div className="notice notice--warning" role="status" data-testid="deferral-barred">
          <p className="notice__title">
            <strong>{t("deferral.request.barredTitle")}</strong>
          </p>
          <p>{t("deferral.request.barred", { date: formatDay(applicant.barUntil, i18n.language) })}</p>
          <p>
            <Link to="/applicant/company#commitment-record">{t("deferral.request.barredLink")}</Link>
          </p>
        </div>
      ) : request && calendar ? (
        request.items.length === 0 ? (
          <p>{t("deferral.request.noneDeferrable")}</p>
        ) : (
          <>
            <p className="lead">
              {t("deferral.request.intro", { min: formatDay(request.bounds.min, i18n.language), max: formatDay(request.bounds.max, i18n.language), days: request.maxWorkingDays })}
            </p>
            {request.items.map((item) => (
              <RequestForm key={`${item.id}-${dossier.version}`} item={item} request={request} calendar={calendar} dossierVersion={dossier.version} />
            ))}
          </>
        )
      ) : null}
    </section>
  );
}

export default function DeferralsPage() {
  const { t, i18n } = useTranslation();
  const loaderData = useLoaderData<typeof loader>();
  const { dossier, deferrals, letters, canPreview } = loaderData;
  const [params] = useSearchParams();
  const done = params.get("done");
  const doneKey = done && done in INTENT_ROLES ? done : null;
  const failure = useActionData<typeof action>();
  // A refused request for an item no longer offered (e.g. it got a document meanwhile) has no form to show its error in.
  const offered = new Set(loaderData.applicant?.request?.items.map((i) => i.id) ?? []);
  const orphan = failure && "errors" in failure && failure.values.intent === "request" && !offered.has(String(failure.values.itemId)) ? failure.errors.form?.[0] : undefined;
  const windowRows = deferrals.filter((r) => r.can.refuse || r.can.extend || r.can.terminate);
  const verifyRows = deferrals.filter((r) => r.can.verify);
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/dossiers/${dossier.id}`}>{t("deferral.page.back", { number: dossier.number })}</Link>
      </p>
      <h1>
        {t("deferral.page.title")} <span className="dossier-number">{dossier.number}</span> {dossier.productName}
      </h1>
      <p className="lead">{t("deferral.page.intro")}</p>
      {doneKey ? <Notice tone="success">{t(`deferral.page.done.${doneKey}`)}</Notice> : null}
      {orphan ? <Notice tone="warning">{t(orphan)}</Notice> : null}
      <section className="panel" aria-labelledby="deferrals-title">
        <h2 id="deferrals-title" className="panel__title">
          {t("deferral.page.listTitle")}
        </h2>
        {deferrals.length === 0 ? <p>{t("deferral.page.none")}</p> : <DeferralTable deferrals={deferrals} dossierId={dossier.id} />}
        {canPreview ? (
          <p>
            <Link to={`/dossiers/${dossier.id}/commitment`}>{t("deferral.page.previewCommitment")}</Link>
          </p>
        ) : null}
        {windowRows.map((row) => (
          <WindowActions key={`${row.id}-${row.version}-${dossier.version}`} row={row} dossier={dossier} />
        ))}
        {verifyRows.map((row) => (
          <VerifyAction key={row.id} row={row} dossierId={dossier.id} />
        ))}
      </section>
      <ApplicantRequests data={loaderData} />
      <section className="panel" aria-labelledby="letters-title">
        <h2 id="letters-title" className="panel__title">
          {t("deferral.page.lettersTitle")}
        </h2>
        {letters.length === 0 ? (
          <p className="muted">{t("deferral.page.noLetters")}</p>
        ) : (
          <ul>
            {letters.map((l) => (
              <li key={l.id}>
                <Link to={`/dossiers/${dossier.id}/letters/${l.id}`}>{t("deferral.page.letterItem", { kind: t(`deferral.letter.${l.kind}`), sequence: l.sequence })}</Link> ·{" "}
                {formatDateTime(l.issuedAt, i18n.language)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
