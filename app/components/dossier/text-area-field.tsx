import { useId, type TextareaHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";

/** A labelled textarea with hint and error (message key), the same markup as TextField. */
export function TextAreaField({
  label,
  hint,
  error,
  required,
  ...textarea
}: { label: string; hint?: string; error?: string; required?: boolean } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { t } = useTranslation();
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={id}>
        {label}
        {required ? (
          <span className="field__req">
            {" "}
            *<span className="visually-hidden">{t("common.required")}</span>
          </span>
        ) : null}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      <textarea id={id} rows={3} aria-required={required || undefined} aria-invalid={error ? true : undefined} aria-describedby={describedBy || undefined} {...textarea} />
      {error ? (
        <p id={`${id}-error`} className="field__error" role="alert">
          {t(error)}
        </p>
      ) : null}
    </div>
  );
}
