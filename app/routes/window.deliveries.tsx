import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "#app/.server/auth.ts";
import { parseForm } from "#app/.server/forms.ts";
import { Notice } from "#app/components/forms/fields.tsx";
import { deliveryProblems, retryEmail } from "#app/modules/delivery/deliveries.server.ts";
import { withDossierErrors } from "#app/modules/dossier/route-errors.server.ts";
import { formatDateTime } from "#app/utils/format.ts";

const ZRetry = z.object({ emailId: z.uuid() });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["WINDOW"]);
  return deliveryProblems();
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["WINDOW"]);
  const parsed = await parseForm(request, ZRetry);
  if (!parsed.ok) return parsed.response;
  const result = await withDossierErrors(parsed.formData, () => retryEmail(user, parsed.data.emailId));
  if (!result.ok) return result.response;
  return { retried: true as const };
}

/** 投递异常: emails that failed after every attempt, and reminders that keep failing — with the error, and a retry for emails. */
export default function DeliveriesPage() {
  const { t, i18n } = useTranslation();
  const { emails, reminders } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const lang = i18n.language;
  const formError = actionData && "errors" in actionData ? (actionData.errors as Record<string, string[] | undefined>).form?.[0] : undefined;
  return (
    <>
      <div className="page-head">
        <h1>{t("deliveries.title")}</h1>
        <p className="lead">{t("deliveries.intro")}</p>
      </div>
      {actionData && "retried" in actionData ? <Notice tone="success">{t("deliveries.retried")}</Notice> : null}
      {formError ? <Notice tone="warning">{t(formError)}</Notice> : null}
      <section className="panel table-wrap" aria-labelledby="failed-emails">
        <h2 id="failed-emails">{t("deliveries.emails", { count: emails.length })}</h2>
        {emails.length === 0 ? (
          <p>{t("deliveries.noEmails")}</p>
        ) : (
          <table className="data data--wrap">
            <thead>
              <tr>
                <th scope="col">{t("deliveries.createdAt")}</th>
                <th scope="col">{t("deliveries.to")}</th>
                <th scope="col">{t("deliveries.template")}</th>
                <th scope="col">{t("deliveries.attempts")}</th>
                <th scope="col">{t("deliveries.error")}</th>
                <th scope="col">{t("deliveries.action")}</th>
              </tr>
            </thead>
            <tbody>
              {emails.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.createdAt, lang)}</td>
                  <td>{e.toAddress}</td>
                  <td>{e.template}</td>
                  <td>{e.attempts}</td>
                  <td>
                    <code>{e.lastError}</code>
                  </td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="emailId" value={e.id} />
                      <button type="submit" className="button button--secondary" disabled={busy}>
                        {t("deliveries.retry")}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel table-wrap" aria-labelledby="failing-reminders">
        <h2 id="failing-reminders">{t("deliveries.reminders", { count: reminders.length })}</h2>
        {reminders.length === 0 ? (
          <p>{t("deliveries.noReminders")}</p>
        ) : (
          <table className="data data--wrap">
            <thead>
              <tr>
                <th scope="col">{t("deliveries.fireAt")}</th>
                <th scope="col">{t("deliveries.kind")}</th>
                <th scope="col">{t("deliveries.attempts")}</th>
                <th scope="col">{t("deliveries.error")}</th>
              </tr>
            </thead>
            <tbody>
              {reminders.map((r) => (
                <tr key={r.id}>
                  <td>{formatDateTime(r.fireAt, lang)}</td>
                  <td>{r.kind}</td>
                  <td>{r.attempts}</td>
                  <td>
                    <code>{r.lastError}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
