import { data } from "@remix-run/node";
import { formFailure } from "#app/.server/forms.ts";
import { ConflictError, DossierRuleError } from "./errors.ts";

/**
 * Runs a dossier action; "changed meanwhile" (409) and rule refusals (409)
 * come back as a form error at the top, with what the user typed kept.
 */
export async function withDossierErrors<T>(formData: FormData, fn: () => Promise<T>) {
  try {
    return { ok: true as const, value: await fn() };
  } catch (error) {
    if (error instanceof ConflictError) return { ok: false as const, response: formFailure(formData, { form: ["dossierErrors.changedMeanwhile"] }, 409) };
    if (error instanceof DossierRuleError) return { ok: false as const, response: formFailure(formData, { form: [error.messageKey] }, 409) };
    throw error;
  }
}

export const badRequest = () => data({ errors: { form: ["errors.required"] }, values: {} }, { status: 400 });
