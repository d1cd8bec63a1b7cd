import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { ROLE_HOME } from "#app/.server/auth.ts";
import { getSessionUser } from "#app/.server/session.ts";

/** The front door: each role's home, or the sign-in page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  throw redirect(user ? ROLE_HOME[user.role] : "/login");
}
