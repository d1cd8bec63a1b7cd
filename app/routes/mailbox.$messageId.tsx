import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { notFoundInScope, requireRole } from "#app/.server/auth.ts";
import { prisma } from "#app/.server/db.ts";
import { env } from "#app/.server/env.ts";
import { formatDateTime } from "#app/utils/format.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["WINDOW", "ADMIN"]);
  const id = z.uuid().safeParse(params.messageId);
  const message = env().DEV_MAILBOX && id.success ? await prisma.devMailMessage.findUnique({ where: { id: id.data } }) : null;
  if (!message) return notFoundInScope(user, request, "dev-mail", String(params.messageId));
  return { message: { ...message, html: undefined } };
}

/** Plain text with its links made clickable; the HTML part is never rendered into the portal's page. */
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"')\]]+)/g);
  return (
    <>
      {parts.map((part, i) =>
        /^https?:\/\//.test(part) ? (
          <a key={i} href={part}>
            {part}
          </a>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}

export default function MailMessage() {
  const { t, i18n } = useTranslation();
  const { message } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/mailbox">← {t("mailbox.title")}</Link>
      </p>
      <h1>{message.subject}</h1>
      <section className="panel">
        <dl className="facts">
          <dt>{t("mailbox.from")}</dt>
          <dd>{message.fromAddr}</dd>
          <dt>{t("mailbox.to")}</dt>
          <dd>{message.toAddrs.join(", ")}</dd>
          <dt>{t("mailbox.received")}</dt>
          <dd>{formatDateTime(message.receivedAt, i18n.language)}</dd>
        </dl>
      </section>
      <div className="mail-body" data-testid="mail-body">
        <Linkified text={message.text ?? ""} />
      </div>
    </>
  );
}
