import type { Tx } from "#app/.server/db.ts";
import { OUTBOX_TOPIC_REMINDERS_RESCHEDULED, OUTBOX_TOPIC_REMINDERS_SCHEDULED } from "#workers/contracts.ts";

import { audienceColumn, type ReminderSpec } from "./reminder-types.ts";

export type { ReminderAudience, ReminderSpec } from "./reminder-types.ts";

interface OwnerRef {
  ownerType: string;
  ownerId: string;
}

/**
 * Writes reminders inside the caller's business transaction, with one outbox
 * row that the worker's relay turns into delayed jobs (DESIGN "the database is
 * the schedule"). Idempotent: one row per owner and kind, a second call keeps
 * the first row (QUALITY R8). No Redis here: the web request never waits on it (R4).
 * Returns the ids of the owner's SCHEDULED reminders of these kinds.
 */
export async function scheduleReminders(tx: Tx, input: OwnerRef & { reminders: readonly ReminderSpec[] }): Promise<string[]> {
  if (input.reminders.length === 0) return [];
  await tx.reminder.createMany({
    data: input.reminders.map((r) => ({ ownerType: input.ownerType, ownerId: input.ownerId, kind: r.kind, audience: audienceColumn(r.audience), fireAt: r.fireAt })),
    skipDuplicates: true,
  });
  const rows = await tx.reminder.findMany({
    where: { ownerType: input.ownerType, ownerId: input.ownerId, kind: { in: input.reminders.map((r) => r.kind) }, state: "SCHEDULED" },
    select: { id: true },
    orderBy: { fireAt: "asc" },
  });
  const reminderIds = rows.map((r) => r.id);
  if (reminderIds.length > 0) await tx.outbox.create({ data: { topic: OUTBOX_TOPIC_REMINDERS_SCHEDULED, payload: { reminderIds } } });
  return reminderIds;
}

/** Cancels the owner's pending reminders (document supplied, case ended): a job that fires later finds nothing to do (QUALITY R9). */
export async function cancelReminders(tx: Tx, ownerType: string, ownerId: string): Promise<number> {
  const { count } = await tx.reminder.updateMany({ where: { ownerType, ownerId, state: "SCHEDULED" }, data: { state: "CANCELLED", claimedAt: null } });
  return count;
}

/**
 * Moves the owner's pending reminders to a new schedule (deadline extended):
 * SCHEDULED rows of the given kinds take the new fireAt, kinds not seen before
 * are created, SCHEDULED rows of kinds no longer in the schedule are cancelled.
 * Rows already SENT or CANCELLED are left as they are (one row per kind: a
 * reminder already sent is not sent again). The outbox row makes the relay
 * replace the delayed jobs (R9: the reminder follows the new deadline).
 */
export async function rescheduleReminders(
  tx: Tx,
  input: OwnerRef & {
    reminders: readonly ReminderSpec[];
    /** Also bring CANCELLED rows of these kinds back (a stopped clock that runs again); SENT rows stay sent. */
    revive?: boolean;
  },
): Promise<string[]> {
  const { ownerType, ownerId } = input;
  const kinds = input.reminders.map((r) => r.kind);
  await tx.reminder.updateMany({ where: { ownerType, ownerId, state: "SCHEDULED", kind: { notIn: kinds } }, data: { state: "CANCELLED", claimedAt: null } });
  if (input.revive && kinds.length > 0) {
    await tx.reminder.updateMany({ where: { ownerType, ownerId, state: "CANCELLED", kind: { in: kinds } }, data: { state: "SCHEDULED", lastError: null } });
  }
  for (const r of input.reminders) {
    await tx.reminder.updateMany({ where: { ownerType, ownerId, kind: r.kind, state: "SCHEDULED" }, data: { fireAt: r.fireAt, audience: audienceColumn(r.audience) } });
  }
  if (input.reminders.length > 0) {
    await tx.reminder.createMany({
      data: input.reminders.map((r) => ({ ownerType, ownerId, kind: r.kind, audience: audienceColumn(r.audience), fireAt: r.fireAt })),
      skipDuplicates: true,
    });
  }
  const rows = await tx.reminder.findMany({ where: { ownerType, ownerId, state: "SCHEDULED" }, select: { id: true }, orderBy: { fireAt: "asc" } });
  const reminderIds = rows.map((r) => r.id);
  if (reminderIds.length > 0) await tx.outbox.create({ data: { topic: OUTBOX_TOPIC_REMINDERS_RESCHEDULED, payload: { reminderIds } } });
  return reminderIds;
}
