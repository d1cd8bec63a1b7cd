import { useState } from "react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { denied, requireRole } from "#app/.server/auth.ts";
import type { GapState, Role } from "#app/.server/db.ts";
import { prisma } from "#app/.server/db.ts";
import { env } from "#app/.server/env.ts";
import { formFailure, zodFieldErrors } from "#app/.server/forms.ts";
import { formatBytes } from "#app/components/dossier/file-size.ts";
import { TextAreaField } from "#app/components/forms/more-fields.tsx";
import { UploadForm, uploadErrorMessage } from "#app/components/dossier/upload-form.tsx";
import { Notice } from "#app/components/forms/fields.tsx";
import { itemAwaitsDeferredDocument } from "#app/modules/deferral/deferral-lifecycle.server.ts";
import { CHAPTERS } from "#app/modules/dossier/dossier-constants.ts";
import { ZFlagGap, ZGapReply, ZNotApplicable } from "#app/modules/dossier/dossier.schema.ts";
import { setNotApplicable } from "#app/modules/dossier/edit-dossier.server.ts";
import { flagGap, markItemComplete, moveGap, replyToGap } from "#app/modules/dossier/gaps.server.ts";
import { requireItem } from "#app/modules/dossier/load-dossier.server.ts";
import { withDossierErrors } from "#app/modules/dossier/route-errors.server.ts";
import { EDITABLE, PRE_DECISION } from "#app/modules/dossier/transitions.ts";
import { formatDateTime } from "#app/utils/format.ts";

const VIEWERS: Role[] = ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"];
const UNRESOLVED: GapState[] = ["OPEN", "REOPENED", "RESPONDED"];

/** Who may post which intent; a viewing role posting anything else gets a 403. */
const INTENT_ROLES = {
  notApplicable: ["APPLICANT"],
  clearNotApplicable: ["APPLICANT"],
  reply: ["APPLICANT"],
  flag: ["ADVISOR"],
  complete: ["ADVISOR"],
  resolve: ["ADVISOR"],
  reopen: ["ADVISOR"],
} as const satisfies Record<string, readonly Role[]>;
type Intent = keyof typeof INTENT_ROLES;
const ZIntent = z.enum(Object.keys(INTENT_ROLES) as [Intent, ...Intent[]]);
const ZGapId = z.object({ gapId: z.uuid("errors.required") });
const ZReplyText = ZGapReply.extend({ text: ZGapReply.shape.text.pipe(z.string().min(1, "errors.required")) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, VIEWERS);
  const { dossier, item } = await requireItem(user, request, params.dossierId, params.itemId);
  const [versions, gaps] = await Promise.all([
    prisma.documentVersion.findMany({
      where: { itemId: item.id },
      orderBy: { version: "desc" },
      include: { uploadedBy: { select: { name: true } } },
    }),
    prisma.gap.findMany({
      where: { itemId: item.id },
      orderBy: { createdAt: "asc" },
      include: {
        author: { select: { name: true } },
        events: { orderBy: { createdAt: "asc" }, include: { actor: { select: { name: true } } } },
      },
    }),
  ]);
  const versionNumber = new Map(versions.map((v) => [v.id, v.version]));
  const editable = EDITABLE.includes(dossier.status);
  // After 容缺受理 the applicant still supplies a deferred document here (addDocumentVersion allows it).
  const deferredDue =
    user.role === "APPLICANT" && !editable && PRE_DECISION.includes(dossier.status) ? await itemAwaitsDeferredDocument(prisma, item.id) : false;
  const reviewing = user.role === "ADVISOR" && dossier.advisorId === user.id && PRE_DECISION.includes(dossier.status);
  const openGaps = gaps.filter((g) => UNRESOLVED.includes(g.state)).length;
  return {
    dossier: { id: dossier.id, number: dossier.number, productName: dossier.productName, status: dossier.status, version: dossier.version },
    item: {
      id: item.id,
      code: item.code,
      titleZh: item.titleZh,
      titleEn: item.titleEn,
      chapter: item.chapter,
      requirement: item.requirement,
      notApplicableReason: item.notApplicableReason,
      review: item.review,
      reviewedAt: item.reviewedAt,
    },
    versions: versions.map((v) => ({
      id: v.id,
      version: v.version,
      originalName: v.originalName,
      size: Number(v.size),
      sha256: v.sha256,
      mediaType: v.mediaType,
      uploader: v.uploadedBy.name,
      createdAt: v.createdAt,
    })),
    gaps: gaps.map((g) => ({
      id: g.id,
      severity: g.severity,
      state: g.state,
      text: g.text,
      author: g.author.name,
      createdAt: g.createdAt,
      events: g.events.map((e) => ({
        id: e.id,
        kind: e.kind,
        text: e.text,
        actor: e.actor.name,
        createdAt: e.createdAt,
        document: e.documentVersionId ? { id: e.documentVersionId, version: versionNumber.get(e.documentVersionId) ?? null } : null,
      })),
    })),
    can: {
      upload: user.role === "APPLICANT" && (editable || deferredDue),
      notApplicable: user.role === "APPLICANT" && editable && item.requirement === "CR",
      // The domain would take a reply in any state; after a decision or withdrawal the page no longer offers it.
      reply: user.role === "APPLICANT" && PRE_DECISION.includes(dossier.status),
      review: reviewing,
      complete: reviewing && item.review === "PENDING" && openGaps === 0 && (versions.length > 0 || !!item.notApplicableReason),
    },
    maxBytes: env().UPLOAD_MAX_BYTES,
  };
}

