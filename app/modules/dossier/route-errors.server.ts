import { data } from "@remix-run/node";
import { denied, type SessionUser } from "#app/.server/auth.ts";
import type { Role } from "#app/.server/db.ts";
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

/**
 * The `intent` of a dossier page's post, checked against who may post it:
 * an unknown intent is a 400, a role without it a 403 (audited as a denial).
 * The domain function behind the intent checks the rest.
 */
export async function requireIntent<I extends string>(user: SessionUser, request: Request, dossierId: string, intentRoles: Record<I, readonly Role[]>): Promise<I> {
  const value = (await request.clone().formData()).get("intent");
  if (typeof value !== "string" || !Object.hasOwn(intentRoles, value)) throw data({ reason: "bad-intent" }, { status: 400 });
  const intent = value as I;
  if (!intentRoles[intent].includes(user.role)) {
    await denied(user, request, "intent", "dossier", dossierId);
    throw data({ reason: "forbidden" }, { status: 403 });
  }
  return intent;
}
