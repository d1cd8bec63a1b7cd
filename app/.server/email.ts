import { randomUUID } from "node:crypto";
import type { EmailTemplateName, EmailTemplateProps } from "#emails/registry.ts";
import type { Tx } from "./db.ts";

/**
 * Writes an email to the outgoing table inside the caller's transaction, so
 * the email exists if and only if the business change committed. Call
 * `publishEmails` with the returned id after the commit.
 */
export async function queueEmail<T extends EmailTemplateName>(
  tx: Tx,
  input: { to: string; template: T; locale: string; props: EmailTemplateProps[T]; id?: string },
): Promise<string> {
  // A caller that may run twice (a reminder) passes a deterministic id, so a re-run cannot double the email.
  const id = input.id ?? randomUUID();
  await tx.emailMessage.create({
    data: {
      id,
      toAddress: input.to,
      template: input.template,
      locale: input.locale,
      props: input.props as object,
      // Deterministic per email: a resend after a crash carries the same Message-ID (QUALITY R1).
      messageId: `<${id}@greenlane.mail>`,
    },
  });
  return id;
}
