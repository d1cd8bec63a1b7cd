import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import type { FieldErrors as HookFieldErrors } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "#app/.server/auth.ts";
import { FieldError } from "#app/.server/errors.ts";
import { parseForm, zodFieldErrors, type FieldErrors } from "#app/.server/forms.ts";
import { discardUpload } from "#app/.server/upload.ts";
import { ErrorSummary, Notice, SelectField, TextField } from "#app/components/forms/fields.tsx";
import { TextAreaField } from "#app/components/forms/more-fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { IndicatorRuleError } from "#app/modules/indicator/errors.ts";
import { drainRequestBody, EvidenceFormError, evidenceMaxBytes, receiveEvidenceForm } from "#app/modules/indicator/evidence.server.ts";
import { indicatorStatus, isComparator } from "#app/modules/indicator/indicator-rules.ts";
import { EVIDENCE_FIELD, ZIndicatorDefinition, ZIndicatorValue } from "#app/modules/indicator/indicator.schema.ts";
import { INDICATOR_EDITORS, indicatorWithHistory, recordIndicatorValue, updateIndicatorDefinition } from "#app/modules/indicator/indicator-values.server.ts";
import { EvidenceField, formatNumber, indicatorName, StatusBadge, TargetText, useUnit, withUnit } from "#app/modules/indicator/indicator-view.tsx";
import { formatDateTime, formatDay } from "#app/utils/format.ts";

/*
 * One 表1 indicator: its definition (target, period, names; editable by
 * window staff and administrators, audited), a new value with optional
 * evidence (manual indicators only; 医疗器械证 is counted), and the value
 * history. Auditors read. The two forms post to the same action, told apart
 * by `?intent=` (the value form is multipart, read as a stream).
 */

const VIEW_ROLES = ["WINDOW", "ADMIN", "AUDITOR"] as const;
const INTENTS = ["definition", "value"] as const;
type Intent = (typeof INTENTS)[number];

/** An id that is not an indicator's (or not an id) is a 404. */
async function requireIndicator(indicatorId: string | undefined) {
  const found = z.uuid().safeParse(indicatorId).success ? await indicatorWithHistory(indicatorId!) : null;
  if (!found) throw data({ reason: "not-found" }, { status: 404 });
  return found;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, VIEW_ROLES);
  const { indicator, history, currentId } = await requireIndicator(params.indicatorId);
  const current = history.find((h) => h.id === currentId) ?? null;
  const comparator = isComparator(indicator.comparator) ? indicator.comparator : ">=";
  return {
    indicator: { ...indicator, comparator, targetNumber: Number(indicator.target) },
    history,
    currentId,
    status: indicator.source === "MANUAL" ? indicatorStatus(current?.value ?? null, Number(indicator.target), comparator) : null,
    canEdit: INDICATOR_EDITORS.includes(user.role),
    maxBytes: evidenceMaxBytes(),
  };
}

type Failure = { errors: FieldErrors; values: Record<string, string | string[]> };
const refuse = (status: number, errors: FieldErrors, values: Record<string, string | string[]>) => data<Failure>({ errors, values }, { status });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, INDICATOR_EDITORS);
  const { indicator } = await requireIndicator(params.indicatorId);
  const intent = new URL(request.url).searchParams.get("intent");
  if (!intent || !(INTENTS as readonly string[]).includes(intent)) throw data({ reason: "bad-intent" }, { status: 400 });

  if ((intent as Intent) === "definition") {
    const parsed = await parseForm(request, ZIndicatorDefinition);
    if (!parsed.ok) return parsed.response;
    try {
      await updateIndicatorDefinition(user, indicator.id, parsed.data);
    } catch (error) {
      if (error instanceof IndicatorRuleError) return refuse(409, { form: [error.messageKey] }, { ...Object.fromEntries(parsed.formData), intent });
      throw error;
    }
    return redirect(`/indicators/${indicator.id}?done=definition`);
  }

  let received: Awaited<ReturnType<typeof receiveEvidenceForm>>;
  try {
    received = await receiveEvidenceForm(request, { required: false });
  } catch (error) {
    if (!(error instanceof EvidenceFormError)) throw error;
    drainRequestBody(request);
    const check = ZIndicatorValue.safeParse(error.fields);
    return refuse(error.status, { ...(check.success ? {} : zodFieldErrors(check.error)), [EVIDENCE_FIELD]: [`indicator.upload.${error.problem}`] }, { ...error.fields, intent });
  }
  const { file, fields } = received;
  const values = { ...fields, intent };
  const parsed = ZIndicatorValue.safeParse(fields);
  if (!parsed.success) {
    if (file) await discardUpload(file);
    return refuse(400, zodFieldErrors(parsed.error), values);
  }
  try {
    await recordIndicatorValue(user, indicator.id, parsed.data, file);
  } catch (error) {
    if (error instanceof FieldError) return refuse(400, { [error.field]: [error.messageKey] }, values);
    if (error instanceof IndicatorRuleError) return refuse(409, { form: [error.messageKey] }, values);
    throw error;
  }
  return redirect(`/indicators/${indicator.id}?done=value`);
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function useFailure(intent: Intent) {
  const actionData = useActionData<typeof action>();
  return actionData && actionData.values.intent === intent ? actionData : undefined;
}

