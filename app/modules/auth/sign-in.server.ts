import { audit, transaction } from "#app/.server/audit.ts";
import { prisma, type Role } from "#app/.server/db.ts";
import { env } from "#app/.server/env.ts";
import { createUserSession } from "#app/.server/session.ts";
import { verifyPassword } from "./password.server.ts";

export type SignInResult =
  | { ok: true; setCookie: string; role: Role }
  | { ok: false; reason: "invalid" | "unverified" };

/**
 * Email + password sign-in with lockout (等保: lock after N failures). A locked
 * account, an unknown email and a wrong password all answer "invalid", with the
 * same message, so the form does not reveal which it was (QUALITY S4).
 */
export async function signIn(request: Request, email: string, password: string, now = new Date()): Promise<SignInResult> {
  const { LOCKOUT_THRESHOLD, LOCKOUT_MINUTES } = env();
  const user = await prisma.user.findUnique({ where: { email } });
  const passwordOk = await verifyPassword(user?.passwordHash, password);

  if (!user || !user.active) {
    await audit({ actorEmail: email, action: "auth.signin", outcome: "FAILURE", details: { reason: user ? "inactive" : "unknown-email" } });
    return { ok: false, reason: "invalid" };
  }
  const actor = { id: user.id, email: user.email, role: user.role };
  if (user.lockedUntil && user.lockedUntil > now) {
    await audit({ actor, action: "auth.signin", outcome: "FAILURE", objectType: "user", objectId: user.id, details: { reason: "locked" } });
    return { ok: false, reason: "invalid" };
  }
  if (!passwordOk) {
    // Counted in SQL so parallel attempts cannot undercount.
    const [row] = await prisma.$queryRaw<{ failed_logins: number }[]>`
      UPDATE "user" SET failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= ${now} THEN 1 ELSE failed_logins + 1 END,
                        locked_until = CASE WHEN locked_until IS NOT NULL AND locked_until <= ${now} THEN NULL ELSE locked_until END
      WHERE id = ${user.id}::uuid RETURNING failed_logins`;
    const failures = row?.failed_logins ?? 0;
    await audit({ actor, action: "auth.signin", outcome: "FAILURE", objectType: "user", objectId: user.id, details: { reason: "password", failures } });
    if (failures >= LOCKOUT_THRESHOLD) {
      const lockedUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000);
      await transaction(async (tx) => {
        await tx.user.update({ where: { id: user.id }, data: { lockedUntil, failedLogins: 0 } });
        await tx.session.deleteMany({ where: { userId: user.id } });
        await audit(
          { actor, action: "auth.lockout", outcome: "SUCCESS", objectType: "user", objectId: user.id, details: { until: lockedUntil.toISOString(), failures } },
          tx,
        );
      });
    }
    return { ok: false, reason: "invalid" };
  }
  if (!user.emailVerifiedAt) {
    await audit({ actor, action: "auth.signin", outcome: "FAILURE", objectType: "user", objectId: user.id, details: { reason: "unverified" } });
    return { ok: false, reason: "unverified" };
  }
  const setCookie = await transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null, lastLoginAt: now } });
    const cookie = await createUserSession(request, user.id, tx);
    await audit({ actor, action: "auth.signin", outcome: "SUCCESS", objectType: "user", objectId: user.id }, tx);
    return cookie;
  });
  return { ok: true, setCookie, role: user.role };
}
