import { DelayedError, type Job } from "bullmq";
import type { PrismaClient, Reminder, Tx } from "#app/.server/db.ts";
import { reminderEmailId } from "#app/modules/reminders/ids.ts";
import { parseAudience } from "#app/modules/reminders/reminder-types.ts";
import { notifyUsers, windowUserIds, type NotifyKind } from "#app/modules/notify/notify.server.ts";
import { CLAIM_STALE_MS, REMINDER_EARLY_TOLERANCE_MS, ZReminderFirePayload } from "../contracts.ts";

/** What a reminder says and to whom; the owner's module (the deferral issue) provides it. */
export interface ReminderDelivery {
  userIds: string[];
  /** The notification kind (default "reminder"). */
  kind?: NotifyKind;
  /** Display params for notify.reminder.title/.text ("d:<iso>" is shown as a Shanghai date-time). */
  params: Record<string, string>;
  link: string;
  dossierId?: string;
}

export interface FireReminderDeps {
  prisma: PrismaClient;
  now: () => Date;
  /** Still wanted (e.g. the deferral is still pending)? Default: yes. Runs in the firing transaction. */
  isWanted?: (reminder: Reminder, tx: Tx) => Promise<boolean>;
  /** Recipients and text. Default: window staff for audience "window", nobody otherwise. */
  recipients?: (reminder: Reminder, tx: Tx) => Promise<ReminderDelivery>;
  /** Hands the email rows to the email queue after the commit (best effort: the email sweep covers a failure). */
  publishEmails?: (emailIds: string[]) => Promise<void>;
}

export type FireReminderOutcome =
  | { outcome: "sent"; emailIds: string[]; notified: number }
  | { outcome: "cancelled" }
  | { outcome: "skipped" }
  | { outcome: "early"; fireAt: Date };

export async function defaultRecipients(reminder: Reminder, tx: Tx): Promise<ReminderDelivery> {
  return {
    userIds: parseAudience(reminder.audience).includes("window") ? await windowUserIds(tx) : [],
    params: { number: "", subject: reminder.kind, due: `d:${reminder.fireAt.toISOString()}` },
    link: "/notifications",
  };
}

/**
 * Fires one reminder. The claim (SCHEDULED → SENDING, or a SENDING claim older
 * than CLAIM_STALE_MS) is a conditional update inside the same transaction as
 * the notifications, the email rows and the SENT mark: the row lock keeps a
 * second job waiting until the first commits (then it finds SENT and exits),
 * and a crash anywhere before the commit rolls everything back, leaving the
 * reminder SCHEDULED for the retried job (QUALITY R2). Email ids are derived
 * from (reminder, recipient), so nothing can double them (R1). The emails go
 * out through the email outbox with their own deterministic Message-IDs.
 */
export async function fireReminder(reminderId: string, deps: FireReminderDeps): Promise<FireReminderOutcome> {
  const now = deps.now();
  const isWanted = deps.isWanted ?? (async () => true);
  const recipients = deps.recipients ?? defaultRecipients;
  let result: FireReminderOutcome;
  try {
    result = await deps.prisma.$transaction(
      async (tx): Promise<FireReminderOutcome> => {
        const claimed = await tx.reminder.updateManyAndReturn({
          where: {
            id: reminderId,
            fireAt: { lte: new Date(now.getTime() + REMINDER_EARLY_TOLERANCE_MS) },
            OR: [{ state: "SCHEDULED" }, { state: "SENDING", claimedAt: { lt: new Date(now.getTime() - CLAIM_STALE_MS) } }],
          },
          data: { state: "SENDING", claimedAt: now, attempts: { increment: 1 } },
        });
        const reminder = claimed[0];
        if (!reminder) {
          const row = await tx.reminder.findUnique({ where: { id: reminderId }, select: { state: true, fireAt: true } });
          return row?.state === "SCHEDULED" ? { outcome: "early", fireAt: row.fireAt } : { outcome: "skipped" };
        }
        if (!(await isWanted(reminder, tx))) {
          await tx.reminder.update({ where: { id: reminder.id }, data: { state: "CANCELLED", claimedAt: null } });
          return { outcome: "cancelled" };
        }
        const delivery = await recipients(reminder, tx);
        const emailIds = await notifyUsers(tx, {
          userIds: delivery.userIds,
          kind: delivery.kind ?? "reminder",
          params: delivery.params,
          link: delivery.link,
          dossierId: delivery.dossierId,
          emailIdFor: (userId) => reminderEmailId(reminder.id, userId),
        });
        await tx.reminder.update({ where: { id: reminder.id }, data: { state: "SENT", sentAt: deps.now(), claimedAt: null, lastError: null } });
        return { outcome: "sent", emailIds, notified: new Set(delivery.userIds).size };
      },
      { timeout: 15_000 },
    );
  } catch (error) {
    // Nothing of the attempt was committed; keep the reason on the row for window staff.
    await deps.prisma.reminder
      .updateMany({ where: { id: reminderId, state: "SCHEDULED" }, data: { attempts: { increment: 1 }, lastError: (error as Error).message.slice(0, 500) } })
      .catch(() => {});
    throw error;
  }
  if (result.outcome === "sent" && deps.publishEmails) await deps.publishEmails(result.emailIds);
  return result;
}

/**
 * The BullMQ processor for reminder jobs. A job that runs before its
 * reminder's fireAt (the deadline moved later) goes back to the delayed set.
 */
export function reminderProcessor(deps: FireReminderDeps) {
  return async (job: Job, token?: string): Promise<FireReminderOutcome["outcome"]> => {
    const { reminderId } = ZReminderFirePayload.parse(job.data);
    const result = await fireReminder(reminderId, deps);
    if (result.outcome === "early") {
      // BullMQ counts in real time; the domain clock may be shifted (tests), so convert the wait.
      await job.moveToDelayed(Date.now() + Math.max(0, result.fireAt.getTime() - deps.now().getTime()), token);
      throw new DelayedError();
    }
    return result.outcome;
  };
}
