import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import { prisma } from "#app/.server/db.ts";
import { parseForm } from "#app/.server/forms.ts";
import { ErrorSummary, Notice, TextField } from "#app/components/forms/fields.tsx";
import { CheckboxGroup, TextAreaField } from "#app/components/forms/more-fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { TABLE_OF_CONTENTS } from "#app/modules/dossier/checklist.ts";
import { ZDeferralPolicy } from "#app/modules/deferral/policy.schema.ts";
import { currentDeferralPolicy, saveDeferralPolicy } from "#app/modules/deferral/policy.server.ts";
import { formatDateTime } from "#app/utils/format.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["WINDOW"]);
  const [current, history] = await Promise.all([
    currentDeferralPolicy(),
    prisma.deferralPolicy.findMany({ orderBy: { createdAt: "desc" }, take: 20 }),
  ]);
  const authors = await prisma.user.findMany({ where: { id: { in: history.map((h) => h.createdById).filter((id): id is string => !!id) } }, select: { id: true, name: true } });
  const nameOf = new Map(authors.map((a) => [a.id, a.name]));
  // Items marked secondary in the table of contents are the candidates; codes already in the policy stay listed.
  const seen = new Set<string>();
  const candidates = TABLE_OF_CONTENTS.items
    .filter((i) => i.chapter === 3 || current.deferrableCodes.includes(i.code))
    .filter((i) => !seen.has(i.code) && seen.add(i.code))
    .map((i) => ({ code: i.code, zh: i.zh, en: i.en }));
  return {
    current: { ...current, reminderOffsets: current.reminderOffsets.join(", ") },
    candidates,
    history: history.map((h) => ({ ...h, by: h.createdById ? (nameOf.get(h.createdById) ?? "") : null })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["WINDOW"]);
  const parsed = await parseForm(request, ZDeferralPolicy);
  if (!parsed.ok) return parsed.response;
  await saveDeferralPolicy(user, parsed.data);
  return { saved: true as const };
}

export default function DeferralPolicyPage() {
  const { t, i18n } = useTranslation();
  const { current, candidates, history } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { register, errors, onSubmit, form } = useValidatedForm(ZDeferralPolicy, {
    defaultValues: {
      deferrableCodes: current.deferrableCodes,
      maxDeferralWorkingDays: current.maxDeferralWorkingDays,
      reminderOffsets: current.reminderOffsets,
      graceWorkingDays: current.graceWorkingDays,
      barMonths: current.barMonths,
    },
  });
  const en = i18n.language === "en";
  // After a rejected post the boxes show what was ticked, not the stored policy.
  const posted = (actionData as { values?: Record<string, string | string[]> } | undefined)?.values;
  const chosen = posted ? [posted.deferrableCodes ?? []].flat() : current.deferrableCodes;
  const labels = {
    deferrableCodes: t("policy.deferrableCodes"),
    maxDeferralWorkingDays: t("policy.maxDeferralWorkingDays"),
    reminderOffsets: t("policy.reminderOffsets"),
    graceWorkingDays: t("policy.graceWorkingDays"),
    barMonths: t("policy.barMonths"),
    reason: t("policy.reason"),
  };
  return (
    <>
      <h1>{t("policy.title")}</h1>
      <p className="lead">{t("policy.intro")}</p>
      {actionData && "saved" in actionData ? <Notice tone="success">{t("policy.saved")}</Notice> : null}
      <section className="panel" aria-labelledby="policy-form">
        <h2 id="policy-form">{t("policy.current", { time: formatDateTime(current.createdAt, i18n.language) })}</h2>
        <ErrorSummary errors={errors} labels={labels} />
        <Form method="post" noValidate onSubmit={onSubmit}>
          <CheckboxGroup
            label={labels.deferrableCodes}
            hint={t("policy.deferrableHint")}
            options={candidates.map((c) => ({ value: c.code, label: `${c.code} ${en ? c.en : c.zh}`, checked: chosen.includes(c.code) }))}
            registration={form.register("deferrableCodes")}
            error={errors.deferrableCodes?.message}
          />
          <div className="form-grid">
            <TextField label={labels.maxDeferralWorkingDays} type="number" required registration={register("maxDeferralWorkingDays")} error={errors.maxDeferralWorkingDays?.message} />
            <TextField label={labels.reminderOffsets} hint={t("policy.reminderHint")} required registration={register("reminderOffsets")} error={errors.reminderOffsets?.message} />
            <TextField label={labels.graceWorkingDays} type="number" required registration={register("graceWorkingDays")} error={errors.graceWorkingDays?.message} />
            <TextField label={labels.barMonths} type="number" required registration={register("barMonths")} error={errors.barMonths?.message} />
          </div>
          <TextAreaField label={labels.reason} required registration={register("reason")} error={errors.reason?.message} rows={2} />
          <button type="submit" className="button" disabled={busy}>
            {t("policy.save")}
          </button>
        </Form>
      </section>
      <section className="panel table-wrap" aria-labelledby="policy-history">
        <h2 id="policy-history">{t("policy.history")}</h2>
        <table className="data data--wrap">
          <thead>
            <tr>
              <th scope="col">{t("policy.createdAt")}</th>
              <th scope="col">{t("policy.deferrableCodes")}</th>
              <th scope="col">{t("policy.maxDeferralWorkingDays")}</th>
              <th scope="col">{t("policy.reminderOffsets")}</th>
              <th scope="col">{t("policy.graceWorkingDays")}</th>
              <th scope="col">{t("policy.barMonths")}</th>
              <th scope="col">{t("policy.by")}</th>
              <th scope="col">{t("policy.reason")}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.id}>
                <td>{formatDateTime(h.createdAt, i18n.language)}</td>
                <td>{h.deferrableCodes.join(", ")}</td>
                <td>{h.maxDeferralWorkingDays}</td>
                <td>{h.reminderOffsets.join(", ")}</td>
                <td>{h.graceWorkingDays}</td>
                <td>{h.barMonths}</td>
                <td>{h.by ?? t("policy.defaultVersion")}</td>
                <td>{h.reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
