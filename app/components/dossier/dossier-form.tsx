import { useEffect, useRef, useState, type ReactNode } from "react";
import type { FieldError, UseFormRegisterReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { SelectField, TextField } from "#app/components/forms/fields.tsx";
import { CheckboxGroup, RadioGroup, TextAreaField } from "#app/components/forms/more-fields.tsx";
import { CATALOGUE_CODE_LIST, CATALOGUE_CODES, GREEN_GROUNDS } from "#app/modules/dossier/catalogue-codes.ts";
import { PRODUCT_KINDS, REGISTRATION_TYPES } from "#app/modules/dossier/dossier-constants.ts";

export type DossierFieldName =
  | "productName"
  | "model"
  | "structure"
  | "intendedUse"
  | "registrationType"
  | "productKind"
  | "catalogueCode"
  | "greenBasis"
  | "greenGrounds";

type ErrorLike = { message?: string } | undefined;

interface Props {
  register: (name: DossierFieldName) => UseFormRegisterReturn;
  errors: Partial<Record<DossierFieldName, ErrorLike>>;
  /**
   * On edit, the kind and registration type are shown read-only: they decided
   * the checklist. They still travel as hidden fields because the schema is shared.
   */
  fixed?: { productKind: string; registrationType: string };
  /**
   * The values to render on the server (the loaded dossier, or what a rejected
   * post carried back): react-hook-form fills fields only once JavaScript
   * runs, so without these a page without JavaScript would show empty fields.
   */
  defaults: Partial<Record<DossierFieldName, unknown>>;
}

/** The field labels, also used by the error summary at the top of the form. */
export function useDossierFieldLabels(): Record<DossierFieldName, string> {
  const { t } = useTranslation();
  return {
    productName: t("dossierUi.form.productName"),
    model: t("dossierUi.form.model"),
    structure: t("dossierUi.form.structure"),
    intendedUse: t("dossierUi.form.intendedUse"),
    registrationType: t("dossierUi.form.registrationType"),
    productKind: t("dossierUi.form.productKind"),
    catalogueCode: t("dossierUi.form.catalogueCode"),
    greenBasis: t("dossierUi.form.greenBasis"),
    greenGrounds: t("dossierUi.form.greenGrounds"),
  };
}

/** The field errors without the form-level one (shown as a notice at the top instead). */
export function withoutFormError<E extends object>(errors: E): E {
  return Object.fromEntries(Object.entries(errors).filter(([name]) => name !== "form")) as E;
}

/**
 * The errors to show. react-hook-form learns the server's errors in an effect,
 * i.e. only once JavaScript runs; until then (and without JavaScript) the
 * server's own list is shown, so a rejected post explains itself either way.
 */
export function useShownErrors<E extends object>(clientErrors: E, serverErrors: Record<string, string[]> | undefined): E {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  if (hydrated || !serverErrors) return clientErrors;
  return Object.fromEntries(Object.entries(serverErrors).map(([name, messages]) => [name, { type: "server", message: messages[0] }])) as E;
}

/**
 * The form-level refusal ("changed meanwhile", a rule) at the top of the form.
 * The submit button is at the bottom, so the message takes the focus (and
 * scrolls into view) when it arrives.
 */
export function FormLevelError({ message, children }: { message: string | undefined; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message) ref.current?.focus();
  }, [message]);
  if (!message) return null;
  return (
    <div ref={ref} tabIndex={-1} className="form-level-error">
      {children}
    </div>
  );
}

const asError = (e: ErrorLike) => (e?.message ? (e as FieldError) : undefined);

