import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "#app/.server/auth.ts";
import { prisma } from "#app/.server/db.ts";
import { parseForm } from "#app/.server/forms.ts";
import { ErrorSummary, Notice, SelectField, TextField } from "#app/components/forms/fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { ZHoliday, ZHolidayDate } from "#app/modules/calendar/holiday.schema.ts";
import { removeHoliday, saveHoliday } from "#app/modules/calendar/holidays.server.ts";

const ZYear = z.coerce.number().int().min(2000).max(2100);

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["WINDOW"]);
  const raw = new URL(request.url).searchParams.get("year");
  const last = await prisma.holiday.findFirst({ orderBy: { date: "desc" }, select: { date: true } });
  const lastYear = last ? last.date.getUTCFullYear() : null;
  const parsed = raw === null ? { success: true as const, data: lastYear ?? new Date().getUTCFullYear() } : ZYear.safeParse(raw);
  if (!parsed.success) throw data({ reason: "bad-year" }, { status: 400 });
  const year = parsed.data;
  const rows = await prisma.holiday.findMany({
    where: { date: { gte: new Date(`${year}-01-01T00:00:00Z`), lte: new Date(`${year}-12-31T00:00:00Z`) } },
    orderBy: { date: "asc" },
  });
  return {
    year,
    lastYear,
    rows: rows.map((r) => ({ date: r.date.toISOString().slice(0, 10), weekday: r.date.getUTCDay(), kind: r.kind, nameZh: r.nameZh, nameEn: r.nameEn })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["WINDOW"]);
  const intent = new URL(request.url).searchParams.get("intent");
  if (intent === "remove") {
    const parsed = await parseForm(request, ZHolidayDate);
    if (!parsed.ok) return parsed.response;
    await removeHoliday(user, parsed.data.date);
    return { done: "calendar.removed", date: parsed.data.date };
  }
  const parsed = await parseForm(request, ZHoliday);
  if (!parsed.ok) return parsed.response;
  await saveHoliday(user, parsed.data);
  return { done: "calendar.saved", date: parsed.data.date };
}

export default function HolidayCalendarPage() {
  const { t, i18n } = useTranslation();
  const { year, lastYear, rows } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, errors, onSubmit } = useValidatedForm(ZHoliday, { defaultValues: { kind: "REST" } });
  const en = i18n.language === "en";
  return (
    <>
      <h1>{t("calendar.title")}</h1>
      <p className="lead">{t("calendar.intro")}</p>
      {lastYear ? <Notice>{t("calendar.lastPublished", { year: lastYear })}</Notice> : null}
      {actionData && "done" in actionData ? <Notice tone="success">{t(actionData.done, { date: actionData.date })}</Notice> : null}
      <Form method="get" className="filters panel">
        <div className="field">
          <label htmlFor="year">{t("calendar.year")}</label>
          <input id="year" name="year" type="number" min={2000} max={2100} defaultValue={year} />
        </div>
        <button type="submit" className="button button--secondary">
          {t("calendar.show")}
        </button>
      </Form>
      <div className="panel table-wrap">
        {rows.length === 0 ? (
          <p>{t("calendar.empty")}</p>
        ) : (
          <table className="data">
            <caption>{year}</caption>
            <thead>
              <tr>
                <th scope="col">{t("calendar.date")}</th>
                <th scope="col">{t("calendar.weekday")}</th>
                <th scope="col">{t("calendar.kind")}</th>
                <th scope="col">{en ? t("calendar.nameEn") : t("calendar.nameZh")}</th>
                <th scope="col">{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.date}>
                  <td>
                    <code>{r.date}</code>
                  </td>
                  <td>{t(`calendar.weekdays.${r.weekday}`)}</td>
                  <td>
                    <span className={`badge badge--${r.kind === "REST" ? "green" : "amber"}`}>{t(`calendar.kinds.${r.kind}`)}</span>
                  </td>
                  <td>{en ? r.nameEn : r.nameZh}</td>
                  <td>
                    <Form method="post" action="?intent=remove">
                      <input type="hidden" name="date" value={r.date} />
                      <button type="submit" className="link-button" aria-label={`${t("calendar.remove")} ${r.date}`}>
                        {t("calendar.remove")}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <section className="panel" aria-labelledby="add-title">
        <h2 id="add-title">{t("calendar.add")}</h2>
        <p className="lead">{t("calendar.addIntro")}</p>
        <ErrorSummary errors={errors} labels={{ date: t("calendar.date"), kind: t("calendar.kind"), nameZh: t("calendar.nameZh"), nameEn: t("calendar.nameEn") }} />
        <Form method="post" noValidate onSubmit={onSubmit}>
          <div className="form-grid">
            <TextField label={t("calendar.date")} type="date" required registration={register("date")} error={errors.date} />
            <SelectField label={t("calendar.kind")} required registration={register("kind")} error={errors.kind}>
              <option value="REST">{t("calendar.kinds.REST")}</option>
              <option value="WORK">{t("calendar.kinds.WORK")}</option>
            </SelectField>
            <TextField label={t("calendar.nameZh")} required registration={register("nameZh")} error={errors.nameZh} />
            <TextField label={t("calendar.nameEn")} required registration={register("nameEn")} error={errors.nameEn} />
          </div>
          <button type="submit" className="button">
            {t("common.save")}
          </button>
        </Form>
      </section>
    </>
  );
}
