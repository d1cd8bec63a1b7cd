import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import { now } from "#app/.server/clock.ts";
import { prisma } from "#app/.server/db.ts";
import { parseForm } from "#app/.server/forms.ts";
import { withFieldErrors } from "#app/.server/route-helpers.ts";
import { scopedUsers } from "#app/.server/scope.ts";
import { ErrorSummary, Notice, TextField } from "#app/components/forms/fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { ZInviteColleague } from "#app/modules/auth/auth.schema.ts";
import { inviteColleague } from "#app/modules/auth/invite-user.server.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { formatDateTime, formatDay, maskPhone } from "#app/utils/format.ts";
import { UserStatus } from "#app/components/user-status.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["APPLICANT"]);
  const company = await prisma.company.findUniqueOrThrow({ where: { id: user.companyId! }, select: { name: true, uscc: true } });
  const members = await prisma.user.findMany({
    where: scopedUsers(user),
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, email: true, phone: true, isCompanyAdmin: true, passwordHash: true, emailVerifiedAt: true, lockedUntil: true, active: true },
  });
  // The company's commitment record (承诺记录): broken deferral commitments and the bar each one sets.
  const breaches = await prisma.commitmentBreach.findMany({
    where: { companyId: user.companyId! },
    orderBy: { breachedAt: "desc" },
    select: {
      id: true,
      breachedAt: true,
      barUntil: true,
      deferral: { select: { item: { select: { code: true, titleZh: true, titleEn: true } }, dossier: { select: { id: true, number: true } } } },
    },
  });
  const at = now();
  return {
    company,
    breaches: breaches.map((b) => ({
      id: b.id,
      breachedAt: b.breachedAt,
      barUntil: shanghaiDate(b.barUntil),
      active: b.barUntil > at,
      dossierId: b.deferral.dossier.id,
      number: b.deferral.dossier.number,
      code: b.deferral.item.code,
      titleZh: b.deferral.item.titleZh,
      titleEn: b.deferral.item.titleEn,
    })),
    canInvite: user.isCompanyAdmin,
    members: members.map(({ passwordHash, phone, ...m }) => ({ ...m, phone: maskPhone(phone), invited: !passwordHash })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["APPLICANT"]);
  const parsed = await parseForm(request, ZInviteColleague);
  if (!parsed.ok) return parsed.response;
  const result = await withFieldErrors(parsed.formData, () => inviteColleague(user, parsed.data));
  if (!result.ok) return result.response;
  return { invited: result.value.email };
}

export default function CompanyPage() {
  const { t, i18n } = useTranslation();
  const { company, members, canInvite, breaches } = useLoaderData<typeof loader>();
  const en = i18n.language === "en";
  const actionData = useActionData<typeof action>();
  const { register, errors, onSubmit, serverErrors } = useValidatedForm(ZInviteColleague);
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <h1>{t("company.title")}</h1>
      <section className="panel">
        <dl className="facts">
          <dt>{t("register.companyName")}</dt>
          <dd>{company.name}</dd>
          <dt>{t("company.uscc")}</dt>
          <dd>
            <code>{company.uscc}</code>
          </dd>
        </dl>
      </section>
      <section className="panel table-wrap">
        <table className="data">
          <caption>{t("company.members")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("company.name")}</th>
              <th scope="col">{t("company.email")}</th>
              <th scope="col">{t("company.phone")}</th>
              <th scope="col">{t("company.status")}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id}>
                <td>
                  {m.name} {m.isCompanyAdmin ? <span className="badge badge--green">{t("company.admin")}</span> : null}
                </td>
                <td>{m.email}</td>
                <td>{m.phone}</td>
                <td>
                  <UserStatus user={m} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel table-wrap" id="commitment-record" aria-labelledby="commitment-record-title">
        <h2 id="commitment-record-title">{t("deferral.company.title")}</h2>
        <p className="lead">{t("deferral.company.intro")}</p>
        {breaches.length === 0 ? (
          <p data-testid="commitment-record-empty">
            <span className="badge badge--green">{t("deferral.company.none")}</span>
          </p>
        ) : (
          <table className="data data--wrap" data-testid="commitment-record">
            <caption className="visually-hidden">{t("deferral.company.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("deferral.company.dossier")}</th>
                <th scope="col">{t("deferral.company.item")}</th>
                <th scope="col">{t("deferral.company.breachedAt")}</th>
                <th scope="col">{t("deferral.company.barUntil")}</th>
                <th scope="col">{t("deferral.company.status")}</th>
              </tr>
            </thead>
            <tbody>
              {breaches.map((b) => (
                <tr key={b.id}>
                  <th scope="row">
                    <Link to={`/dossiers/${b.dossierId}/deferrals`} className="dossier-number">
                      {b.number}
                    </Link>
                  </th>
                  <td>
                    <code>{b.code}</code> {en ? b.titleEn : b.titleZh}
                  </td>
                  <td>{formatDateTime(b.breachedAt, i18n.language)}</td>
                  <td>
                    <time dateTime={b.barUntil}>{formatDay(b.barUntil, i18n.language)}</time>
                  </td>
                  <td>
                    <span className={`badge badge--${b.active ? "red" : "grey"}`}>{t(b.active ? "deferral.lists.barActive" : "deferral.lists.barEnded")}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="invite-title">
        <h2 id="invite-title">{t("company.inviteTitle")}</h2>
        {canInvite ? (
          <>
            <p className="lead">{t("company.inviteIntro")}</p>
            {actionData && "invited" in actionData ? <Notice tone="success">{t("company.invited", { email: actionData.invited })}</Notice> : null}
            {serverErrors?.form ? <Notice tone="warning">{t(serverErrors.form[0]!)}</Notice> : null}
            <ErrorSummary errors={errors} labels={{ name: t("company.name"), email: t("company.email"), phone: t("company.phone") }} />
            <Form method="post" noValidate onSubmit={onSubmit}>
              <div className="form-grid">
                <TextField label={t("company.name")} required registration={register("name")} error={errors.name} />
                <TextField label={t("company.email")} type="email" required registration={register("email")} error={errors.email} />
                <TextField label={t("company.phone")} type="tel" registration={register("phone")} error={errors.phone} />
              </div>
              <button type="submit" className="button" disabled={busy}>
                {t("company.inviteSubmit")}
              </button>
            </Form>
          </>
        ) : (
          <p>{t("company.onlyAdmin")}</p>
        )}
      </section>
    </>
  );
}