function check<S extends z.ZodType>(formData: FormData, schema: S) {
  const input = Object.fromEntries([...formData.entries()].filter(([, v]) => typeof v === "string"));
  const result = schema.safeParse(input);
  return result.success ? { ok: true as const, data: result.data as z.output<S> } : { ok: false as const, response: formFailure(formData, zodFieldErrors(result.error)) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, VIEWERS);
  const { dossier, item } = await requireItem(user, request, params.dossierId, params.itemId);
  const formData = await request.formData();
  const intent = ZIntent.safeParse(formData.get("intent"));
  if (!intent.success) throw data({ reason: "bad-intent" }, { status: 400 });
  if (!(INTENT_ROLES[intent.data] as readonly Role[]).includes(user.role)) {
    await denied(user, request, `intent:${intent.data}`, "dossier-item", item.id);
    throw data({ reason: "forbidden" }, { status: 403 });
  }
  const done = (key: string) => ({ done: key, intent: intent.data, gapId: String(formData.get("gapId") ?? "") });

  switch (intent.data) {
    case "notApplicable":
    case "clearNotApplicable": {
      const parsed = check(formData, ZNotApplicable);
      if (!parsed.ok) return parsed.response;
      const reason = intent.data === "clearNotApplicable" ? "" : parsed.data.reason;
      if (intent.data === "notApplicable" && !reason) return formFailure(formData, { reason: ["dossierErrors.reasonRequired"] });
      const result = await withDossierErrors(formData, () => setNotApplicable(user, dossier.id, item.id, parsed.data.version, reason));
      if (!result.ok) return result.response;
      return done(reason ? "review.item.notApplicable.saved" : "review.item.notApplicable.cleared");
    }
    case "reply": {
      const parsed = check(formData, ZGapId.and(ZReplyText));
      if (!parsed.ok) return parsed.response;
      const result = await withDossierErrors(formData, () => replyToGap(user, dossier.id, parsed.data.gapId, parsed.data.text));
      if (!result.ok) return result.response;
      return done("review.item.gaps.replied");
    }
    case "flag": {
      const parsed = check(formData, ZFlagGap);
      if (!parsed.ok) return parsed.response;
      const result = await withDossierErrors(formData, () => flagGap(user, dossier.id, item.id, parsed.data));
      if (!result.ok) return result.response;
      return done("review.item.review.flagged");
    }
    case "complete": {
      const result = await withDossierErrors(formData, () => markItemComplete(user, dossier.id, item.id));
      if (!result.ok) return result.response;
      return done("review.item.review.completed");
    }
    case "resolve":
    case "reopen": {
      const parsed = check(formData, ZGapId.and(ZGapReply));
      if (!parsed.ok) return parsed.response;
      const move = intent.data;
      const result = await withDossierErrors(formData, () => moveGap(user, dossier.id, parsed.data.gapId, move, parsed.data.text || undefined));
      if (!result.ok) return result.response;
      return done(move === "resolve" ? "review.item.gaps.resolved" : "review.item.gaps.reopened");
    }
  }
}

