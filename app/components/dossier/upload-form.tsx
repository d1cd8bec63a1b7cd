import { useRevalidator } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Notice } from "#app/components/forms/fields.tsx";
import { formatBytes } from "./file-size.ts";

/*
 * The upload form of an item (or of a gap reply). Without JavaScript it is a
 * plain multipart post; the upload route answers with a 303 back to the item
 * page (?uploaded=<version> or ?uploadError=<problem>). With JavaScript the
 * same FormData goes by XMLHttpRequest with `Accept: application/json`, so
 * the progress is real (upload.onprogress), then the page data is revalidated.
 */

const PROBLEMS = ["type", "size", "empty", "missing", "aborted", "malformed"] as const;
// Rule refusals the upload route may answer with (anything else shows the generic message).
const RULE_KEYS = ["dossierErrors.notEditable", "dossierErrors.notAllowed", "dossierErrors.changedMeanwhile", "errors.tooLong"] as const;

export const ACCEPTED_TYPES = ".pdf,.ofd,.png,.jpg,.jpeg,.zip,application/pdf,image/png,image/jpeg,application/zip";

/** The message key and params for an upload error code from the route (a problem or a rule's message key). */
export function uploadErrorMessage(
  t: TFunction,
  error: string,
  maxBytes: number,
  locale: string,
): string {
  if ((PROBLEMS as readonly string[]).includes(error)) return t(`dossierErrors.upload.${error}`, { limit: formatBytes(maxBytes, locale) });
  if ((RULE_KEYS as readonly string[]).includes(error)) return t(error);
  return t("review.item.upload.failed");
}

/** The upload route's JSON answer. */
type UploadAnswer = { ok: true; versionId: string; version: number } | { ok: false; error: string };

type Phase = { kind: "idle" } | { kind: "uploading"; percent: number } | { kind: "done"; version: number } | { kind: "error"; message: string };

export function UploadForm({
  action,
  maxBytes,
  gapId,
  withReplyText = false,
  submitLabel,
  onUploaded,
}: {
  /** The upload route of the item. */
  action: string;
  maxBytes: number;
  /** Set when the upload answers a gap. */
  gapId?: string;
  withReplyText?: boolean;
  submitLabel: string;
  /** Told the new version number after a successful upload (before the page data is revalidated). */
  onUploaded?: (version: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const revalidator = useRevalidator();
  const xhrRef = useRef<XMLHttpRequest | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  // The live region speaks in steps of 10 %, not at every progress event.
  const spokenPercent = phase.kind === "uploading" ? Math.floor(phase.percent / 10) * 10 : 0;

  useEffect(() => () => xhrRef.current?.abort(), []);

  const fail = (message: string) => setPhase({ kind: "error", message });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const file = (form.elements.namedItem("file") as HTMLInputElement | null)?.files?.[0];
    // Checked here too so a too-large file is refused before a byte is sent; the server decides anyway.
    if (!file) return fail(uploadErrorMessage(t, "missing", maxBytes, i18n.language));
    if (file.size === 0) return fail(uploadErrorMessage(t, "empty", maxBytes, i18n.language));
    if (file.size > maxBytes) return fail(uploadErrorMessage(t, "size", maxBytes, i18n.language));

    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    xhr.open("POST", action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "text";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setPhase({ kind: "uploading", percent: Math.min(100, Math.round((e.loaded / e.total) * 100)) });
    };
    xhr.onload = () => {
      xhrRef.current = null;
      let body: UploadAnswer | null;
      try {
        body = JSON.parse(xhr.responseText) as UploadAnswer;
      } catch {
        body = null;
      }
      if (xhr.status === 200 && body?.ok === true) {
        form.reset();
        setPhase({ kind: "done", version: body.version });
        onUploaded?.(body.version);
        revalidator.revalidate();
      } else {
        fail(body?.ok === false ? uploadErrorMessage(t, body.error, maxBytes, i18n.language) : t("review.item.upload.failed"));
      }
    };
    xhr.onerror = () => {
      xhrRef.current = null;
      fail(uploadErrorMessage(t, "aborted", maxBytes, i18n.language));
    };
    xhr.onabort = () => {
      xhrRef.current = null;
      setPhase({ kind: "error", message: t("review.item.upload.cancelled") });
    };
    setPhase({ kind: "uploading", percent: 0 });
    // FormData keeps the DOM order: the text fields come before the file part.
    xhr.send(new FormData(form));
  }

  const uploading = phase.kind === "uploading";
  return (
    <form method="post" encType="multipart/form-data" action={action} onSubmit={onSubmit} className="upload-form" noValidate>
      {gapId ? <input type="hidden" name="gapId" value={gapId} /> : null}
      {withReplyText ? (
        <div className="field">
          <label htmlFor={`${id}-reply`}>{t("review.item.upload.replyText")}</label>
          <textarea id={`${id}-reply`} name="replyText" rows={2} maxLength={4000} disabled={uploading} />
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-file`}>{t("review.item.upload.file")}</label>
        <p id={`${id}-hint`} className="field__hint">
          {t("review.item.upload.hint", { limit: formatBytes(maxBytes, i18n.language) })}
        </p>
        <input id={`${id}-file`} type="file" name="file" accept={ACCEPTED_TYPES} required aria-describedby={`${id}-hint`} disabled={uploading} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={uploading}>
          {uploading ? t("review.item.upload.uploading") : submitLabel}
        </button>
        {uploading ? (
          <button type="button" className="button button--secondary" onClick={() => xhrRef.current?.abort()}>
            {t("review.item.upload.cancel")}
          </button>
        ) : null}
      </div>
      {uploading ? (
        <div className="upload-progress">
          <progress id={`${id}-progress`} max={100} value={phase.percent} aria-label={t("review.item.upload.progressLabel")} />
          <span aria-hidden="true">{t("review.item.upload.progress", { percent: String(phase.percent) })}</span>
        </div>
      ) : null}
      <p className="visually-hidden" aria-live="polite" aria-atomic="true">
        {uploading ? t("review.item.upload.progress", { percent: String(spokenPercent) }) : ""}
      </p>
      {phase.kind === "done" ? <Notice tone="success">{t("review.item.upload.done", { version: String(phase.version) })}</Notice> : null}
      {phase.kind === "error" ? (
        <div className="error-summary" role="alert">
          <p className="error-summary__title">{phase.message}</p>
        </div>
      ) : null}
    </form>
  );
}
