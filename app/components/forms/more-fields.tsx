import { useId, type InputHTMLAttributes, type TextareaHTMLAttributes } from "react";
import type { FieldError, UseFormRegisterReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { FieldShell } from "./fields.tsx";

/*
 * More field wrappers in the look of fields.tsx: a textarea, and radio and
 * checkbox groups (a fieldset whose legend is the label). Errors are message
 * keys, translated here, announced and linked by aria-describedby.
 */

interface BaseProps {
  label: string;
  hint?: string;
  error?: FieldError | string;
  required?: boolean;
}

function errorText(error: BaseProps["error"]): string | undefined {
  if (!error) return undefined;
  return typeof error === "string" ? error : error.message;
}

function RequiredMark({ required }: { required?: boolean }) {
  const { t } = useTranslation();
  if (!required) return null;
  return (
    <span className="field__req">
      {" "}*<span className="visually-hidden">{t("common.required")}</span>
    </span>
  );
}

function describedBy(id: string, hint?: string, message?: string) {
  return [hint ? `${id}-hint` : null, message ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

function ErrorLine({ id, message }: { id: string; message?: string }) {
  const { t } = useTranslation();
  if (!message) return null;
  return (
    <p id={`${id}-error`} className="field__error" role="alert">
      {t(message)}
    </p>
  );
}

/** A labelled textarea with its hint and error next to it. */
export function TextAreaField({
  label,
  hint,
  error,
  required,
  registration,
  rows = 4,
  ...textarea
}: BaseProps & { registration?: UseFormRegisterReturn } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldShell label={label} hint={hint} error={error} required={required}>
      {(c) => <textarea id={c.id} rows={rows} aria-invalid={c.invalid} aria-describedby={c.describedBy} required={required} {...textarea} {...registration} />}
    </FieldShell>
  );
}

interface Option {
  value: string;
  label: string;
  hint?: string;
  /** Rendered as defaultChecked, so the server-rendered page shows the choice before (or without) JavaScript. */
  checked?: boolean;
}

/** Radio buttons or checkboxes in a fieldset; the legend is the question. */
function ChoiceGroup({
  type,
  label,
  hint,
  error,
  required,
  registration,
  options,
  inline,
  ...input
}: BaseProps & {
  type: "radio" | "checkbox";
  registration?: UseFormRegisterReturn;
  options: readonly Option[];
  inline?: boolean;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "type">) {
  const id = useId();
  const message = errorText(error);
  return (
    <fieldset
      className={`field choice-group${inline ? " choice-group--inline" : ""}${message ? " field--error" : ""}`}
      aria-describedby={describedBy(id, hint, message)}
    >
      <legend>
        {label}
        <RequiredMark required={required} />
      </legend>
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      <div className="choice-group__options">
        {options.map((option, index) => (
          <div className="choice" key={option.value}>
            <input id={`${id}-${index}`} type={type} value={option.value} defaultChecked={option.checked} {...input} {...registration} />
            <label htmlFor={`${id}-${index}`}>
              {option.label}
              {option.hint ? <span className="choice__hint">{option.hint}</span> : null}
            </label>
          </div>
        ))}
      </div>
      <ErrorLine id={id} message={message} />
    </fieldset>
  );
}

export function RadioGroup(props: Omit<Parameters<typeof ChoiceGroup>[0], "type">) {
  return <ChoiceGroup type="radio" {...props} />;
}

export function CheckboxGroup(props: Omit<Parameters<typeof ChoiceGroup>[0], "type">) {
  return <ChoiceGroup type="checkbox" {...props} />;
}
