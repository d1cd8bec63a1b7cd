import { data } from "@remix-run/node";
import { audit } from "./audit.ts";
import type { Role } from "./db.ts";
import { getSessionUser, loginRedirect, type SessionUser } from "./session.ts";

export type { SessionUser };

/** The home page of each role. */
export const ROLE_HOME: Record<Role, string> = {
  APPLICANT: "/applicant",
  ADVISOR: "/advisor",
  WINDOW: "/window",
  ADMIN: "/admin",
  AUDITOR: "/audit",
};

/** Signed in, or a redirect to the sign-in page that comes back here. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (!user) throw loginRedirect(request);
  return user;
}

/**
 * Signed in with one of `roles`, or 403 (audited). Every loader and action
 * calls this itself: a parent layout's guard does not protect its children.
 */
export async function requireRole(request: Request, roles: readonly Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) {
    await denied(user, request, "role");
    throw data({ reason: "forbidden" }, { status: 403 });
  }
  return user;
}

/** Records a permission denial. */
export async function denied(user: SessionUser | null, request: Request, reason: string, objectType?: string, objectId?: string) {
  const url = new URL(request.url);
  await audit({
    actor: user,
    action: "access.denied",
    outcome: "DENIED",
    objectType,
    objectId,
    details: { method: request.method, path: url.pathname, reason },
  });
}

/** A row outside the user's scope: 404 (never 403, which would reveal it exists), audited. */
export async function notFoundInScope(user: SessionUser, request: Request, objectType: string, objectId: string): Promise<never> {
  await denied(user, request, "scope", objectType, objectId);
  throw data({ reason: "not-found" }, { status: 404 });
}
