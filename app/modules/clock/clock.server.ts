import { audit, transaction } from "#app/.server/audit.ts";
import { now as domainNow } from "#app/.server/clock.ts";
import { prisma, type Prisma, type Reminder, type Tx } from "#app/.server/db.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { forgetHolidayCalendar, loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { shanghaiDate, type HolidayCalendar } from "#app/modules/calendar/working-days.ts";
import type { ReminderDelivery } from "#workers/jobs/fire-reminder.ts";
import { windowUserIds } from "#app/modules/notify/notify.server.ts";
import { rescheduleReminders } from "#app/modules/reminders/schedule.server.ts";
import {
  clockAlertKind,
  DEFAULT_CLOCK_POLICY,
  parseClockAlertKind,
  readStoredClock,
  stageLimitsProblems,
  storedClock,
  storedColour,
  type ClockPolicyValues,
  type LimitBasis,
  type StageLimits,
  type StoredClock,
} from "./stage-clock.ts";

/** Reminder owner type of the yellow / red alerts (owner id: the dossier). */
export const CLOCK_OWNER = "dossier-clock";

/** Alerts go out at 09:00 Shanghai time on the day the clock turns yellow or red (at once if that is past). */
const alertAt = (date: string) => new Date(`${date}T09:00:00+08:00`);

export interface ClockPolicyRow extends ClockPolicyValues {
  id: string;
  createdAt: Date;
  reason: string | null;
}

function toPolicy(row: { id: string; limits: Prisma.JsonValue; basis: string; yellowAt: number; createdAt: Date; reason: string | null }): ClockPolicyRow {
  const limits = { ...DEFAULT_CLOCK_POLICY.limits, ...(row.limits as unknown as Partial<StageLimits>) };
  return { id: row.id, limits, basis: row.basis === "target" ? "target" : "legal", yellowAt: row.yellowAt, createdAt: row.createdAt, reason: row.reason };
}

/** The clock policy in force: the newest version (the migration seeds the Art. 99 defaults). */
export async function currentClockPolicy(db: Tx | typeof prisma = prisma): Promise<ClockPolicyRow> {
  const row = await db.clockPolicy.findFirst({ orderBy: { createdAt: "desc" } });
  return row ? toPolicy(row) : { ...DEFAULT_CLOCK_POLICY, id: "default", createdAt: new Date(0), reason: null };
}

export async function clockPolicyHistory(take = 10): Promise<ClockPolicyRow[]> {
  return (await prisma.clockPolicy.findMany({ orderBy: { createdAt: "desc" }, take })).map(toPolicy);
}

