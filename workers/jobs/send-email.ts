import type { Transporter } from "nodemailer";
import { Prisma, type PrismaClient } from "#app/.server/db.ts";
import { renderEmail } from "#emails/render.tsx";
import { CLAIM_STALE_MS } from "../contracts.ts";

export interface SendEmailDeps {
  prisma: PrismaClient;
  transport: Transporter;
  from: string;
  now: () => Date;
}

export type SendEmailOutcome = "sent" | "skipped";

/**
 * Sends one email row. The row is claimed with a conditional update first, so
 * two workers never send it at once; a claim left by a crashed worker is
 * taken over once it is older than CLAIM_STALE_MS, or at once by the same job
 * re-run after BullMQ's stall detection (the claim's holder is dead). The Message-ID is the
 * row's, so a resend after a crash between SMTP and the database is
 * recognisable as the same message (QUALITY R1).
 */
export async function sendEmail(emailId: string, deps: SendEmailDeps, isLastAttempt: boolean, options: { takeOver?: boolean } = {}): Promise<SendEmailOutcome> {
  const now = deps.now();
  // A job BullMQ found stalled (its worker died: the lock lapsed) takes over its own claim at once (QUALITY R1, P5).
  const staleBefore = options.takeOver ? now : new Date(now.getTime() - CLAIM_STALE_MS);
  const claimed = await deps.prisma.emailMessage.updateManyAndReturn({
    where: { id: emailId, OR: [{ state: "QUEUED" }, { state: "SENDING", claimedAt: { lt: staleBefore } }] },
    data: { state: "SENDING", claimedAt: now, attempts: { increment: 1 } },
  });
  const email = claimed[0];
  if (!email) return "skipped";
  try {
    const rendered = await renderEmail(email.template, email.locale, email.props ?? {});
    await deps.transport.sendMail({
      from: deps.from,
      to: email.toAddress,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      messageId: email.messageId,
    });
  } catch (error) {
    const message = (error as Error).message.slice(0, 500);
    await deps.prisma.emailMessage.updateMany({
      where: { id: email.id, state: "SENDING" },
      data: { state: isLastAttempt ? "FAILED" : "QUEUED", claimedAt: null, lastError: message },
    });
    throw error;
  }
  // The props may hold one-time links: they are not kept once delivered.
  await deps.prisma.emailMessage.update({
    where: { id: email.id },
    data: { state: "SENT", sentAt: deps.now(), claimedAt: null, lastError: null, props: Prisma.DbNull },
  });
  return "sent";
}
