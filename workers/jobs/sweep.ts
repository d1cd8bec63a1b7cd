import type { Queue } from "bullmq";
import type { PrismaClient } from "#app/.server/db.ts";
import { CLAIM_STALE_MS, emailJobId, JOB_EMAIL_SEND } from "../contracts.ts";

export interface SweepDeps {
  prisma: PrismaClient;
  emailQueue: Queue;
  now: () => Date;
}

/** Rows younger than this are left to the web process's fast path. */
const FAST_PATH_GRACE_MS = 10_000;
const BATCH = 500;

/**
 * The database is the schedule: re-publishes every QUEUED email to BullMQ
 * (a no-op for those whose job still exists, thanks to the derived job id)
 * and releases claims abandoned by a crashed worker. After a Redis flush or
 * outage nothing is lost (QUALITY R3, R4).
 */
export async function sweep(deps: SweepDeps): Promise<{ released: number; published: number }> {
  const now = deps.now();
  const { count: released } = await deps.prisma.emailMessage.updateMany({
    where: { state: "SENDING", claimedAt: { lt: new Date(now.getTime() - CLAIM_STALE_MS) } },
    data: { state: "QUEUED", claimedAt: null },
  });
  let published = 0;
  for (;;) {
    // Rows stamped in this sweep (enqueuedAt = now) drop out of the next batch.
    const rows = await deps.prisma.emailMessage.findMany({
      where: {
        state: "QUEUED",
        createdAt: { lt: new Date(now.getTime() - FAST_PATH_GRACE_MS) },
        OR: [{ enqueuedAt: null }, { enqueuedAt: { lt: now } }],
      },
      orderBy: { createdAt: "asc" },
      take: BATCH,
      select: { id: true },
    });
    if (rows.length === 0) break;
    await deps.emailQueue.addBulk(rows.map((r) => ({ name: JOB_EMAIL_SEND, data: { emailId: r.id }, opts: { jobId: emailJobId(r.id) } })));
    await deps.prisma.emailMessage.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { enqueuedAt: now } });
    published += rows.length;
    if (rows.length < BATCH) break;
  }
  return { released, published };
}
