import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "#app/.server/auth.ts";
import { fileStore } from "#app/.server/file-store.ts";
import { contentDisposition } from "#app/utils/content-disposition.ts";
import { requireDocument } from "#app/modules/dossier/load-dossier.server.ts";

/*
 * Download of one document version (resource route), streamed from the
 * content-addressed store. Always an attachment with the stored media type,
 * except `?inline=1` for a PDF, which opens in the browser's viewer under a
 * restrictive Content-Security-Policy of its own.
 */

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"]);
  const { doc } = await requireDocument(user, request, params.dossierId, params.versionId);
  const store = fileStore();
  // A committed row always has its file (addDocumentVersion stores first); a missing one is a fault, not a 404.
  if (!(await store.has(doc.sha256))) throw new Error(`document ${doc.id}: content ${doc.sha256} missing from the store`);

  // X-Content-Type-Options: nosniff comes from helmet on every response (security.ts); set here too it would be sent twice.
  const inline = new URL(request.url).searchParams.get("inline") === "1" && doc.mediaType === "application/pdf";
  const headers = new Headers({
    "Content-Type": doc.mediaType,
    "Content-Length": doc.size.toString(),
    "Content-Disposition": contentDisposition(inline ? "inline" : "attachment", doc.originalName),
    "Cache-Control": "private, no-store",
  });
  if (inline) {
    headers.set("Content-Security-Policy", "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'");
  }
  if (request.method === "HEAD") return new Response(null, { status: 200, headers });
  return new Response(createReadableStreamFromReadable(store.read(doc.sha256)), { status: 200, headers });
}
