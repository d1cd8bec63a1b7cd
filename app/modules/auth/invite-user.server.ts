import { audit, transaction, type AuditActor } from "#app/.server/audit.ts";
import { prisma, Prisma, type Role, type Tx } from "#app/.server/db.ts";
import { queueEmail } from "#app/.server/email.ts";
import { env } from "#app/.server/env.ts";
import { FieldError } from "#app/.server/errors.ts";
import { publishEmails } from "#app/.server/queue.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { hashPassword } from "./password.server.ts";
import { passwordProblems } from "./password-policy.ts";
import { consumeToken, findValidToken, issueToken } from "./tokens.server.ts";

const actorOf = (u: SessionUser): AuditActor => ({ id: u.id, email: u.email, role: u.role });

async function sendInvite(tx: Tx, invitee: { id: string; email: string; name: string; role: Role; locale: string }, inviterName: string) {
  const token = await issueToken(tx, invitee.id, "INVITE");
  return queueEmail(tx, {
    to: invitee.email,
    template: "invite",
    locale: invitee.locale,
    props: { name: invitee.name, inviter: inviterName, role: invitee.role, url: new URL(`/invite?token=${token}`, env().APP_URL).href },
  });
}

async function createInvitedUser(
  inviter: SessionUser,
  data: { email: string; name: string; phone?: string; role: Role; companyId: string | null; locale: string },
  action: string,
) {
  try {
    const { user, emailId } = await transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: data.email, name: data.name, phone: data.phone ?? null, role: data.role, companyId: data.companyId, locale: data.locale },
      });
      const emailId = await sendInvite(tx, user, inviter.name);
      await audit({ actor: actorOf(inviter), action, objectType: "user", objectId: user.id, details: { email: user.email, role: user.role } }, tx);
      return { user, emailId };
    });
    await publishEmails([emailId]);
    return user;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new FieldError("email", "errors.emailTaken");
    throw error;
  }
}

/** A company administrator invites a colleague into their own company (never another: companyId comes from the session). */
export async function inviteColleague(inviter: SessionUser, input: { name: string; email: string; phone?: string }) {
  if (inviter.role !== "APPLICANT" || !inviter.isCompanyAdmin || !inviter.companyId) throw new FieldError("form", "company.onlyAdmin");
  return createInvitedUser(inviter, { ...input, role: "APPLICANT", companyId: inviter.companyId, locale: inviter.locale }, "user.invite");
}

/** Staff accounts are created by administrators only. */
export async function createStaffUser(admin: SessionUser, input: { name: string; email: string; role: Exclude<Role, "APPLICANT"> }) {
  return createInvitedUser(admin, { ...input, companyId: null, locale: "zh-CN" }, "user.create-staff");
}

export async function resendInvite(admin: SessionUser, userId: string) {
  const user = await prisma.user.findUnique({ where: { id: userId } });
  if (!user || user.passwordHash) return false;
  const emailId = await transaction(async (tx) => {
    const id = await sendInvite(tx, user, admin.name);
    await audit({ actor: actorOf(admin), action: "user.invite.resend", objectType: "user", objectId: user.id }, tx);
    return id;
  });
  await publishEmails([emailId]);
  return true;
}

export async function findInvite(token: string) {
  return findValidToken(prisma, token, "INVITE");
}

/** The invitee names themselves and sets a password; receiving the link verified the email. */
export async function acceptInvite(input: { token: string; name: string; password: string }) {
  const row = await findValidToken(prisma, input.token, "INVITE");
  if (!row) throw new FieldError("form", "errors.tokenInvalid");
  const problems = passwordProblems(input.password, row.user.email);
  if (problems.length > 0) throw new FieldError("password", `errors.password.${problems[0]}`);
  const passwordHash = await hashPassword(input.password);
  await transaction(async (tx) => {
    if (!(await consumeToken(tx, row.id))) throw new FieldError("form", "errors.tokenInvalid");
    await tx.user.update({ where: { id: row.userId }, data: { name: input.name, passwordHash, emailVerifiedAt: new Date() } });
    await audit({ actor: { id: row.user.id, email: row.user.email, role: row.user.role }, action: "user.invite.accept", objectType: "user", objectId: row.userId }, tx);
  });
  return row.user;
}
