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
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { now } from "#app/.server/clock.ts";
import { requireRole, type SessionUser } from "#app/.server/auth.ts";
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
  MILESTONE_INTENTS,
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
  type MilestoneIntent,
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

type FieldSpec =
  | {
      kind: "text";
      name: string;
      label: string;
      hint?: string;
      rows: number;
      required?: boolean;
      maxLength?: number;
    }
  | {
      kind: "choice";
      name: string;
      label: string;
      options: readonly string[];
      optionLabels: string;
    };

interface MilestoneFormSpec {
  schema: z.ZodType;
  fields: readonly FieldSpec[];
  /** The field that starts from the unresolved questions (一次性告知: one notice lists everything). */
  prefill?: string;
  danger?: boolean;
}

const NOTE: FieldSpec = {
  kind: "text",
  name: "note",
  label: "milestone.fields.note",
  rows: 2,
  maxLength: 2000,
};
const REASON = (rows: number): FieldSpec => ({
  kind: "text",
  name: "reason",
  label: "milestone.fields.reason",
  rows,
  required: true,
});

/**
 * The window's milestones on this page, in the order they are offered, with
 * their forms; 受理 / 容缺受理 stays on the overview beside the completeness
 * check. The keys are the posted intents.
 */
const MILESTONE_FORMS = {
  handover: { schema: ZVersionOnly, fields: [] },
  returnForCorrection: {
    schema: ZReturnForCorrection,
    prefill: "defects",
    fields: [
      {
        kind: "text",
        name: "defects",
        label: "milestone.fields.defects",
        hint: "milestone.fields.defectsHelp",
        rows: 6,
        required: true,
      },
      NOTE,
    ],
  },
  notAccept: { schema: ZNotAccept, danger: true, fields: [REASON(3)] },
  requestSupplement: {
    schema: ZRequestSupplement,
    prefill: "items",
    fields: [
      {
        kind: "text",
        name: "items",
        label: "milestone.fields.items",
        hint: "milestone.fields.itemsHelp",
        rows: 6,
        required: true,
      },
      NOTE,
    ],
  },
  supplementReceived: { schema: ZSupplementReceived, fields: [NOTE] },
  qmsStart: { schema: ZQmsStart, fields: [NOTE] },
  qmsFinish: {
    schema: ZQmsFinish,
    fields: [
      {
        kind: "choice",
        name: "result",
        label: "milestone.fields.result",
        options: QMS_RESULTS,
        optionLabels: "milestone.qmsResult",
      },
      NOTE,
    ],
  },
  conclude: {
    schema: ZConclude,
    fields: [
      {
        kind: "choice",
        name: "recommendation",
        label: "milestone.fields.recommendation",
        options: CONCLUSIONS,
        optionLabels: "milestone.conclusions",
      },
      {
        kind: "text",
        name: "summary",
        label: "milestone.fields.summary",
        rows: 3,
        required: true,
      },
    ],
  },
  decide: {
    schema: ZDecide,
    fields: [
      {
        kind: "choice",
        name: "decision",
        label: "milestone.fields.decision",
        options: CONCLUSIONS,
        optionLabels: "milestone.decisions",
      },
      {
        kind: "text",
        name: "reason",
        label: "milestone.fields.decisionReason",
        rows: 2,
      },
    ],
  },
  terminate: { schema: ZTerminate, danger: true, fields: [REASON(2)] },
} satisfies Record<MilestoneIntent, MilestoneFormSpec>;

type Intent = MilestoneIntent;
const INTENTS = MILESTONE_INTENTS;
/** Every milestone is the window's. */
const INTENT_ROLES = Object.fromEntries(
  INTENTS.map((i) => [i, ["WINDOW"]]),
) as unknown as Record<Intent, readonly Role[]>;

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

/** Each milestone's domain function (action only: the browser bundle never sees them). */
const STEPS: {
  [I in Intent]: (
    user: SessionUser,
    dossierId: string,
    input: z.output<(typeof MILESTONE_FORMS)[I]["schema"]>,
  ) => Promise<unknown>;
} = {
  returnForCorrection,
  notAccept: notAcceptDossier,
  handover: handOver,
  requestSupplement,
  supplementReceived: receiveSupplement,
  qmsStart: startQms,
  qmsFinish: finishQms,
  conclude: concludeReview,
  decide: decideDossier,
  terminate: terminateDossier,
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, VIEW_ROLES);
  const dossier = await requireDossier(user, request, params.dossierId);
  const intent = await requireIntent(user, request, dossier.id, INTENT_ROLES);
  const parsed = await parseForm(request, MILESTONE_FORMS[intent].schema);
  if (!parsed.ok) return parsed.response;
  const step = STEPS[intent] as (
    user: SessionUser,
    dossierId: string,
    input: unknown,
  ) => Promise<unknown>;
  const result = await withDossierErrors(parsed.formData, () =>
    step(user, dossier.id, parsed.data),
  );
  if (!result.ok) return result.response;
  return redirect(`/dossiers/${dossier.id}/progress?done=${intent}`);
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
function MilestoneForm({
  intent,
  version,
  prefill,
}: {
  intent: Intent;
  version: number;
  prefill: string;
}) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const spec: MilestoneFormSpec = MILESTONE_FORMS[intent];
  const defaults: Record<string, string> = { version: String(version) };
  if (spec.prefill) defaults[spec.prefill] = prefill;
  // The version travels in a registered hidden field: react-hook-form validates only what it knows.
  const { register, errors, onSubmit, serverErrors } = useValidatedForm(
    spec.schema as z.ZodType<Record<string, unknown>, Record<string, unknown>>,
    {
      defaultValues: defaults,
      owns: (values) => values.intent === intent,
    },
  );
  const field = (name: string) => register(name as never);
  const errorOf = (name: string) =>
    (errors as Record<string, { message?: string } | undefined>)[name]?.message;
  return (
    <details open={!!serverErrors}>
      <summary>{t(`milestone.actions.${intent}`)}</summary>
      {serverErrors?.form ? (
        <Notice tone="warning">{t(serverErrors.form[0]!)}</Notice>
      ) : null}
      <Form method="post" noValidate onSubmit={onSubmit}>
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" {...field("version")} />
        {spec.fields.map((f) =>
          f.kind === "choice" ? (
            <SelectField
              key={f.name}
              label={t(f.label)}
              required
              registration={field(f.name)}
              error={errorOf(f.name)}
            >
              <option value="">{t("milestone.fields.choose")}</option>
              {f.options.map((o) => (
                <option key={o} value={o}>
                  {t(`${f.optionLabels}.${o}`)}
                </option>
              ))}
            </SelectField>
          ) : (
            <TextAreaField
              key={f.name}
              label={t(f.label)}
              hint={f.hint ? t(f.hint) : undefined}
              required={f.required}
              rows={f.rows}
              maxLength={f.maxLength}
              registration={field(f.name)}
              error={errorOf(f.name)}
            />
          ),
        )}
        <button
          type="submit"
          className={spec.danger ? "button button--danger" : "button"}
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
  const any = INTENTS.some((i) => can[i]) || data.canIssueCertificate;
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
      <Fragment key={dossier.version}>
        {INTENTS.filter((i) => can[i]).map((intent) => (
          <MilestoneForm
            key={intent}
            intent={intent}
            version={dossier.version}
            prefill={prefill}
          />
        ))}
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
