import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { notFoundInScope, requireRole } from "#app/.server/auth.ts";
import { prisma } from "#app/.server/db.ts";
import { Notice } from "#app/components/forms/fields.tsx";
import { UserStatus } from "#app/components/user-status.tsx";
import { resendInvite } from "#app/modules/auth/invite-user.server.ts";
import { setUserActive, unlockUser } from "#app/modules/auth/manage-user.server.ts";
import { formatDateTime, maskPhone } from "#app/utils/format.ts";

const ZUserId = z.uuid();
const ZIntent = z.enum(["unlock", "deactivate", "activate", "resend-invite"]);

async function loadUser(userId: string | undefined) {
  const id = ZUserId.safeParse(userId);
  if (!id.success) return null;
  return prisma.user.findUnique({ where: { id: id.data }, include: { company: { select: { name: true, uscc: true } } } });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireRole(request, ["ADMIN"]);
  const user = await loadUser(params.userId);
  if (!user) return notFoundInScope(admin, request, "user", String(params.userId));
  const { passwordHash, phone, ...rest } = user;
  return { user: { ...rest, phone: maskPhone(phone), invited: !passwordHash }, self: admin.id === user.id };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, ["ADMIN"]);
  const user = await loadUser(params.userId);
  if (!user) return notFoundInScope(admin, request, "user", String(params.userId));
  const intent = ZIntent.safeParse((await request.formData()).get("intent"));
  if (!intent.success) throw data({ reason: "bad-intent" }, { status: 400 });
  switch (intent.data) {
    case "unlock":
      await unlockUser(admin, user.id);
      return { done: "admin.unlocked" };
    case "deactivate":
      return (await setUserActive(admin, user.id, false)) ? { done: "admin.deactivated" } : data({ done: null }, { status: 400 });
    case "activate":
      await setUserActive(admin, user.id, true);
      return { done: "admin.activated" };
    case "resend-invite":
      return (await resendInvite(admin, user.id)) ? { done: "admin.inviteResent" } : data({ done: null }, { status: 400 });
  }
}

export default function AdminUser() {
  const { t, i18n } = useTranslation();
  const { user, self } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const locked = user.lockedUntil && new Date(user.lockedUntil) > new Date();
  return (
    <>
      <p>
        <Link to="/admin">← {t("admin.title")}</Link>
      </p>
      <h1>
        {t("admin.userDetail")}：{user.name}
      </h1>
      {params.has("created") ? <Notice tone="success">{t("admin.created", { email: user.email })}</Notice> : null}
      {actionData?.done ? <Notice tone="success">{t(actionData.done)}</Notice> : null}
      <section className="panel">
        <dl className="facts">
          <dt>{t("admin.email")}</dt>
          <dd>{user.email}</dd>
          <dt>{t("admin.role")}</dt>
          <dd>{t(`roles.${user.role}`)}</dd>
          {user.company ? (
            <>
              <dt>{t("admin.company")}</dt>
              <dd>
                {user.company.name} （<code>{user.company.uscc}</code>）
              </dd>
            </>
          ) : null}
          {user.phone ? (
            <>
              <dt>{t("company.phone")}</dt>
              <dd>{user.phone}</dd>
            </>
          ) : null}
          <dt>{t("admin.status")}</dt>
          <dd>
            <UserStatus user={user} />
            {locked ? ` ${t("admin.lockedUntil", { time: formatDateTime(user.lockedUntil, i18n.language) })}` : null}
          </dd>
          <dt>{t("admin.failedLogins")}</dt>
          <dd>{user.failedLogins}</dd>
          <dt>{t("admin.lastLogin")}</dt>
          <dd>{user.lastLoginAt ? formatDateTime(user.lastLoginAt, i18n.language) : t("admin.never")}</dd>
          <dt>{t("admin.createdAt")}</dt>
          <dd>{formatDateTime(user.createdAt, i18n.language)}</dd>
        </dl>
      </section>
      <Form method="post" className="form-actions">
        {locked ? (
          <button type="submit" name="intent" value="unlock" className="button">
            {t("admin.unlock")}
          </button>
        ) : null}
        {user.invited && user.active ? (
          <button type="submit" name="intent" value="resend-invite" className="button button--secondary">
            {t("admin.resendInvite")}
          </button>
        ) : null}
        {!self && user.active ? (
          <button type="submit" name="intent" value="deactivate" className="button button--danger">
            {t("admin.deactivate")}
          </button>
        ) : null}
        {!user.active ? (
          <button type="submit" name="intent" value="activate" className="button button--secondary">
            {t("admin.activate")}
          </button>
        ) : null}
      </Form>
    </>
  );
}