/** The description of a dossier: shared by "new application" and "edit draft". */
export function DossierFormFields({ register, errors, fixed, defaults }: Props) {
  const { t, i18n } = useTranslation();
  const text = (name: DossierFieldName) => (typeof defaults[name] === "string" ? (defaults[name] as string) : "");
  const grounds = Array.isArray(defaults.greenGrounds) ? (defaults.greenGrounds as string[]) : typeof defaults.greenGrounds === "string" ? [defaults.greenGrounds] : [];
  const labels = useDossierFieldLabels();
  const lang = i18n.language === "en" ? "en" : "zh";
  const deviceCodes = CATALOGUE_CODE_LIST.filter((c) => c !== "40");
  return (
    <>
      <fieldset>
        <legend>{t("dossierUi.form.productSection")}</legend>
        <div className="form-grid">
          <TextField label={labels.productName} required maxLength={200} defaultValue={text("productName")} registration={register("productName")} error={asError(errors.productName)} />
          <TextField label={labels.model} hint={t("dossierUi.form.modelHint")} required maxLength={500} defaultValue={text("model")} registration={register("model")} error={asError(errors.model)} />
        </div>
        <TextAreaField label={labels.structure} hint={t("dossierUi.form.structureHint")} required maxLength={4000} defaultValue={text("structure")} registration={register("structure")} error={asError(errors.structure)} />
        <TextAreaField label={labels.intendedUse} hint={t("dossierUi.form.intendedUseHint")} required maxLength={4000} defaultValue={text("intendedUse")} registration={register("intendedUse")} error={asError(errors.intendedUse)} />
      </fieldset>

      <fieldset>
        <legend>{t("dossierUi.form.registrationSection")}</legend>
        {fixed ? (
          <>
            <dl className="facts dossier-form__fixed">
              <dt>{labels.registrationType}</dt>
              <dd>{t(`registrationType.${fixed.registrationType}`)}</dd>
              <dt>{labels.productKind}</dt>
              <dd>{t(`productKind.${fixed.productKind}`)}</dd>
            </dl>
            <p className="field__hint">{t("dossierUi.form.fixedHint")}</p>
            <input type="hidden" defaultValue={fixed.registrationType} {...register("registrationType")} />
            <input type="hidden" defaultValue={fixed.productKind} {...register("productKind")} />
          </>
        ) : (
          <div className="form-grid">
            <RadioGroup
              label={labels.registrationType}
              required
              registration={register("registrationType")}
              error={asError(errors.registrationType)}
              options={REGISTRATION_TYPES.map((v) => ({ value: v, label: t(`registrationType.${v}`), checked: text("registrationType") === v }))}
            />
            <RadioGroup
              label={labels.productKind}
              hint={t("dossierUi.form.productKindHint")}
              required
              registration={register("productKind")}
              error={asError(errors.productKind)}
              options={PRODUCT_KINDS.map((v) => ({ value: v, label: t(`productKind.${v}`), checked: text("productKind") === v }))}
            />
          </div>
        )}
        <SelectField label={labels.catalogueCode} hint={t("dossierUi.form.catalogueCodeHint")} required defaultValue={text("catalogueCode")} registration={register("catalogueCode")} error={asError(errors.catalogueCode)}>
          <option value="">{t("dossierUi.form.chooseCode")}</option>
          <optgroup label={t("dossierUi.form.deviceCodes")}>
            {deviceCodes.map((code) => (
              <option key={code} value={code}>
                {code} {CATALOGUE_CODES[code][lang]}
              </option>
            ))}
          </optgroup>
          <optgroup label={t("dossierUi.form.ivdCodes")}>
            <option value="40">40 {CATALOGUE_CODES["40"][lang]}</option>
          </optgroup>
        </SelectField>
      </fieldset>

      <fieldset>
        <legend>{t("dossierUi.form.greenSection")}</legend>
        <CheckboxGroup
          label={labels.greenGrounds}
          hint={t("dossierUi.form.greenGroundsHint")}
          registration={register("greenGrounds")}
          error={asError(errors.greenGrounds)}
          options={GREEN_GROUNDS.map((g) => ({ value: g, label: t(`greenGrounds.${g}`), checked: grounds.includes(g) }))}
        />
        <TextAreaField label={labels.greenBasis} hint={t("dossierUi.form.greenBasisHint")} required maxLength={4000} defaultValue={text("greenBasis")} registration={register("greenBasis")} error={asError(errors.greenBasis)} />
      </fieldset>
    </>
  );
}
