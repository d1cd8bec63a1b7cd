import type { Queue } from "bullmq";
import type { PrismaClient } from "#app/.server/db.ts";
import { CLAIM_STALE_MS, JOB_REMINDER_FIRE, reminderJobId, type TReminderFirePayload } from "../contracts.ts";
import { relayOutbox } from "./relay-outbox.ts";

export interface SweepRemindersDeps {
  prisma: PrismaClient;
  reminderQueue: Queue;
  now: () => Date;
}

/** Reminders due within this horizon are (re-)added to Redis by every sweep; later ones come back in a later sweep. */
export const REMINDER_SWEEP_HORIZON_MS = 24 * 3600_000;
const BATCH = 500;

/**
 * The database is the schedule: releases stale SENDING claims, re-adds a
 * delayed job for every SCHEDULED reminder due within the horizon (a no-op
 * where the job still exists: derived job id), and relays the outbox. After
 * a Redis flush nothing is missed; the reminder row's state keeps anything
 * from firing twice (QUALITY R3).
 */
export async function sweepReminders(deps: SweepRemindersDeps): Promise<{ released: number; enqueued: number; relayed: number }> {
  const now = deps.now();
  const { count: released } = await deps.prisma.reminder.updateMany({
    where: { state: "SENDING", claimedAt: { lt: new Date(now.getTime() - CLAIM_STALE_MS) } },
    data: { state: "SCHEDULED", claimedAt: null },
  });
  const horizon = new Date(now.getTime() + REMINDER_SWEEP_HORIZON_MS);
  let enqueued = 0;
  let after: { fireAt: Date; id: string } | undefined;
  for (;;) {
    const rows: { id: string; fireAt: Date }[] = await deps.prisma.reminder.findMany({
      where: {
        state: "SCHEDULED",
        fireAt: { lte: horizon },
        ...(after && { OR: [{ fireAt: { gt: after.fireAt } }, { fireAt: after.fireAt, id: { gt: after.id } }] }),
      },
      orderBy: [{ fireAt: "asc" }, { id: "asc" }],
      take: BATCH,
      select: { id: true, fireAt: true },
    });
    if (rows.length === 0) break;
    await deps.reminderQueue.addBulk(
      rows.map((r) => ({
        name: JOB_REMINDER_FIRE,
        data: { reminderId: r.id } satisfies TReminderFirePayload,
        opts: { jobId: reminderJobId(r.id), delay: Math.max(0, r.fireAt.getTime() - now.getTime()) },
      })),
    );
    enqueued += rows.length;
    // A job already waiting in the delayed set for a reminder that is due now (the clock moved on, or the
    // delayed set lags) runs at once.
    for (const r of rows) {
      if (r.fireAt.getTime() > now.getTime()) continue;
      const job = await deps.reminderQueue.getJob(reminderJobId(r.id));
      if (job && (await job.isDelayed())) await job.promote().catch(() => {});
    }
    after = rows[rows.length - 1];
    if (rows.length < BATCH) break;
  }
  const { rows: relayed } = await relayOutbox(deps);
  return { released, enqueued, relayed };
}
