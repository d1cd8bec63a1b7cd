import { createHash, randomBytes } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { audit } from "./audit.ts";
import { prisma, type Role, type Tx } from "./db.ts";
import { env, isSecureOrigin } from "./env.ts";
import { requestContext } from "./logger.ts";

/**
 * DB-backed sessions: the cookie carries a random token, the table stores its
 * SHA-256. Idle timeout and absolute lifetime are enforced here, server-side.
 */
export const sessionCookie = createCookie("gl_session", {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  // Secure is off only when the portal itself is served over plain http (local use).
  secure: isSecureOrigin(env()),
  secrets: [env().SESSION_SECRET],
});

export const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
export const randomToken = () => randomBytes(32).toString("base64url");

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: string;
  companyId: string | null;
  companyName: string | null;
  isCompanyAdmin: boolean;
  sessionId: string;
}

// lastSeenAt is written at most this often, so browsing is not a write per request.
const TOUCH_INTERVAL_MS = 60_000;

async function readToken(request: Request): Promise<string | null> {
  const value = await sessionCookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 20 ? value : null;
}

/** The signed-in user, or null when there is no valid session (expired sessions are deleted). */
export async function getSessionUser(request: Request, now = new Date()): Promise<SessionUser | null> {
  const token = await readToken(request);
  if (!token) return null;
  const id = sha256(token);
  const session = await prisma.session.findUnique({
    where: { id },
    include: { user: { include: { company: { select: { name: true } } } } },
  });
  if (!session) return null;
  const idleMs = env().SESSION_IDLE_MINUTES * 60_000;
  const expired = session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > idleMs;
  if (expired || !session.user.active) {
    // Two loaders of one request (root and page) may both find the expired row: only the one that deletes it audits.
    const { count } = await prisma.session.deleteMany({ where: { id } });
    if (expired && count > 0) {
      await audit({
        actor: { id: session.user.id, email: session.user.email, role: session.user.role },
        action: "auth.session.expired",
        objectType: "session",
        outcome: "SUCCESS",
        details: { reason: session.expiresAt <= now ? "absolute" : "idle" },
      });
    }
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await prisma.session.updateMany({ where: { id }, data: { lastSeenAt: now } });
  }
  const u = session.user;
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    locale: u.locale,
    companyId: u.companyId,
    companyName: u.company?.name ?? null,
    isCompanyAdmin: u.isCompanyAdmin,
    sessionId: id,
  };
}

/**
 * Starts a new session with a fresh id (no fixation: any session the browser
 * carried before is deleted) and returns the Set-Cookie header value.
 */
export async function createUserSession(request: Request, userId: string, tx: Tx = prisma): Promise<string> {
  const previous = await readToken(request);
  if (previous) await tx.session.deleteMany({ where: { id: sha256(previous) } });
  const token = randomToken();
  const ctx = requestContext.getStore();
  await tx.session.create({
    data: {
      id: sha256(token),
      userId,
      expiresAt: new Date(Date.now() + env().SESSION_ABSOLUTE_HOURS * 3_600_000),
      ip: ctx?.ip ?? null,
      userAgent: ctx?.userAgent?.slice(0, 300) ?? null,
    },
  });
  return sessionCookie.serialize(token);
}

/** Deletes the session row and clears the cookie. */
export async function destroySession(request: Request): Promise<string> {
  const token = await readToken(request);
  if (token) await prisma.session.deleteMany({ where: { id: sha256(token) } });
  return sessionCookie.serialize("", { maxAge: 0 });
}

const REDIRECT_PROBE = "http://greenlane.invalid";

/**
 * A path inside the portal to send the user to, or the fallback. Checked the way a browser parses it (which
 * drops tabs and newlines, and reads `/\\` as `//`), so `/\t/evil.example` cannot leave the site.
 */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(to, REDIRECT_PROBE);
  } catch {
    return fallback;
  }
  return url.origin === REDIRECT_PROBE ? `${url.pathname}${url.search}${url.hash}` : fallback;
}

export function loginRedirect(request: Request) {
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  return redirect(back === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`);
}
