import type { Queue } from "bullmq";
import type { PrismaClient } from "#app/.server/db.ts";
import {
  JOB_REMINDER_FIRE,
  OUTBOX_TOPIC_REMINDERS_RESCHEDULED,
  reminderJobId,
  ZRemindersOutboxPayload,
  type TReminderFirePayload,
} from "../contracts.ts";

export interface RelayDeps {
  prisma: PrismaClient;
  reminderQueue: Queue;
  now: () => Date;
}

const BATCH = 500;

/**
 * Moves unpublished reminder outbox rows into delayed BullMQ jobs, oldest
 * first. Rows are locked (FOR UPDATE SKIP LOCKED) so concurrent relays split
 * the work; they are stamped published in the same transaction, after the jobs
 * were added. A crash between the two re-relays the rows: the derived job ids
 * make that a no-op (QUALITY R8). Redis down → the transaction rolls back and
 * the rows wait for the next run (R4).
 */
export async function relayOutbox(deps: RelayDeps): Promise<{ rows: number; jobs: number }> {
  let rows = 0;
  let jobs = 0;
  for (;;) {
    const batch = await deps.prisma.$transaction(
      async (tx) => {
        const now = deps.now();
        const claimed = await tx.$queryRaw<{ id: bigint; topic: string; payload: unknown }[]>`
          SELECT id, topic, payload FROM outbox
          WHERE published_at IS NULL AND topic LIKE 'reminders.%'
          ORDER BY id LIMIT ${BATCH}
          FOR UPDATE SKIP LOCKED`;
        if (claimed.length === 0) return { rows: 0, jobs: 0 };
        const ids = new Set<string>();
        const moved = new Set<string>();
        for (const row of claimed) {
          const parsed = ZRemindersOutboxPayload.safeParse(row.payload);
          if (!parsed.success) continue;
          for (const id of parsed.data.reminderIds) {
            ids.add(id);
            if (row.topic === OUTBOX_TOPIC_REMINDERS_RESCHEDULED) moved.add(id);
          }
        }
        const reminders = ids.size
          ? await tx.reminder.findMany({ where: { id: { in: [...ids] }, state: "SCHEDULED" }, select: { id: true, fireAt: true } })
          : [];
        // A moved reminder's old delayed job is replaced (an active or locked one is left: it checks fireAt itself).
        for (const r of reminders) if (moved.has(r.id)) await deps.reminderQueue.remove(reminderJobId(r.id));
        if (reminders.length > 0) {
          await deps.reminderQueue.addBulk(
            reminders.map((r) => ({
              name: JOB_REMINDER_FIRE,
              data: { reminderId: r.id } satisfies TReminderFirePayload,
              opts: { jobId: reminderJobId(r.id), delay: Math.max(0, r.fireAt.getTime() - now.getTime()) },
            })),
          );
        }
        await tx.outbox.updateMany({ where: { id: { in: claimed.map((r) => r.id) } }, data: { publishedAt: now } });
        return { rows: claimed.length, jobs: reminders.length };
      },
      { timeout: 30_000 },
    );
    rows += batch.rows;
    jobs += batch.jobs;
    if (batch.rows < BATCH) break;
  }
  return { rows, jobs };
}
