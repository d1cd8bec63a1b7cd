import type { FieldError, UseFormRegisterReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { SelectField, TextField } from "#app/components/forms/fields.tsx";
import { CheckboxGroup, RadioGroup, TextAreaField } from "#app/components/forms/more-fields.tsx";
import { CATALOGUE_CODE_LIST, CATALOGUE_CODES, GREEN_GROUNDS } from "#app/modules/dossier/catalogue-codes.ts";
import { PRODUCT_KINDS, REGISTRATION_TYPES } from "#app/modules/dossier/checklist.ts";

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

const asError = (e: ErrorLike) => (e?.message ? (e as FieldError) : undefined);

/** The description of a dossier: shared by "new application" and "edit draft". */
export function DossierFormFields({ register, errors, fixed }: Props) {
  const { t, i18n } = useTranslation();
  const labels = useDossierFieldLabels();
  const lang = i18n.language === "en" ? "en" : "zh";
  const deviceCodes = CATALOGUE_CODE_LIST.filter((c) => c !== "40");
  return (
    <>
      <fieldset>
        <legend>{t("dossierUi.form.productSection")}</legend>
        <div className="form-grid">
          <TextField label={labels.productName} required maxLength={200} registration={register("productName")} error={asError(errors.productName)} />
          <TextField label={labels.model} hint={t("dossierUi.form.modelHint")} required maxLength={500} registration={register("model")} error={asError(errors.model)} />
        </div>
        <TextAreaField label={labels.structure} hint={t("dossierUi.form.structureHint")} required maxLength={4000} registration={register("structure")} error={asError(errors.structure)} />
        <TextAreaField label={labels.intendedUse} hint={t("dossierUi.form.intendedUseHint")} required maxLength={4000} registration={register("intendedUse")} error={asError(errors.intendedUse)} />
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
            <input type="hidden" {...register("registrationType")} />
            <input type="hidden" {...register("productKind")} />
          </>
        ) : (
          <div className="form-grid">
            <RadioGroup
              label={labels.registrationType}
              required
              registration={register("registrationType")}
              error={asError(errors.registrationType)}
              options={REGISTRATION_TYPES.map((v) => ({ value: v, label: t(`registrationType.${v}`) }))}
            />
            <RadioGroup
              label={labels.productKind}
              hint={t("dossierUi.form.productKindHint")}
              required
              registration={register("productKind")}
              error={asError(errors.productKind)}
              options={PRODUCT_KINDS.map((v) => ({ value: v, label: t(`productKind.${v}`) }))}
            />
          </div>
        )}
        <SelectField label={labels.catalogueCode} hint={t("dossierUi.form.catalogueCodeHint")} required registration={register("catalogueCode")} error={asError(errors.catalogueCode)}>
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
          options={GREEN_GROUNDS.map((g) => ({ value: g, label: t(`greenGrounds.${g}`) }))}
        />
        <TextAreaField label={labels.greenBasis} hint={t("dossierUi.form.greenBasisHint")} required maxLength={4000} registration={register("greenBasis")} error={asError(errors.greenBasis)} />
      </fieldset>
    </>
  );
}
