import { createHash } from "node:crypto";

/**
 * A name-based UUID (version 5 layout, SHA-256 instead of SHA-1): the same
 * parts always give the same id. Used where a re-run must not create a second
 * row, e.g. a reminder's email to one recipient.
 */
export function deterministicUuid(...parts: string[]): string {
  const hex = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The email row id for one reminder to one recipient (QUALITY R1/R2: a re-run cannot double it). */
export const reminderEmailId = (reminderId: string, userId: string) => deterministicUuid("greenlane.reminder.email", reminderId, userId);
