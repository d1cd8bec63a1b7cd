import { data } from "@remix-run/node";
import type { z } from "zod";

export type FieldErrors = Record<string, string[]>;

export interface FormFailure {
  errors: FieldErrors;
  values: Record<string, string>;
}

// Never echoed back to the page: secrets and one-time tokens.
const SECRET_FIELDS = /password|token/i;

export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !SECRET_FIELDS.test(key)) values[key] = value;
  }
  return values;
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
  const input = Object.fromEntries([...formData.entries()].filter(([, v]) => typeof v === "string"));
  const result = await schema.safeParseAsync(input);
  if (!result.success) return { ok: false, response: formFailure(formData, zodFieldErrors(result.error)) };
  return { ok: true, data: result.data, formData };
}
