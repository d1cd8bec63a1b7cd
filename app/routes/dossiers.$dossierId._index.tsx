import { transaction } from "#app/.server/audit.ts";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { requireRole } from "#app/.server/auth.ts";
import { prisma, type Role } from "#app/.server/db.ts";
import { parseForm } from "#app/.server/forms.ts";
import { requestContext } from "#app/.server/logger.ts";
import { publishEmails } from "#app/.server/queue.ts";
import { DeferralStateBadge } from "#app/components/deferral/deferral-parts.tsx";
import { StatusBadge } from "#app/components/dossier/status-badge.tsx";
import { Notice } from "#app/components/forms/fields.tsx";
import { acceptDossier } from "#app/modules/deferral/accept-dossier.server.ts";
import { dateOnly, OPEN_DEFERRAL, type DeferralStateName } from "#app/modules/deferral/deferral-rules.ts";
import { reassignAdvisor } from "#app/modules/dossier/assign-advisor.server.ts";
import { CATALOGUE_CODES, isCatalogueCode } from "#app/modules/dossier/catalogue-codes.ts";
import { CHAPTERS } from "#app/modules/dossier/dossier-constants.ts";
import { ZMessage, ZReassign, ZSubmit, ZWithdraw } from "#app/modules/dossier/dossier.schema.ts";
import { dossierFacts } from "#app/modules/dossier/dossier-facts.ts";
import { requireDossier } from "#app/modules/dossier/load-dossier.server.ts";
import { postMessage } from "#app/modules/dossier/messages.server.ts";
import { requireIntent, withDossierErrors } from "#app/modules/dossier/route-errors.server.ts";
import { dossierBlockers, submitDossier } from "#app/modules/dossier/submit-dossier.server.ts";
import { canTransition, EDITABLE, PRE_DECISION } from "#app/modules/dossier/transitions.ts";
import { withdrawDossier } from "#app/modules/dossier/withdraw-dossier.server.ts";
import { formatDateTime, formatDay } from "#app/utils/format.ts";
import { ClockBadge } from "#app/components/clock/clock-badge.tsx";
import { now } from "#app/.server/clock.ts";
import { loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { storedClockOf } from "#app/modules/clock/clock.server.ts";
import { readStoredClock } from "#app/modules/clock/stage-clock.ts";

const VIEW_ROLES: readonly Role[] = ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"];
const STAFF: readonly Role[] = ["WINDOW", "ADMIN"];

/** Who may do what on this page; the action checks the same table before parsing. */
const INTENT_ROLES = {
  submit: ["APPLICANT"],
  withdraw: ["APPLICANT"],
  accept: ["WINDOW"],
  message: ["APPLICANT", "ADVISOR"],
  reassign: ["WINDOW", "ADMIN"],
} as const satisfies Record<string, readonly Role[]>;
type Intent = keyof typeof INTENT_ROLES;

/** The order deferral states are counted in on the summary. */
const DEFERRAL_STATES: readonly DeferralStateName[] = ["REQUESTED", "PENDING", "EXTENDED", "OVERDUE", "BREACHED", "FULFILLED", "VERIFIED", "REFUSED", "CANCELLED"];

const MESSAGE_LIMIT = 200;
const EVENT_LIMIT = 50;

async function userNames(ids: (string | null | undefined)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map<string, string>();
  const rows = await prisma.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, VIEW_ROLES);
  const d = await requireDossier(user, request, params.dossierId);
  const staff = STAFF.includes(user.role);
  const editable = EDITABLE.includes(d.status);
  const [company, advisor, items, openGaps, submissions, messages, events, blockers, advisors, assignments, deferrals, notice] = await Promise.all([
    prisma.company.findUniqueOrThrow({ where: { id: d.companyId }, select: { name: true } }),
    d.advisorId
      ? prisma.user.findUnique({ where: { id: d.advisorId }, select: { name: true, email: true, advisorProfile: { select: { phone: true, contactEmail: true } } } })
      : null,
    prisma.dossierItem.findMany({
      where: { dossierId: d.id },
      orderBy: { position: "asc" },
      select: {
        id: true, code: true, titleZh: true, titleEn: true, chapter: true, requirement: true, notApplicableReason: true, review: true,
        versions: { orderBy: { version: "desc" }, take: 1, select: { version: true } },
      },
    }),
    prisma.gap.findMany({ where: { dossierId: d.id, state: { not: "RESOLVED" } }, select: { itemId: true, severity: true } }),
    prisma.submission.findMany({ where: { dossierId: d.id }, orderBy: { sequence: "desc" }, select: { id: true, sequence: true, submittedAt: true } }),
    prisma.dossierMessage.findMany({
      where: { dossierId: d.id },
      orderBy: { createdAt: "desc" },
      take: MESSAGE_LIMIT,
      select: { id: true, body: true, createdAt: true, authorId: true, author: { select: { name: true, role: true } } },
    }),
    prisma.dossierEvent.findMany({ where: { dossierId: d.id }, orderBy: { at: "desc" }, take: EVENT_LIMIT }),
    editable ? dossierBlockers(d.id) : [],
    staff
      ? prisma.user.findMany({ where: { role: "ADVISOR", active: true, advisorProfile: { isNot: null } }, orderBy: { name: "asc" }, select: { id: true, name: true } })
      : [],
    staff ? prisma.advisorAssignment.findMany({ where: { dossierId: d.id }, orderBy: { at: "desc" } }) : [],
    prisma.deferral.findMany({
      where: { dossierId: d.id },
      orderBy: { item: { position: "asc" } },
      select: { id: true, state: true, itemId: true, dueDate: true, item: { select: { code: true, titleZh: true, titleEn: true } } },
    }),
    prisma.issuedLetter.findFirst({ where: { dossierId: d.id, kind: "DEFERRAL_NOTICE" }, orderBy: { sequence: "desc" }, select: { id: true } }),
  ]);
  const openDeferralByItem = new Map(deferrals.filter((r) => OPEN_DEFERRAL.includes(r.state)).map((r) => [r.itemId, r.state]));
  const requestedDeferrals = deferrals
    .filter((r) => r.state === "REQUESTED")
    .map((r) => ({ id: r.id, code: r.item.code, titleZh: r.item.titleZh, titleEn: r.item.titleEn, dueDate: dateOnly(r.dueDate) }));
  const names = await userNames([...events.map((e) => e.actorId), ...assignments.flatMap((a) => [a.advisorId, a.previousId, a.assignedById])]);
  const gapsByItem = new Map<string, { must: number; should: number }>();
  for (const g of openGaps) {
    const c = gapsByItem.get(g.itemId) ?? { must: 0, should: 0 };
    if (g.severity === "MUST") c.must += 1;
    else c.should += 1;
    gapsByItem.set(g.itemId, c);
  }
  const itemById = new Map(items.map((i) => [i.id, i]));
  const isApplicant = user.role === "APPLICANT";
  return {
    dossier: {
      ...dossierFacts(d),
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
      submittedAt: d.submittedAt,
      withdrawnAt: d.withdrawnAt,
      withdrawReason: d.withdrawReason,
      advisorId: d.advisorId,
      companyName: company.name,
    },
    advisor: advisor && {
      name: advisor.name,
      phone: advisor.advisorProfile?.phone ?? null,
      email: advisor.advisorProfile?.contactEmail ?? advisor.email,
    },
    items: items.map(({ versions, ...i }) => ({
      ...i,
      latestVersion: versions[0]?.version ?? null,
      gaps: gapsByItem.get(i.id) ?? { must: 0, should: 0 },
      deferralState: openDeferralByItem.get(i.id) ?? null,
    })),
    blockers: blockers.map((b) => {
      const item = itemById.get(b.itemId);
      return { ...b, titleZh: item?.titleZh ?? "", titleEn: item?.titleEn ?? "" };
    }),
    submissions,
    messages: messages.reverse().map(({ author, ...m }) => ({ ...m, authorName: author.name, authorRole: author.role, mine: m.authorId === user.id })),
    events: events.reverse().map((e) => ({ id: e.id, type: e.type, at: e.at, toStatus: e.toStatus, actor: e.actorId ? (names.get(e.actorId) ?? null) : null })),
    // Chapter names travel with the data: importing checklist.ts here would ship the table of contents and zod to the browser.
    chapters: Object.entries(CHAPTERS).map(([n, names]) => ({ n: Number(n), ...names })),
    advisors,
    assignments: assignments.map((a) => ({
      id: a.id,
      at: a.at,
      reason: a.reason,
      advisor: a.advisorId ? (names.get(a.advisorId) ?? null) : null,
      previous: a.previousId ? (names.get(a.previousId) ?? null) : null,
      by: a.assignedById ? (names.get(a.assignedById) ?? null) : null,
    })),
    clock: readStoredClock(await loadHolidayCalendar(), storedClockOf(d), shanghaiDate(now())),
    deferrals: {
      counts: DEFERRAL_STATES.map((state) => ({ state, count: deferrals.filter((r) => r.state === state).length })).filter((c) => c.count > 0),
      requested: requestedDeferrals,
      noticeId: notice?.id ?? null,
    },
    can: {
      submit: isApplicant && editable,
      accept: user.role === "WINDOW" && canTransition("accept", d.status, user.role),
      requestDeferral: isApplicant && editable,
      withdraw: isApplicant && PRE_DECISION.includes(d.status),
      edit: isApplicant && editable,
      post: isApplicant || (user.role === "ADVISOR" && d.advisorId === user.id),
      reassign: staff && PRE_DECISION.includes(d.status),
      seeAssignments: staff,
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, VIEW_ROLES);
  const dossier = await requireDossier(user, request, params.dossierId);
  const intent = await requireIntent(user, request, dossier.id, INTENT_ROLES);
  const here = `/dossiers/${dossier.id}`;

  switch (intent) {
    case "submit": {
      const parsed = await parseForm(request, ZSubmit);
      if (!parsed.ok) return parsed.response;
      // With deferrals the confirmed commitment letter records who, when and from where (the request's IP, as the audit log has it).
      const commitment = {
        confirmed: parsed.formData.get("commitmentConfirmed") === "yes",
        ip: requestContext.getStore()?.ip ?? null,
        userAgent: request.headers.get("user-agent"),
      };
      const result = await withDossierErrors(parsed.formData, () => submitDossier(user, dossier.id, parsed.data.version, { commitment }));
      if (!result.ok) return result.response;
      return redirect(`${here}/receipt/${result.value.id}?submitted=1`);
    }
    case "accept": {
      const parsed = await parseForm(request, ZSubmit);
      if (!parsed.ok) return parsed.response;
      const result = await withDossierErrors(parsed.formData, () => acceptDossier(user, dossier.id, parsed.data.version));
      if (!result.ok) return result.response;
      return redirect(`${here}?${result.value.noticeId ? "acceptedWithDeferral" : "accepted"}=1`);
    }
    case "withdraw": {
      const parsed = await parseForm(request, ZWithdraw);
      if (!parsed.ok) return parsed.response;
      const result = await withDossierErrors(parsed.formData, () => withdrawDossier(user, dossier.id, parsed.data.version, parsed.data.reason));
      if (!result.ok) return result.response;
      return redirect(`${here}?withdrawn=1`);
    }
    case "message": {
      const parsed = await parseForm(request, ZMessage);
      if (!parsed.ok) return parsed.response;
      const result = await withDossierErrors(parsed.formData, () => postMessage(user, dossier.id, parsed.data.body));
      if (!result.ok) return result.response;
      return redirect(`${here}?posted=1#messages`);
    }
    case "reassign": {
      const parsed = await parseForm(request, ZReassign);
      if (!parsed.ok) return parsed.response;
      const { advisorId, reason } = parsed.data;
      const result = await withDossierErrors(parsed.formData, async () => {
        const emailIds = await transaction((tx) => reassignAdvisor(tx, dossier, advisorId, reason, user));
        await publishEmails(emailIds);
      });
      if (!result.ok) return result.response;
      return redirect(`${here}?reassigned=1`);
    }
  }
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

/** The failed form's errors and input, when the answer belongs to `intent`. */
function useFailure(intent: Intent) {
  const actionData = useActionData<typeof action>();
  if (!actionData || !("errors" in actionData) || actionData.values.intent !== intent) return undefined;
  return actionData;
}

function FormError({ intent }: { intent: Intent }) {
  const { t } = useTranslation();
  const failure = useFailure(intent);
  const message = failure?.errors.form?.[0];
  return message ? <Notice tone="warning">{t(message)}</Notice> : null;
}

function FieldErrorText({ id, intent, name }: { id: string; intent: Intent; name: string }) {
  const { t } = useTranslation();
  const message = useFailure(intent)?.errors[name]?.[0];
  return message ? (
    <p id={id} className="field__error" role="alert">
      {t(message)}
    </p>
  ) : null;
}

function catalogueName(code: string, lang: string) {
  return isCatalogueCode(code) ? CATALOGUE_CODES[code][lang === "en" ? "en" : "zh"] : "";
}

function Facts({ data: { dossier, advisor } }: { data: LoaderData }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="panel" aria-labelledby="facts-title">
      <h2 id="facts-title" className="panel__title">
        {t("dossierUi.overview.facts")}
      </h2>
      <dl className="facts">
        <dt>{t("dossierUi.overview.company")}</dt>
        <dd>{dossier.companyName}</dd>
        <dt>{t("dossierUi.form.productName")}</dt>
        <dd>{dossier.productName}</dd>
        <dt>{t("dossierUi.form.model")}</dt>
        <dd className="prewrap">{dossier.model}</dd>
        <dt>{t("dossierUi.form.structure")}</dt>
        <dd className="prewrap">{dossier.structure}</dd>
        <dt>{t("dossierUi.form.intendedUse")}</dt>
        <dd className="prewrap">{dossier.intendedUse}</dd>
        <dt>{t("dossierUi.form.registrationType")}</dt>
        <dd>{t(`registrationType.${dossier.registrationType}`)}</dd>
        <dt>{t("dossierUi.form.productKind")}</dt>
        <dd>{t(`productKind.${dossier.productKind}`)}</dd>
        <dt>{t("dossierUi.form.catalogueCode")}</dt>
        <dd>
          <code>{dossier.catalogueCode}</code> {catalogueName(dossier.catalogueCode, i18n.language)}
        </dd>
        <dt>{t("dossierUi.form.greenGrounds")}</dt>
        <dd>{dossier.greenGrounds.length > 0 ? dossier.greenGrounds.map((g) => t(`greenGrounds.${g}`)).join(t("dossierUi.listSeparator")) : t("common.none")}</dd>
        <dt>{t("dossierUi.form.greenBasis")}</dt>
        <dd className="prewrap">{dossier.greenBasis}</dd>
        <dt>{t("dossierUi.overview.advisor")}</dt>
        <dd>
          {advisor ? (
            <>
              <strong>{advisor.name}</strong>
              {advisor.phone ? (
                <>
                  {" · "}
                  {t("dossierUi.overview.phone")} <a href={`tel:${advisor.phone.replace(/[^0-9+]/g, "")}`}>{advisor.phone}</a>
                </>
              ) : null}
              {" · "}
              {t("dossierUi.overview.email")} <a href={`mailto:${advisor.email}`}>{advisor.email}</a>
            </>
          ) : (
            <span className="badge badge--amber">{t("dossierUi.overview.unassigned")}</span>
          )}
        </dd>
        <dt>{t("dossierUi.overview.createdAt")}</dt>
        <dd>{formatDateTime(dossier.createdAt, i18n.language)}</dd>
        <dt>{t("dossierUi.overview.updatedAt")}</dt>
        <dd>{formatDateTime(dossier.updatedAt, i18n.language)}</dd>
        {dossier.withdrawnAt ? (
          <>
            <dt>{t("dossierUi.overview.withdrawnAt")}</dt>
            <dd>
              {formatDateTime(dossier.withdrawnAt, i18n.language)}
              {dossier.withdrawReason ? ` · ${t("dossierUi.overview.withdrawReason")}${t("dossierUi.colon")}${dossier.withdrawReason}` : null}
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

const REQUIREMENT_TONE = { R: "red", CR: "amber", NR: "grey" } as const;

/** An item whose document is deferred (容缺后补): the badge, then the deferral's state in words. */
function DeferredBadge({ state }: { state: DeferralStateName }) {
  const { t } = useTranslation();
  const late = state === "OVERDUE" || state === "BREACHED";
  return (
    <span className="badge-list">
      <span className={`badge badge--${late ? "red" : "blue"}`} data-testid="deferred-badge">
        {t("deferral.overview.badge")}
      </span>
      <DeferralStateBadge state={state} />
    </span>
  );
}

function DocumentState({ item }: { item: LoaderData["items"][number] }) {
  const { t } = useTranslation();
  if (item.latestVersion !== null)
    return (
      <>
        <span className="badge badge--green">{t("dossierUi.overview.doc.uploaded", { version: item.latestVersion })}</span>
        {item.deferralState ? (
          <>
            {" "}
            <DeferredBadge state={item.deferralState} />
          </>
        ) : null}
      </>
    );
  if (item.deferralState) return <DeferredBadge state={item.deferralState} />;
  if (item.notApplicableReason)
    return (
      <span>
        <span className="badge badge--grey">{t("dossierUi.overview.doc.notApplicable")}</span> {item.notApplicableReason}
      </span>
    );
  const tone = item.requirement === "NR" ? "grey" : REQUIREMENT_TONE[item.requirement];
  return <span className={`badge badge--${tone}`}>{t("dossierUi.overview.doc.missing")}</span>;
}

function GapCount({ gaps }: { gaps: { must: number; should: number } }) {
  const { t } = useTranslation();
  if (gaps.must + gaps.should === 0) return <span className="muted">{t("dossierUi.overview.noGaps")}</span>;
  return (
    <span className="badge-list">
      {gaps.must > 0 ? <span className="badge badge--red">{t("dossierUi.overview.gapCount", { severity: t("gapSeverity.MUST"), count: gaps.must })}</span> : null}
      {gaps.should > 0 ? <span className="badge badge--amber">{t("dossierUi.overview.gapCount", { severity: t("gapSeverity.SHOULD"), count: gaps.should })}</span> : null}
    </span>
  );
}

function Checklist({ data: { dossier, items, chapters: chapterNames } }: { data: LoaderData }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === "en";
  const chapters = chapterNames.map((c) => ({ ...c, items: items.filter((i) => i.chapter === c.n) })).filter((c) => c.items.length > 0);
  return (
    <section className="panel" aria-labelledby="checklist-title">
      <h2 id="checklist-title" className="panel__title">
        {t("dossierUi.overview.checklist")}
      </h2>
      <p className="lead">{t("dossierUi.overview.checklistIntro", { count: items.length })}</p>
      {chapters.map((c) => (
        <div key={c.n} className="table-wrap checklist-chapter">
          <h3 id={`chapter-${c.n}`}>
            {t("dossierUi.overview.chapter", { n: c.n })} {en ? c.en : c.zh}
          </h3>
          <table className="data checklist-table" aria-labelledby={`chapter-${c.n}`}>
            <colgroup>
              <col className="c-code" />
              <col />
              <col className="c-req" />
              <col className="c-doc" />
              <col className="c-review" />
              <col className="c-gaps" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">{t("dossierUi.overview.code")}</th>
                <th scope="col">{t("dossierUi.overview.item")}</th>
                <th scope="col">{t("dossierUi.overview.requirement")}</th>
                <th scope="col">{t("dossierUi.overview.document")}</th>
                <th scope="col">{t("dossierUi.overview.review")}</th>
                <th scope="col">{t("dossierUi.overview.openGaps")}</th>
              </tr>
            </thead>
            <tbody>
              {c.items.map((item) => (
                <tr key={item.id}>
                  <td>
                    <code>{item.code}</code>
                  </td>
                  <td>
                    <Link to={`/dossiers/${dossier.id}/items/${item.id}`}>{en ? item.titleEn : item.titleZh}</Link>
                  </td>
                  <td>
                    <span className={`req req--${item.requirement}`} title={t(`requirementHint.${item.requirement}`)}>
                      {t(`requirement.${item.requirement}`)}
                    </span>
                  </td>
                  <td>
                    <DocumentState item={item} />
                  </td>
                  <td>
                    <span className={`badge badge--${item.review === "LOOKS_COMPLETE" ? "green" : "grey"}`}>{t(`itemReview.${item.review}`)}</span>
                  </td>
                  <td>
                    <GapCount gaps={item.gaps} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

const BLOCKER_KINDS = ["openGap", "missingRequired", "missingConditional"] as const;

function Completeness({ data: { dossier, blockers, can, deferrals } }: { data: LoaderData }) {
  const { t, i18n } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const submitFailure = useFailure("submit");
  const en = i18n.language === "en";
  const complete = blockers.length === 0;
  return (
    <section className={`panel completeness ${complete ? "completeness--ok" : "completeness--blocked"}`} aria-labelledby="completeness-title">
      <h2 id="completeness-title" className="panel__title">
        {t("dossierUi.completeness.title")}
      </h2>
      {complete ? (
        <p className="completeness__ok">
          <span className="badge badge--green">{t("dossierUi.completeness.okBadge")}</span> {t("dossierUi.completeness.ok")}
        </p>
      ) : (
        <>
          <p>
            <span className="badge badge--red">{t("dossierUi.completeness.blockedBadge")}</span> {t("dossierUi.completeness.blocked", { count: blockers.length })}
          </p>
          {BLOCKER_KINDS.map((kind) => {
            const list = blockers.filter((b) => b.kind === kind);
            if (list.length === 0) return null;
            return (
              <div key={kind} className="blocker-group">
                <h3 id={`blockers-${kind}`}>
                  {t(`dossierUi.completeness.${kind}`)} <span className="badge badge--red">{list.length}</span>
                </h3>
                <ul className="blockers" aria-labelledby={`blockers-${kind}`}>
                  {list.map((b) => (
                    <li key={`${b.itemId}-${"gapId" in b ? b.gapId : ""}`}>
                      <Link to={`/dossiers/${dossier.id}/items/${b.itemId}`}>
                        <code>{b.code}</code> {en ? b.titleEn : b.titleZh}
                      </Link>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </>
      )}
      {can.submit ? (
        <Form method="post" noValidate className="form-actions" id="submit">
          <FormError intent="submit" />
          <input type="hidden" name="intent" value="submit" />
          <input type="hidden" name="version" value={dossier.version} />
          {deferrals.requested.length > 0 ? (
            <div className="submit-deferrals">
              <h3 id="submit-deferrals-title">{t("deferral.overview.submitListTitle")}</h3>
              <ul aria-labelledby="submit-deferrals-title">
                {deferrals.requested.map((r) => (
                  <li key={r.id}>
                    {t("deferral.overview.submitItem", { code: r.code, title: en ? r.titleEn : r.titleZh, date: formatDay(r.dueDate, i18n.language) })}
                  </li>
                ))}
              </ul>
              <p>
                <Link to={`/dossiers/${dossier.id}/commitment`}>{t("deferral.overview.preview")}</Link>
              </p>
              <div className="choice">
                <input
                  id="commitment-confirmed"
                  type="checkbox"
                  name="commitmentConfirmed"
                  value="yes"
                  required
                  defaultChecked={submitFailure?.values.commitmentConfirmed === "yes"}
                  aria-describedby="commitment-hint"
                />
                <label htmlFor="commitment-confirmed">
                  {t("deferral.overview.confirm")}
                  <span className="field__req">
                    {" "}*<span className="visually-hidden">{t("common.required")}</span>
                  </span>
                  <span id="commitment-hint" className="choice__hint">
                    {t("deferral.overview.confirmHint")}
                  </span>
                </label>
              </div>
            </div>
          ) : null}
          <button type="submit" className="button" disabled={!complete || busy} aria-describedby={complete ? undefined : "submit-why"}>
            {t("dossierUi.submit.button")}
          </button>
          <span id="submit-why" className="field__hint">
            {complete ? t("dossierUi.submit.hint") : t("dossierUi.submit.disabled")}
          </span>
        </Form>
      ) : null}
    </section>
  );
}

function Accept({ data: { dossier, deferrals } }: { data: LoaderData }) {
  const { t, i18n } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const en = i18n.language === "en";
  const withDeferrals = deferrals.requested.length > 0;
  return (
    <section className="panel" aria-labelledby="accept-title">
      <h2 id="accept-title" className="panel__title">
        {t("deferral.overview.acceptTitle")}
      </h2>
      <p className="lead">{withDeferrals ? t("deferral.overview.acceptDeferralIntro") : t("deferral.overview.acceptIntro")}</p>
      {withDeferrals ? (
        <ul>
          {deferrals.requested.map((r) => (
            <li key={r.id}>
              {t("deferral.overview.submitItem", { code: r.code, title: en ? r.titleEn : r.titleZh, date: formatDay(r.dueDate, i18n.language) })}
            </li>
          ))}
        </ul>
      ) : null}
      <Form method="post" className="form-actions">
        <FormError intent="accept" />
        <input type="hidden" name="intent" value="accept" />
        <input type="hidden" name="version" value={dossier.version} />
        <button type="submit" className="button" disabled={busy}>
          {withDeferrals ? t("deferral.overview.acceptWithDeferral") : t("deferral.overview.accept")}
        </button>
        {withDeferrals ? <Link to={`/dossiers/${dossier.id}/deferrals`}>{t("deferral.overview.open")}</Link> : null}
      </Form>
    </section>
  );
}

function DeferralSummary({ data: { dossier, deferrals, can } }: { data: LoaderData }) {
  const { t } = useTranslation();
  return (
    <section className="panel" aria-labelledby="deferral-summary-title" data-testid="deferral-summary">
      <h2 id="deferral-summary-title" className="panel__title">
        {t("deferral.overview.title")}
      </h2>
      {deferrals.counts.length === 0 ? (
        <p className="muted">{t("deferral.overview.summaryNone")}</p>
      ) : (
        <p>
          {t("deferral.overview.summary")}{" "}
          <span className="badge-list">
            {deferrals.counts.map((c) => (
              <span key={c.state} className="deferral-count">
                <DeferralStateBadge state={c.state} /> {t("deferral.overview.itemCount", { count: c.count })}
              </span>
            ))}
          </span>
        </p>
      )}
      <p className="form-actions">
        <Link to={`/dossiers/${dossier.id}/deferrals`}>{can.requestDeferral ? t("deferral.overview.openApplicant") : t("deferral.overview.open")}</Link>
        {deferrals.noticeId ? <Link to={`/dossiers/${dossier.id}/letters/${deferrals.noticeId}`}>{t("deferral.overview.notice")}</Link> : null}
      </p>
    </section>
  );
}

function Withdraw({ data: { dossier } }: { data: LoaderData }) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const failure = useFailure("withdraw");
  const confirm = (event: FormEvent<HTMLFormElement>) => {
    // An empty reason goes straight to the server, which answers with the field error.
    const reason = new FormData(event.currentTarget).get("reason");
    if (typeof reason !== "string" || !reason.trim()) return;
    if (!window.confirm(t("dossierUi.withdraw.confirm", { number: dossier.number }))) event.preventDefault();
  };
  return (
    <section className="panel" aria-labelledby="withdraw-title">
      <h2 id="withdraw-title" className="panel__title">
        {t("dossierUi.withdraw.title")}
      </h2>
      <details open={!!failure}>
        <summary>{t("dossierUi.withdraw.open")}</summary>
        <p className="lead">{t("dossierUi.withdraw.intro")}</p>
        <FormError intent="withdraw" />
        <Form method="post" noValidate onSubmit={confirm}>
          <input type="hidden" name="intent" value="withdraw" />
          <input type="hidden" name="version" value={dossier.version} />
          <div className={`field${failure?.errors.reason ? " field--error" : ""}`}>
            <label htmlFor="withdraw-reason">
              {t("dossierUi.withdraw.reason")}
              <span className="field__req">
                {" "}*<span className="visually-hidden">{t("common.required")}</span>
              </span>
            </label>
            <textarea
              id="withdraw-reason"
              name="reason"
              rows={3}
              required
              maxLength={2000}
              defaultValue={failure?.values.reason ?? ""}
              aria-invalid={failure?.errors.reason ? true : undefined}
              aria-describedby={failure?.errors.reason ? "withdraw-reason-error" : undefined}
            />
            <FieldErrorText id="withdraw-reason-error" intent="withdraw" name="reason" />
          </div>
          <button type="submit" className="button button--danger" disabled={busy}>
            {t("dossierUi.withdraw.button")}
          </button>
        </Form>
      </details>
    </section>
  );
}

function Messages({ data: { messages, can } }: { data: LoaderData }) {
  const { t, i18n } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const failure = useFailure("message");
  return (
    <section className="panel" id="messages" aria-labelledby="messages-title">
      <h2 id="messages-title" className="panel__title">
        {t("dossierUi.messages.title")}
      </h2>
      {messages.length === 0 ? (
        <p className="muted">{t("dossierUi.messages.empty")}</p>
      ) : (
        <ol className="thread">
          {messages.map((m) => (
            <li key={m.id} className={`thread__message${m.mine ? " thread__message--mine" : ""}`}>
              <p className="thread__meta">
                <strong>{m.authorName}</strong> <span className="muted">{t(`roles.${m.authorRole}`)}</span> ·{" "}
                <time dateTime={new Date(m.createdAt).toISOString()}>{formatDateTime(m.createdAt, i18n.language)}</time>
              </p>
              <p className="thread__body">{m.body}</p>
            </li>
          ))}
        </ol>
      )}
      {can.post ? (
        <Form method="post" noValidate key={messages.length} className="thread__form">
          <FormError intent="message" />
          <input type="hidden" name="intent" value="message" />
          <div className={`field${failure?.errors.body ? " field--error" : ""}`}>
            <label htmlFor="message-body">{t("dossierUi.messages.body")}</label>
            <textarea
              id="message-body"
              name="body"
              rows={3}
              required
              maxLength={4000}
              defaultValue={failure?.values.body ?? ""}
              aria-invalid={failure?.errors.body ? true : undefined}
              aria-describedby={failure?.errors.body ? "message-body-error" : undefined}
            />
            <FieldErrorText id="message-body-error" intent="message" name="body" />
          </div>
          <button type="submit" className="button" disabled={busy}>
            {t("dossierUi.messages.send")}
          </button>
        </Form>
      ) : (
        <p className="field__hint">{t("dossierUi.messages.readOnly")}</p>
      )}
    </section>
  );
}

function assignmentReason(t: (key: string) => string, reason: string) {
  // Automatic reasons are codes ("auto:continuity"); the catalogue key avoids i18next's ":" namespace separator.
  return reason.startsWith("auto:") ? t(`dossierUi.reassign.auto.${reason.slice(5)}`) : reason;
}

function Reassign({ data: { dossier, advisors, assignments, can } }: { data: LoaderData }) {
  const { t, i18n } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const failure = useFailure("reassign");
  return (
    <section className="panel" aria-labelledby="reassign-title">
      <h2 id="reassign-title" className="panel__title">
        {t("dossierUi.reassign.title")}
      </h2>
      {can.reassign ? (
        <Form method="post" noValidate key={dossier.advisorId ?? "none"}>
          <FormError intent="reassign" />
          <input type="hidden" name="intent" value="reassign" />
          <div className="form-grid">
            <div className={`field${failure?.errors.advisorId ? " field--error" : ""}`}>
              <label htmlFor="reassign-advisor">
                {t("dossierUi.reassign.advisor")}
                <span className="field__req">
                  {" "}*<span className="visually-hidden">{t("common.required")}</span>
                </span>
              </label>
              <select
                id="reassign-advisor"
                name="advisorId"
                required
                defaultValue={failure?.values.advisorId ?? ""}
                aria-invalid={failure?.errors.advisorId ? true : undefined}
                aria-describedby={failure?.errors.advisorId ? "reassign-advisor-error" : undefined}
              >
                <option value="">{t("dossierUi.reassign.choose")}</option>
                {advisors.map((a) => (
                  <option key={a.id} value={a.id} disabled={a.id === dossier.advisorId}>
                    {a.name}
                    {a.id === dossier.advisorId ? ` ${t("dossierUi.reassign.current")}` : ""}
                  </option>
                ))}
              </select>
              <FieldErrorText id="reassign-advisor-error" intent="reassign" name="advisorId" />
            </div>
            <div className={`field${failure?.errors.reason ? " field--error" : ""}`}>
              <label htmlFor="reassign-reason">
                {t("dossierUi.reassign.reason")}
                <span className="field__req">
                  {" "}*<span className="visually-hidden">{t("common.required")}</span>
                </span>
              </label>
              <input
                id="reassign-reason"
                name="reason"
                required
                maxLength={500}
                defaultValue={failure?.values.reason ?? ""}
                aria-invalid={failure?.errors.reason ? true : undefined}
                aria-describedby={failure?.errors.reason ? "reassign-reason-error" : undefined}
              />
              <FieldErrorText id="reassign-reason-error" intent="reassign" name="reason" />
            </div>
          </div>
          <button type="submit" className="button" disabled={busy}>
            {t("dossierUi.reassign.button")}
          </button>
        </Form>
      ) : (
        <p className="field__hint">{t("dossierUi.reassign.closed")}</p>
      )}
      <div className="table-wrap assignment-history">
        <table className="data">
          <caption>{t("dossierUi.reassign.history")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("dossierUi.reassign.at")}</th>
              <th scope="col">{t("dossierUi.reassign.from")}</th>
              <th scope="col">{t("dossierUi.reassign.to")}</th>
              <th scope="col">{t("dossierUi.reassign.by")}</th>
              <th scope="col">{t("dossierUi.reassign.reason")}</th>
            </tr>
          </thead>
          <tbody>
            {assignments.length === 0 ? (
              <tr>
                <td colSpan={5}>{t("dossierUi.reassign.noHistory")}</td>
              </tr>
            ) : (
              assignments.map((a) => (
                <tr key={a.id}>
                  <td>{formatDateTime(a.at, i18n.language)}</td>
                  <td>{a.previous ?? t("dossierUi.overview.unassigned")}</td>
                  <td>{a.advisor ?? t("dossierUi.overview.unassigned")}</td>
                  <td>{a.by ?? t("dossierUi.reassign.system")}</td>
                  <td>{assignmentReason(t, a.reason)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Timeline({ data: { events } }: { data: LoaderData }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="panel" aria-labelledby="timeline-title">
      <h2 id="timeline-title" className="panel__title">
        {t("dossierUi.timeline.title")}
      </h2>
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.id}>
            <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at, i18n.language)}</time>{" "}
            <strong>{t(`dossierUi.timeline.types.${e.type}`, { defaultValue: e.toStatus ? t(`dossierStatus.${e.toStatus}`) : e.type })}</strong>
            <span className="muted"> · {e.actor ?? t("dossierUi.reassign.system")}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Submissions({ data: { dossier, submissions } }: { data: LoaderData }) {
  const { t, i18n } = useTranslation();
  if (submissions.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="submissions-title">
      <h2 id="submissions-title" className="panel__title">
        {t("dossierUi.submissions.title")}
      </h2>
      <ul>
        {submissions.map((s) => (
          <li key={s.id}>
            <Link to={`/dossiers/${dossier.id}/receipt/${s.id}`}>{t("dossierUi.submissions.item", { sequence: s.sequence })}</Link> ·{" "}
            {formatDateTime(s.submittedAt, i18n.language)}
          </li>
        ))}
      </ul>
    </section>
  );
}

const DONE_NOTICES = ["created", "edited", "withdrawn", "posted", "reassigned"] as const;
const ACCEPTED_NOTICES = ["accepted", "acceptedWithDeferral"] as const;

export default function DossierOverview() {
  const { t } = useTranslation();
  const loaderData = useLoaderData<typeof loader>();
  const { dossier, can } = loaderData;
  const [params] = useSearchParams();
  const done = DONE_NOTICES.find((k) => params.has(k));
  const accepted = ACCEPTED_NOTICES.find((k) => params.has(k));
  const editable = EDITABLE.includes(dossier.status);
  return (
    <>
      <div className="page-head">
        <div>
          <p className="breadcrumb">
            <Link to="/">{t("dossierUi.overview.back")}</Link>
          </p>
          <h1>
            <span className="dossier-number">{dossier.number}</span> {dossier.productName}
          </h1>
          <p className="lead">
            <StatusBadge status={dossier.status} /> {t(`registrationType.${dossier.registrationType}`)} · {t(`productKind.${dossier.productKind}`)}
          </p>
          <p>
            {loaderData.clock ? <ClockBadge clock={loaderData.clock} showStage /> : null} <Link to={`/dossiers/${dossier.id}/progress`}>{t("milestone.nav")}</Link>
          </p>
        </div>
        {can.edit ? (
          <Link to={`/dossiers/${dossier.id}/edit`} className="button button--secondary">
            {t("dossierUi.overview.edit")}
          </Link>
        ) : null}
      </div>
      {done ? <Notice tone="success">{t(`dossierUi.done.${done}`)}</Notice> : null}
      {accepted ? <Notice tone="success">{t(`deferral.overview.${accepted}`)}</Notice> : null}
      {editable ? <Completeness data={loaderData} /> : null}
      {can.accept ? <Accept data={loaderData} /> : null}
      <Facts data={loaderData} />
      <DeferralSummary data={loaderData} />
      <Checklist data={loaderData} />
      <Submissions data={loaderData} />
      <Messages data={loaderData} />
      {can.seeAssignments ? <Reassign data={loaderData} /> : null}
      <Timeline data={loaderData} />
      {can.withdraw ? <Withdraw data={loaderData} /> : null}
    </>
  );
}
