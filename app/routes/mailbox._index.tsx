import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import { prisma } from "#app/.server/db.ts";
import { env } from "#app/.server/env.ts";
import { Notice } from "#app/components/forms/fields.tsx";
import { formatDateTime } from "#app/utils/format.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["WINDOW", "ADMIN"]);
  if (!env().DEV_MAILBOX) return { enabled: false, messages: [] };
  const messages = await prisma.devMailMessage.findMany({
    orderBy: { receivedAt: "desc" },
    take: 200,
    select: { id: true, toAddrs: true, fromAddr: true, subject: true, receivedAt: true },
  });
  return { enabled: true, messages };
}

export default function Mailbox() {
  const { t, i18n } = useTranslation();
  const { enabled, messages } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("mailbox.title")}</h1>
      <p className="lead">{t("mailbox.intro")}</p>
      {!enabled ? (
        <Notice>{t("mailbox.disabled")}</Notice>
      ) : messages.length === 0 ? (
        <p className="panel">{t("mailbox.empty")}</p>
      ) : (
        <div className="panel table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("mailbox.received")}</th>
                <th scope="col">{t("mailbox.to")}</th>
                <th scope="col">{t("mailbox.subject")}</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td>{formatDateTime(m.receivedAt, i18n.language)}</td>
                  <td>{m.toAddrs.join(", ")}</td>
                  <td>
                    <Link to={`/mailbox/${m.id}`}>{m.subject}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
