import { transaction } from "#app/.server/audit.ts";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "#app/.server/auth.ts";
import { prisma, type DossierStatus } from "#app/.server/db.ts";
import { formFailure, zodFieldErrors } from "#app/.server/forms.ts";
import { publishEmails } from "#app/.server/queue.ts";
import { TextField, SelectField, Notice } from "#app/components/forms/fields.tsx";
import { EmptyHome } from "#app/components/page-parts.tsx";
import { reassignAdvisor } from "#app/modules/dossier/assign-advisor.server.ts";
import { CATALOGUE_CODES, isCatalogueCode } from "#app/modules/dossier/catalogue-codes.ts";
import { ZReassign } from "#app/modules/dossier/dossier.schema.ts";
import { ConflictError } from "#app/modules/dossier/errors.ts";
import { requireDossier } from "#app/modules/dossier/load-dossier.server.ts";
import { withDossierErrors } from "#app/modules/dossier/route-errors.server.ts";
import { OPEN_STATUSES } from "#app/modules/dossier/transitions.ts";
import { formatDateTime } from "#app/utils/format.ts";

const ROLES = ["WINDOW", "ADMIN"] as const;
const CLOSED: DossierStatus[] = ["WITHDRAWN", "TERMINATED", "APPROVED", "REJECTED", "NOT_ACCEPTED"];
const ZAssign = z.intersection(z.object({ dossierId: z.uuid() }), ZReassign);

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ROLES);
  const [dossiers, advisors] = await Promise.all([
    prisma.dossier.findMany({
      where: { advisorId: null, status: { notIn: CLOSED } },
      orderBy: { createdAt: "asc" },
      select: { id: true, number: true, productName: true, catalogueCode: true, status: true, createdAt: true, company: { select: { name: true } } },
    }),
    prisma.user.findMany({
      where: { role: "ADVISOR", active: true, advisorProfile: { isNot: null } },
      orderBy: { name: "asc" },
      select: { id: true, name: true, advisorProfile: { select: { specialties: true, capacity: true } } },
    }),
  ]);
  const loads = advisors.length
    ? await prisma.dossier.groupBy({
        by: ["advisorId"],
        where: { advisorId: { in: advisors.map((a) => a.id) }, status: { in: [...OPEN_STATUSES] } },
        _count: { _all: true },
      })
    : [];
  const load = new Map(loads.map((l) => [l.advisorId, l._count._all]));
  return {
    dossiers: dossiers.map((d) => ({ ...d, company: d.company.name })),
    advisors: advisors.map((a) => ({
      id: a.id,
      name: a.name,
      specialties: a.advisorProfile!.specialties,
      capacity: a.advisorProfile!.capacity,
      load: load.get(a.id) ?? 0,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ROLES);
  const formData = await request.formData();
  const parsed = ZAssign.safeParse(Object.fromEntries([...formData.entries()].filter(([, v]) => typeof v === "string")));
  if (!parsed.success) {
    if (!z.uuid().safeParse(formData.get("dossierId")).success) throw data({ reason: "bad-dossier" }, { status: 400 });
    return formFailure(formData, zodFieldErrors(parsed.error));
  }
  const { dossierId, advisorId, reason } = parsed.data;
  const dossier = await requireDossier(user, request, dossierId);
  const result = await withDossierErrors(formData, () =>
    transaction(async (tx) => {
      // The row is locked and read again: someone else may have assigned it since the list was loaded.
      await tx.$queryRaw`SELECT id FROM dossier WHERE id = ${dossier.id}::uuid FOR UPDATE`;
      const fresh = await tx.dossier.findUniqueOrThrow({ where: { id: dossier.id } });
      if (fresh.advisorId !== null || CLOSED.includes(fresh.status)) throw new ConflictError();
      return reassignAdvisor(tx, fresh, advisorId, reason, user);
    }),
  );
  if (!result.ok) return result.response;
  await publishEmails(result.value);
  return { assigned: dossier.number };
}

interface ActionResult {
  assigned?: string;
  errors?: Record<string, string[]>;
  values?: Record<string, string>;
}

export default function UnassignedPage() {
  const { t, i18n } = useTranslation();
  const { dossiers, advisors } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionResult>();
  const busy = useNavigation().state !== "idle";
  const en = i18n.language === "en";
  const codeName = (code: string) => (isCatalogueCode(code) ? (en ? CATALOGUE_CODES[code].en : CATALOGUE_CODES[code].zh) : "");

  const assignedNotice = actionData?.assigned ? <Notice tone="success">{t("review.unassigned.assigned", { number: actionData.assigned })}</Notice> : null;
  if (dossiers.length === 0) {
    return (
      <>
        {assignedNotice}
        <EmptyHome title={t("review.unassigned.title")} lead={t("review.unassigned.intro")} emptyTitle={t("review.unassigned.emptyTitle")} emptyText={t("review.unassigned.emptyText")} />
      </>
    );
  }
  return (
    <>
      <div className="page-head">
        <h1>{t("review.unassigned.title")}</h1>
      </div>
      <p className="lead">{t("review.unassigned.intro")}</p>
      {assignedNotice}
      {advisors.length === 0 ? <Notice tone="warning">{t("review.unassigned.noAdvisors")}</Notice> : null}
      <div className="panel table-wrap">
        <table className="data" data-testid="unassigned">
          <caption className="visually-hidden">{t("review.unassigned.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("review.unassigned.number")}</th>
              <th scope="col">{t("review.unassigned.company")}</th>
              <th scope="col">{t("review.unassigned.product")}</th>
              <th scope="col">{t("review.unassigned.code")}</th>
              <th scope="col">{t("review.unassigned.created")}</th>
              <th scope="col">{t("review.unassigned.assign")}</th>
            </tr>
          </thead>
          <tbody>
            {dossiers.map((d) => {
              const mine = actionData?.values?.dossierId === d.id;
              const errors = mine ? actionData?.errors ?? {} : {};
              const values = mine ? actionData?.values ?? {} : {};
              return (
                <tr key={d.id}>
                  <td>
                    <Link to={`/dossiers/${d.id}`}>{d.number}</Link>
                    <div className="field__hint">{t(`dossierStatus.${d.status}`)}</div>
                  </td>
                  <td>{d.company}</td>
                  <td>{d.productName}</td>
                  <td>
                    <code>{d.catalogueCode}</code> <span className="field__hint">{codeName(d.catalogueCode)}</span>
                  </td>
                  <td>{formatDateTime(d.createdAt, i18n.language)}</td>
                  <td>
                    {errors.form?.[0] ? (
                      <p className="field__error" role="alert">
                        {t(errors.form[0])}
                      </p>
                    ) : null}
                    <Form method="post" className="assign-form" noValidate aria-label={t("review.unassigned.assignFor", { number: d.number })}>
                      <input type="hidden" name="dossierId" value={d.id} />
                      <SelectField label={t("review.unassigned.advisor")} name="advisorId" required defaultValue={values.advisorId ?? ""} error={errors.advisorId?.[0]}>
                        <option value="">{t("review.unassigned.chooseAdvisor")}</option>
                        {advisors.map((a) => {
                          const covers = a.specialties.includes(d.catalogueCode);
                          return (
                            <option key={a.id} value={a.id}>
                              {t("review.unassigned.advisorOption", {
                                name: a.name,
                                load: `${a.load}/${a.capacity}`,
                                covers: t(covers ? "review.unassigned.covers" : "review.unassigned.notCovers", { code: d.catalogueCode }),
                              })}
                            </option>
                          );
                        })}
                      </SelectField>
                      <TextField label={t("review.unassigned.reason")} name="reason" required maxLength={500} defaultValue={values.reason ?? ""} error={errors.reason?.[0]} />
                      <button type="submit" className="button" disabled={busy}>
                        {t("review.unassigned.submit")}
                      </button>
                    </Form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
