import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireRole } from "#app/.server/auth.ts";
import { env } from "#app/.server/env.ts";
import { fileStore } from "#app/.server/file-store.ts";
import { discardUpload, drainRequestBody, receiveUpload, UploadError } from "#app/.server/upload.ts";
import { addDocumentVersion } from "#app/modules/dossier/add-document.server.ts";
import { ConflictError, DossierRuleError } from "#app/modules/dossier/errors.ts";
import { requireItem } from "#app/modules/dossier/load-dossier.server.ts";

/*
 * Streaming upload of one document version (resource route, APPLICANT only).
 * The body is never buffered: receiveUpload hashes and writes each chunk as
 * it arrives. `Accept: application/json` (the page's XMLHttpRequest) gets
 * JSON; a plain form post gets a 303 back to the item page.
 */

const ZUploadFields = z.object({
  gapId: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .pipe(z.uuid().optional()),
  replyText: z.string().trim().max(4000, "errors.tooLong").optional(),
});

const itemPath = (dossierId: string, itemId: string) => `/dossiers/${dossierId}/items/${itemId}`;

/** A GET has nothing to show here: back to the item page (after the same guards as the post). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["APPLICANT"]);
  const { dossier, item } = await requireItem(user, request, params.dossierId, params.itemId);
  return redirect(itemPath(dossier.id, item.id));
}

function wantsJson(request: Request) {
  return /\bapplication\/json\b/.test(request.headers.get("accept") ?? "");
}

/** A thrown guard answer (403/404 from `data(...)`) as the JSON shape of the contract. */
function guardFailure(error: unknown): Response | null {
  if (typeof error !== "object" || error === null || !("type" in error) || error.type !== "DataWithResponseInit") return null;
  const { data: body, init } = error as unknown as { data: { reason?: string } | null; init: ResponseInit | null };
  const status = init?.status ?? 500;
  return Response.json({ ok: false, error: body?.reason ?? "error" }, { status });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const json = wantsJson(request);
  let ref: { dossierId: string; itemId: string };
  try {
    // Both guards run before a byte of the body is read.
    const user = await requireRole(request, ["APPLICANT"]);
    const { dossier, item } = await requireItem(user, request, params.dossierId, params.itemId);
    ref = { dossierId: dossier.id, itemId: item.id };

    const answer = (status: number, result: { version: number; versionId: string } | { error: string }) => {
      if (json) return "error" in result ? Response.json({ ok: false, error: result.error }, { status }) : Response.json({ ok: true, ...result }, { status });
      const query = "error" in result ? `uploadError=${encodeURIComponent(result.error)}` : `uploaded=${result.version}`;
      return redirect(`${itemPath(ref.dossierId, ref.itemId)}?${query}`, 303);
    };

    try {
      const { file, fields } = await receiveUpload(request, { store: fileStore(), maxBytes: env().UPLOAD_MAX_BYTES });
      const parsed = ZUploadFields.safeParse(fields);
      if (!parsed.success) {
        await discardUpload(file);
        const tooLong = parsed.error.issues.some((i) => i.message === "errors.tooLong");
        return answer(tooLong ? 400 : 409, { error: tooLong ? "errors.tooLong" : "dossierErrors.notAllowed" });
      }
      // addDocumentVersion removes the temporary file itself when it refuses.
      const version = await addDocumentVersion(user, ref, file, { gapId: parsed.data.gapId, replyText: parsed.data.replyText });
      return answer(200, { version: version.version, versionId: version.id });
    } catch (error) {
      if (error instanceof UploadError) {
        drainRequestBody(request);
        return answer(error.status, { error: error.problem });
      }
      if (error instanceof ConflictError) return answer(409, { error: "dossierErrors.changedMeanwhile" });
      if (error instanceof DossierRuleError) return answer(409, { error: error.messageKey });
      throw error;
    }
  } catch (error) {
    // A JSON client gets the refusal as JSON; a browser form post gets the usual 403/404 page.
    const failure = json ? guardFailure(error) : null;
    if (failure) return failure;
    throw error;
  }
}
