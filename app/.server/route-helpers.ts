import { FieldError } from "./errors.ts";
import { formFailure } from "./forms.ts";

/** Runs a domain call and turns a FieldError into the form's 400 answer (keeping what was typed). */
export async function withFieldErrors<T>(formData: FormData, fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; response: ReturnType<typeof formFailure> }> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, response: formFailure(formData, { [error.field]: [error.messageKey] }) };
    throw error;
  }
}
