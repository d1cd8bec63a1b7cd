import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "#app/.server/auth.ts";
import { audit, transaction } from "#app/.server/audit.ts";
import { prisma } from "#app/.server/db.ts";
import { Notice } from "#app/components/forms/fields.tsx";
import { translateParams } from "#app/i18n/i18n.ts";
import { formatDateTime } from "#app/utils/format.ts";

const ALL: ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN", "AUDITOR"] = ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN", "AUDITOR"];
const LIMIT = 200;

const ZNotificationAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("read-all") }),
  z.object({ intent: z.literal("open"), id: z.uuid() }),
]);

/** Only paths inside the portal: a stored link can never send the reader elsewhere. */
const safeLink = (link: string | null) => (link && link.startsWith("/") && !link.startsWith("//") && !link.includes("\\") ? link : null);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ALL);
  const rows = await prisma.notification.findMany({
    where: { userId: user.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: LIMIT,
    select: { id: true, kind: true, params: true, link: true, readAt: true, createdAt: true },
  });
  return {
    notifications: rows.map((n) => ({ ...n, params: (n.params ?? {}) as Record<string, string>, link: safeLink(n.link), unread: n.readAt === null })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ALL);
  const parsed = ZNotificationAction.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw data({ reason: "bad-intent" }, { status: 400 });
  // Every mutation leaves an audit row, marking one's own notifications read included.
  if (parsed.data.intent === "read-all") {
    await transaction(async (tx) => {
      const { count } = await tx.notification.updateMany({ where: { userId: user.id, readAt: null }, data: { readAt: new Date() } });
      await audit({ actor: user, action: "notification.read-all", objectType: "user", objectId: user.id, details: { count } }, tx);
    });
    return { done: "dossierUi.notifications.allRead" };
  }
  // Scoped to the reader: another user's notification id is simply not found.
  const row = await prisma.notification.findFirst({ where: { id: parsed.data.id, userId: user.id }, select: { id: true, link: true, readAt: true } });
  if (!row) throw data({ reason: "not-found" }, { status: 404 });
  if (!row.readAt) {
    await transaction(async (tx) => {
      await tx.notification.update({ where: { id: row.id }, data: { readAt: new Date() } });
      await audit({ actor: user, action: "notification.read", objectType: "notification", objectId: row.id }, tx);
    });
  }
  return redirect(safeLink(row.link) ?? "/notifications");
}

export default function Notifications() {
  const { t, i18n } = useTranslation();
  const { notifications } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const unread = notifications.filter((n) => n.unread).length;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t("dossierUi.notifications.title")}</h1>
          <p className="lead">{unread > 0 ? t("dossierUi.notifications.unreadCount", { count: unread }) : t("dossierUi.notifications.allReadLead")}</p>
        </div>
        {unread > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="read-all" />
            <button type="submit" className="button button--secondary" disabled={busy}>
              {t("dossierUi.notifications.markAllRead")}
            </button>
          </Form>
        ) : null}
      </div>
      {actionData?.done ? <Notice tone="success">{t(actionData.done)}</Notice> : null}
      {notifications.length === 0 ? (
        <section className="panel empty-state" aria-labelledby="notifications-empty">
          <h2 id="notifications-empty">{t("dossierUi.notifications.emptyTitle")}</h2>
          <p>{t("dossierUi.notifications.emptyText")}</p>
        </section>
      ) : (
        <ul className="notification-list panel">
          {notifications.map((n) => {
            const params = translateParams(t, n.params, i18n.language);
            return (
              <li key={n.id} className={`notification${n.unread ? " notification--unread" : ""}`}>
                <div className="notification__head">
                  {n.unread ? <span className="badge badge--blue">{t("dossierUi.notifications.unread")}</span> : <span className="badge badge--grey">{t("dossierUi.notifications.read")}</span>}{" "}
                  <strong className="notification__title">{t(`notify.${n.kind}.title`, params)}</strong>
                  <time className="muted" dateTime={new Date(n.createdAt).toISOString()}>
                    {formatDateTime(n.createdAt, i18n.language)}
                  </time>
                </div>
                <p className="notification__text">{t(`notify.${n.kind}.text`, params)}</p>
                {n.link ? (
                  <Form method="post" className="notification__open">
                    <input type="hidden" name="intent" value="open" />
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit" className="link-button">
                      {t("dossierUi.notifications.open")}
                      <span className="visually-hidden">{t("dossierUi.colon")}{t(`notify.${n.kind}.title`, params)}</span>
                    </button>
                  </Form>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
