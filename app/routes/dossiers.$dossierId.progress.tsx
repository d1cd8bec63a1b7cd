import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import {
  Form,
  Link,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { Fragment, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { now } from "#app/.server/clock.ts";
import { requireRole } from "#app/.server/auth.ts";
import { prisma, type Role } from "#app/.server/db.ts";
import { parseForm } from "#app/.server/forms.ts";
import { ClockBadge } from "#app/components/clock/clock-badge.tsx";
import { StatusBadge } from "#app/components/dossier/status-badge.tsx";
import { Notice, SelectField } from "#app/components/forms/fields.tsx";
import { TextAreaField } from "#app/components/forms/more-fields.tsx";
import { useValidatedForm } from "#app/components/forms/use-validated-form.ts";
import { loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import {
  currentClockPolicy,
  storedClockOf,
} from "#app/modules/clock/clock.server.ts";
import {
  readStoredClock,
  type StageName,
} from "#app/modules/clock/stage-clock.ts";
import { requireDossier } from "#app/modules/dossier/load-dossier.server.ts";
import {
  requireIntent,
  withDossierErrors,
} from "#app/modules/dossier/route-errors.server.ts";
import { canTransition } from "#app/modules/dossier/transitions.ts";
import {
  progressStages,
  qmsState,
  QMS_STATUSES,
} from "#app/modules/milestone/milestone-rules.ts";
import {
  CONCLUSIONS,
  QMS_RESULTS,
  ZConclude,
  ZDecide,
  ZNotAccept,
  ZQmsFinish,
  ZQmsStart,
  ZRequestSupplement,
  ZReturnForCorrection,
  ZSupplementReceived,
  ZTerminate,
  ZVersionOnly,
} from "#app/modules/milestone/milestone.schema.ts";
import {
  concludeReview,
  decideDossier,
  finishQms,
  handOver,
  notAcceptDossier,
  receiveSupplement,
  requestSupplement,
  returnForCorrection,
  startQms,
  terminateDossier,
} from "#app/modules/milestone/milestones.server.ts";
import { NOTICE_KINDS } from "#app/modules/milestone/notices.ts";
import { formatDateTime, formatDay } from "#app/utils/format.ts";

const VIEW_ROLES: readonly Role[] = ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"];

/** The window's milestones on this page; 受理 / 容缺受理 stays on the overview beside the completeness check. */
const INTENT_ROLES = {
  returnForCorrection: ["WINDOW"],
  notAccept: ["WINDOW"],
  handover: ["WINDOW"],
  requestSupplement: ["WINDOW"],
  supplementReceived: ["WINDOW"],
  qmsStart: ["WINDOW"],
  qmsFinish: ["WINDOW"],
  conclude: ["WINDOW"],
  decide: ["WINDOW"],
  terminate: ["WINDOW"],
} as const satisfies Record<string, readonly Role[]>;
type Intent = keyof typeof INTENT_ROLES;
const INTENTS = Object.keys(INTENT_ROLES) as Intent[];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, VIEW_ROLES);
  const d = await requireDossier(user, request, params.dossierId);
  const [calendar, policy, events, letters, openGaps, certificate] =
    await Promise.all([
      loadHolidayCalendar(),
      currentClockPolicy(),
      prisma.dossierEvent.findMany({
        where: { dossierId: d.id },
        orderBy: { at: "asc" },
        select: {
          id: true,
          type: true,
          fromStatus: true,
          toStatus: true,
          at: true,
          actorId: true,
          details: true,
        },
      }),
      prisma.issuedLetter.findMany({
        where: { dossierId: d.id, kind: { in: [...NOTICE_KINDS] } },
        orderBy: { issuedAt: "asc" },
        select: { id: true, kind: true, sequence: true, issuedAt: true },
      }),
      user.role === "WINDOW"
        ? prisma.gap.findMany({
            where: {
              dossierId: d.id,
              state: { in: ["OPEN", "RESPONDED", "REOPENED"] },
            },
            orderBy: { createdAt: "asc" },
            select: {
              text: true,
              item: { select: { code: true, titleZh: true } },
            },
          })
        : Promise.resolve([]),
      prisma.certificate.findUnique({
        where: { dossierId: d.id },
        select: { id: true, number: true },
      }),
    ]);
  const at = now();
  const actorIds = [
    ...new Set(events.map((e) => e.actorId).filter((id): id is string => !!id)),
  ];
  const actors = new Map(
    (
      await prisma.user.findMany({
        where: { id: { in: actorIds } },
        select: { id: true, name: true },
      })
    ).map((u) => [u.id, u.name]),
  );
  const window = user.role === "WINDOW";
  const qms = qmsState(events);
  const status = d.status;
  const can: Record<Intent, boolean> = {
    returnForCorrection:
      window && canTransition("returnForCorrection", status, "WINDOW"),
    notAccept: window && canTransition("notAccept", status, "WINDOW"),
    handover: window && canTransition("handover", status, "WINDOW"),
    requestSupplement:
      window && canTransition("requestSupplement", status, "WINDOW"),
    supplementReceived:
      window && canTransition("supplementReceived", status, "WINDOW"),
    qmsStart: window && QMS_STATUSES.includes(status) && qms !== "running",
    qmsFinish: window && QMS_STATUSES.includes(status) && qms === "running",
    conclude: window && canTransition("conclude", status, "WINDOW"),
    decide: window && canTransition("approve", status, "WINDOW"),
    terminate: window && canTransition("terminate", status, "WINDOW"),
  };
  // The notice forms start from the unresolved questions, so one notice lists everything (一次性告知).
  const prefill = openGaps
    .map((g) => `${g.item.code} ${g.item.titleZh}：${g.text}`)
    .join("\n");
  return {
    dossier: {
      id: d.id,
      number: d.number,
      productName: d.productName,
      status: d.status,
      version: d.version,
      supplementDueOn: d.supplementDueOn?.toISOString().slice(0, 10) ?? null,
    },
    clock: readStoredClock(calendar, storedClockOf(d), shanghaiDate(at)),
    stages: progressStages(calendar, events, policy, at),
    qms,
    events: events.map((e) => ({
      id: e.id,
      type: e.type,
      toStatus: e.toStatus,
      at: e.at,
      actor: e.actorId ? (actors.get(e.actorId) ?? null) : null,
    })),
    letters,
    certificate: certificate && {
      id: certificate.id,
      number: certificate.number,
    },
    can,
    canIssueCertificate: window && status === "APPROVED" && !certificate,
    prefill,
  };
}

const SCHEMAS = {
  returnForCorrection: ZReturnForCorrection,
  notAccept: ZNotAccept,
  handover: ZVersionOnly,
  requestSupplement: ZRequestSupplement,
  supplementReceived: ZSupplementReceived,
  qmsStart: ZQmsStart,
  qmsFinish: ZQmsFinish,
  conclude: ZConclude,
  decide: ZDecide,
  terminate: ZTerminate,
} satisfies Record<Intent, z.ZodType>;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, VIEW_ROLES);
  const dossier = await requireDossier(user, request, params.dossierId);
  const intent = await requireIntent(user, request, dossier.id, INTENT_ROLES);
  const id = dossier.id;
  const run = async <S extends z.ZodType>(
    schema: S,
    step: (input: z.output<S>) => Promise<unknown>,
  ) => {
    const parsed = await parseForm(request, schema);
    if (!parsed.ok) return parsed.response;
    const result = await withDossierErrors(parsed.formData, () =>
      step(parsed.data),
    );
    if (!result.ok) return result.response;
    return redirect(`/dossiers/${id}/progress?done=${intent}`);
  };
  switch (intent) {
    case "returnForCorrection":
      return run(SCHEMAS.returnForCorrection, (input) =>
        returnForCorrection(user, id, input),
      );
    case "notAccept":
      return run(SCHEMAS.notAccept, (input) =>
        notAcceptDossier(user, id, input),
      );
    case "handover":
      return run(SCHEMAS.handover, (input) => handOver(user, id, input));
    case "requestSupplement":
      return run(SCHEMAS.requestSupplement, (input) =>
        requestSupplement(user, id, input),
      );
    case "supplementReceived":
      return run(SCHEMAS.supplementReceived, (input) =>
        receiveSupplement(user, id, input),
      );
    case "qmsStart":
      return run(SCHEMAS.qmsStart, (input) => startQms(user, id, input));
    case "qmsFinish":
      return run(SCHEMAS.qmsFinish, (input) => finishQms(user, id, input));
    case "conclude":
      return run(SCHEMAS.conclude, (input) => concludeReview(user, id, input));
    case "decide":
      return run(SCHEMAS.decide, (input) => decideDossier(user, id, input));
    case "terminate":
      return run(SCHEMAS.terminate, (input) =>
        terminateDossier(user, id, input),
      );
  }
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function Stages({ stages }: { stages: LoaderData["stages"] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  if (stages.length === 0)
    return <p className="muted">{t("milestone.stages.empty")}</p>;
  return (
    <div className="table-wrap">
      <table className="data progress-stages">
        <caption className="visually-hidden">
          {t("milestone.stages.caption")}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t("milestone.stages.stage")}</th>
            <th scope="col">{t("milestone.stages.started")}</th>
            <th scope="col">{t("milestone.stages.ended")}</th>
            <th scope="col">{t("milestone.stages.state")}</th>
          </tr>
        </thead>
        <tbody>
          {stages.map((s) => (
            <tr key={`${s.stage}-${s.round}`}>
              <th scope="row">
                {t(`clock.stage.${s.stage}`)}
                {s.round > 1 ? (
                  <span className="muted">
                    {" "}
                    · {t("milestone.stages.round", { count: s.round })}
                  </span>
                ) : null}
                {s.limitKey === "reviewAfterSupplement" ? (
                  <span className="muted">
                    {" "}
                    · {t("milestone.stages.afterSupplement")}
                  </span>
                ) : null}
                {s.target !== null ? (
                  <div className="field__hint">
                    {t("milestone.stages.target", { count: s.target })}
                  </div>
                ) : null}
              </th>
              <td className="nowrap">{formatDateTime(s.startedAt, lang)}</td>
              <td className="nowrap">
                {s.endedAt
                  ? formatDateTime(s.endedAt, lang)
                  : t("milestone.stages.running")}
              </td>
              <td>
                <ClockBadge clock={{ ...s, dueOn: s.dueDate }} />
                {s.pauses.map((p) => (
                  <div
                    key={`${p.reason}-${String(p.from)}`}
                    className="field__hint"
                  >
                    {t(`milestone.pause.${p.reason}`, {
                      from: formatDay(shanghaiDay(p.from), lang),
                      to: p.to
                        ? formatDay(shanghaiDay(p.to), lang)
                        : t("milestone.pause.open"),
                    })}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const shanghaiDay = (at: Date | string) => shanghaiDate(new Date(at));

function Events({ events }: { events: LoaderData["events"] }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="panel" aria-labelledby="events-title">
      <h2 id="events-title" className="panel__title">
        {t("milestone.events.title")}
      </h2>
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.id}>
            <time dateTime={new Date(e.at).toISOString()}>
              {formatDateTime(e.at, i18n.language)}
            </time>{" "}
            <strong>
              {t(`dossierUi.timeline.types.${e.type}`, {
                defaultValue: e.toStatus
                  ? t(`dossierStatus.${e.toStatus}`)
                  : e.type,
              })}
            </strong>
            <span className="muted">
              {" "}
              · {e.actor ?? t("milestone.events.system")}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** One milestone form: the zod schema checks it in the browser and in the action; a refused post keeps what was typed. */
function MilestoneForm<
  S extends z.ZodType<Record<string, unknown>, Record<string, unknown>>,
>({
  intent,
  schema,
  version,
  defaults,
  danger,
  children,
}: {
  intent: Intent;
  schema: S;
  version: number;
  defaults?: Record<string, string>;
  danger?: boolean;
  children?: (form: {
    register: ReturnType<typeof useValidatedForm<S>>["register"];
    errors: Record<string, { message?: string } | undefined>;
  }) => ReactNode;
}) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  // The version travels in a registered hidden field: react-hook-form validates only what it knows.
  const { register, errors, onSubmit, serverErrors } = useValidatedForm(
    schema,
    {
      defaultValues: { ...defaults, version: String(version) } as never,
      owns: (values) => values.intent === intent,
    },
  );
  return (
    <details open={!!serverErrors}>
      <summary>{t(`milestone.actions.${intent}`)}</summary>
      {serverErrors?.form ? (
        <Notice tone="warning">{t(serverErrors.form[0]!)}</Notice>
      ) : null}
      <Form method="post" noValidate onSubmit={onSubmit}>
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" {...register("version" as never)} />
        {children?.({
          register,
          errors: errors as Record<string, { message?: string } | undefined>,
        })}
        <button
          type="submit"
          className={danger ? "button button--danger" : "button"}
          disabled={busy}
        >
          {t("milestone.actions.confirm")}
        </button>
      </Form>
    </details>
  );
}

function WindowActions({ data }: { data: LoaderData }) {
  const { t } = useTranslation();
  const { dossier, can, prefill } = data;
  const v = dossier.version;
  const any = INTENTS.some((i) => can[i]) || data.canIssueCertificate;
  const note = (
    register: (name: never) => object,
    errors: Record<string, { message?: string } | undefined>,
  ) => (
    <TextAreaField
      label={t("milestone.fields.note")}
      rows={2}
      maxLength={2000}
      registration={register("note" as never) as never}
      error={errors.note?.message}
    />
  );
  return (
    <section
      className="panel milestone-actions"
      aria-labelledby="actions-title"
    >
      <h2 id="actions-title" className="panel__title">
        {t("milestone.actions.title")}
      </h2>
      <p className="field__hint">{t("milestone.actions.intro")}</p>
      {!any ? <p className="muted">{t("milestone.actions.none")}</p> : null}
      {data.canIssueCertificate ? (
        <p>
          <Link className="button" to={`/dossiers/${dossier.id}/certificate`}>
            {t("milestone.actions.certificate")}
          </Link>
        </p>
      ) : null}
      {/* Keyed by the version: after each milestone the forms start afresh with the dossier's new version. */}
      <Fragment key={v}>
        {can.handover ? (
          <MilestoneForm intent="handover" schema={ZVersionOnly} version={v} />
        ) : null}
        {can.returnForCorrection ? (
          <MilestoneForm
            intent="returnForCorrection"
            schema={ZReturnForCorrection}
            version={v}
            defaults={{ defects: prefill }}
          >
            {({ register, errors }) => (
              <>
                <TextAreaField
                  label={t("milestone.fields.defects")}
                  hint={t("milestone.fields.defectsHelp")}
                  required
                  rows={6}
                  registration={register("defects" as never)}
                  error={errors.defects?.message}
                />
                {note(register as never, errors)}
              </>
            )}
          </MilestoneForm>
        ) : null}
        {can.notAccept ? (
          <MilestoneForm
            intent="notAccept"
            schema={ZNotAccept}
            version={v}
            danger
          >
            {({ register, errors }) => (
              <TextAreaField
                label={t("milestone.fields.reason")}
                required
                rows={3}
                registration={register("reason" as never)}
                error={errors.reason?.message}
              />
            )}
          </MilestoneForm>
        ) : null}
        {can.requestSupplement ? (
          <MilestoneForm
            intent="requestSupplement"
            schema={ZRequestSupplement}
            version={v}
            defaults={{ items: prefill }}
          >
            {({ register, errors }) => (
              <>
                <TextAreaField
                  label={t("milestone.fields.items")}
                  hint={t("milestone.fields.itemsHelp")}
                  required
                  rows={6}
                  registration={register("items" as never)}
                  error={errors.items?.message}
                />
                {note(register as never, errors)}
              </>
            )}
          </MilestoneForm>
        ) : null}
        {can.supplementReceived ? (
          <MilestoneForm
            intent="supplementReceived"
            schema={ZSupplementReceived}
            version={v}
          >
            {({ register, errors }) => note(register as never, errors)}
          </MilestoneForm>
        ) : null}
        {can.qmsStart ? (
          <MilestoneForm intent="qmsStart" schema={ZQmsStart} version={v}>
            {({ register, errors }) => note(register as never, errors)}
          </MilestoneForm>
        ) : null}
        {can.qmsFinish ? (
          <MilestoneForm intent="qmsFinish" schema={ZQmsFinish} version={v}>
            {({ register, errors }) => (
              <>
                <SelectField
                  label={t("milestone.fields.result")}
                  required
                  registration={register("result" as never)}
                  error={errors.result?.message}
                >
                  <option value="">{t("milestone.fields.choose")}</option>
                  {QMS_RESULTS.map((r) => (
                    <option key={r} value={r}>
                      {t(`milestone.qmsResult.${r}`)}
                    </option>
                  ))}
                </SelectField>
                {note(register as never, errors)}
              </>
            )}
          </MilestoneForm>
        ) : null}
        {can.conclude ? (
          <MilestoneForm intent="conclude" schema={ZConclude} version={v}>
            {({ register, errors }) => (
              <>
                <SelectField
                  label={t("milestone.fields.recommendation")}
                  required
                  registration={register("recommendation" as never)}
                  error={errors.recommendation?.message}
                >
                  <option value="">{t("milestone.fields.choose")}</option>
                  {CONCLUSIONS.map((c) => (
                    <option key={c} value={c}>
                      {t(`milestone.conclusions.${c}`)}
                    </option>
                  ))}
                </SelectField>
                <TextAreaField
                  label={t("milestone.fields.summary")}
                  required
                  rows={3}
                  registration={register("summary" as never)}
                  error={errors.summary?.message}
                />
              </>
            )}
          </MilestoneForm>
        ) : null}
        {can.decide ? (
          <MilestoneForm intent="decide" schema={ZDecide} version={v}>
            {({ register, errors }) => (
              <>
                <SelectField
                  label={t("milestone.fields.decision")}
                  required
                  registration={register("decision" as never)}
                  error={errors.decision?.message}
                >
                  <option value="">{t("milestone.fields.choose")}</option>
                  {CONCLUSIONS.map((c) => (
                    <option key={c} value={c}>
                      {t(`milestone.decisions.${c}`)}
                    </option>
                  ))}
                </SelectField>
                <TextAreaField
                  label={t("milestone.fields.decisionReason")}
                  rows={2}
                  registration={register("reason" as never)}
                  error={errors.reason?.message}
                />
              </>
            )}
          </MilestoneForm>
        ) : null}
        {can.terminate ? (
          <MilestoneForm
            intent="terminate"
            schema={ZTerminate}
            version={v}
            danger
          >
            {({ register, errors }) => (
              <TextAreaField
                label={t("milestone.fields.reason")}
                required
                rows={2}
                registration={register("reason" as never)}
                error={errors.reason?.message}
              />
            )}
          </MilestoneForm>
        ) : null}
      </Fragment>
    </section>
  );
}

export default function ProgressPage() {
  const { t, i18n } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const { dossier, clock } = data;
  const [params] = useSearchParams();
  const done = INTENTS.find((i) => params.get("done") === i);
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/dossiers/${dossier.id}`}>{t("milestone.back")}</Link>
      </p>
      <h1>{t("milestone.title", { number: dossier.number })}</h1>
      <p className="lead">
        {dossier.productName} · <StatusBadge status={dossier.status} />
      </p>
      {done ? (
        <Notice tone="success">{t(`milestone.done.${done}`)}</Notice>
      ) : null}
      <section className="panel" aria-labelledby="stages-title">
        <h2 id="stages-title" className="panel__title">
          {t("milestone.stages.title")}
        </h2>
        <p className="field__hint">{t("milestone.intro")}</p>
        <p>
          {clock ? (
            <>
              {t("milestone.current", {
                stage: t(`clock.stage.${clock.stage as StageName}`),
              })}{" "}
              <ClockBadge clock={clock} />
            </>
          ) : (
            t("milestone.noClock")
          )}
        </p>
        {dossier.supplementDueOn ? (
          <Notice tone="warning">
            {t("milestone.supplementDue", {
              date: formatDay(dossier.supplementDueOn, i18n.language),
            })}
          </Notice>
        ) : null}
        <p>
          {t("milestone.qms.title")}：{t(`milestone.qms.${data.qms}`)}
        </p>
        {data.certificate ? (
          <p>
            <Link to={`/certificates/${data.certificate.id}`}>
              {data.certificate.number}
            </Link>
          </p>
        ) : null}
        <Stages stages={data.stages} />
      </section>
      {data.letters.length > 0 ? (
        <section className="panel" aria-labelledby="notices-title">
          <h2 id="notices-title" className="panel__title">
            {t("milestone.notices.title")}
          </h2>
          <ul>
            {data.letters.map((l) => (
              <li key={l.id}>
                <Link to={`/dossiers/${dossier.id}/letters/${l.id}`}>
                  {t(`milestone.notices.${l.kind as "CORRECTION_NOTICE"}`, {
                    sequence: l.sequence,
                  })}
                </Link>{" "}
                · {formatDateTime(l.issuedAt, i18n.language)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <WindowActions data={data} />
      <Events events={data.events} />
    </>
  );
}
