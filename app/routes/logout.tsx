import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { audit } from "#app/.server/audit.ts";
import { destroySession, getSessionUser } from "#app/.server/session.ts";

/** GET does nothing (a link or prefetch must not sign anyone out). */
export function loader() {
  throw redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await getSessionUser(request);
  const setCookie = await destroySession(request);
  if (user) await audit({ actor: user, action: "auth.signout", objectType: "user", objectId: user.id });
  throw redirect("/login?signedOut=1", { headers: { "Set-Cookie": setCookie } });
}
