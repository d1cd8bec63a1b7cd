import { audit, transaction } from "#app/.server/audit.ts";
import type { SessionUser } from "#app/.server/session.ts";

const actorOf = (u: SessionUser) => ({ id: u.id, email: u.email, role: u.role });

/** An administrator lifts a lockout (QUALITY S4). */
export async function unlockUser(admin: SessionUser, userId: string) {
  await transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { lockedUntil: null, failedLogins: 0 } });
    await audit({ actor: actorOf(admin), action: "user.unlock", objectType: "user", objectId: userId }, tx);
  });
}

/** Deactivating ends every session of the user at once. An administrator cannot deactivate themselves. */
export async function setUserActive(admin: SessionUser, userId: string, active: boolean) {
  if (userId === admin.id) return false;
  await transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { active } });
    if (!active) await tx.session.deleteMany({ where: { userId } });
    await audit({ actor: actorOf(admin), action: active ? "user.activate" : "user.deactivate", objectType: "user", objectId: userId }, tx);
  });
  return true;
}
