import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "#app/.server/auth.ts";
import { getFixedT } from "#app/.server/i18n.ts";
import { exportQueue } from "#app/modules/queue/export-queue.server.ts";
import { attachmentDisposition } from "#app/utils/content-disposition.ts";
import { parseExportQuery } from "#app/modules/queue/queue.schema.ts";

/*
 * The queue's export (resource route): /window/queue-export?format=xlsx|csv
 * with the queue's own filters and sort; every row, streamed; audited.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["WINDOW"]);
  const parsed = parseExportQuery(new URL(request.url).searchParams);
  if (!parsed.ok) throw data({ reason: "bad-query" }, { status: 400 });
  const t = await getFixedT(request, user.locale);
  const file = await exportQueue({ user, query: parsed.value.query, format: parsed.value.format, t: (key, options) => t(key, options) });
  return new Response(file.body, {
    status: 200,
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": attachmentDisposition(file.fileName),
      "Cache-Control": "private, no-store",
    },
  });
}
