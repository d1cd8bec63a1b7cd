import { audit, transaction } from "#app/.server/audit.ts";
import { prisma } from "#app/.server/db.ts";
import { queueEmail } from "#app/.server/email.ts";
import { env } from "#app/.server/env.ts";
import { FieldError } from "#app/.server/errors.ts";
import { publishEmails } from "#app/.server/queue.ts";
import { hashPassword } from "./password.server.ts";
import { passwordProblems } from "./password-policy.ts";
import { consumeToken, findValidToken, issueToken } from "./tokens.server.ts";

/** Sends a reset link if the email belongs to an active account; answers the same either way. */
export async function requestPasswordReset(email: string, locale: string): Promise<void> {
  const user = await prisma.user.findUnique({ where: { email } });
  if (!user || !user.active) {
    await audit({ actorEmail: email, action: "auth.password.reset-request", outcome: "FAILURE", details: { reason: "unknown-email" } });
    return;
  }
  const emailId = await transaction(async (tx) => {
    const token = await issueToken(tx, user.id, "RESET_PASSWORD");
    const id = await queueEmail(tx, {
      to: user.email,
      template: "reset-password",
      locale: user.locale || locale,
      props: { name: user.name, url: new URL(`/reset-password?token=${token}`, env().APP_URL).href },
    });
    await audit({ actor: { id: user.id, email: user.email, role: user.role }, action: "auth.password.reset-request", objectType: "user", objectId: user.id }, tx);
    return id;
  });
  await publishEmails([emailId]);
}

/**
 * Sets a new password from a reset link. Every session of the user ends and a
 * lockout is lifted: whoever holds the mailbox owns the account.
 */
export async function resetPassword(token: string, password: string): Promise<void> {
  const row = await findValidToken(prisma, token, "RESET_PASSWORD");
  if (!row) throw new FieldError("form", "errors.tokenInvalid");
  const problems = passwordProblems(password, row.user.email);
  if (problems.length > 0) throw new FieldError("password", `errors.password.${problems[0]}`);
  const passwordHash = await hashPassword(password);
  await transaction(async (tx) => {
    if (!(await consumeToken(tx, row.id))) throw new FieldError("form", "errors.tokenInvalid");
    await tx.user.update({
      where: { id: row.userId },
      // Proving control of the mailbox also verifies it.
      data: { passwordHash, failedLogins: 0, lockedUntil: null, emailVerifiedAt: row.user.emailVerifiedAt ?? new Date() },
    });
    await tx.session.deleteMany({ where: { userId: row.userId } });
    await audit({ actor: { id: row.user.id, email: row.user.email, role: row.user.role }, action: "auth.password.reset", objectType: "user", objectId: row.userId }, tx);
  });
}