function DefinitionForm({ indicator }: { indicator: LoaderData["indicator"] }) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const failure = useFailure("definition");
  const { register, errors, onSubmit } = useValidatedForm(ZIndicatorDefinition, {
    defaultValues: {
      name: indicator.name,
      nameEn: indicator.nameEn,
      target: indicator.target,
      unit: indicator.unit,
      periodStart: indicator.periodStart,
      periodEnd: indicator.periodEnd,
      comparator: indicator.comparator,
      updatedAt: indicator.updatedAt,
    },
    owns: (values) => values.intent === "definition",
  });
  const labels = {
    name: t("indicator.definition.name"),
    nameEn: t("indicator.definition.nameEn"),
    target: t("indicator.definition.target"),
    unit: t("indicator.definition.unit"),
    periodStart: t("indicator.definition.periodStart"),
    periodEnd: t("indicator.definition.periodEnd"),
    comparator: t("indicator.definition.comparator"),
  };
  return (
    <section className="panel" aria-labelledby="definition" id="definition-panel">
      <h2 id="definition" className="panel__title">
        {t("indicator.definition.title")}
      </h2>
      {failure?.errors.form?.[0] ? <Notice tone="warning">{t(failure.errors.form[0])}</Notice> : null}
      <ErrorSummary errors={errors} labels={labels} />
      <Form method="post" action="?intent=definition" noValidate onSubmit={onSubmit}>
        <input type="hidden" name="intent" value="definition" />
        <input type="hidden" {...register("updatedAt")} />
        <TextAreaField label={labels.name} required rows={2} registration={register("name")} error={errors.name?.message} />
        <TextAreaField label={labels.nameEn} rows={2} registration={register("nameEn")} error={errors.nameEn?.message} />
        <div className="form-grid">
          <SelectField label={labels.comparator} required registration={register("comparator")} error={errors.comparator?.message}>
            <option value=">=">{t("indicator.definition.comparators.atLeast")}</option>
            <option value="=">{t("indicator.definition.comparators.equal")}</option>
          </SelectField>
          <TextField label={labels.target} required inputMode="decimal" registration={register("target")} error={errors.target?.message} />
          <TextField label={labels.unit} required registration={register("unit")} error={errors.unit?.message} />
          <TextField label={labels.periodStart} type="date" required registration={register("periodStart")} error={errors.periodStart?.message} />
          <TextField label={labels.periodEnd} type="date" required registration={register("periodEnd")} error={errors.periodEnd?.message} />
        </div>
        <button type="submit" className="button" disabled={busy}>
          {t("indicator.definition.save")}
        </button>
      </Form>
    </section>
  );
}

function ValueForm({ maxBytes }: { maxBytes: number }) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const failure = useFailure("value");
  const { register, errors, onSubmit, serverErrors } = useValidatedForm(ZIndicatorValue, { owns: (values) => values.intent === "value" });
  const [fileError, setFileError] = useState<string | null>(null);
  const evidenceError = fileError ?? (failure ? serverErrors?.[EVIDENCE_FIELD]?.[0] : undefined);
  const labels: Record<string, string> = {
    value: t("indicator.value.value"),
    asOf: t("indicator.value.asOf"),
    note: t("indicator.value.note"),
    [EVIDENCE_FIELD]: t("indicator.value.evidence"),
  };
  const summaryErrors: HookFieldErrors = evidenceError ? ({ ...errors, [EVIDENCE_FIELD]: { type: "server", message: evidenceError } } as HookFieldErrors) : errors;

  function submit(event: FormEvent<HTMLFormElement>) {
    const file = (event.currentTarget.elements.namedItem(EVIDENCE_FIELD) as HTMLInputElement | null)?.files?.[0];
    const problem = file && file.size === 0 ? "empty" : file && file.size > maxBytes ? "size" : null;
    setFileError(problem ? `indicator.upload.${problem}` : null);
    if (problem) {
      event.preventDefault();
      return;
    }
    onSubmit(event);
  }

  return (
    <section className="panel" aria-labelledby="value-form">
      <h2 id="value-form" className="panel__title">
        {t("indicator.value.title")}
      </h2>
      {failure ? <Notice tone="warning">{t("indicator.value.fileNotKept")}</Notice> : null}
      {failure?.errors.form?.[0] ? <Notice tone="warning">{t(failure.errors.form[0])}</Notice> : null}
      <ErrorSummary errors={summaryErrors} labels={labels} />
      <Form method="post" action="?intent=value" encType="multipart/form-data" noValidate onSubmit={submit}>
        <input type="hidden" name="intent" value="value" />
        <div className="form-grid">
          <TextField label={labels.value!} required inputMode="decimal" registration={register("value")} error={errors.value?.message} />
          <TextField label={labels.asOf!} type="date" required registration={register("asOf")} error={errors.asOf?.message} />
        </div>
        <TextAreaField label={labels.note!} rows={2} hint={t("indicator.value.noteHint")} registration={register("note")} error={errors.note?.message} />
        <EvidenceField id="value-evidence" label={labels[EVIDENCE_FIELD]!} hintKey="indicator.value.evidenceHint" maxBytes={maxBytes} error={evidenceError} onChange={() => setFileError(null)} />
        <button type="submit" className="button" disabled={busy}>
          {busy ? t("common.loading") : t("indicator.value.submit")}
        </button>
      </Form>
    </section>
  );
}

