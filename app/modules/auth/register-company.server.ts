import { audit, transaction } from "#app/.server/audit.ts";
import { prisma, Prisma } from "#app/.server/db.ts";
import { queueEmail } from "#app/.server/email.ts";
import { env } from "#app/.server/env.ts";
import { FieldError } from "#app/.server/errors.ts";
import { publishEmails } from "#app/.server/queue.ts";
import type { TRegister } from "./auth.schema.ts";
import { hashPassword } from "./password.server.ts";
import { issueToken } from "./tokens.server.ts";

/**
 * Self-registration of a device company: the company, its first user (the
 * company's administrator, email not yet verified), the verification email
 * and the audit row commit together.
 */
export async function registerCompany(input: TRegister, locale: string) {
  const passwordHash = await hashPassword(input.password);
  const [emailTaken, usccTaken] = await Promise.all([
    prisma.user.findUnique({ where: { email: input.email }, select: { id: true } }),
    prisma.company.findUnique({ where: { uscc: input.uscc }, select: { id: true } }),
  ]);
  if (usccTaken) throw new FieldError("uscc", "errors.usccTaken");
  if (emailTaken) throw new FieldError("email", "errors.emailTaken");
  try {
    const { user, emailId } = await transaction(async (tx) => {
      const company = await tx.company.create({ data: { name: input.companyName, uscc: input.uscc } });
      const user = await tx.user.create({
        data: {
          email: input.email,
          name: input.contactName,
          phone: input.phone ?? null,
          role: "APPLICANT",
          companyId: company.id,
          isCompanyAdmin: true,
          passwordHash,
          locale,
        },
      });
      const token = await issueToken(tx, user.id, "VERIFY_EMAIL");
      const emailId = await queueEmail(tx, {
        to: user.email,
        template: "verify-email",
        locale,
        props: { name: user.name, url: new URL(`/verify-email?token=${token}`, env().APP_URL).href },
      });
      await audit(
        {
          actor: { id: user.id, email: user.email, role: user.role },
          action: "company.register",
          objectType: "company",
          objectId: company.id,
          details: { companyName: company.name, uscc: company.uscc },
        },
        tx,
      );
      return { user, emailId };
    });
    await publishEmails([emailId]);
    return user;
  } catch (error) {
    // Two registrations racing past the checks above: the unique index decides.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const target = JSON.stringify(error.meta ?? {});
      throw target.includes("uscc") ? new FieldError("uscc", "errors.usccTaken") : new FieldError("email", "errors.emailTaken");
    }
    throw error;
  }
}