interface ActionResult {
  done?: string;
  intent?: string;
  gapId?: string;
  errors?: Record<string, string[]>;
  values?: Record<string, string>;
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type GapView = LoaderData["gaps"][number];

const STATE_TONE: Record<GapState, string> = { OPEN: "amber", REOPENED: "amber", RESPONDED: "grey", RESOLVED: "green" };
const SEVERITY_TONE = { MUST: "red", SHOULD: "grey" } as const;

/** The action's answer for one form on the page: its errors, the values to keep, and whether it just succeeded. */
function useFormResult(intents: readonly string[], gapId?: string) {
  const actionData = useActionData<ActionResult>();
  const mine = !!actionData && intents.includes(actionData.done ? actionData.intent ?? "" : actionData.values?.intent ?? "") &&
    (gapId === undefined || (actionData.done ? actionData.gapId : actionData.values?.gapId) === gapId);
  return {
    done: mine && actionData?.done ? actionData.done : null,
    errors: mine ? actionData?.errors ?? {} : {},
    values: mine ? actionData?.values ?? {} : {},
    actionData,
  };
}

/** Clears a form after its own successful post (with JS the DOM would otherwise keep the text). */
function useResetOnDone(done: string | null, actionData: unknown) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (done) ref.current?.reset();
  }, [done, actionData]);
  return ref;
}

/** The page's own path without its query, so a post does not carry an old ?uploaded / ?uploadError notice along. */
function usePostPath() {
  return useLocation().pathname;
}

function FormError({ errors }: { errors: Record<string, string[]> }) {
  const { t } = useTranslation();
  if (!errors.form?.[0]) return null;
  return (
    <div className="error-summary" role="alert">
      <p className="error-summary__title">{t(errors.form[0])}</p>
    </div>
  );
}

export default function ItemPage() {
  const { t, i18n } = useTranslation();
  const { dossier, item, versions, gaps, can, maxBytes } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const en = i18n.language === "en";
  const title = en ? item.titleEn : item.titleZh;
  const chapter = CHAPTERS[item.chapter];
  const base = `/dossiers/${dossier.id}`;
  const uploadAction = `${base}/items/${item.id}/upload`;
  const uploaded = params.get("uploaded");
  const uploadError = params.get("uploadError");
  const unresolved = gaps.filter((g) => g.state !== "RESOLVED").length;
  // The upload that fulfils a deferred document closes the upload section with it; its confirmation then shows here.
  const [lastUpload, setLastUpload] = useState<number | null>(null);

  return (
    <>
      <nav aria-label={t("review.item.breadcrumb")} className="breadcrumb">
        <Link to={base}>
          ← {dossier.number} · {dossier.productName}
        </Link>
      </nav>
      <div className="page-head">
        <h1>
          <span className="item-code">{item.code}</span> {title}
        </h1>
        <span className={`badge badge--${item.review === "LOOKS_COMPLETE" ? "green" : "grey"}`}>{t(`itemReview.${item.review}`)}</span>
      </div>
      <section className="panel review-section" aria-label={t("review.item.factsLabel")}>
        <dl className="facts">
          <dt>{t("review.item.dossier")}</dt>
          <dd>
            <Link to={base}>{dossier.number}</Link> · {t(`dossierStatus.${dossier.status}`)}
          </dd>
          {chapter ? (
            <>
              <dt>{t("review.item.chapter")}</dt>
              <dd>{en ? chapter.en : chapter.zh}</dd>
            </>
          ) : null}
          <dt>{t("review.item.requirement")}</dt>
          <dd>
            <strong>{t(`requirement.${item.requirement}`)}</strong> — {t(`requirementHint.${item.requirement}`)}
          </dd>
          <dt>{t("review.item.openGaps")}</dt>
          <dd>{unresolved}</dd>
          {item.notApplicableReason ? (
            <>
              <dt>{t("review.item.notApplicable.current")}</dt>
              <dd className="pre-wrap">{item.notApplicableReason}</dd>
            </>
          ) : null}
        </dl>
      </section>

      {uploaded && /^\d{1,6}$/.test(uploaded) ? <Notice tone="success">{t("review.item.upload.done", { version: uploaded })}</Notice> : null}
      {lastUpload !== null && !can.upload ? <Notice tone="success">{t("review.item.upload.done", { version: String(lastUpload) })}</Notice> : null}
      {uploadError ? (
        <div className="error-summary" role="alert">
          <p className="error-summary__title">{uploadErrorMessage(t, uploadError, maxBytes, i18n.language)}</p>
        </div>
      ) : null}

      <Versions versions={versions} base={base} />

      {can.upload ? (
        <section className="panel review-section" aria-labelledby="upload-title">
          <h2 id="upload-title">{t("review.item.upload.title")}</h2>
          <p className="lead">{t("review.item.upload.intro")}</p>
          <UploadForm action={uploadAction} maxBytes={maxBytes} submitLabel={t("review.item.upload.submit")} onUploaded={setLastUpload} />
        </section>
      ) : null}

      {can.notApplicable ? <NotApplicableForm reason={item.notApplicableReason} version={dossier.version} /> : null}

      <section className="panel review-section" aria-labelledby="gaps-title">
        <h2 id="gaps-title">{t("review.item.gaps.title")}</h2>
        {gaps.length === 0 ? <p>{t("review.item.gaps.empty")}</p> : null}
        {gaps.map((gap, index) => (
          <GapCard key={gap.id} gap={gap} index={index + 1} base={base} canReply={can.reply} canReview={can.review} uploadAction={uploadAction} maxBytes={maxBytes} />
        ))}
      </section>

      {can.review ? <ReviewPanel canComplete={can.complete} review={item.review} /> : null}
    </>
  );
}

