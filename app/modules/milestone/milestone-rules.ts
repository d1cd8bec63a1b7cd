import type { DossierStatus } from "#app/.server/generated/prisma/enums.ts";
import type { HolidayCalendar } from "#app/modules/calendar/working-days.ts";
import { monthsBefore } from "#app/modules/certificate/certificate-number.ts";
import {
  CLOCK_EVENTS,
  intervalClock,
  limitOf,
  stageTimeline,
  type ClockColour,
  type ClockEvent,
  type ClockPolicyValues,
  type LimitKey,
  type PauseReason,
  type StageName,
} from "#app/modules/clock/stage-clock.ts";
import type { ReminderSpec } from "#app/modules/reminders/reminder-types.ts";
import { PRE_DECISION, SUPPLEMENT_ANSWER_MONTHS } from "#app/modules/dossier/transitions.ts";

/*
 * Review milestones recorded by window staff (受理 … 发证) that are not plain
 * status changes, and the applicant's progress view (办件进度). Pure.
 */

/** 体系核查 may start early (提前评证: before acceptance, even before submission) and runs beside the review until a decision. */
export const QMS_STATUSES: readonly DossierStatus[] = PRE_DECISION;

export type QmsState = "none" | "running" | "finished";

/** Whether a QMS inspection is running or finished, from the events (the last start/finish wins). */
export function qmsState(events: readonly Pick<ClockEvent, "type">[]): QmsState {
  let state: QmsState = "none";
  for (const e of events) {
    if (e.type === CLOCK_EVENTS.qmsStarted) state = "running";
    else if (e.type === CLOCK_EVENTS.qmsFinished && state === "running") state = "finished";
  }
  return state;
}

/** 发补: the applicant answers within one year of the notice (a calendar year; 02-29 → 02-28). */
export const supplementDueDate = (noticeDate: string) => monthsBefore(noticeDate, -SUPPLEMENT_ANSWER_MONTHS);

/** Reminder owner type of the supplement deadline (owner id: the dossier; the kind names the notice's sequence). */
export const SUPPLEMENT_OWNER = "dossier-supplement";

/** Calendar days before the due date on which the company and the advisor are reminded. */
export const SUPPLEMENT_REMINDER_DAYS = [30, 7, 1] as const;

const at0900 = (date: string) => new Date(`${date}T09:00:00+08:00`);
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The supplement deadline's reminders: 30, 7 and 1 days before to the company
 * and the advisor; the day after, to window staff (the review is to be
 * terminated: 终止审评). Reminders that would fire before `now` are left out.
 */
export function supplementReminderSpecs(sequence: number, dueDate: string, now: Date): ReminderSpec[] {
  const specs: ReminderSpec[] = SUPPLEMENT_REMINDER_DAYS.map((days) => ({
    kind: `supplement.${sequence}.due-${days}d`,
    audience: ["company", "advisor"] as const,
    fireAt: at0900(addDays(dueDate, -days)),
  }));
  specs.push({ kind: `supplement.${sequence}.overdue`, audience: ["window", "advisor"], fireAt: at0900(addDays(dueDate, 1)) });
  return specs.filter((s) => s.fireAt > now);
}

/** The notice sequence and step of a supplement reminder kind ("supplement.2.due-7d"). */
export function parseSupplementKind(kind: string): { sequence: number; overdue: boolean } | null {
  const m = /^supplement\.(\d+)\.(due-\d+d|overdue)$/.exec(kind);
  return m ? { sequence: Number(m[1]), overdue: m[2] === "overdue" } : null;
}

export interface ProgressStage {
  stage: StageName;
  round: number;
  limitKey: LimitKey;
  startedAt: Date;
  endedAt: Date | null;
  elapsed: number;
  limit: number;
  /** The green-channel target when the policy has one (shown beside the limit). */
  target: number | null;
  remaining: number;
  colour: ClockColour;
  paused: boolean;
  dueDate: string;
  provisional: boolean;
  pauses: { reason: PauseReason; from: Date; to: Date | null }[];
}

/** 办件进度: every stage the dossier went through, with its working days used of the limit, in time order. */
export function progressStages(calendar: HolidayCalendar, events: readonly ClockEvent[], policy: ClockPolicyValues, now: Date): ProgressStage[] {
  return stageTimeline(events).map((interval) => {
    const clock = intervalClock(calendar, interval, { now, limits: policy.limits, basis: policy.basis, yellowAt: policy.yellowAt });
    const target = policy.limits[interval.limitKey].target ?? null;
    return {
      stage: interval.stage,
      round: interval.round,
      limitKey: interval.limitKey,
      startedAt: interval.startedAt,
      endedAt: interval.endedAt,
      elapsed: clock.elapsed,
      limit: limitOf(policy.limits, interval.limitKey, policy.basis),
      target: target !== null && target !== clock.limit ? target : null,
      remaining: clock.remaining,
      colour: clock.colour,
      paused: interval.endedAt === null && clock.paused,
      dueDate: clock.dueDate,
      provisional: clock.provisional,
      pauses: interval.pauses.map((p) => ({ reason: p.reason, from: p.from, to: p.to })),
    };
  });
}
