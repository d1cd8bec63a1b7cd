import { createReadableStreamFromReadable, data, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireRole } from "#app/.server/auth.ts";
import { fileStore } from "#app/.server/file-store.ts";
import { EVIDENCE_KINDS, findEvidence } from "#app/modules/indicator/evidence.server.ts";
import { attachmentDisposition } from "#app/utils/content-disposition.ts";

/*
 * Download of the evidence of a recorded certificate ("certificate") or of
 * an indicator value ("value"), streamed from the content-addressed store.
 * Always an attachment under the stored media type; nosniff comes from
 * helmet on every response (security.ts).
 */

const ZParams = z.object({ kind: z.enum(EVIDENCE_KINDS), id: z.uuid() });

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ["WINDOW", "ADMIN", "AUDITOR"]);
  const parsed = ZParams.safeParse(params);
  const evidence = parsed.success ? await findEvidence(parsed.data.kind, parsed.data.id) : null;
  if (!evidence) throw data({ reason: "not-found" }, { status: 404 });
  const store = fileStore();
  // withEvidence stores the file before the row commits: a row without its file is a fault, not a 404.
  if (!(await store.has(evidence.sha256))) throw new Error(`evidence ${parsed.data!.kind}/${parsed.data!.id}: content ${evidence.sha256} missing from the store`);
  const headers = new Headers({
    "Content-Type": evidence.mediaType,
    "Content-Length": evidence.size.toString(),
    "Content-Disposition": attachmentDisposition(evidence.name),
    "Cache-Control": "private, no-store",
  });
  if (request.method === "HEAD") return new Response(null, { status: 200, headers });
  return new Response(createReadableStreamFromReadable(store.read(evidence.sha256)), { status: 200, headers });
}
