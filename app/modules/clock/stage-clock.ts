import type { DossierStatus } from "#app/.server/generated/prisma/enums.ts";
import { isProvisional, isWorkingDay, shanghaiDate, workingDaysBetween, type HolidayCalendar } from "#app/modules/calendar/working-days.ts";

/*
 * Working-day clocks per stage (电子监察): how many working days a dossier
 * has spent in its current stage, against the stage's limit, with the time
 * Order 47 Art. 98 excludes taken out. Pure: the callers load the holiday
 * calendar, the dossier's events and the policy.
 *
 * Days are Asia/Shanghai dates "YYYY-MM-DD" and, as in the calendar module,
 * the day a period starts on is not counted (期间开始的当日不计算在内).
 *
 * Counting rule (the one place it is defined):
 * - A stage started at `startedAt` has, at `now`, used the working days d
 *   with  shanghaiDate(startedAt) < d <= shanghaiDate(now)  (today counts from
 *   its first minute, like the deferral countdowns).
 * - A pause {from, to} excludes the working days d with
 *   shanghaiDate(from) < d <= shanghaiDate(to): the same "start day not
 *   counted" rule, applied to the excluded period.
 *   · The day a pause STARTS still counts for the stage: the office worked
 *     that day (e.g. it wrote the 发补 notice), and an overrun on that very day
 *     must not be hidden.
 *   · The day a pause ENDS does not count: counting resumes on the next
 *     working day, exactly as a period starting on the end day would (the
 *     day the 补正资料 arrive is that new period's start day).
 *   · So a pause that starts and ends on the same Shanghai date excludes
 *     nothing, and a pause from Monday to Wednesday excludes Tuesday and
 *     Wednesday.
 *   · An open pause (to = null) runs to today: the elapsed count stays at the
 *     value it had on the day the pause started.
 *   · Overlapping pauses (a QMS inspection during a supplement wait) exclude
 *     each day once.
 */

export type StageName = "acceptance" | "handover" | "review" | "approval" | "issuance";

/** The limit a stage runs against: the review after a supplement has its own. */
export type LimitKey = StageName | "reviewAfterSupplement";

export const STAGES: readonly StageName[] = ["acceptance", "handover", "review", "approval", "issuance"];
export const LIMIT_KEYS: readonly LimitKey[] = ["acceptance", "handover", "review", "reviewAfterSupplement", "approval", "issuance"];

/** Working days: the legal limit (Order 47 Art. 99) and an optional shorter green-channel target (policy). */
export interface StageLimit {
  legal: number;
  target?: number;
}

export type StageLimits = Record<LimitKey, StageLimit>;

/**
 * DOMAIN.md "Process and time limits" (all in working days): 受理 5, handover
 * to technical review 3, 技术审评 60 for Class II and "another 60 after a
 * supplement" (the limit restarts when the answer arrives), 行政审批 20,
 * 发证 10 after the decision.
 * Targets are policy: DOMAIN.md names only review targets ("provinces publish
 * shorter green-channel limits (Jiangsu 40/40, innovative 30/20)"); the
 * default takes the 30/20 pair, the example 技术审评 30. The other
 * stages have no target in DOMAIN.md, so none by default.
 */
export const DEFAULT_STAGE_LIMITS: StageLimits = {
  acceptance: { legal: 5 },
  handover: { legal: 3 },
  review: { legal: 60, target: 30 },
  reviewAfterSupplement: { legal: 60, target: 20 },
  approval: { legal: 20 },
  issuance: { legal: 10 },
};

/** The published provincial green-channel review limits DOMAIN.md cites, for the policy form: [review, review after supplement]. */
export const GREEN_CHANNEL_REVIEW_PRESETS = {
  jiangsu: { review: 40, reviewAfterSupplement: 40 },
  innovative: { review: 30, reviewAfterSupplement: 20 },
} as const satisfies Record<string, { review: number; reviewAfterSupplement: number }>;

/** A stage turns yellow once this fraction of its limit is used (policy; issue 5: ≥ 80 %). */
export const DEFAULT_YELLOW_AT = 0.8;

export type LimitBasis = "legal" | "target";