export class ClockPolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid clock policy: ${problems.join(", ")}`);
  }
}

/**
 * Window staff change the stage limits: a new version, audited with before and
 * after and a reason. Running clocks are recomputed by the worker (an outbox
 * row), so the queue's colours follow at once.
 */
export async function saveClockPolicy(user: SessionUser, input: { limits: StageLimits; basis: LimitBasis; yellowAt: number; reason: string }) {
  const problems = stageLimitsProblems(input.limits);
  if (!(input.yellowAt > 0 && input.yellowAt <= 1)) problems.push("yellowAt");
  if (problems.length > 0) throw new ClockPolicyError(problems);
  return transaction(async (tx) => {
    const before = await currentClockPolicy(tx);
    const row = await tx.clockPolicy.create({
      data: { limits: input.limits as unknown as Prisma.InputJsonValue, basis: input.basis, yellowAt: input.yellowAt, reason: input.reason, createdById: user.id },
    });
    await tx.outbox.create({ data: { topic: OUTBOX_TOPIC_CLOCKS_REFRESH, payload: {} } });
    await audit(
      {
        actor: user,
        action: "clock.policy.save",
        objectType: "clock_policy",
        objectId: row.id,
        details: { before: { limits: before.limits, basis: before.basis, yellowAt: before.yellowAt }, after: { limits: input.limits, basis: input.basis, yellowAt: input.yellowAt }, reason: input.reason },
      },
      tx,
    );
    return row;
  });
}

/** Outbox topic: recompute every running clock (the policy or the holiday calendar changed). */
export const OUTBOX_TOPIC_CLOCKS_REFRESH = "clocks.refresh";

function columns(clock: StoredClock) {
  const day = (d: string | null) => (d === null ? null : new Date(`${d}T00:00:00Z`));
  return {
    stage: clock.stage,
    stageRound: clock.stageRound,
    stageLimitKey: clock.stageLimitKey,
    stageStartedAt: clock.stageStartedAt,
    stageLimit: clock.stageLimit,
    clockPaused: clock.clockPaused,
    clockElapsed: clock.clockElapsed,
    clockDueOn: day(clock.clockDueOn),
    clockYellowOn: day(clock.clockYellowOn),
    clockRedOn: day(clock.clockRedOn),
    clockPausedColour: clock.clockPausedColour,
  };
}

/**
 * Recomputes the dossier's stored clock from its events and moves its yellow
 * and red alerts (reminder rows, once per stage round): called by
 * transitionDossier and by every milestone that starts or stops a clock, in
 * the same transaction. A stopped clock's alerts are cancelled and come back
 * when it runs again; an alert already sent is not sent again.
 */
export async function refreshDossierClock(
  tx: Tx,
  dossierId: string,
  context: { calendar?: HolidayCalendar; policy?: ClockPolicyValues; now?: Date } = {},
): Promise<StoredClock> {
  const calendar = context.calendar ?? (await loadHolidayCalendar());
  const policy = context.policy ?? (await currentClockPolicy(tx));
  const at = context.now ?? domainNow();
  const events = await tx.dossierEvent.findMany({ where: { dossierId }, select: { type: true, fromStatus: true, toStatus: true, at: true }, orderBy: { at: "asc" } });
  const clock = storedClock(calendar, events, policy, at);
  await tx.dossier.update({ where: { id: dossierId }, data: columns(clock) });
  const alerts =
    clock.stage && !clock.clockPaused && clock.stageRound !== null
      ? [
          { kind: clockAlertKind(clock.stage, clock.stageRound, "yellow"), audience: ["window"] as const, fireAt: alertAt(clock.clockYellowOn!) },
          { kind: clockAlertKind(clock.stage, clock.stageRound, "red"), audience: ["window"] as const, fireAt: alertAt(clock.clockRedOn!) },
        ]
      : [];
  await rescheduleReminders(tx, { ownerType: CLOCK_OWNER, ownerId: dossierId, reminders: alerts, revive: true });
  return clock;
}

/** Recomputes every running clock (after a policy or calendar change), in small transactions. Returns how many. */
export async function refreshAllClocks(db: typeof prisma = prisma, at: Date = domainNow()): Promise<number> {
  // The calendar may just have been edited in another process: read it afresh.
  forgetHolidayCalendar();
  const calendar = await loadHolidayCalendar();
  const policy = await currentClockPolicy(db);
  let count = 0;
  let after: string | undefined;
  for (;;) {
    const batch = await db.dossier.findMany({ where: { stage: { not: null }, ...(after ? { id: { gt: after } } : {}) }, select: { id: true }, orderBy: { id: "asc" }, take: 200 });
    if (batch.length === 0) return count;
    for (const { id } of batch) await transaction((tx) => refreshDossierClock(tx, id, { calendar, policy, now: at }), undefined, db);
    count += batch.length;
    after = batch.at(-1)!.id;
  }
}

/** A clock alert is wanted while the dossier is still in that stage round and its clock has reached the colour. */
export async function clockAlertWanted(reminder: Reminder, tx: Tx, at: Date): Promise<boolean> {
  const alert = parseClockAlertKind(reminder.kind);
  if (!alert) return false;
  const d = await tx.dossier.findUnique({ where: { id: reminder.ownerId } });
  if (!d || d.stage !== alert.stage || d.stageRound !== alert.round || d.clockPaused) return false;
  const colour = storedColour(storedClockOf(d), shanghaiDate(at));
  return alert.colour === "yellow" ? colour === "yellow" || colour === "red" : colour === "red";
}

const dateOf = (d: Date | null) => (d === null ? null : d.toISOString().slice(0, 10));

/** Window staff hear of a clock turning yellow or red: the stage, days used of the limit, the due date. */
export async function clockAlertDelivery(reminder: Reminder, tx: Tx, at: Date): Promise<ReminderDelivery> {
  const alert = parseClockAlertKind(reminder.kind)!;
  const d = await tx.dossier.findUniqueOrThrow({ where: { id: reminder.ownerId } });
  const reading = readStoredClock(await loadHolidayCalendar(), storedClockOf(d), shanghaiDate(at));
  return {
    userIds: await windowUserIds(tx),
    kind: alert.colour === "yellow" ? "clockYellow" : "clockRed",
    params: {
      number: d.number,
      product: d.productName,
      stage: `t:clock.stage.${alert.stage}`,
      elapsed: String(reading?.elapsed ?? ""),
      limit: String(reading?.limit ?? ""),
      due: reading ? `day:${reading.dueOn}` : "",
    },
    link: `/dossiers/${d.id}`,
    dossierId: d.id,
  };
}

/** The clock columns of a dossier row (what refreshDossierClock writes). */
export interface StoredClockColumns {
  stage: string | null;
  stageRound: number | null;
  stageLimitKey: string | null;
  stageStartedAt: Date | null;
  stageLimit: number | null;
  clockPaused: boolean;
  clockElapsed: number | null;
  clockDueOn: Date | null;
  clockYellowOn: Date | null;
  clockRedOn: Date | null;
  clockPausedColour: string | null;
}

/** The stored clock of a dossier row, as dates. */
export function storedClockOf(row: StoredClockColumns): StoredClock {
  return {
    ...row,
    stage: row.stage as StoredClock["stage"],
    stageLimitKey: row.stageLimitKey as StoredClock["stageLimitKey"],
    clockDueOn: dateOf(row.clockDueOn),
    clockYellowOn: dateOf(row.clockYellowOn),
    clockRedOn: dateOf(row.clockRedOn),
    clockPausedColour: row.clockPausedColour as StoredClock["clockPausedColour"],
  };
}

/**
 * The worker's part of a policy or calendar change: claims the pending
 * "clocks.refresh" outbox rows and recomputes every running clock once for
 * all of them. If the recomputation fails the rows are released for the next
 * sweep.
 */
export async function refreshClocksIfAsked(db: typeof prisma = prisma, at: () => Date = domainNow): Promise<number | null> {
  const claimed = await db.$queryRaw<{ id: bigint }[]>`
    UPDATE outbox SET published_at = now() WHERE topic = ${OUTBOX_TOPIC_CLOCKS_REFRESH} AND published_at IS NULL RETURNING id`;
  if (claimed.length === 0) return null;
  try {
    return await refreshAllClocks(db, at());
  } catch (error) {
    const ids = claimed.map((r) => r.id);
    await db.$executeRaw`UPDATE outbox SET published_at = NULL WHERE id = ANY(${ids})`;
    throw error;
  }
}
