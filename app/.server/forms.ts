import { data } from "@remix-run/node";
import type { z } from "zod";

export type FieldErrors = Record<string, string[]>;

export interface FormFailure {
  errors: FieldErrors;
  values: Record<string, string | string[]>;
}

// Never echoed back to the page: secrets and one-time tokens.
const SECRET_FIELDS = /password|token/i;

/** Field values as typed; a name given more than once (a checkbox group) becomes a list. */
export function formEntries(formData: FormData): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    if (all.length > 0) values[key] = all.length === 1 ? all[0]! : all;
  }
  return values;
}

export function formValues(formData: FormData): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(formEntries(formData)).filter(([key]) => !SECRET_FIELDS.test(key)));
}

/** A 400 answer carrying field errors (message keys) and what the user typed, so the form keeps it. */
export function formFailure(formData: FormData, errors: FieldErrors, status = 400) {
  return data<FormFailure>({ errors, values: formValues(formData) }, { status });
}

export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "form";
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}

/** Parses a form with its zod schema; on failure returns the 400 response to return from the action. */
export async function parseForm<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<{ ok: true; data: z.output<S>; formData: FormData } | { ok: false; response: ReturnType<typeof formFailure> }> {
  const formData = await request.formData();
  const input = formEntries(formData);
  const result = await schema.safeParseAsync(input);
  if (!result.success) return { ok: false, response: formFailure(formData, zodFieldErrors(result.error)) };
  return { ok: true, data: result.data, formData };
}