/** The limit in force for a stage: the target when asked for and set, else the legal limit. */
export function limitOf(limits: StageLimits, key: LimitKey, basis: LimitBasis = "legal"): number {
  const limit = limits[key];
  return basis === "target" && limit.target !== undefined ? limit.target : limit.legal;
}

/** DOMAIN.md: a limit may be extended by at most half of it (written notice); whole working days. */
export function maxExtension(legal: number): number {
  return Math.floor(legal / 2);
}

/** Problems with a limits policy (for the policy form), empty when valid: positive whole limits, targets not above the legal limit. */
export function stageLimitsProblems(limits: StageLimits): string[] {
  const problems: string[] = [];
  for (const key of LIMIT_KEYS) {
    const { legal, target } = limits[key];
    if (!Number.isInteger(legal) || legal < 1) problems.push(`${key}.legal`);
    if (target !== undefined && (!Number.isInteger(target) || target < 1 || target > legal)) problems.push(`${key}.target`);
  }
  return problems;
}

export interface Pause {
  from: Date;
  /** null: still running. */
  to: Date | null;
}

export type ClockColour = "green" | "yellow" | "red";

export interface StageClockInput {
  stage: StageName;
  startedAt: Date;
  pauses: readonly Pause[];
  now: Date;
  /** Working days (≥ 1). */
  limit: number;
  /** Fraction of the limit from which the clock is yellow (0 < yellowAt ≤ 1); default 0.8. */
  yellowAt?: number;
}

export interface StageClock {
  stage: StageName;
  /** Working days used (see the counting rule above). */
  elapsed: number;
  /** limit − elapsed: 0 on the last day, negative once over the limit (overdue by −remaining). */
  remaining: number;
  limit: number;
  /** elapsed / limit; above 1 once over the limit. */
  fraction: number;
  colour: ClockColour;
  /** A pause is running at `now`. */
  paused: boolean;
  /**
   * The Shanghai date on which `elapsed` reaches `limit` (the last day within
   * the limit), pauses taken out. While paused it assumes the clock resumes
   * after today, so it moves later with every paused working day.
   */
  dueDate: string;
  /** The due date, or a day counted so far, lies in a year whose holiday schedule is not published. */
  provisional: boolean;
}

/**
 * green below yellowAt × limit; yellow from yellowAt × limit up to and
 * including the limit; red once elapsed > limit.
 */
export function clockColour(elapsed: number, limit: number, yellowAt = DEFAULT_YELLOW_AT): ClockColour {
  checkLimit(limit, yellowAt);
  if (elapsed > limit) return "red";
  // The first whole working day that is yellow; the epsilon keeps 0.8 × 60 (or 0.7 × 10) exact.
  return elapsed >= Math.ceil(yellowAt * limit - 1e-9) ? "yellow" : "green";
}

