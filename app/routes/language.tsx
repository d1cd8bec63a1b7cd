import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { audit, transaction } from "#app/.server/audit.ts";
import { langCookie } from "#app/.server/i18n.ts";
import { getSessionUser, safeRedirectPath } from "#app/.server/session.ts";
import { ZLanguage } from "#app/modules/auth/auth.schema.ts";

export function loader() {
  throw redirect("/");
}

/** Switches the interface language: a cookie for everyone, and the saved choice of a signed-in user (used for their emails too). */
export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = ZLanguage.safeParse(Object.fromEntries(formData));
  if (!parsed.success) throw new Response("Bad language", { status: 400 });
  const user = await getSessionUser(request);
  if (user && user.locale !== parsed.data.locale) {
    await transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { locale: parsed.data.locale } });
      await audit({ actor: user, action: "user.locale", objectType: "user", objectId: user.id, details: { locale: parsed.data.locale } }, tx);
    });
  }
  throw redirect(safeRedirectPath(parsed.data.redirectTo), {
    headers: { "Set-Cookie": await langCookie.serialize(parsed.data.locale) },
  });
}
