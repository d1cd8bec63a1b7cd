import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { verifyAuditChain } from "#app/.server/audit.ts";
import { requireRole } from "#app/.server/auth.ts";
import { prisma, type Prisma } from "#app/.server/db.ts";
import { Notice } from "#app/components/forms/fields.tsx";
import { NextPageLink } from "#app/components/page-parts.tsx";
import { formatDateTime } from "#app/utils/format.ts";

const PAGE_SIZE = 50;
const OUTCOMES = ["SUCCESS", "FAILURE", "DENIED"] as const;
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

// Every filter from an allow-list (QUALITY S16); unknown values are a 400.
const ZFilters = z.object({
  action: z.string().trim().max(60).regex(/^[a-z.-]*$/).optional(),
  actor: z.string().trim().max(254).optional(),
  outcome: z.enum(OUTCOMES).or(z.literal("")).optional(),
  from: date.or(z.literal("")).optional(),
  to: date.or(z.literal("")).optional(),
  // An audit row id: a bigint, so at most 2^63 − 1.
  before: z.string().regex(/^\d{1,19}$/).refine((v) => !/^\d+$/.test(v) || BigInt(v) <= 9_223_372_036_854_775_807n).optional(),
  verify: z.literal("1").optional(),
});

/** The day's start in Asia/Shanghai (UTC+8, no daylight saving) as a UTC instant. */
const shanghaiDayStart = (d: string) => new Date(`${d}T00:00:00+08:00`);

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["AUDITOR"]);
  const parsed = ZFilters.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response("Bad filter", { status: 400 });
  const f = parsed.data;
  const at: Prisma.DateTimeFilter = {};
  if (f.from) at.gte = shanghaiDayStart(f.from);
  if (f.to) at.lt = new Date(shanghaiDayStart(f.to).getTime() + 86_400_000);
  const where: Prisma.AuditEventWhereInput = {
    ...(f.action ? { action: { startsWith: f.action } } : {}),
    ...(f.actor ? { actorEmail: { contains: f.actor.toLowerCase() } } : {}),
    ...(f.outcome ? { outcome: f.outcome } : {}),
    ...(f.from || f.to ? { at } : {}),
    ...(f.before ? { id: { lt: BigInt(f.before) } } : {}),
  };
  const rows = await prisma.auditEvent.findMany({ where, orderBy: { id: "desc" }, take: PAGE_SIZE + 1 });
  const chain = f.verify ? await verifyAuditChain() : null;
  const page = rows.slice(0, PAGE_SIZE).map((r) => ({ ...r, id: r.id.toString(), details: JSON.stringify(r.details) }));
  return {
    events: page,
    nextBefore: rows.length > PAGE_SIZE ? page[page.length - 1]!.id : null,
    filters: { action: f.action ?? "", actor: f.actor ?? "", outcome: f.outcome ?? "", from: f.from ?? "", to: f.to ?? "" },
    chain,
  };
}

export default function AuditLog() {
  const { t, i18n } = useTranslation();
  const { events, nextBefore, filters, chain } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const pageParams = new URLSearchParams(params);
  pageParams.delete("verify");
  const verifyParams = new URLSearchParams(params);
  verifyParams.set("verify", "1");
  return (
    <>
      <div className="page-head">
        <h1>{t("audit.title")}</h1>
        <Link className="button button--secondary" to={`?${verifyParams.toString()}`}>
          {t("audit.verify")}
        </Link>
      </div>
      <p className="lead">{t("audit.intro")}</p>
      {chain ? (
        chain.ok ? (
          <Notice tone="success">{t("audit.chainOk", { count: chain.checked })}</Notice>
        ) : (
          <Notice tone="warning">{t("audit.chainBroken", { id: chain.brokenId, reason: chain.reason })}</Notice>
        )
      ) : null}
      <Form method="get" className="filters panel" role="search">
        <div className="field">
          <label htmlFor="f-action">{t("audit.action")}</label>
          <input id="f-action" name="action" defaultValue={filters.action} placeholder="auth.signin" />
        </div>
        <div className="field">
          <label htmlFor="f-actor">{t("audit.actor")}</label>
          <input id="f-actor" name="actor" defaultValue={filters.actor} />
        </div>
        <div className="field">
          <label htmlFor="f-outcome">{t("audit.outcome")}</label>
          <select id="f-outcome" name="outcome" defaultValue={filters.outcome}>
            <option value="">{t("common.all")}</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`audit.outcomes.${o}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-from">{t("audit.from")}</label>
          <input id="f-from" type="date" name="from" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor="f-to">{t("audit.to")}</label>
          <input id="f-to" type="date" name="to" defaultValue={filters.to} />
        </div>
        <button type="submit" className="button button--secondary">
          {t("common.filter")}
        </button>
      </Form>
      <div className="panel table-wrap">
        {events.length === 0 ? (
          <p>{t("audit.empty")}</p>
        ) : (
          <table className="data" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t("audit.time")}</th>
                <th scope="col">{t("audit.actor")}</th>
                <th scope="col">{t("audit.ip")}</th>
                <th scope="col">{t("audit.action")}</th>
                <th scope="col">{t("audit.object")}</th>
                <th scope="col">{t("audit.outcome")}</th>
                <th scope="col">{t("audit.details")}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>{e.id}</td>
                  <td>{formatDateTime(e.at, i18n.language)}</td>
                  <td>
                    {e.actorEmail ?? ""}
                    {e.actorRole ? <div className="field__hint">{t(`roles.${e.actorRole}`)}</div> : null}
                  </td>
                  <td>{e.ip ?? ""}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.objectType ? `${e.objectType}:${e.objectId ?? ""}` : ""}</td>
                  <td>
                    <span className={`badge badge--${e.outcome === "SUCCESS" ? "green" : e.outcome === "DENIED" ? "red" : "amber"}`}>
                      {t(`audit.outcomes.${e.outcome}`)}
                    </span>
                  </td>
                  <td>
                    <code className="pre-wrap">{e.details === "{}" ? "" : e.details}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <NextPageLink params={pageParams} cursorName="before" cursor={nextBefore} />
      </div>
    </>
  );
}
