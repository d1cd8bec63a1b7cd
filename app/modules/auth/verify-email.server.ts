import { audit, transaction } from "#app/.server/audit.ts";
import { prisma } from "#app/.server/db.ts";
import { FieldError } from "#app/.server/errors.ts";
import { consumeToken, findValidToken } from "./tokens.server.ts";

export async function findEmailVerification(token: string) {
  return findValidToken(prisma, token, "VERIFY_EMAIL");
}

export async function verifyEmail(token: string): Promise<void> {
  const row = await findValidToken(prisma, token, "VERIFY_EMAIL");
  if (!row) throw new FieldError("form", "errors.tokenInvalid");
  await transaction(async (tx) => {
    if (!(await consumeToken(tx, row.id))) throw new FieldError("form", "errors.tokenInvalid");
    await tx.user.update({ where: { id: row.userId }, data: { emailVerifiedAt: new Date() } });
    await audit({ actor: { id: row.user.id, email: row.user.email, role: row.user.role }, action: "auth.email.verify", objectType: "user", objectId: row.userId }, tx);
  });
}