function Versions({ versions, base }: { versions: LoaderData["versions"]; base: string }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="panel table-wrap review-section" aria-labelledby="versions-title">
      <h2 id="versions-title">{t("review.item.versions.title")}</h2>
      {versions.length === 0 ? (
        <p>{t("review.item.versions.empty")}</p>
      ) : (
        <table className="data" data-testid="versions">
          <thead>
            <tr>
              <th scope="col">{t("review.item.versions.version")}</th>
              <th scope="col">{t("review.item.versions.name")}</th>
              <th scope="col">{t("review.item.versions.size")}</th>
              <th scope="col">{t("review.item.versions.sha256")}</th>
              <th scope="col">{t("review.item.versions.uploader")}</th>
              <th scope="col">{t("review.item.versions.time")}</th>
              <th scope="col">{t("common.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <td>{t("review.item.versions.number", { version: String(v.version) })}</td>
                <td className="file-name">{v.originalName}</td>
                <td>{formatBytes(v.size, i18n.language)}</td>
                <td>
                  <code className="sha256">{v.sha256}</code>
                </td>
                <td>{v.uploader}</td>
                <td>{formatDateTime(v.createdAt, i18n.language)}</td>
                <td className="row-actions">
                  <a href={`${base}/documents/${v.id}`} download>
                    {t("review.item.versions.download")}
                    <span className="visually-hidden"> {t("review.item.versions.number", { version: String(v.version) })}</span>
                  </a>
                  {v.mediaType === "application/pdf" ? (
                    <a href={`${base}/documents/${v.id}?inline=1`} target="_blank" rel="noopener noreferrer">
                      {t("review.item.versions.preview")}
                      <span className="visually-hidden">
                        {" "}
                        {t("review.item.versions.number", { version: String(v.version) })} {t("review.item.versions.newTab")}
                      </span>
                    </a>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function NotApplicableForm({ reason, version }: { reason: string | null; version: number }) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const postPath = usePostPath();
  const { done, errors, values, actionData } = useFormResult(["notApplicable", "clearNotApplicable"]);
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    // After a save the field shows the stored reason again (the loader's value).
    if (done && ref.current) (ref.current.elements.namedItem("reason") as HTMLTextAreaElement).value = reason ?? "";
  }, [done, actionData, reason]);
  return (
    <section className="panel review-section" aria-labelledby="na-title">
      <h2 id="na-title">{t("review.item.notApplicable.title")}</h2>
      <p className="lead">{t("review.item.notApplicable.intro")}</p>
      {done ? <Notice tone="success">{t(done)}</Notice> : null}
      <FormError errors={errors} />
      <Form method="post" action={postPath} ref={ref} noValidate>
        <input type="hidden" name="version" value={version} />
        <TextAreaField
          label={t("review.item.notApplicable.reason")}
          name="reason"
          maxLength={2000}
          defaultValue={values.reason ?? reason ?? ""}
          error={errors.reason?.[0]}
        />
        <div className="form-actions">
          <button type="submit" name="intent" value="notApplicable" className="button" disabled={busy}>
            {t("review.item.notApplicable.save")}
          </button>
          {reason ? (
            <button type="submit" name="intent" value="clearNotApplicable" className="button button--secondary" disabled={busy}>
              {t("review.item.notApplicable.clear")}
            </button>
          ) : null}
        </div>
      </Form>
    </section>
  );
}

function GapCard({
  gap,
  index,
  base,
  canReply,
  canReview,
  uploadAction,
  maxBytes,
}: {
  gap: GapView;
  index: number;
  base: string;
  canReply: boolean;
  canReview: boolean;
  uploadAction: string;
  maxBytes: number;
}) {
  const { t, i18n } = useTranslation();
  const titleId = `gap-${gap.id}-title`;
  const resolved = gap.state === "RESOLVED";
  return (
    <article className={`gap gap--${gap.state.toLowerCase()}`} id={`gap-${gap.id}`} aria-labelledby={titleId}>
      <h3 id={titleId} className="gap__title">
        {t("review.item.gaps.number", { number: String(index) })}{" "}
        <span className={`badge badge--${SEVERITY_TONE[gap.severity]}`}>{t(`gapSeverity.${gap.severity}`)}</span>{" "}
        <span className={`badge badge--${STATE_TONE[gap.state]}`}>
          <span className="visually-hidden">{t("review.item.gaps.state")}: </span>
          {t(`gapState.${gap.state}`)}
        </span>
      </h3>
      <p className="pre-wrap gap__text">{gap.text}</p>
      <p className="field__hint">{t("review.item.gaps.raisedBy", { name: gap.author, time: formatDateTime(gap.createdAt, i18n.language) })}</p>
      <h4 className="gap__history-title">{t("review.item.gaps.history")}</h4>
      <ol className="gap__events">
        {gap.events.map((e) => (
          <li key={e.id}>
            <strong>{e.actor}</strong> · {t(`review.item.gapEvent.${e.kind}`)} · <span className="field__hint">{formatDateTime(e.createdAt, i18n.language)}</span>
            {e.text ? <p className="pre-wrap gap__event-text">{e.text}</p> : null}
            {e.document ? (
              <p className="gap__event-text">
                <a href={`${base}/documents/${e.document.id}`} download>
                  {e.document.version === null
                    ? t("review.item.gaps.linkedDocument")
                    : t("review.item.gaps.linkedVersion", { version: String(e.document.version) })}
                </a>
              </p>
            ) : null}
          </li>
        ))}
      </ol>
      {canReply && !resolved ? <ReplyForms gapId={gap.id} uploadAction={uploadAction} maxBytes={maxBytes} /> : null}
      {canReview ? <MoveGapForm gapId={gap.id} state={gap.state} /> : null}
    </article>
  );
}

function ReplyForms({ gapId, uploadAction, maxBytes }: { gapId: string; uploadAction: string; maxBytes: number }) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const postPath = usePostPath();
  const { done, errors, values, actionData } = useFormResult(["reply"], gapId);
  const ref = useResetOnDone(done, actionData);
  return (
    <div className="gap__reply">
      {done ? <Notice tone="success">{t(done)}</Notice> : null}
      <FormError errors={errors} />
      <Form method="post" action={postPath} ref={ref} noValidate>
        <input type="hidden" name="gapId" value={gapId} />
        <TextAreaField label={t("review.item.gaps.replyText")} name="text" required maxLength={4000} defaultValue={values.text ?? ""} error={errors.text?.[0]} />
        <button type="submit" name="intent" value="reply" className="button button--secondary" disabled={busy}>
          {t("review.item.gaps.reply")}
        </button>
      </Form>
      <details className="gap__upload">
        <summary>{t("review.item.gaps.replyWithFile")}</summary>
        <UploadForm action={uploadAction} maxBytes={maxBytes} gapId={gapId} withReplyText submitLabel={t("review.item.gaps.replyUpload")} />
      </details>
    </div>
  );
}

function MoveGapForm({ gapId, state }: { gapId: string; state: GapState }) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const postPath = usePostPath();
  const { done, errors, values, actionData } = useFormResult(["resolve", "reopen"], gapId);
  const ref = useResetOnDone(done, actionData);
  const canResolve = state !== "RESOLVED";
  const canReopen = state === "RESPONDED" || state === "RESOLVED";
  if (!canResolve && !canReopen) return null;
  return (
    <div className="gap__reply">
      {done ? <Notice tone="success">{t(done)}</Notice> : null}
      <FormError errors={errors} />
      <Form method="post" action={postPath} ref={ref} noValidate>
        <input type="hidden" name="gapId" value={gapId} />
        <TextAreaField label={t("review.item.gaps.comment")} name="text" maxLength={4000} defaultValue={values.text ?? ""} error={errors.text?.[0]} />
        <div className="form-actions">
          {canResolve ? (
            <button type="submit" name="intent" value="resolve" className="button" disabled={busy}>
              {t("review.item.gaps.resolve")}
            </button>
          ) : null}
          {canReopen ? (
            <button type="submit" name="intent" value="reopen" className="button button--secondary" disabled={busy}>
              {t("review.item.gaps.reopen")}
            </button>
          ) : null}
        </div>
      </Form>
    </div>
  );
}

function ReviewPanel({ canComplete, review }: { canComplete: boolean; review: "PENDING" | "LOOKS_COMPLETE" }) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const postPath = usePostPath();
  const complete = useFormResult(["complete"]);
  const flag = useFormResult(["flag"]);
  const ref = useResetOnDone(flag.done, flag.actionData);
  const severity = flag.values.severity ?? "MUST";
  return (
    <section className="panel review-section" aria-labelledby="review-title">
      <h2 id="review-title">{t("review.item.review.title")}</h2>
      <h3>{t("review.item.review.completeTitle")}</h3>
      {complete.done ? <Notice tone="success">{t(complete.done)}</Notice> : null}
      <FormError errors={complete.errors} />
      {review === "LOOKS_COMPLETE" ? (
        <p>
          <span className="badge badge--green">{t("itemReview.LOOKS_COMPLETE")}</span> {t("review.item.review.alreadyComplete")}
        </p>
      ) : canComplete ? (
        <Form method="post" action={postPath}>
          <p>{t("review.item.review.completeIntro")}</p>
          <button type="submit" name="intent" value="complete" className="button" disabled={busy}>
            {t("review.item.review.complete")}
          </button>
        </Form>
      ) : (
        <p>{t("review.item.review.cannotComplete")}</p>
      )}

      <h3>{t("review.item.review.flagTitle")}</h3>
      {flag.done ? <Notice tone="success">{t(flag.done)}</Notice> : null}
      <FormError errors={flag.errors} />
      <Form method="post" action={postPath} ref={ref} noValidate>
        <TextAreaField label={t("review.item.review.flagText")} name="text" required rows={4} maxLength={4000} defaultValue={flag.values.text ?? ""} error={flag.errors.text?.[0]} />
        <fieldset className={flag.errors.severity ? "field--error" : undefined}>
          <legend>{t("review.item.review.severity")}</legend>
          {(["MUST", "SHOULD"] as const).map((s) => (
            <label key={s} className="choice">
              <input type="radio" name="severity" value={s} defaultChecked={severity === s} /> {t(`gapSeverity.${s}`)}
            </label>
          ))}
          {flag.errors.severity?.[0] ? (
            <p className="field__error" role="alert">
              {t(flag.errors.severity[0])}
            </p>
          ) : null}
        </fieldset>
        <button type="submit" name="intent" value="flag" className="button" disabled={busy}>
          {t("review.item.review.flag")}
        </button>
      </Form>
    </section>
  );
}
