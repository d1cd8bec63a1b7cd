import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import { prisma } from "#app/.server/db.ts";
import { parseForm } from "#app/.server/forms.ts";
import { ErrorSummary, Notice, TextField } from "#app/components/forms/fields.tsx";
import { RadioGroup, TextAreaField } from "#app/components/forms/more-fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { ZClockPolicy } from "#app/modules/clock/clock-policy.schema.ts";
import { clockPolicyHistory, currentClockPolicy, saveClockPolicy } from "#app/modules/clock/clock.server.ts";
import { LIMIT_KEYS, type LimitKey, type StageLimits } from "#app/modules/clock/stage-clock.ts";
import { formatDateTime } from "#app/utils/format.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["WINDOW"]);
  const [current, history] = await Promise.all([currentClockPolicy(), clockPolicyHistory(20)]);
  const authors = await prisma.clockPolicy.findMany({ where: { id: { in: history.map((h) => h.id) } }, select: { id: true, createdById: true } });
  const userIds = authors.map((a) => a.createdById).filter((id): id is string => !!id);
  const names = new Map((await prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  const authorOf = new Map(authors.map((a) => [a.id, a.createdById ? (names.get(a.createdById) ?? null) : null]));
  return { current, history: history.map((h) => ({ ...h, by: authorOf.get(h.id) ?? null })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["WINDOW"]);
  const parsed = await parseForm(request, ZClockPolicy);
  if (!parsed.ok) return parsed.response;
  const v = parsed.data;
  const limits = Object.fromEntries(
    LIMIT_KEYS.map((key) => {
      const target = v[`${key}Target`];
      return [key, target === undefined ? { legal: v[`${key}Legal`] } : { legal: v[`${key}Legal`], target }];
    }),
  ) as StageLimits;
  await saveClockPolicy(user, { limits, basis: v.basis, yellowAt: v.yellowPercent / 100, reason: v.reason });
  return { saved: true as const };
}

function useStageLabel() {
  const { t } = useTranslation();
  return (key: LimitKey) => (key === "reviewAfterSupplement" ? t("clockPolicy.reviewAfterSupplement") : t(`clock.stage.${key}`));
}

function limitsSummary(limits: StageLimits, stageLabel: (key: LimitKey) => string) {
  return LIMIT_KEYS.map((key) => `${stageLabel(key)} ${limits[key].legal}${limits[key].target ? `/${limits[key].target}` : ""}`).join("，");
}

export default function ClockPolicyPage() {
  const { t, i18n } = useTranslation();
  const { current, history } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const stageLabel = useStageLabel();
  const defaults: Record<string, string> = { basis: current.basis, yellowPercent: String(Math.round(current.yellowAt * 100)) };
  for (const key of LIMIT_KEYS) {
    defaults[`${key}Legal`] = String(current.limits[key].legal);
    defaults[`${key}Target`] = current.limits[key].target === undefined ? "" : String(current.limits[key].target);
  }
  const { register, errors, onSubmit } = useValidatedForm(ZClockPolicy, { defaultValues: defaults as never });
  const labels: Record<string, string> = { basis: t("clockPolicy.basis"), yellowPercent: t("clockPolicy.yellowPercent"), reason: t("clockPolicy.reason") };
  for (const key of LIMIT_KEYS) {
    labels[`${key}Legal`] = t("clockPolicy.legal", { stage: stageLabel(key) });
    labels[`${key}Target`] = t("clockPolicy.target", { stage: stageLabel(key) });
  }
  const posted = (actionData as { values?: Record<string, string> } | undefined)?.values;
  const chosenBasis = posted?.basis ?? current.basis;
  const fieldError = (name: string) => (errors as Record<string, { message?: string } | undefined>)[name]?.message;
  return (
    <>
      <h1>{t("clockPolicy.title")}</h1>
      <p className="lead">{t("clockPolicy.intro")}</p>
      {actionData && "saved" in actionData ? <Notice tone="success">{t("clockPolicy.saved")}</Notice> : null}
      <section className="panel" aria-labelledby="clock-policy-form">
        <h2 id="clock-policy-form">{t("clockPolicy.current", { time: formatDateTime(current.createdAt, i18n.language) })}</h2>
        <ErrorSummary errors={errors} labels={labels} />
        <Form method="post" noValidate onSubmit={onSubmit}>
          <div className="form-grid">
            {LIMIT_KEYS.map((key) => (
              <div key={key} className="form-grid">
                <TextField label={labels[`${key}Legal`]!} type="number" min={1} max={400} required registration={register(`${key}Legal` as never)} error={fieldError(`${key}Legal`)} />
                <TextField label={labels[`${key}Target`]!} type="number" min={1} max={400} registration={register(`${key}Target` as never)} error={fieldError(`${key}Target`)} />
              </div>
            ))}
          </div>
          <RadioGroup
            label={labels.basis!}
            required
            options={[
              { value: "legal", label: t("clockPolicy.basisLegal"), checked: chosenBasis === "legal" },
              { value: "target", label: t("clockPolicy.basisTarget"), checked: chosenBasis === "target" },
            ]}
            registration={register("basis")}
            error={fieldError("basis")}
          />
          <TextField label={labels.yellowPercent!} type="number" min={1} max={100} required registration={register("yellowPercent")} error={fieldError("yellowPercent")} />
          <TextAreaField label={labels.reason!} required rows={2} maxLength={500} registration={register("reason")} error={fieldError("reason")} />
          <button type="submit" className="button" disabled={busy}>
            {t("clockPolicy.save")}
          </button>
        </Form>
      </section>
      <section className="panel" aria-labelledby="clock-policy-history">
        <h2 id="clock-policy-history">{t("clockPolicy.history")}</h2>
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t("clockPolicy.historyCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("clockPolicy.at")}</th>
                <th scope="col">{t("clockPolicy.summary")}</th>
                <th scope="col">{t("clockPolicy.reason")}</th>
                <th scope="col">{t("clockPolicy.by")}</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.id}>
                  <td className="nowrap">{formatDateTime(h.createdAt, i18n.language)}</td>
                  <td>
                    {limitsSummary(h.limits, stageLabel)} · {Math.round(h.yellowAt * 100)}% · {h.basis === "target" ? t("clockPolicy.basisTarget") : t("clockPolicy.basisLegal")}
                  </td>
                  <td>{h.reason}</td>
                  <td>{h.by ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