function checkLimit(limit: number, yellowAt: number) {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a positive whole number of working days: ${limit}`);
  if (!(yellowAt > 0 && yellowAt <= 1)) throw new Error(`yellowAt must be in (0, 1]: ${yellowAt}`);
}

const DAY_MS = 86_400_000;
const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** The clock of one stage at `now` (for a finished stage pass its end as `now`). */
export function stageClock(calendar: HolidayCalendar, input: StageClockInput): StageClock {
  const yellowAt = input.yellowAt ?? DEFAULT_YELLOW_AT;
  const { limit, now } = input;
  checkLimit(limit, yellowAt);
  const start = shanghaiDate(input.startedAt);
  const today = shanghaiDate(now);

  // Excluded periods as (after, through] date pairs; pauses not begun by `now` are ignored.
  const excluded: [string, string][] = [];
  for (const p of input.pauses) {
    if (p.to !== null && p.to < p.from) throw new Error("a pause cannot end before it starts");
    if (p.from > now) continue;
    excluded.push([shanghaiDate(p.from), p.to === null ? today : shanghaiDate(p.to)]);
  }
  const counts = (d: string) => isWorkingDay(calendar, d) && !excluded.some(([after, through]) => after < d && d <= through);

  // Walk from the day after the start through today (elapsed) and on until the limit is reached (due date).
  let elapsed = 0;
  let counted = 0;
  let dueDate: string | null = null;
  for (let d = nextDate(start); d <= today || dueDate === null; d = nextDate(d)) {
    if (!counts(d)) continue;
    counted++;
    if (d <= today) elapsed++;
    if (counted === limit) dueDate = d;
  }

  const paused = input.pauses.some((p) => p.from <= now && (p.to === null || p.to > now));
  return {
    stage: input.stage,
    elapsed,
    remaining: limit - elapsed,
    limit,
    fraction: elapsed / limit,
    colour: clockColour(elapsed, limit, yellowAt),
    paused,
    dueDate,
    provisional: isProvisional(calendar, dueDate) || (today > start && isProvisional(calendar, today)),
  };
}

/* ------------------------------------------------------------------------ */
/* Stages from the dossier's events                                          */
/* ------------------------------------------------------------------------ */

/** A DossierEvent as the clock needs it (the Prisma row fits). */
export interface ClockEvent {
  type: string;
  fromStatus: DossierStatus | null;
  toStatus: DossierStatus | null;
  at: Date;
}

/**
 * Event types the timeline reads besides status changes (the window issue
 * records them as DossierEvents): the QMS inspection (体系核查) runs beside the
 * status flow and may start before acceptance (提前评证); issuing the
 * certificate ends the 发证 stage without a status change.
 */
export const CLOCK_EVENTS = {
  qmsStarted: "QMS_STARTED",
  qmsFinished: "QMS_FINISHED",
  certificateIssued: "CERTIFICATE_ISSUED",
} as const;

/** Why the clock stopped (Order 47 Art. 98): the applicant's supplement time, the QMS inspection. */
export type PauseReason = "supplement" | "qms";

export interface StagePause extends Pause {
  reason: PauseReason;
}

export interface StageInterval {
  stage: StageName;
  /** The limit it runs against: "reviewAfterSupplement" for a review begun by the answer to a 发补 notice. */
  limitKey: LimitKey;
  /** 1 for the first time the dossier is in this stage, 2 after a correction (受理) or a supplement (技术审评), … */
  round: number;
  startedAt: Date;
  /** null: the current stage. */
  endedAt: Date | null;
  /** In time order; clipped to the stage. */
  pauses: StagePause[];
}

/**
 * The stages a dossier went through, from its events (any order; sorted by
 * time, ties kept in the given order). Status changes drive the stages:
 * - → SUBMITTED starts 受理 (acceptance); a resubmission after 一次性告知补正
 *   starts a new round (the 5 days run from the corrected dossier's receipt);
 * - → ACCEPTED starts the handover to technical review;
 * - → IN_REVIEW starts 技术审评 (review);
 * - → SUPPLEMENT_REQUESTED (发补) stops the review clock: a "supplement" pause
 *   opens on the running review and stays open while the applicant answers,
 *   so the queue shows that review, paused;
 * - SUPPLEMENT_REQUESTED → IN_REVIEW (补正资料已收到) closes the pause, ends
 *   that review and starts a new review round against "reviewAfterSupplement"
 *   (DOMAIN.md: "another 60 after a supplement");
 * - → REVIEW_CONCLUDED starts 行政审批 (approval); → APPROVED starts 发证
 *   (issuance), ended by a CERTIFICATE_ISSUED event;
 * - any other status (CORRECTION_REQUESTED, NOT_ACCEPTED, REJECTED,
 *   WITHDRAWN, TERMINATED, DRAFT) ends the running stage and its pauses; the
 *   applicant's correction time belongs to no stage.
 * A QMS inspection (QMS_STARTED … QMS_FINISHED) is excluded time for every
 * review round it overlaps, as a "qms" pause clipped to the round (it does
 * not pause the other stages).
 */
export function stageTimeline(events: readonly ClockEvent[]): StageInterval[] {
  const sorted = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  const stages: StageInterval[] = [];
  const inspections: Pause[] = [];
  const rounds = new Map<StageName, number>();
  let current: StageInterval | null = null;

  const end = (at: Date) => {
    if (!current) return;
    for (const p of current.pauses) if (p.to === null) p.to = at;
    current.endedAt = at;
    current = null;
  };
  const begin = (stage: StageName, at: Date, limitKey: LimitKey = stage) => {
    end(at);
    const round = (rounds.get(stage) ?? 0) + 1;
    rounds.set(stage, round);
    current = { stage, limitKey, round, startedAt: at, endedAt: null, pauses: [] };
    stages.push(current);
  };

  for (const e of sorted) {
    if (e.type === CLOCK_EVENTS.qmsStarted) {
      if (!inspections.some((q) => q.to === null)) inspections.push({ from: e.at, to: null });
      continue;
    }
    if (e.type === CLOCK_EVENTS.qmsFinished) {
      const open = inspections.find((q) => q.to === null);
      if (open) open.to = e.at;
      continue;
    }
    if (e.type === CLOCK_EVENTS.certificateIssued) {
      if ((current as StageInterval | null)?.stage === "issuance") end(e.at);
      continue;
    }
    if (e.toStatus === null || e.toStatus === e.fromStatus) continue;
    const running = current as StageInterval | null;
    switch (e.toStatus) {
      case "SUBMITTED":
        begin("acceptance", e.at);
        break;
      case "ACCEPTED":
        begin("handover", e.at);
        break;
      case "IN_REVIEW": {
        const awaiting = running?.stage === "review" && running.pauses.some((p) => p.reason === "supplement" && p.to === null);
        if (awaiting) begin("review", e.at, "reviewAfterSupplement");
        else if (running?.stage !== "review") begin("review", e.at);
        break;
      }
      case "SUPPLEMENT_REQUESTED":
        if (running?.stage === "review" && !running.pauses.some((p) => p.reason === "supplement" && p.to === null)) {
          running.pauses.push({ from: e.at, to: null, reason: "supplement" });
        }
        break;
      case "REVIEW_CONCLUDED":
        begin("approval", e.at);
        break;
      case "APPROVED":
        begin("issuance", e.at);
        break;
      default:
        end(e.at);
    }
  }

  for (const s of stages) {
    if (s.stage !== "review") continue;
    for (const q of inspections) {
      const from = q.from > s.startedAt ? q.from : s.startedAt;
      const to = q.to === null ? s.endedAt : s.endedAt === null || q.to < s.endedAt ? q.to : s.endedAt;
      if (s.endedAt !== null && from > s.endedAt) continue;
      if (to !== null && to <= from) continue;
      s.pauses.push({ from, to, reason: "qms" });
    }
    s.pauses.sort((a, b) => a.from.getTime() - b.from.getTime());
  }
  return stages;
}

/** The running stage, or null (before submission, during a correction, after an end state or the certificate). */
export function currentStage(timeline: readonly StageInterval[]): StageInterval | null {
  const last = timeline.at(-1);
  return last && last.endedAt === null ? last : null;
}

/** The clock of a timeline stage: a finished stage is measured at its end. */
export function intervalClock(
  calendar: HolidayCalendar,
  interval: StageInterval,
  options: { now: Date; limits?: StageLimits; basis?: LimitBasis; yellowAt?: number },
): StageClock {
  return stageClock(calendar, {
    stage: interval.stage,
    startedAt: interval.startedAt,
    pauses: interval.pauses,
    now: interval.endedAt ?? options.now,
    limit: limitOf(options.limits ?? DEFAULT_STAGE_LIMITS, interval.limitKey, options.basis),
    yellowAt: options.yellowAt,
  });
}

/* ------------------------------------------------------------------------ */
/* The queue's stored clock (dossier columns)                                */
/* ------------------------------------------------------------------------ */

export interface ClockPolicyValues {
  limits: StageLimits;
  basis: LimitBasis;
  yellowAt: number;
}

export const DEFAULT_CLOCK_POLICY: ClockPolicyValues = { limits: DEFAULT_STAGE_LIMITS, basis: "legal", yellowAt: DEFAULT_YELLOW_AT };

/**
 * What the dossier row stores about its running clock, so the queue can
 * colour, filter and sort without reading events: for a running clock the
 * dates on which it turns yellow and red (the colour at any later instant is
 * a date comparison); for a stopped one the colour and count it stopped at.
 */
export interface StoredClock {
  stage: StageName | null;
  stageRound: number | null;
  stageLimitKey: LimitKey | null;
  stageStartedAt: Date | null;
  stageLimit: number | null;
  clockPaused: boolean;
  clockElapsed: number | null;
  /** Last day within the limit. */
  clockDueOn: string | null;
  /** First yellow / red day (running clocks only). */
  clockYellowOn: string | null;
  clockRedOn: string | null;
  clockPausedColour: ClockColour | null;
}

export const NO_CLOCK: StoredClock = {
  stage: null,
  stageRound: null,
  stageLimitKey: null,
  stageStartedAt: null,
  stageLimit: null,
  clockPaused: false,
  clockElapsed: null,
  clockDueOn: null,
  clockYellowOn: null,
  clockRedOn: null,
  clockPausedColour: null,
};

/** The working days from which a clock of `limit` days is yellow (see clockColour). */
export const yellowThreshold = (limit: number, yellowAt = DEFAULT_YELLOW_AT) => Math.max(1, Math.ceil(yellowAt * limit - 1e-9));

/** The stored clock of a dossier at `now`, from its events. */
export function storedClock(calendar: HolidayCalendar, events: readonly ClockEvent[], policy: ClockPolicyValues, now: Date): StoredClock {
  const current = currentStage(stageTimeline(events));
  if (!current) return NO_CLOCK;
  const limit = limitOf(policy.limits, current.limitKey, policy.basis);
  const base = { stage: current.stage, startedAt: current.startedAt, pauses: current.pauses, now };
  const clock = stageClock(calendar, { ...base, limit, yellowAt: policy.yellowAt });
  // The day the count reaches n is the due date of a clock with limit n.
  const dayOf = (n: number) => stageClock(calendar, { ...base, limit: n }).dueDate;
  return {
    stage: current.stage,
    stageRound: current.round,
    stageLimitKey: current.limitKey,
    stageStartedAt: current.startedAt,
    stageLimit: limit,
    clockPaused: clock.paused,
    clockElapsed: clock.elapsed,
    clockDueOn: clock.dueDate,
    clockYellowOn: clock.paused ? null : dayOf(yellowThreshold(limit, policy.yellowAt)),
    clockRedOn: clock.paused ? null : dayOf(limit + 1),
    clockPausedColour: clock.paused ? clock.colour : null,
  };
}

/** The colour of a stored clock on a Shanghai date (null: no clock runs). */
export function storedColour(clock: Pick<StoredClock, "stage" | "clockPaused" | "clockYellowOn" | "clockRedOn" | "clockPausedColour">, today: string): ClockColour | null {
  if (!clock.stage) return null;
  if (clock.clockPaused) return clock.clockPausedColour;
  if (clock.clockRedOn !== null && clock.clockRedOn <= today) return "red";
  if (clock.clockYellowOn !== null && clock.clockYellowOn <= today) return "yellow";
  return "green";
}

/** Reminder kinds of the clock alerts: once per stage round and colour. */
export const clockAlertKind = (stage: StageName, round: number, colour: "yellow" | "red") => `clock.${stage}.${round}.${colour}`;

export function parseClockAlertKind(kind: string): { stage: StageName; round: number; colour: "yellow" | "red" } | null {
  const m = /^clock\.(acceptance|handover|review|approval|issuance)\.(\d+)\.(yellow|red)$/.exec(kind);
  return m ? { stage: m[1] as StageName, round: Number(m[2]), colour: m[3] as "yellow" | "red" } : null;
}

export interface ClockReading {
  stage: StageName;
  elapsed: number;
  limit: number;
  /** 0 on the last day; negative once over. */
  remaining: number;
  colour: ClockColour;
  paused: boolean;
  dueOn: string;
  provisional: boolean;
}

/**
 * A stored clock read on a Shanghai date without its events: a running clock
 * counts the working days between today and its due date; a stopped one keeps
 * the count it stopped at.
 */
export function readStoredClock(calendar: HolidayCalendar, clock: StoredClock, today: string): ClockReading | null {
  if (!clock.stage || clock.stageLimit === null || clock.clockDueOn === null) return null;
  const limit = clock.stageLimit;
  const due = clock.clockDueOn;
  const elapsed = clock.clockPaused
    ? (clock.clockElapsed ?? 0)
    : today <= due
      ? limit - workingDaysBetween(calendar, today, due)
      : limit + workingDaysBetween(calendar, due, today);
  return {
    stage: clock.stage,
    elapsed,
    limit,
    remaining: limit - elapsed,
    colour: storedColour(clock, today) ?? "green",
    paused: clock.clockPaused,
    dueOn: due,
    provisional: isProvisional(calendar, due),
  };
}