function DefinitionView({ indicator }: { indicator: LoaderData["indicator"] }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="panel" aria-labelledby="definition">
      <h2 id="definition" className="panel__title">
        {t("indicator.definition.title")}
      </h2>
      <table className="data">
        <tbody>
          <tr>
            <th scope="row">{t("indicator.definition.name")}</th>
            <td>{indicator.name}</td>
          </tr>
          <tr>
            <th scope="row">{t("indicator.definition.nameEn")}</th>
            <td>{indicator.nameEn}</td>
          </tr>
          <tr>
            <th scope="row">{t("indicator.definition.target")}</th>
            <td>
              <TargetText comparator={indicator.comparator} target={indicator.targetNumber} unit={indicator.unit} />
            </td>
          </tr>
          <tr>
            <th scope="row">{t("indicator.definition.period")}</th>
            <td>
              {formatDay(indicator.periodStart, i18n.language)} – {formatDay(indicator.periodEnd, i18n.language)}
            </td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

export default function IndicatorPage() {
  const { t, i18n } = useTranslation();
  const unitLabel = useUnit();
  const { indicator, history, currentId, status, canEdit, maxBytes } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const done = params.get("done");
  const counted = indicator.source === "CERTIFICATES";
  return (
    <>
      <p className="breadcrumb">
        <Link to="/indicators">{t("indicator.backToDashboard")}</Link>
      </p>
      <div className="page-head">
        <h1>{indicatorName(indicator, i18n.language)}</h1>
        {status ? <StatusBadge status={status} /> : null}
      </div>
      <p className="lead">
        {t("indicator.detail.where", { group: indicator.groupName, subgroup: indicator.subgroup })}{" "}
        {t("indicator.detail.target")} <TargetText comparator={indicator.comparator} target={indicator.targetNumber} unit={indicator.unit} />
        {indicator.updatedBy ? ` · ${t("indicator.detail.updated", { name: indicator.updatedBy, time: formatDateTime(indicator.updatedAt, i18n.language) })}` : ""}
      </p>
      {done === "definition" ? <Notice tone="success">{t("indicator.done.definition")}</Notice> : null}
      {done === "value" ? <Notice tone="success">{t("indicator.done.value")}</Notice> : null}

      {canEdit ? <DefinitionForm indicator={indicator} /> : <DefinitionView indicator={indicator} />}

      {counted ? (
        <Notice>
          {t("indicator.detail.counted")} <Link to="/indicators#certificate-list">{t("indicator.detail.countedLink")}</Link>
        </Notice>
      ) : canEdit ? (
        <ValueForm maxBytes={maxBytes} />
      ) : null}

      {counted ? null : (
        <section className="panel table-wrap" aria-labelledby="history">
          <h2 id="history" className="panel__title">
            {t("indicator.history.title")}
          </h2>
          {history.length === 0 ? (
            <p>{t("indicator.history.empty")}</p>
          ) : (
            <table className="data data--wrap" data-testid="value-history">
              <caption className="visually-hidden">{t("indicator.history.title")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("indicator.value.asOf")}</th>
                  <th scope="col">{t("indicator.value.value")}</th>
                  <th scope="col">{t("indicator.value.note")}</th>
                  <th scope="col">{t("indicator.value.evidence")}</th>
                  <th scope="col">{t("indicator.history.enteredBy")}</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={h.id} data-value={h.id}>
                    <th scope="row" className="nowrap">
                      {formatDay(h.asOf, i18n.language)}
                      {h.id === currentId ? (
                        <>
                          {" "}
                          <span className="badge badge--blue">{t("indicator.history.current")}</span>
                        </>
                      ) : null}
                    </th>
                    <td className="nowrap">
                      {withUnit(formatNumber(h.value, i18n.language), unitLabel(indicator.unit))}
                    </td>
                    <td className="prewrap">{h.note}</td>
                    <td>
                      {h.evidenceName !== null ? (
                        <a href={`/indicators/evidence/value/${h.id}`} download>
                          {h.evidenceName || t("indicator.list.evidenceLink")}
                        </a>
                      ) : (
                        <span className="muted">{t("indicator.history.noEvidence")}</span>
                      )}
                    </td>
                    <td>
                      {h.enteredBy}
                      <br />
                      <span className="muted">{formatDateTime(h.createdAt, i18n.language)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </>
  );
}
