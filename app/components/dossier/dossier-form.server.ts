import { data } from "@remix-run/node";
import type { z } from "zod";
import { formValues, zodFieldErrors, type FieldErrors } from "#app/.server/forms.ts";

/*
 * The dossier form has a checkbox group (greenGrounds): the browser posts one
 * entry per ticked box. The shared parseForm keeps only the last entry of a
 * repeated name, so this form reads its list fields with getAll, and hands them
 * back in full when the form is rejected (so every ticked box stays ticked).
 */

const LIST_FIELDS = ["greenGrounds"] as const;

export interface DossierFormFailure {
  errors: FieldErrors;
  values: Record<string, string | string[]>;
}

function valuesOf(formData: FormData): DossierFormFailure["values"] {
  const values: DossierFormFailure["values"] = formValues(formData);
  for (const name of LIST_FIELDS) values[name] = formData.getAll(name).filter((v): v is string => typeof v === "string");
  return values;
}

export function dossierFormFailure(formData: FormData, errors: FieldErrors, status = 400) {
  return data<DossierFormFailure>({ errors, values: valuesOf(formData) }, { status });
}

/** Like parseForm, keeping every value of the list fields. */
export async function parseDossierForm<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<{ ok: true; data: z.output<S>; formData: FormData } | { ok: false; response: ReturnType<typeof dossierFormFailure> }> {
  const formData = await request.formData();
  const input: Record<string, string | string[]> = {};
  for (const [key, value] of formData.entries()) if (typeof value === "string") input[key] = value;
  for (const name of LIST_FIELDS) input[name] = formData.getAll(name).filter((v): v is string => typeof v === "string");
  const result = await schema.safeParseAsync(input);
  if (!result.success) return { ok: false, response: dossierFormFailure(formData, zodFieldErrors(result.error)) };
  return { ok: true, data: result.data, formData };
}

/** Re-issues a withDossierErrors refusal (409) with the list fields kept. */
export function keepListFields(response: { data: { errors: FieldErrors }; init: ResponseInit | null }, formData: FormData) {
  return dossierFormFailure(formData, response.data.errors, response.init?.status ?? 409);
}
