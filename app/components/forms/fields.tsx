import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";
import type { FieldError, FieldErrors, UseFormRegisterReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";

interface FieldProps {
  label: string;
  hint?: string;
  error?: FieldError | string;
  required?: boolean;
  registration?: UseFormRegisterReturn;
}

function errorText(error: FieldProps["error"]): string | undefined {
  if (!error) return undefined;
  return typeof error === "string" ? error : error.message;
}

/** Label, hint and error around one control; the error is announced and linked by aria-describedby. */
export function FieldShell({
  label,
  hint,
  error,
  required,
  children,
}: Omit<FieldProps, "registration"> & { children: (control: { id: string; describedBy?: string; invalid?: true }) => ReactNode }) {
  const { t } = useTranslation();
  const id = useId();
  const message = errorText(error);
  const describedBy = [hint ? `${id}-hint` : null, message ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={`field${message ? " field--error" : ""}`}>
      <label htmlFor={id}>
        {label}
        {required ? <span className="field__req"> *<span className="visually-hidden">{t("common.required")}</span></span> : null}
      </label>
      {hint ? <p id={`${id}-hint`} className="field__hint">{hint}</p> : null}
      {children({ id, describedBy: describedBy || undefined, invalid: message ? true : undefined })}
      {message ? (
        <p id={`${id}-error`} className="field__error" role="alert">
          {t(message)}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled input with its hint and error next to it. */
export function TextField({ label, hint, error, required, registration, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldShell label={label} hint={hint} error={error} required={required}>
      {(c) => <input id={c.id} aria-invalid={c.invalid} aria-describedby={c.describedBy} required={required} {...input} {...registration} />}
    </FieldShell>
  );
}

export function SelectField({
  label,
  hint,
  error,
  required,
  registration,
  children,
  ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  return (
    <FieldShell label={label} hint={hint} error={error} required={required}>
      {(c) => (
        <select id={c.id} aria-invalid={c.invalid} aria-describedby={c.describedBy} required={required} {...select} {...registration}>
          {children}
        </select>
      )}
    </FieldShell>
  );
}

/** The error summary at the top of a form (GOV.UK pattern): every error once, in order. */
export function ErrorSummary({ errors, labels }: { errors: FieldErrors; labels: Record<string, string> }) {
  const { t } = useTranslation();
  const entries = Object.entries(errors).filter(([, e]) => e?.message);
  if (entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      <p className="error-summary__title">{t("errors.formSummary", { count: entries.length })}</p>
      <ul>
        {entries.map(([name, e]) => (
          <li key={name}>
            {labels[name] ? `${labels[name]}：` : ""}
            {t(String(e?.message))}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Notice({ children, tone = "info" }: { children: ReactNode; tone?: "info" | "success" | "warning" }) {
  return (
    <div className={`notice notice--${tone}`} role="status">
      {children}
    </div>
  );
}
